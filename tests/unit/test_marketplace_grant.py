"""MarketplaceMeteringGrant: RegisterUsage and MeterUsage, which only exist on '*'."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import DataAccessRole, EcsTaskTrust, MarketplaceMeteringGrant
from lakehouse_iam.nag import acknowledged_findings
from tests.helpers import all_statements, template_of


def test_both_metering_actions_on_star_acknowledged_with_reason():
    holder = {}

    def build(stack: cdk.Stack) -> None:
        holder["role"] = DataAccessRole(
            stack, "Role", trust=EcsTaskTrust(), grants=[MarketplaceMeteringGrant()]
        )

    assert all_statements(template_of(build)) == [
        {
            "Action": ["aws-marketplace:MeterUsage", "aws-marketplace:RegisterUsage"],
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "MarketplaceMetering",
        }
    ]
    acks = acknowledged_findings(holder["role"].policies["MarketplaceMetering"].node.default_child)
    assert list(acks) == ["AwsSolutions-IAM5[Resource::*]"]
    assert "no resource type" in acks["AwsSolutions-IAM5[Resource::*]"]


@pytest.mark.parametrize("actions", [["aws-marketplace:*"], ["aws-marketplace:Subscribe"], [], "x"])
def test_only_exact_metering_actions(actions):
    with pytest.raises(ValueError, match="MarketplaceMeteringGrant: invalid properties"):
        MarketplaceMeteringGrant(actions=actions)


def test_subset():
    grant = MarketplaceMeteringGrant(actions=["aws-marketplace:RegisterUsage"])
    (s,) = grant.statements(cdk.Stack())
    assert s.to_statement_json()["Action"] == "aws-marketplace:RegisterUsage"
