"""Trust an exact IAM role in another account (a vendor's SaaS identity)."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from ..validation import PropsCheck
from .trust import Trust


@dataclass(frozen=True, kw_only=True)
class CrossAccountTrust(Trust):
    """``sts:AssumeRole`` for exactly one role ARN, guarded by ``sts:ExternalId``.

    The principal is the exact role ARN, never an account root, so no other identity in
    the vendor's account can assume the role. ``sts:ExternalId`` is the AWS-prescribed
    guard against the confused-deputy problem (a vendor tricked into using its identity
    for another customer): it is required unless ``require_external_id=False`` says,
    on purpose, that the vendor cannot send one.

    :param role_arn: the exact ARN of the role allowed to assume this one.
    :param external_id: the ExternalId the caller must pass (2-1224 characters of
        ``[\\w+=,.@:/-]``).
    :param require_external_id: set ``False`` only when the caller cannot send an
        ExternalId and the principal is dedicated to you. Default: ``True``.
    """

    role_arn: str
    external_id: str | None = None
    require_external_id: bool = True

    def __post_init__(self) -> None:
        check = PropsCheck("CrossAccountTrust")
        check.role_arn("role_arn", self.role_arn)
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

    def principal(self, scope: Construct) -> iam.IPrincipal:
        principal = iam.ArnPrincipal(self.role_arn)
        if self.external_id is None:
            return principal
        return principal.with_conditions({"StringEquals": {"sts:ExternalId": self.external_id}})
