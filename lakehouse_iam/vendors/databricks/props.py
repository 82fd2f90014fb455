"""Which DatabricksStorageCredentialAccess prop scopes which resource (read by
``lakehouse-iam audit``)."""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, PropControl, ResourceKind

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="DatabricksStorageCredentialAccess",
        description=r"^Databricks Unity Catalog storage credential for ",
        stacks=("LakehouseIam-Databricks",),
        props=(
            PropControl(
                kind=ResourceKind.S3_PREFIX,
                prop="locations",
                suggestion='add S3Location(bucket="{bucket}", prefix="{prefix}")',
            ),
            PropControl(
                kind=ResourceKind.S3_BUCKET,
                prop="locations",
                suggestion='add S3Location(bucket="{bucket}", prefix="{prefix}")',
            ),
            PropControl(
                kind=ResourceKind.KMS_KEY, prop="kms_key", suggestion='kms_key="{key_arn}"'
            ),
        ),
    ),
)
"""The storage credential's external locations and SSE-KMS key."""
