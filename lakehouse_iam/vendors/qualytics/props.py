"""Which QualyticsDatastoreAccess prop scopes which resource (read by ``lakehouse-iam audit``)."""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, PropControl, ResourceKind

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="QualyticsDatastoreAccess",
        description=r"^Qualytics \w+ datastore on ",
        stacks=("LakehouseIam-Qualytics",),
        props=(
            PropControl(
                kind=ResourceKind.S3_PREFIX, prop="root_path", suggestion='root_path="{prefix}"'
            ),
            PropControl(kind=ResourceKind.S3_BUCKET, prop="bucket", suggestion='bucket="{bucket}"'),
            PropControl(
                kind=ResourceKind.KMS_KEY, prop="kms_key", suggestion='kms_key="{key_arn}"'
            ),
        ),
    ),
)
"""Qualytics' construct: the datastore's bucket and Root Path, and its SSE-KMS key."""
