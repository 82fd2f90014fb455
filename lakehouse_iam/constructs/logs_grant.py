"""CloudWatch Logs access on one log group."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, ClassVar

from constructs import Construct

from .._private.cfn_reference import flatten_cfn_reference
from .._private.stack_facts import stack_facts
from .._private.token_forms import reference_kind
from ..catalog import logs as logs_catalog
from ..catalog.logs import LogsScope
from ..validation import PropsCheck, check_partitions, is_token
from .service_grant import ServiceActionsGrant

if TYPE_CHECKING:
    from aws_cdk import aws_logs as logs


@dataclass(frozen=True, kw_only=True)
class LogsGrant(ServiceActionsGrant):
    """Exact CloudWatch Logs actions on one log group.

    Renders up to two statements:

    * ``<Sid>LogGroup``: log-group and log-stream actions on
      ``arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME:*`` (the form CloudWatch Logs
      documents for IAM policies; the ``:*`` covers the group's streams, which
      ``CreateLogStream``/``PutLogEvents`` are authorized against);
    * ``<Sid>NoResourceLevel``: actions with no resource type (``DescribeLogGroups``) on
      ``*``, each with the reason from :mod:`lakehouse_iam.catalog.logs`.

    Example::

        LogsGrant(log_group="/ecs/ducklake", actions=["logs:CreateLogStream", "logs:PutLogEvents"])

    :param log_group: the log group name, its ARN (with or without ``:*``) or a
        ``logs.ILogGroup`` (also of another stack). A token string must be one
        lakehouse-iam can tell (``log_group.log_group_name``, ``log_group.log_group_arn``);
        otherwise pass an ``ILogGroup`` (``LogGroup.from_log_group_name(...)``).
    :param actions: exact actions from :data:`lakehouse_iam.catalog.logs.LOGS_ACTION_SCOPES`.
        Default: what the ECS ``awslogs`` driver needs (CreateLogStream, PutLogEvents).
    :param region: region of a log group given by name. Default: the stack's.
    :param account: account of a log group given by name. Default: the stack's.
    :param name: stable alphanumeric name for the policy and Sids. Default: ``Logs``.
    """

    SERVICE: ClassVar[str] = "CloudWatch Logs"
    ACTION_SCOPES = logs_catalog.LOGS_ACTION_SCOPES
    SCOPED = LogsScope.LOG_GROUP
    UNSCOPED = LogsScope.NONE
    NO_RESOURCE_REASONS = logs_catalog.NO_RESOURCE_LEVEL_REASONS
    SCOPED_SID = "LogGroup"

    log_group: str | logs.ILogGroup
    actions: Sequence[str] = logs_catalog.AWSLOGS_DRIVER
    region: str | None = None
    account: str | None = None
    name: str = "Logs"
    _ilog_group_arn: str = field(init=False, repr=False, compare=False, default="")
    _string_arn: str = field(init=False, repr=False, compare=False, default="")

    def _check(self, check: PropsCheck) -> None:
        form = check.log_group("log_group", self.log_group)
        if form == "arn" and isinstance(self.log_group, str):
            # CloudFormation's Arn attribute of a log group already ends in ':*'; any other
            # ARN gets it appended, so the grant covers the group's log streams.
            whole = self.log_group.endswith(":*") or (
                is_token(self.log_group) and reference_kind(self.log_group) == "log group ARN"
            )
            object.__setattr__(
                self, "_string_arn", self.log_group if whole else f"{self.log_group}:*"
            )
        if self.account is not None:
            check.account_id("account", self.account)
        if self.region is not None:
            check.aws_region("region", self.region)

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "CloudWatch Logs access to one log group"

    def log_group_arn(self, scope: Construct) -> str:
        """``arn:PARTITION:logs:REGION:ACCOUNT:log-group:NAME:*`` for ``scope``'s stack."""
        if not isinstance(self.log_group, str):
            # CloudFormation's Arn already ends in :*; one stable token, fetched once.
            if not self._ilog_group_arn:
                object.__setattr__(self, "_ilog_group_arn", self.log_group.log_group_arn)
            return self._ilog_group_arn
        if self._string_arn:
            return self._string_arn
        stack = stack_facts(scope)
        region = self.region or stack.region
        account = self.account or stack.account
        return f"arn:{stack.partition}:logs:{region}:{account}:log-group:{self.log_group}:*"

    def resource_arn(self, scope: Construct) -> str:
        check_partitions("LogsGrant", stack_facts(scope), {"log_group": self.log_group})
        return self.log_group_arn(scope)

    def resource_wildcard_reason(self, scope: Construct) -> str | None:
        # An ILogGroup's ARN is a Fn::GetAtt: its ':*' is only visible at deploy time, so
        # cdk-nag reports (and this grant acknowledges) only a literal ':*'.
        if not _shows_wildcard(scope, self.log_group_arn(scope)):
            return None
        return (
            "CloudWatch Logs names a log group in IAM policies as log-group:NAME:* "
            "(documented form; the :* covers the group's log streams, whose names the "
            "writer chooses at run time); only "
            f"{', '.join(self.actions_in(LogsScope.LOG_GROUP))} are granted on this one log group."
        )


def _shows_wildcard(scope: Construct, resource: str) -> bool:
    """True when ``resource``, as cdk-nag flattens it, contains a ``*``."""
    return "*" in flatten_cfn_reference(stack_facts(scope).resolve(resource))
