"""Which RisingWaveAccess prop scopes which resource (read by ``lakehouse-iam audit``)."""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, PropControl, ResourceKind

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="RisingWaveAccess",
        description=r"^RisingWave Cloud access to ",
        stacks=("LakehouseIam-RisingWave",),
        props=(
            PropControl(kind=ResourceKind.S3_PREFIX, prop="prefix", suggestion='prefix="{prefix}"'),
            PropControl(kind=ResourceKind.S3_BUCKET, prop="bucket", suggestion='bucket="{bucket}"'),
            PropControl(
                kind=ResourceKind.KMS_KEY, prop="kms_key", suggestion='kms_key="{key_arn}"'
            ),
        ),
    ),
)
"""RisingWave's construct: one location (bucket + prefix) and its SSE-KMS key."""
