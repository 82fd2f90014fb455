"""Which BoilStreamAccess prop scopes which resource (read by ``lakehouse-iam audit``)."""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, PropControl, ResourceKind

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="BoilStreamAccess",
        # Levels 1-3 ("BoilStream level N access to ...") and the level 3 access role.
        description=(
            r"^(BoilStream level \w+ access to |DuckLake per-user credentials vended by BoilStream)"
        ),
        stacks=("LakehouseIam-BoilStream",),
        props=(
            PropControl(kind=ResourceKind.S3_PREFIX, prop="prefix", suggestion='prefix="{prefix}"'),
            PropControl(kind=ResourceKind.S3_BUCKET, prop="bucket", suggestion='bucket="{bucket}"'),
            PropControl(
                kind=ResourceKind.KMS_KEY, prop="kms_key", suggestion='kms_key="{key_arn}"'
            ),
        ),
    ),
)
"""BoilStream's construct: one storage location and the bucket's SSE-KMS key."""
