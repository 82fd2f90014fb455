"""Which StarRocksPermissions field scopes which resource (read by ``lakehouse-iam audit``).

The three StarRocks constructs (instance profile, assumed role, IAM user) take the same
``permissions=StarRocksPermissions(...)``; its fields are the props.
"""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, PropControl, ResourceKind

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="StarRocksPermissions",
        description=r"^StarRocks .*\(S3 / Glue access\)",
        stacks=("LakehouseIam-StarRocks",),
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
"""StarRocks' locations, SSE-KMS key and Glue databases."""
