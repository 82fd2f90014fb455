"""AWS Marketplace metering for a paid container product."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from ..catalog import marketplace as marketplace_catalog
from ..validation import PropsCheck
from .grant import AccessGrant


@dataclass(frozen=True, kw_only=True)
class MarketplaceMeteringGrant(AccessGrant):
    """``aws-marketplace:RegisterUsage`` and/or ``aws-marketplace:MeterUsage`` on ``*``.

    Neither action has a resource type in the Service Authorization Reference, so
    ``*`` is the only resource IAM accepts; the product code in the request (built
    into the vendor's image) decides what is metered.

    :param actions: a subset of :data:`lakehouse_iam.catalog.marketplace.METERING`.
        Default: both.
    :param name: stable alphanumeric name for the policy and Sid. Default:
        ``MarketplaceMetering``.
    """

    actions: Sequence[str] = marketplace_catalog.METERING
    name: str = "MarketplaceMetering"

    def __post_init__(self) -> None:
        check = PropsCheck("MarketplaceMeteringGrant")
        check.action_list("actions", self.actions, marketplace_catalog.METERING, service="metering")
        check.sid("name", self.name)
        check.raise_if_any()
        object.__setattr__(self, "actions", tuple(sorted(set(self.actions))))

    @property
    def sid(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return "AWS Marketplace usage metering for a container product"

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        return {
            "*": " ".join(marketplace_catalog.NO_RESOURCE_LEVEL_REASONS[a] for a in self.actions)
        }

    def statements(self, scope: Construct) -> list[iam.PolicyStatement]:
        # No resource-level permission for metering actions: '*' is required.
        return [iam.PolicyStatement(sid=self.sid, actions=list(self.actions), resources=["*"])]
