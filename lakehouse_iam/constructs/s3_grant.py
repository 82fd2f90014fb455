"""S3 access on one location, rendered to exact, correctly scoped statements."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

from .._private.stack_facts import stack_facts
from ..catalog import s3 as s3_catalog
from ..catalog.s3 import S3Scope
from ..validation import PropsCheck, check_partitions
from .grant import AccessGrant, pascal_sid
from .s3_location import S3Location


@dataclass(frozen=True, kw_only=True)
class S3Grant(AccessGrant):
    """Exact S3 actions on one :class:`S3Location`.

    Each action is placed on the resource the Service Authorization Reference checks
    it against (see :mod:`lakehouse_iam.catalog.s3`), which gives up to three
    statements:

    * ``<Sid>Objects``: object actions on ``bucket/prefix/*``;
    * ``<Sid>List``: ``s3:ListBucket``/``s3:ListBucketVersions`` on the bucket, with
      ``StringLike s3:prefix = [prefix/, prefix/*]`` when the location has a prefix;
    * ``<Sid>Bucket``: bucket-level actions that have no ``s3:prefix`` key
      (``s3:GetBucketLocation``, ``s3:ListBucketMultipartUploads``), unconditioned.
      Putting them under an ``s3:prefix`` condition (as some vendor pages do) makes
      AWS deny them.

    Example::

        S3Grant(
            location=S3Location(bucket=lake_bucket, prefix="raw/orders"),
            actions=S3Grant.LIST + S3Grant.READ,
        )

    :param location: the bucket and optional prefix.
    :param actions: exact S3 actions, e.g. ``S3Grant.READ + S3Grant.LIST``.
    :param name: stable alphanumeric name for the policy and statement Sids.
        Default: derived from the bucket name (or construct ID) and prefix; required
        when the bucket name is a token.
    :param list_bare_prefix: the engine lists the prefix without its trailing slash
        (RisingWave validates a sink by listing ``s3.path`` as written; S3 checks
        ``s3:ListBucket`` for the prefix itself before it answers a missing directory key
        with 404): also allow ``s3:prefix`` = ``prefix`` exactly. That listing also returns
        the names (never the content) of keys that merely start with the same characters,
        such as ``prefix-archive/...``. Default: ``False``.
    :param read_prefix_key: the engine probes the prefix as a directory key: allow
        ``s3:GetObject`` (HEAD) on the one key ``bucket/prefix`` (statement
        ``<Sid>PrefixKey``), as Hadoop S3A does before ``prefix/``. Only with
        ``s3:GetObject`` among ``actions``. Default: ``False``.
    """

    LIST = s3_catalog.LIST
    READ = s3_catalog.READ
    WRITE = s3_catalog.WRITE
    DELETE = s3_catalog.DELETE
    MULTIPART = s3_catalog.MULTIPART

    location: S3Location
    actions: Sequence[str]
    name: str | None = field(default=None)
    list_bare_prefix: bool = False
    read_prefix_key: bool = False
    _sid: str = field(init=False, repr=False, compare=False, default="")

    def __post_init__(self) -> None:
        check = PropsCheck("S3Grant")
        if not isinstance(self.location, S3Location):
            check.add("location", self.location, "an S3Location")
        check.action_list("actions", self.actions, s3_catalog.S3_ACTION_SCOPES, service="S3")
        check.boolean("list_bare_prefix", self.list_bare_prefix)
        check.boolean("read_prefix_key", self.read_prefix_key)
        if self.read_prefix_key is True and "s3:GetObject" not in self.actions:
            check.add("read_prefix_key", True, "False unless s3:GetObject is among actions")
        if self.name is not None:
            check.sid("name", self.name)
        elif isinstance(self.location, S3Location) and not pascal_sid(self.location.label):
            check.add("name", None, "an explicit name when the bucket name is a token")
        check.raise_if_any()
        object.__setattr__(self, "actions", tuple(sorted(set(self.actions))))
        object.__setattr__(self, "_sid", self.name or "S3" + pascal_sid(self.location.label))

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and the prefix of its Sids."""
        return self._sid

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return f"S3 access to {self.location.described() or self.sid}"

    @property
    def named_policy_description(self) -> str:
        """The description of earlier releases (the bucket's label), kept for a policy with a fixed
        name, which CloudFormation cannot replace when its description changes."""
        return f"S3 access to {self.location.label or self.sid}"

    def actions_in(self, scope_kind: S3Scope) -> list[str]:
        """The granted actions that are authorized against ``scope_kind``."""
        return [a for a in self.actions if s3_catalog.scope_of(a) is scope_kind]

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        if not self.actions_in(S3Scope.OBJECT):
            return {}
        where = (
            f"under '{self.location.normalized_prefix}/'"
            if self.location.normalized_prefix
            else "in the bucket"
        )
        return {
            self.location.objects_arn(scope): (
                "S3 object actions are authorized per object ARN and the engine creates "
                f"keys at run time; bucket/prefix/* is the narrowest ARN covering the "
                f"objects {where}; only the exact actions "
                f"{', '.join(self.actions_in(S3Scope.OBJECT))} are granted on it."
            )
        }

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        loc = self.location
        check_partitions("S3Grant", stack_facts(scope), {"location.bucket": loc.bucket})
        bucket_arn = loc.bucket_arn(scope)
        result: list[dict[str, Any]] = []
        objects = self.actions_in(S3Scope.OBJECT)
        if objects:
            result.append(
                {
                    "Sid": f"{self.sid}Objects",
                    "Effect": "Allow",
                    "Action": objects,
                    "Resource": loc.objects_arn(scope, bucket_arn=bucket_arn),
                }
            )
        listing = self.actions_in(S3Scope.LISTING)
        if listing:
            statement: dict[str, Any] = {
                "Sid": f"{self.sid}List",
                "Effect": "Allow",
                "Action": listing,
                "Resource": bucket_arn,
            }
            prefixes = loc.list_prefixes(bare=self.list_bare_prefix)
            if prefixes:
                statement["Condition"] = {"StringLike": {"s3:prefix": prefixes}}
            result.append(statement)
        prefix_key = loc.prefix_key_arn(scope, bucket_arn=bucket_arn)
        if self.read_prefix_key and prefix_key:
            # HEAD on the directory key itself (no trailing slash): read only.
            result.append(
                {
                    "Sid": f"{self.sid}PrefixKey",
                    "Effect": "Allow",
                    "Action": ["s3:GetObject"],
                    "Resource": prefix_key,
                }
            )
        bucket = self.actions_in(S3Scope.BUCKET)
        if bucket:
            result.append(
                {
                    "Sid": f"{self.sid}Bucket",
                    "Effect": "Allow",
                    "Action": bucket,
                    "Resource": bucket_arn,
                }
            )
        return result


def location_grants(
    locations: Sequence[S3Location],
    *,
    actions: Sequence[str],
    list_bare_prefix: bool = False,
    read_prefix_key: bool = False,
) -> list[S3Grant]:
    """One :class:`S3Grant` of ``actions`` per location, with unique, stable names.

    A location is named ``S3<Bucket><Prefix>``; locations whose bucket name is a token, or
    whose names collide, are named ``S3Location<n>`` by their position instead.

    Example::

        location_grants([S3Location(bucket="lake", prefix="raw")], actions=S3Grant.READ)
    """
    names = [("S3" + pascal_sid(loc.label)) if pascal_sid(loc.label) else "" for loc in locations]
    return [
        S3Grant(
            location=loc,
            actions=actions,
            # Sids must be unique: unnamed (token) buckets and equal labels get an index.
            name=name if name and names.count(name) == 1 else f"S3Location{i + 1}",
            list_bare_prefix=list_bare_prefix,
            read_prefix_key=read_prefix_key,
        )
        for i, (loc, name) in enumerate(zip(locations, names, strict=True))
    ]
