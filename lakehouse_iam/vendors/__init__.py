"""The vendor registry: one line per vendor, in alphabetical order.

Each line names a folder ``lakehouse_iam/vendors/<key>/`` whose ``__init__.py`` defines
``VENDOR`` (a :class:`~.vendor.Vendor`): the vendor's IAM page, its deviations from it and
its example stacks. The example-stack builder (:mod:`lakehouse_iam.stacks`), the docs
generator, the report's docs and the verification tooling all read :data:`VENDORS`; no
tool finds vendors by scanning modules or matching names. Reading the registry imports
only the vendors' catalogs (plain data), never aws-cdk-lib's service modules.

Adding a vendor: CONTRIBUTING.md, "Adding a vendor".
"""

from __future__ import annotations

import importlib

from .vendor import ExampleStack, StackFactory, TemplateMode, Vendor


def _registered(*keys: str) -> tuple[Vendor, ...]:
    vendors = []
    for key in keys:
        vendor = importlib.import_module(f"{__name__}.{key}").VENDOR
        if not isinstance(vendor, Vendor) or vendor.key != key:
            raise TypeError(f"lakehouse_iam.vendors.{key}.VENDOR must be a Vendor with key={key!r}")
        vendors.append(vendor)
    return tuple(vendors)


VENDORS: tuple[Vendor, ...] = _registered(
    "boilstream",
    "databricks",
    "ducklake",
    "qualytics",
    "risingwave",
    "snowflake",
    "starrocks",
    "trino",
)
"""Every vendor, by folder name."""


def example_stacks() -> dict[str, tuple[Vendor, ExampleStack]]:
    """Every example stack ID -> (its vendor, the stack), in registry order."""
    return {example.id: (vendor, example) for vendor in VENDORS for example in vendor.examples}


__all__ = ["VENDORS", "ExampleStack", "StackFactory", "TemplateMode", "Vendor", "example_stacks"]
