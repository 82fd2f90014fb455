"""A recorded deviation from a vendor's IAM page."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class Deviation:
    """Where this library grants something other than the vendor page says, and why.

    :param topic: short name of the point, e.g. ``s3:GetBucketLocation condition``.
    :param vendor: what the vendor page grants.
    :param ours: what this library grants instead.
    :param why: the AWS rule that forces the change, with a documentation link.
    :param if_reverted: what breaks (or opens up) if a user reverts to the vendor's JSON.
    """

    topic: str
    vendor: str
    ours: str
    why: str
    if_reverted: str
