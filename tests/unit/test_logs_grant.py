"""LogsGrant: log-group actions on one log group, DescribeLogGroups alone on '*'."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_logs as logs

from lakehouse_iam import DataAccessRole, EcsTaskTrust, LogsGrant
from lakehouse_iam.nag import acknowledged_findings
from tests.helpers import all_statements, template_of

GROUP_ARN = {
    "Fn::Join": [
        "",
        [
            "arn:",
            {"Ref": "AWS::Partition"},
            ":logs:",
            {"Ref": "AWS::Region"},
            ":",
            {"Ref": "AWS::AccountId"},
            ":log-group:/ecs/ducklake:*",
        ],
    ]
}


def render(grant: LogsGrant):
    holder = {}

    def build(stack: cdk.Stack) -> None:
        holder["role"] = DataAccessRole(stack, "Role", trust=EcsTaskTrust(), grants=[grant])

    return template_of(build), holder["role"]


def test_default_is_what_awslogs_needs_on_the_log_group_only():
    template, _ = render(LogsGrant(log_group="/ecs/ducklake", name="AwsLogs"))
    assert all_statements(template) == [
        {
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": GROUP_ARN,
            "Sid": "AwsLogsLogGroup",
        }
    ]


def test_describe_log_groups_is_the_only_action_on_star():
    grant = LogsGrant(
        log_group="/ecs/ducklake",
        actions=["logs:PutLogEvents", "logs:DescribeLogGroups", "logs:CreateLogGroup"],
    )
    template, role = render(grant)
    assert all_statements(template) == [
        {
            "Action": ["logs:CreateLogGroup", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": GROUP_ARN,
            "Sid": "LogsLogGroup",
        },
        {
            "Action": "logs:DescribeLogGroups",
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "LogsNoResourceLevel",
        },
    ]
    # AND both wildcards are acknowledged exactly, with the reason
    acks = acknowledged_findings(role.policies["Logs"].node.default_child)
    assert set(acks) == {
        "AwsSolutions-IAM5[Resource::*]",
        "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:logs:<AWS::Region>:"
        "<AWS::AccountId>:log-group:/ecs/ducklake:*]",
    }
    assert "no resource type" in acks["AwsSolutions-IAM5[Resource::*]"]


def test_log_group_object_and_arn_forms():
    def build(stack: cdk.Stack) -> None:
        group = logs.LogGroup(stack, "Group", retention=logs.RetentionDays.ONE_WEEK)
        DataAccessRole(
            stack, "A", trust=EcsTaskTrust(), grants=[LogsGrant(log_group=group, name="Obj")]
        )
        DataAccessRole(
            stack,
            "B",
            trust=EcsTaskTrust(),
            grants=[
                LogsGrant(log_group="arn:aws:logs:eu-west-1:111111111111:log-group:/x", name="Arn")
            ],
        )

    statements = {s["Sid"]: s for s in all_statements(template_of(build))}
    group_id = next(k for k in statements["ObjLogGroup"]["Resource"]["Fn::GetAtt"][:1])
    assert statements["ObjLogGroup"]["Resource"] == {"Fn::GetAtt": [group_id, "Arn"]}
    # an ARN without ':*' gets it, so the group's streams are covered
    assert (
        statements["ArnLogGroup"]["Resource"]
        == "arn:aws:logs:eu-west-1:111111111111:log-group:/x:*"
    )


@pytest.mark.parametrize(
    ("props", "bad"),
    [
        ({"log_group": "/ecs/*"}, "log_group='/ecs/*'"),
        ({"log_group": ""}, "log_group=''"),
        ({"actions": ["logs:*"]}, "actions='logs:*'"),
        ({"actions": ["logs:DeleteLogGroup"]}, "actions='logs:DeleteLogGroup'"),
        ({"account": "1"}, "account='1'"),
    ],
)
def test_bad_props_raise_value_error(props, bad):
    with pytest.raises(ValueError, match="LogsGrant: invalid properties") as raised:
        LogsGrant(**{"log_group": "/ecs/ducklake", **props})
    assert bad in str(raised.value)
