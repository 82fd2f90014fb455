"""The partition of a Region code, without asking the jsii runtime."""

from __future__ import annotations

_REGION_PREFIX_PARTITIONS = (
    ("cn-", "aws-cn"),
    ("us-gov-", "aws-us-gov"),
    ("us-isob-", "aws-iso-b"),
    ("us-iso-", "aws-iso"),
    ("eu-isoe-", "aws-iso-e"),
    ("us-isof-", "aws-iso-f"),
)


def partition_of_region(region: str) -> str:
    """The partition of a Region code (``cn-north-1`` -> ``aws-cn``), from its prefix."""
    for prefix, partition in _REGION_PREFIX_PARTITIONS:
        if region.startswith(prefix):
            return partition
    return "aws"
