"""Which Snowflake construct prop scopes which resource (read by ``lakehouse-iam audit``)."""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, PropControl, ResourceKind

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="SnowflakeStorageAccess",
        description=r"^Snowflake (storage integration|external volume) access to ",
        stacks=("LakehouseIam-Snowflake",),
        props=(
            PropControl(kind=ResourceKind.S3_PREFIX, prop="prefix", suggestion='prefix="{prefix}"'),
            PropControl(kind=ResourceKind.S3_BUCKET, prop="bucket", suggestion='bucket="{bucket}"'),
            PropControl(
                kind=ResourceKind.KMS_KEY, prop="kms_key", suggestion='kms_key="{key_arn}"'
            ),
        ),
    ),
    ConstructProps(
        construct="SnowflakeGlueCatalogAccess",
        description=r"^Snowflake Glue catalog integration on ",
        props=(
            PropControl(
                kind=ResourceKind.GLUE_DATABASE,
                prop="databases",
                suggestion='add "{database}" to databases=[...]',
            ),
        ),
    ),
)
"""Snowflake's storage integration / external volume location and key, and the Glue
catalog integration's databases."""
