"""Hadoop S3A: the directory key an engine reading S3 through it probes.

StarRocks' FE (its Hive-style catalogs) and Apache Spark (Qualytics' engine) reach S3
through Hadoop S3A. S3A resolves a path as a directory with ``getFileStatus``: a HEAD of
the key *without* its trailing slash (``bucket/prefix``) first, then ``prefix/`` and a
LIST of ``prefix/``. S3 answers the first HEAD with 404 only when the caller may also list
the key, else 403, which S3A rethrows: the path fails although everything under it is
granted. Hadoop's assumed-roles guide grants ``path``, ``path/`` and ``path/*`` for that
reason.

:class:`~lakehouse_iam.constructs.s3_grant.S3Grant` renders the grant
(``**DIRECTORY_KEY``: ``s3:GetObject`` on the one key ``bucket/prefix`` and
``s3:ListBucket`` with ``s3:prefix`` = ``prefix`` exactly, next to ``prefix/`` and
``prefix/*``); this module holds the evidence and the deviation text the vendors share.

Example::

    from lakehouse_iam.catalog import s3a
    from lakehouse_iam.constructs.s3_grant import S3Grant
    from lakehouse_iam.constructs.s3_location import S3Location

    grant = S3Grant(
        location=S3Location(bucket="my-lake-bucket", prefix="raw"),
        actions=("s3:GetObject", "s3:ListBucket"),
        **s3a.DIRECTORY_KEY,
    )
"""

from __future__ import annotations

from typing import Final, TypedDict

from .deviation import Deviation

__all__ = [
    "DIRECTORY_KEY",
    "S3A_ASSUMED_ROLES",
    "S3A_DOC",
    "S3A_FILESYSTEM",
    "directory_key_deviation",
]

S3A_FILESYSTEM: Final = (
    "apache/hadoop hadoop-tools/hadoop-aws/src/main/java/org/apache/hadoop/fs/s3a/"
    "S3AFileSystem.java@4f5e2a660eea9c9c266758be5ee3afbce6cbf7b3"
)
"""S3A's file system (``getFileStatus`` -> ``s3GetFileStatus``), as an engine-source ref."""
S3A_ASSUMED_ROLES: Final = (
    "apache/hadoop hadoop-tools/hadoop-aws/src/site/markdown/tools/hadoop-aws/"
    "assumed_roles.md@3693ff6ec3767ca1cf8c3c75d33a8305bab239fc"
)
"""Hadoop's assumed-roles guide (read access to ``path``, ``path/`` and ``path/*``)."""
S3A_DOC: Final = "https://hadoop.apache.org/docs/stable/hadoop-aws/tools/hadoop-aws/index.html"
"""Hadoop-AWS's S3A documentation."""
_ASSUMED_ROLES_PAGE = (
    "https://hadoop.apache.org/docs/stable/hadoop-aws/tools/hadoop-aws/assumed_roles.html"
)
_HEAD_OBJECT = "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html"


class DirectoryKey(TypedDict):
    """The :class:`~lakehouse_iam.constructs.s3_grant.S3Grant` flags of the directory key."""

    list_bare_prefix: bool
    read_prefix_key: bool


DIRECTORY_KEY: Final[DirectoryKey] = {"list_bare_prefix": True, "read_prefix_key": True}
"""``S3Grant(**DIRECTORY_KEY)``: the prefix is also readable and listable as the directory
key S3A probes (``bucket/prefix`` without its slash)."""


def directory_key_deviation(*, engine: str, prefix: str, if_reverted: str) -> Deviation:
    """The deviation of an engine on S3A whose vendor page grants the whole bucket.

    :param engine: who reaches S3 through S3A, e.g. ``"StarRocks' Hive-style catalogs"``.
    :param prefix: what the granted prefix is called on the vendor's side
        (``"prefix"``, ``"root-path"``).
    :param if_reverted: what fails without the grant.
    """
    return Deviation(
        topic=f"the {prefix} as a directory key",
        vendor="bucket/* (every object) and s3:ListBucket on the whole bucket",
        ours=(
            f"besides bucket/{prefix}/*, s3:GetObject on the one key bucket/{prefix} and "
            f"s3:ListBucket with s3:prefix = {prefix} exactly (next to {prefix}/ and "
            f"{prefix}/*)"
        ),
        why=(
            f"Hadoop S3A, used by {engine} for S3 paths, resolves a directory with a HEAD "
            f"on the key without its trailing slash before {prefix}/ "
            "(S3AFileSystem.getFileStatus); S3 answers a missing key with 404 only when the "
            f"caller may also list it ({_HEAD_OBJECT}). Hadoop's assumed-roles guide "
            f"grants path, path/ and path/* for the same reason ({_ASSUMED_ROLES_PAGE})."
        ),
        if_reverted=if_reverted,
    )
