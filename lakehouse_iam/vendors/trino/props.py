"""Which TrinoPermissions field scopes which resource (read by ``lakehouse-iam audit``).

``TrinoAccess`` takes ``permissions=TrinoPermissions(...)`` in every mode; its fields are
the props.
"""

from __future__ import annotations

from ...catalog.prop_control import ConstructProps, permissions_props

CONSTRUCTS: tuple[ConstructProps, ...] = (
    ConstructProps(
        construct="TrinoPermissions",
        description=r"^Trino \(",
        stacks=("LakehouseIam-Trino",),
        props=permissions_props(),
    ),
)
"""Trino's locations, SSE-KMS key and Glue databases."""
