"""AWS Marketplace metering for a paid container product."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from ..catalog import marketplace as marketplace_catalog
from ..catalog.marketplace import MeteringScope
from .service_grant import ServiceActionsGrant


@dataclass(frozen=True, kw_only=True)
class MarketplaceMeteringGrant(ServiceActionsGrant):
    """``aws-marketplace:RegisterUsage`` and/or ``aws-marketplace:MeterUsage`` on ``*``.

    Neither action has a resource type in the Service Authorization Reference, so
    ``*`` is the only resource IAM accepts; the product code in the request (built
    into the vendor's image) decides what is metered. One statement, Sid ``name``.

    Example::

        MarketplaceMeteringGrant(actions=["aws-marketplace:RegisterUsage"])

    :param actions: a subset of :data:`lakehouse_iam.catalog.marketplace.METERING`.
        Default: both.
    :param name: stable alphanumeric name for the policy and Sid. Default:
        ``MarketplaceMetering``.
    """

    SERVICE: ClassVar[str] = "metering"
    ACTION_SCOPES = marketplace_catalog.METERING_ACTION_SCOPES
    SCOPED = None
    UNSCOPED = MeteringScope.NONE
    NO_RESOURCE_REASONS = marketplace_catalog.NO_RESOURCE_LEVEL_REASONS
    UNSCOPED_SID = ""

    actions: Sequence[str] = marketplace_catalog.METERING
    name: str = "MarketplaceMetering"

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "AWS Marketplace usage metering for a container product"
