"""Amazon CloudWatch Logs actions: what each one is authorized against.

From the Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html)
and the CloudWatch Logs access-control overview
(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/iam-access-control-overview-cwl.html):
a log group is named in IAM policies as ``arn:...:log-group:NAME:*`` for every action
except TagResource, UntagResource and ListTagsForResource; the trailing ``:*`` also
covers the group's log streams (``log-group:NAME:log-stream:STREAM``), which
``logs:CreateLogStream`` and ``logs:PutLogEvents`` are authorized against.
``logs:DescribeLogGroups`` has no resource type at all and needs ``*``.
"""

from __future__ import annotations

from enum import Enum

from .evidence import Need, aws_doc, engine


class LogsScope(Enum):
    """What a CloudWatch Logs action is authorized against."""

    LOG_GROUP = "log-group"
    """The log group and its streams: ``arn:...:log-group:NAME:*``."""
    NONE = "none"
    """No resource-level permission: the statement needs ``Resource: *``."""


LOGS_ACTION_SCOPES: dict[str, LogsScope] = {
    "logs:CreateLogGroup": LogsScope.LOG_GROUP,
    "logs:CreateLogStream": LogsScope.LOG_GROUP,
    "logs:DescribeLogStreams": LogsScope.LOG_GROUP,
    "logs:PutLogEvents": LogsScope.LOG_GROUP,
    "logs:DescribeLogGroups": LogsScope.NONE,
}

NO_RESOURCE_LEVEL_REASONS: dict[str, str] = {
    "logs:DescribeLogGroups": (
        "logs:DescribeLogGroups has no resource type in the Service Authorization Reference, "
        "so it can only be granted on '*'; it returns log group names and settings of the "
        "account and region, never log events."
    ),
}
"""Why each action with no resource-level permission is granted on ``*``."""

AWSLOGS_DRIVER: tuple[str, ...] = ("logs:CreateLogStream", "logs:PutLogEvents")
"""What the ECS ``awslogs`` log driver needs on the task execution role, for a log group
that already exists (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html)."""


def scope_of(action: str) -> LogsScope:
    """The resource scope of a CloudWatch Logs action; ``KeyError`` for an unknown action."""
    return LOGS_ACTION_SCOPES[action]


AWSLOGS_DRIVER_EVIDENCE = Need(
    actions=AWSLOGS_DRIVER,
    why=(
        "the awslogs driver creates the task's stream <prefix>/<container>/<task id> in the "
        "existing group and puts the container's output into it"
    ),
    sources=(
        engine(
            "moby/moby daemon/logger/awslogs/cloudwatchlogs.go"
            "@b985e2313a8676e18072b442911fc8f64f17d440",
            "createLogStream, putLogEvents",
        ),
        aws_doc(
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html",
            "the task execution role needs logs:CreateLogStream and logs:PutLogEvents",
        ),
    ),
)
"""Why the task execution role gets :data:`AWSLOGS_DRIVER`."""
