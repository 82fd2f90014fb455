"""EcrPullGrant: pull actions on the repository ARN, the auth token alone on '*'."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ecr as ecr

from lakehouse_iam import DataAccessRole, EcrPullGrant, EcsTaskTrust
from lakehouse_iam.constructs.ecr_grant import repository_arn_of_image
from lakehouse_iam.nag import acknowledged_findings
from tests.helpers import all_statements, template_of

IMAGE = "709825985650.dkr.ecr.us-east-1.amazonaws.com/lokryn/ducklake:1.2.3"
REPOSITORY_ARN = "arn:aws:ecr:us-east-1:709825985650:repository/lokryn/ducklake"
PULL = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]


def test_image_uri_grants_pull_on_its_repository_only():
    holder = {}

    def build(stack: cdk.Stack) -> None:
        holder["role"] = DataAccessRole(
            stack, "Role", trust=EcsTaskTrust(), grants=[EcrPullGrant(repository=IMAGE)]
        )

    template = template_of(build)
    assert all_statements(template) == [
        {"Action": PULL, "Effect": "Allow", "Resource": REPOSITORY_ARN, "Sid": "EcrPullRepository"},
        {
            "Action": "ecr:GetAuthorizationToken",
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "EcrPullAuthorizationToken",
        },
    ]
    assert list(acknowledged_findings(holder["role"].policies["EcrPull"].node.default_child)) == [
        "AwsSolutions-IAM5[Resource::*]"
    ]


def test_repository_object():
    def build(stack: cdk.Stack) -> None:
        repo = ecr.Repository.from_repository_name(stack, "Repo", "team/app")
        DataAccessRole(stack, "Role", trust=EcsTaskTrust(), grants=[EcrPullGrant(repository=repo)])

    (repository, _) = all_statements(template_of(build))
    assert repository["Resource"] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":ecr:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":repository/team/app",
            ],
        ]
    }


@pytest.mark.parametrize(
    ("image", "arn"),
    [
        (IMAGE, REPOSITORY_ARN),
        (
            "111111111111.dkr.ecr.cn-north-1.amazonaws.com.cn/app@sha256:" + "a" * 64,
            "arn:aws-cn:ecr:cn-north-1:111111111111:repository/app",
        ),
        (
            "111111111111.dkr.ecr.us-gov-west-1.amazonaws.com/app",
            "arn:aws-us-gov:ecr:us-gov-west-1:111111111111:repository/app",
        ),
    ],
)
def test_repository_arn_of_image(image, arn):
    assert repository_arn_of_image(image) == arn


@pytest.mark.parametrize(
    "repository",
    [
        "public.ecr.aws/lokryn/ducklake:1",
        "arn:aws:ecr:us-east-1:709825985650:repository/*",
        "arn:aws:ecr:us-east-1:709825985650:repository/Lokryn",
        "709825985650.dkr.ecr.us-east-1.amazonaws.com/lokryn/ducklake:bad tag",
    ],
)
def test_bad_repository_raises_value_error(repository):
    with pytest.raises(ValueError, match=r"EcrPullGrant: invalid properties:\n  - repository="):
        EcrPullGrant(repository=repository)
