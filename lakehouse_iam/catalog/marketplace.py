"""AWS Marketplace Metering Service actions used by paid container products.

A Marketplace container product calls ``RegisterUsage`` (hourly/ per-task pricing) or
``MeterUsage`` (custom dimensions) with the credentials of the running task or pod
(https://docs.aws.amazon.com/marketplace/latest/userguide/container-metering-registerusage.html).
Neither action has a resource type in the Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsmarketplacemeteringservice.html),
so both need ``Resource: *``; the product code in the request (fixed in the vendor's
image) decides which listing is metered.
"""

from __future__ import annotations

from enum import Enum


class MeteringScope(Enum):
    """What a metering action is authorized against."""

    NONE = "none"
    """No resource-level permission: the statement needs ``Resource: *``."""


METERING: tuple[str, ...] = ("aws-marketplace:MeterUsage", "aws-marketplace:RegisterUsage")
METERING_ACTION_SCOPES: dict[str, MeteringScope] = dict.fromkeys(METERING, MeteringScope.NONE)

NO_RESOURCE_LEVEL_REASONS: dict[str, str] = {
    "aws-marketplace:MeterUsage": (
        "aws-marketplace:MeterUsage has no resource type in the Service Authorization "
        "Reference, so it can only be granted on '*'; it reports usage of the product code "
        "built into the vendor's image and reads or changes no other resource."
    ),
    "aws-marketplace:RegisterUsage": (
        "aws-marketplace:RegisterUsage has no resource type in the Service Authorization "
        "Reference, so it can only be granted on '*'; it registers the running container "
        "for the product code built into the vendor's image and touches no other resource."
    ),
}
"""Why each action is granted on ``*``."""
