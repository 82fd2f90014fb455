"""Which TrinoPermissions field scopes which resource (read by ``lakehouse-iam audit``).

``TrinoAccess`` takes ``permissions=TrinoPermissions(...)`` in every mode; its fields are
the props.
"""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, PropControl, ResourceKind

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="TrinoPermissions",
        description=r"^Trino \(",
        stacks=("LakehouseIam-Trino",),
        props=(
            PropControl(
                kind=ResourceKind.S3_PREFIX,
                prop="permissions.locations",
                suggestion='add S3Location(bucket="{bucket}", prefix="{prefix}")',
            ),
            PropControl(
                kind=ResourceKind.S3_BUCKET,
                prop="permissions.locations",
                suggestion='add S3Location(bucket="{bucket}", prefix="{prefix}")',
            ),
            PropControl(
                kind=ResourceKind.KMS_KEY,
                prop="permissions.kms_key",
                suggestion='kms_key="{key_arn}"',
            ),
            PropControl(
                kind=ResourceKind.GLUE_DATABASE,
                prop="permissions.glue",
                suggestion='add "{database}" to GlueCatalogGrant(databases=[...])',
            ),
        ),
    ),
)
"""Trino's locations, SSE-KMS key and Glue databases."""
