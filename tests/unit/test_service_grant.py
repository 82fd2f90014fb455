"""The shared skeleton of the Logs, Secrets Manager and Marketplace grants."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import ClassVar

import aws_cdk as cdk
import pytest

from lakehouse_iam import LogsGrant, MarketplaceMeteringGrant, SecretsGrant
from lakehouse_iam.constructs.service_grant import ServiceActionsGrant
from tests.helpers import make_app


class _Scope(Enum):
    THING = "thing"
    NONE = "none"


@dataclass(frozen=True, kw_only=True)
class _ThingGrant(ServiceActionsGrant):
    """The smallest service grant: one scoped and one unscoped action."""

    SERVICE: ClassVar[str] = "Things"
    ACTION_SCOPES = {"things:Get": _Scope.THING, "things:List": _Scope.NONE}
    SCOPED = _Scope.THING
    UNSCOPED = _Scope.NONE
    NO_RESOURCE_REASONS = {"things:List": "things:List has no resource type; it lists names only."}
    SCOPED_SID = "Thing"

    name: str = "Things"

    def resource_arn(self, scope):
        return "arn:aws:things:::thing/one"


def statements(grant):
    stack = cdk.Stack(make_app(), "Test")
    return [stack.resolve(s.to_statement_json()) for s in grant.statements(stack)], stack


def test_scoped_actions_go_on_the_arn_and_the_rest_on_star_with_their_reason():
    # GIVEN one scoped and one unscoped action, in reverse order and repeated
    grant = _ThingGrant(actions=["things:List", "things:Get", "things:List"])
    rendered, stack = statements(grant)
    # THEN two statements, the actions sorted and unique, each on its own resource
    assert grant.actions == ("things:Get", "things:List")
    assert rendered == [
        {
            "Action": "things:Get",
            "Effect": "Allow",
            "Resource": "arn:aws:things:::thing/one",
            "Sid": "ThingsThing",
        },
        {
            "Action": "things:List",
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "ThingsNoResourceLevel",
        },
    ]
    assert grant.wildcard_resources(stack) == {
        "*": "things:List has no resource type; it lists names only."
    }


def test_only_scoped_actions_render_no_star():
    rendered, stack = statements(_ThingGrant(actions=["things:Get"]))
    assert [s["Resource"] for s in rendered] == ["arn:aws:things:::thing/one"]
    assert _ThingGrant(actions=["things:Get"]).wildcard_resources(stack) == {}


@pytest.mark.parametrize(
    ("actions", "message"),
    [
        (["things:*"], "wildcards are never granted"),
        (["things:Put"], "one of things:Get, things:List"),
        ("things:Get", "a non-empty sequence of Things actions"),
        ([], "a non-empty sequence of Things actions"),
    ],
)
def test_bad_actions_are_reported_with_the_service_name(actions, message):
    with pytest.raises(ValueError, match=message):
        _ThingGrant(actions=actions)


def test_a_bad_name_is_reported():
    with pytest.raises(ValueError, match="name='my-things' is invalid"):
        _ThingGrant(actions=["things:Get"], name="my-things")


def test_logs_secrets_and_marketplace_share_the_skeleton():
    for grant in (
        LogsGrant(log_group="/ecs/app"),
        SecretsGrant(secret="app/config"),
        MarketplaceMeteringGrant(),
    ):
        assert isinstance(grant, ServiceActionsGrant)
