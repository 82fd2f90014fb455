"""Which construct prop controls which resource: what ``lakehouse-iam audit`` suggests.

When CloudTrail shows an engine denied an action its construct does grant, only on
another resource (an object outside the granted prefix, a Glue database not listed,
another KMS key), the fix is a prop of that construct. Each vendor folder declares its
constructs once in ``props.py`` (:data:`CONSTRUCTS`): how a principal of the cloud
assembly is recognised as that construct's, and which prop scopes each kind of resource.

Example::

    from lakehouse_iam.catalog.prop_control import ConstructProps, PropControl, ResourceKind

    RISINGWAVE = ConstructProps(
        construct="RisingWaveAccess",
        description=r"^RisingWave Cloud access to ",
        stacks=("LakehouseIam-RisingWave",),
        props=(
            PropControl(kind=ResourceKind.S3_PREFIX, prop="prefix",
                        suggestion='prefix="{prefix}"'),
        ),
    )
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum

__all__ = ["ConstructProps", "PropControl", "ResourceKind", "permissions_props"]


class ResourceKind(str, Enum):
    """The kind of resource a denied request was on, relative to what the principal holds."""

    S3_PREFIX = "s3-prefix"
    """An object (or listing) in a bucket the principal is granted, outside its prefix."""
    S3_BUCKET = "s3-bucket"
    """An object (or listing) of a bucket the principal is not granted at all."""
    KMS_KEY = "kms-key"
    """A KMS key other than the one(s) granted."""
    GLUE_DATABASE = "glue-database"
    """A Glue database (or a table of it) that is not granted."""


_FIELDS = {
    ResourceKind.S3_PREFIX: {"bucket", "prefix"},
    ResourceKind.S3_BUCKET: {"bucket", "prefix"},
    ResourceKind.KMS_KEY: {"key_arn"},
    ResourceKind.GLUE_DATABASE: {"database"},
}


@dataclass(frozen=True, kw_only=True)
class PropControl:
    """The prop that scopes one kind of resource, and how to suggest a value for it.

    :param kind: the kind of resource.
    :param prop: the prop, as a user writes it (``prefix``, ``permissions.glue``).
    :param suggestion: what to write, a ``str.format`` template over the denied
        resource: ``{bucket}`` and ``{prefix}`` (the key's folder) for S3, ``{key_arn}``
        for KMS, ``{database}`` for Glue.
    :raises ValueError: when ``suggestion`` uses a field ``kind`` does not provide.
    """

    kind: ResourceKind
    prop: str
    suggestion: str

    def __post_init__(self) -> None:
        used = set(re.findall(r"\{(\w+)\}", self.suggestion))
        unknown = sorted(used - _FIELDS[self.kind])
        if unknown:
            raise ValueError(
                f"PropControl {self.prop}: suggestion uses {unknown}; {self.kind.value} "
                f"provides {sorted(_FIELDS[self.kind])}"
            )


@dataclass(frozen=True, kw_only=True)
class ConstructProps:
    """A vendor construct as the audit knows it.

    :param construct: the construct class (``RisingWaveAccess``).
    :param description: a regular expression on the IAM role's ``Description``, which the
        construct sets: how a role of any app is recognised as this construct's.
    :param stacks: example stacks whose principals all belong to this construct (IAM
        users carry no description). Default: none.
    :param props: the props that scope its resources.
    """

    construct: str
    description: str
    props: tuple[PropControl, ...]
    stacks: tuple[str, ...] = ()

    def control(self, kind: ResourceKind) -> PropControl | None:
        """The prop controlling ``kind``, if the construct has one."""
        return next((p for p in self.props if p.kind == kind), None)


def permissions_props() -> tuple[PropControl, ...]:
    """The props of a ``permissions=<Vendor>Permissions(locations=..., kms_key=...,
    glue=...)`` construct (StarRocks, Trino): S3 locations, the SSE-KMS key and the Glue
    databases."""
    location = 'add S3Location(bucket="{bucket}", prefix="{prefix}")'
    return (
        PropControl(kind=ResourceKind.S3_PREFIX, prop="permissions.locations", suggestion=location),
        PropControl(kind=ResourceKind.S3_BUCKET, prop="permissions.locations", suggestion=location),
        PropControl(
            kind=ResourceKind.KMS_KEY, prop="permissions.kms_key", suggestion='kms_key="{key_arn}"'
        ),
        PropControl(
            kind=ResourceKind.GLUE_DATABASE,
            prop="permissions.glue",
            suggestion='add "{database}" to GlueCatalogGrant(databases=[...])',
        ),
    )
