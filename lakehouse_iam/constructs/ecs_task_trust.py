"""Trust ECS tasks of one account (and region) only."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from .._private.stack_facts import stack_facts
from ..validation import PropsCheck
from .trust import Trust


@dataclass(frozen=True, kw_only=True)
class EcsTaskTrust(Trust):
    """``ecs-tasks.amazonaws.com`` with ``aws:SourceAccount`` and ``aws:SourceArn``.

    ECS passes the account and the ARN of the task it assumes the role for; without
    these conditions any account's task definition naming this role's ARN could be
    used as a confused deputy (ECS task IAM role docs,
    https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task-iam-roles.html).
    Works for task roles and task execution roles alike.

    Example::

        DataAccessRole(stack, "TaskRole", trust=EcsTaskTrust(), grants=[...])

    :param account: account whose tasks may assume the role. Default: the stack's.
    :param region: region of those tasks. Default: the stack's.
    :param confused_deputy_protection: set ``False`` only to reproduce a bare
        service-principal trust on purpose. Default: ``True``.
    """

    account: str | None = None
    region: str | None = None
    confused_deputy_protection: bool = True

    def __post_init__(self) -> None:
        check = PropsCheck("EcsTaskTrust")
        if self.account is not None:
            check.account_id("account", self.account)
        if self.region is not None:
            check.aws_region("region", self.region)
        check.boolean("confused_deputy_protection", self.confused_deputy_protection)
        if self.confused_deputy_protection is False and (
            self.account is not None or self.region is not None
        ):
            # account and region only render the guard conditions; accepting them with the
            # guard off would suggest a scoping the trust policy does not have.
            check.exclusive(
                {
                    "account/region": self.account or self.region,
                    "confused_deputy_protection=False": True,
                },
                why="account and region scope the confused-deputy conditions, which "
                "confused_deputy_protection=False removes",
            )
        check.raise_if_any()
        check.keep_deferred(self)

    def principal(self, scope: Construct) -> iam.IPrincipal:
        principal = iam.ServicePrincipal("ecs-tasks.amazonaws.com")
        if not self.confused_deputy_protection:
            return principal
        stack = stack_facts(scope)
        account = self.account or stack.account
        region = self.region or stack.region
        return principal.with_conditions(
            {
                "StringEquals": {"aws:SourceAccount": account},
                "ArnLike": {"aws:SourceArn": f"arn:{stack.partition}:ecs:{region}:{account}:*"},
            }
        )
