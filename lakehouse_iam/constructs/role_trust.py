"""Trust one exact role you own (role chaining), and let it assume this role."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from .._private.principal_account import check_principal_account
from .._private.stack_facts import stack_facts
from ..validation import PropsCheck, check_partitions
from .trust import Trust


@dataclass(frozen=True, kw_only=True)
class RoleTrust(Trust):
    """``sts:AssumeRole`` for exactly one role of yours, e.g. a cluster's instance role.

    The principal is the exact role ARN, never the account root. When ``role`` is an
    ``iam.IRole`` the trust also gives that role a managed policy allowing
    ``sts:AssumeRole`` on this role only, so the chain is exact at both ends.

    Example::

        RoleTrust(role=cluster_instance_role)  # an iam.IRole; it also gets sts:AssumeRole

    :param role: the assuming role (``iam.IRole`` or its ARN).
    :param external_id: ExternalId the assuming side must pass (useful when the
        assuming role is in another of your accounts). Default: none; the principal
        is yours, so no third party can be confused.
    :param grant_assume: give ``role`` its ``sts:AssumeRole`` permission here
        (only for an ``iam.IRole`` of the stack's account; one of another account is
        refused, since the policy would attach by name in this account). Default: ``True``.
    """

    role: iam.IRole | str
    external_id: str | None = None
    grant_assume: bool = True

    def __post_init__(self) -> None:
        check = PropsCheck("RoleTrust")
        check.role("role", self.role)
        if self.external_id is not None:
            check.external_id("external_id", self.external_id)
        check.boolean("grant_assume", self.grant_assume)
        check.raise_if_any()
        check.keep_deferred(self)

    @property
    def role_arn(self) -> str:
        """The assuming role's ARN."""
        return self.role if isinstance(self.role, str) else self.role.role_arn

    def principal(self, scope: Construct) -> iam.IPrincipal:
        facts = stack_facts(scope)
        check_partitions("RoleTrust", facts, {"role": self.role})
        if self.grant_assume and not isinstance(self.role, str):
            check = PropsCheck("RoleTrust", at=scope)
            check_principal_account(
                check,
                facts,
                "role",
                self.role,
                instead="Pass the role's ARN as a string (role='arn:...'), which gets no "
                "policy here, and grant it sts:AssumeRole on this role in its own account; "
                "add external_id= for a role of another account.",
            )
            check.raise_if_any()
        principal = iam.ArnPrincipal(self.role_arn)
        if self.external_id is None:
            return principal
        return principal.with_conditions({"StringEquals": {"sts:ExternalId": self.external_id}})

    def bind(self, scope: Construct, role: iam.IRole) -> iam.ManagedPolicy | None:
        """The trusted role's policy allowing ``sts:AssumeRole`` on ``role`` (``grant_assume``)."""
        if isinstance(self.role, str) or not self.grant_assume:
            return None
        return iam.ManagedPolicy(
            scope,
            "AssumePolicy",
            description="Allows the trusted role to assume exactly this data role",
            statements=[
                iam.PolicyStatement(
                    sid="AssumeDataRole", actions=["sts:AssumeRole"], resources=[role.role_arn]
                )
            ],
            roles=[self.role],
        )
