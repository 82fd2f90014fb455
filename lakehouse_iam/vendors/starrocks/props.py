"""Which StarRocksPermissions field scopes which resource (read by ``lakehouse-iam audit``).

The three StarRocks constructs (instance profile, assumed role, IAM user) take the same
``permissions=StarRocksPermissions(...)``; its fields are the props.
"""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, permissions_props

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="StarRocksPermissions",
        description=r"^StarRocks .*\(S3 / Glue access\)",
        stacks=("LakehouseIam-StarRocks",),
        props=permissions_props(),
    ),
)
"""StarRocks' locations, SSE-KMS key and Glue databases."""
