"""The partition of a Region code, without asking the jsii runtime; the Region code rule."""

from __future__ import annotations

import re

REGION_CODE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
"""An AWS Region code (``us-east-1``, ``cn-north-1``, ``us-gov-west-1``); match it with
``fullmatch`` on an ASCII string."""

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


def checked_region(region: str, *, where: str, prop: str, fix: str) -> str:
    """``region`` when it is a Region code; else a ``ValueError`` naming ``where`` (the
    stack or the construct), ``prop``, the value and ``fix`` (how to pass a valid one).
    Call it on literal regions only: a token is never guessed at."""
    if region.isascii() and REGION_CODE.fullmatch(region):
        return region
    raise ValueError(
        f"{where}: {prop}={region!r} is invalid: expected an AWS Region code such as "
        f"us-east-1 ({fix})"
    )
