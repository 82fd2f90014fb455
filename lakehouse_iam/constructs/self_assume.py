"""A role that may assume itself, without a circular reference to its own ARN."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct

from .._private.stack_facts import stack_facts
from ..validation import PropsCheck
from .grant import AccessGrant, allow
from .trust import Trust


def own_role_arn(scope: Construct, role_name: str) -> str:
    """``arn:PARTITION:iam::ACCOUNT:role/<role_name>`` of ``scope``'s stack, built from the
    literal name and ``AWS::Partition``/``AWS::AccountId``: no ``Fn::GetAtt`` of the role,
    so the role's own policies can name it without a circular dependency."""
    facts = stack_facts(scope)
    return f"arn:{facts.partition}:iam::{facts.account}:role/{role_name}"


@dataclass(frozen=True, kw_only=True)
class SelfAssumeTrust(Trust):
    """The role named ``role_name`` may assume itself (e.g. Databricks Unity Catalog
    checks that a storage credential's role is self-assuming).

    The statement trusts the stack's own account root, narrowed with ``ArnEquals
    aws:PrincipalArn`` = the role's own ARN, rather than naming the role's ARN as the
    principal: IAM resolves a role principal to the role's unique ID when the policy is
    saved, and the role does not exist yet while CloudFormation creates it (the same
    pattern as Databricks' Terraform provider, ``ExplicitSelfRoleAssumption``). Because the
    principal is an account, the role also needs ``sts:AssumeRole`` on itself in its
    identity policy: :class:`SelfAssumeGrant`.
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-principalarn)

    Example::

        SelfAssumeTrust(role_name="databricks-uc-lake", external_id="1234-abcd")

    :param role_name: the role's literal physical name (no path).
    :param external_id: also require this ``sts:ExternalId``. Default: none.
    """

    role_name: str
    external_id: str | None = None

    def __post_init__(self) -> None:
        check = PropsCheck("SelfAssumeTrust")
        check.iam_name("role_name", self.role_name, max_length=64)
        if self.external_id is not None:
            check.external_id("external_id", self.external_id)
        check.raise_if_any()

    def principal(self, scope: Construct) -> iam.IPrincipal:
        conditions: dict[str, Any] = {
            "ArnEquals": {"aws:PrincipalArn": own_role_arn(scope, self.role_name)}
        }
        if self.external_id is not None:
            conditions["StringEquals"] = {"sts:ExternalId": self.external_id}
        return iam.AccountRootPrincipal().with_conditions(conditions)


@dataclass(frozen=True, kw_only=True)
class SelfAssumeGrant(AccessGrant):
    """``sts:AssumeRole`` on the role's own ARN (from its literal name), the identity
    side of :class:`SelfAssumeTrust`.

    :param role_name: the role's literal physical name.
    :param name: stable alphanumeric name for the policy. Default: ``SelfAssume``.
    """

    role_name: str
    name: str = "SelfAssume"

    def __post_init__(self) -> None:
        check = PropsCheck("SelfAssumeGrant")
        check.iam_name("role_name", self.role_name, max_length=64)
        check.sid("name", self.name)
        check.raise_if_any()

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and its Sid."""
        return self.name

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "The role may assume itself"

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        return [allow(self.sid, ["sts:AssumeRole"], [own_role_arn(scope, self.role_name)])]
