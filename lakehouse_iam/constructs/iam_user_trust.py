"""Trust an exact IAM user in another account, with a required ExternalId."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from .._private.stack_facts import stack_facts
from ..validation import PropsCheck, check_partitions
from .trust import Trust


@dataclass(frozen=True, kw_only=True)
class CrossAccountUserTrust(Trust):
    """``sts:AssumeRole`` for exactly one IAM user ARN, with ``sts:ExternalId`` required.

    For vendors whose caller is an IAM user they create per customer account (Snowflake's
    ``STORAGE_AWS_IAM_USER_ARN`` and ``GLUE_AWS_IAM_USER_ARN``). The principal is the
    exact user ARN, never the vendor's account root; the ExternalId is always required,
    because such a user serves every integration of the customer and the ExternalId is
    what tells them apart (the confused-deputy guard).

    Example::

        CrossAccountUserTrust(
            user_arn="arn:aws:iam::222222222222:user/abc1-b-self1234",
            external_id="MYACCOUNT_SFCRole=2_abcdefg=",
        )

    :param user_arn: the exact IAM user ARN allowed to assume the role. An ARN of another
        partition than the stack's raises a ``ValueError``.
    :param external_id: the ExternalId the user must pass (2-1224 characters of
        ``[\\w+=,.@:/-]``).
    """

    user_arn: str
    external_id: str

    def __post_init__(self) -> None:
        check = PropsCheck("CrossAccountUserTrust")
        check.iam_user_arn("user_arn", self.user_arn)
        check.external_id("external_id", self.external_id)
        check.raise_if_any()

    def principal(self, scope: Construct) -> iam.IPrincipal:
        check_partitions("CrossAccountUserTrust", stack_facts(scope), {"user_arn": self.user_arn})
        return iam.ArnPrincipal(self.user_arn).with_conditions(
            {"StringEquals": {"sts:ExternalId": self.external_id}}
        )
