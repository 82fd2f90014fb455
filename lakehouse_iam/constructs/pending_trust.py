"""A trust that admits no one yet: step one of a vendor's two-step role set-up."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from ..validation import PropsCheck
from .trust import Trust

PENDING_EXTERNAL_ID = "lakehouse-iam-pending"
"""The value the impossible condition names when no ExternalId was chosen yet."""


@dataclass(frozen=True, kw_only=True)
class PendingTrust(Trust):
    """A trust policy no request can satisfy, for a role whose caller is not known yet.

    Some vendors tell you who will assume the role only after the role exists: Snowflake
    shows ``STORAGE_AWS_IAM_USER_ARN`` once ``CREATE STORAGE INTEGRATION`` names the role
    ARN, and Databricks shows a storage credential's external ID once the credential
    names it. Between the two steps the role must exist (its ARN is pasted into the
    vendor) and must admit no one.

    IAM has no empty trust policy (``iam.Role`` needs a principal), so the statement names
    the stack's own account root, which is no foreign principal, and a condition that
    never holds: ``sts:ExternalId`` must equal a value (``StringEquals``) *and* be absent
    (``Null = true``) in the same request. Conditions in one block are ANDed, and a key
    cannot be both present and absent, so ``sts:AssumeRole`` is denied to every caller,
    including the account's own administrators
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html#Conditions_Null).
    No Deny statement is needed, so nothing has to be removed when step two replaces the
    trust with the vendor's principal.

    Example::

        DataAccessRole(stack, "Snowflake", trust=PendingTrust(), grants=[...])

    :param external_id: the ExternalId you already chose for the vendor (shown in the
        condition, so the policy says which value step two will require). Default:
        :data:`PENDING_EXTERNAL_ID`.
    """

    external_id: str | None = None

    def __post_init__(self) -> None:
        check = PropsCheck("PendingTrust")
        if self.external_id is not None:
            check.external_id("external_id", self.external_id)
        check.raise_if_any()

    def principal(self, scope: Construct) -> iam.IPrincipal:
        return iam.AccountRootPrincipal().with_conditions(
            {
                "StringEquals": {"sts:ExternalId": self.external_id or PENDING_EXTERNAL_ID},
                "Null": {"sts:ExternalId": "true"},
            }
        )
