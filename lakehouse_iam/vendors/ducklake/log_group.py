"""A KMS-encrypted log group with retention, for the DuckLake example stacks."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from constructs import Construct

from ..._private.stack_facts import stack_facts
from ...validation import PropsCheck

RETENTION_DAYS: tuple[int, ...] = (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545)
RETENTION_DAYS += (731, 1096, 1827, 2192, 2557, 2922, 3288, 3653)
"""The values CloudWatch Logs accepts for ``RetentionInDays``."""

# The exact actions CloudWatch Logs uses on a log group's key
# (https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html).
# The guide's kms:Describe* sits under the same encryption-context condition, which
# kms:DescribeKey never carries, so it could never be allowed there: left out.
LOGS_KEY_ACTIONS = (
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
)


class DuckLakeExampleLogGroup(Construct):
    """The container's log group: named, retained for ``retention_days``, KMS-encrypted.

    The key (with rotation) lets only CloudWatch Logs of this account and region use it,
    and only for this log group (``kms:EncryptionContext:aws:logs:arn``). The name is
    fixed so the key policy can name the log group's ARN without a circular reference.

    :param log_group_name: the log group name.
    :param retention_days: one of :data:`RETENTION_DAYS`.
    """

    def __init__(
        self, scope: Construct, id: str, *, log_group_name: str, retention_days: int
    ) -> None:
        super().__init__(scope, id)
        check = PropsCheck("DuckLakeExampleLogGroup", at=self)
        check.log_group_name("log_group_name", log_group_name)
        if retention_days not in RETENTION_DAYS:
            check.add("retention_days", retention_days, f"one of {RETENTION_DAYS}")
        check.raise_if_any()
        stack = stack_facts(self)
        arn = (
            f"arn:{stack.partition}:logs:{stack.region}:{stack.account}:log-group:{log_group_name}"
        )
        self.key = kms.Key(
            self,
            "Key",
            enable_key_rotation=True,
            description=f"Encrypts the log group {log_group_name}",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.key.add_to_resource_policy(
            iam.PolicyStatement(
                sid="CloudWatchLogsForThisLogGroup",
                principals=[iam.ServicePrincipal(f"logs.{stack.region}.amazonaws.com")],
                actions=list(LOGS_KEY_ACTIONS),
                resources=["*"],  # in a key policy, '*' is this key
                # Encryption-context keys are strings (no Arn* operators); the value is
                # this log group's exact ARN.
                conditions={"StringEquals": {"kms:EncryptionContext:aws:logs:arn": arn}},
            )
        )
        self.log_group = logs.LogGroup(
            self,
            "LogGroup",
            log_group_name=log_group_name,
            encryption_key=self.key,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        cfn = self.log_group.node.default_child
        assert isinstance(cfn, logs.CfnLogGroup)
        cfn.retention_in_days = retention_days
