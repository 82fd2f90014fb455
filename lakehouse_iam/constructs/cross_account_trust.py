"""Trust an exact IAM role in another account (a vendor's SaaS identity)."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from .._private.stack_facts import stack_facts
from ..validation import PropsCheck, check_partitions
from .trust import Trust


@dataclass(frozen=True, kw_only=True)
class CrossAccountTrust(Trust):
    """``sts:AssumeRole`` for exactly one role ARN, guarded by ``sts:ExternalId``.

    The principal is the exact role ARN, never an account root, so no other identity in
    the vendor's account can assume the role. ``sts:ExternalId`` is the AWS-prescribed
    guard against the confused-deputy problem (a vendor tricked into using its identity
    for another customer): it is required unless ``require_external_id=False`` says,
    on purpose, that the vendor cannot send one.

    Example::

        CrossAccountTrust(
            role_arn="arn:aws:iam::222222222222:role/vendor", external_id="my-tenant-id"
        )

    :param role_arn: the exact ARN of the role allowed to assume this one, or that role
        as an ``iam.IRole`` (``iam.Role.from_role_arn(...)``, a role of another stack). An
        ARN of another partition than the stack's region raises a ``ValueError``.
    :param external_id: the ExternalId the caller must pass (2-1224 characters of
        ``[\\w+=,.@:/-]``).
    :param require_external_id: set ``False`` only when the caller cannot send an
        ExternalId and the principal is dedicated to you. Default: ``True``.
    """

    role_arn: str | iam.IRole
    external_id: str | None = None
    require_external_id: bool = True

    def __post_init__(self) -> None:
        check = PropsCheck("CrossAccountTrust")
        check.role("role_arn", self.role_arn)
        check.boolean("require_external_id", self.require_external_id)
        if self.external_id is not None:
            check.external_id("external_id", self.external_id)
        elif self.require_external_id:
            check.add(
                "external_id",
                None,
                "an ExternalId; pass require_external_id=False to trust the role ARN "
                "without one (an explicit opt-out of the confused-deputy guard)",
            )
        check.raise_if_any()
        check.keep_deferred(self)

    @property
    def trusted_role_arn(self) -> str:
        """The trusted role's ARN (``role_arn`` itself, or the ``IRole``'s ARN)."""
        return self.role_arn if isinstance(self.role_arn, str) else self.role_arn.role_arn

    def principal(self, scope: Construct) -> iam.IPrincipal:
        check_partitions("CrossAccountTrust", stack_facts(scope), {"role_arn": self.role_arn})
        principal = iam.ArnPrincipal(self.trusted_role_arn)
        if self.external_id is None:
            return principal
        return principal.with_conditions({"StringEquals": {"sts:ExternalId": self.external_id}})
