"""ECS, EC2 and role-chaining trusts: guard conditions on by default."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import DataAccessRole, Ec2InstanceTrust, EcsTaskTrust, RoleTrust
from tests.helpers import template_of, trust_statements

ACCOUNT = {"Ref": "AWS::AccountId"}


def trust_of(trust) -> list[dict]:
    return trust_statements(template_of(lambda s: DataAccessRole(s, "Role", trust=trust)))


def test_ecs_task_trust_has_source_account_and_source_arn_by_default():
    assert trust_of(EcsTaskTrust()) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {
                    "aws:SourceArn": {
                        "Fn::Join": [
                            "",
                            [
                                "arn:",
                                {"Ref": "AWS::Partition"},
                                ":ecs:",
                                {"Ref": "AWS::Region"},
                                ":",
                                ACCOUNT,
                                ":*",
                            ],
                        ]
                    }
                },
            },
            "Effect": "Allow",
            "Principal": {"Service": "ecs-tasks.amazonaws.com"},
        }
    ]


def test_ecs_task_trust_explicit_account_and_region():
    (s,) = trust_of(EcsTaskTrust(account="111111111111", region="eu-west-1"))
    assert s["Condition"]["StringEquals"] == {"aws:SourceAccount": "111111111111"}
    arn = s["Condition"]["ArnLike"]["aws:SourceArn"]["Fn::Join"][1]
    assert arn == ["arn:", {"Ref": "AWS::Partition"}, ":ecs:eu-west-1:111111111111:*"]


def test_ecs_task_trust_opt_out_is_explicit():
    (s,) = trust_of(EcsTaskTrust(confused_deputy_protection=False))
    assert "Condition" not in s


def test_ecs_task_trust_rejects_bad_account():
    with pytest.raises(ValueError, match="account='1234'"):
        EcsTaskTrust(account="1234")


def test_ec2_trust_creates_an_instance_profile():
    template = template_of(lambda s: DataAccessRole(s, "Role", trust=Ec2InstanceTrust()))
    template.resource_count_is("AWS::IAM::InstanceProfile", 1)
    (s,) = trust_statements(template)
    assert s["Principal"] == {"Service": "ec2.amazonaws.com"}


def test_role_trust_is_exact_at_both_ends():
    # GIVEN a cluster role and a data role trusting it
    def build(stack: cdk.Stack) -> None:
        cluster = DataAccessRole(stack, "Cluster", trust=Ec2InstanceTrust())
        DataAccessRole(stack, "Data", trust=RoleTrust(role=cluster.role))

    template = template_of(build)
    roles = template.find_resources("AWS::IAM::Role")
    data = next(v for k, v in roles.items() if k.startswith("Data"))
    cluster_id = next(k for k in roles if k.startswith("Cluster"))
    # THEN the data role trusts exactly the cluster role
    assert data["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::GetAtt": [cluster_id, "Arn"]}},
        }
    ]
    # AND the cluster role may assume exactly the data role, via a managed policy
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    (assume,) = [p for k, p in policies.items() if "AssumePolicy" in k]
    data_id = next(k for k in roles if k.startswith("Data"))
    assert assume["Properties"]["PolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Resource": {"Fn::GetAtt": [data_id, "Arn"]},
            "Sid": "AssumeDataRole",
        }
    ]
    assert assume["Properties"]["Roles"] == [{"Ref": cluster_id}]


def test_role_trust_with_external_id():
    (s,) = trust_of(RoleTrust(role="arn:aws:iam::333333333333:role/cluster", external_id="sr-1"))
    assert s["Condition"] == {"StringEquals": {"sts:ExternalId": "sr-1"}}
    assert s["Principal"] == {"AWS": "arn:aws:iam::333333333333:role/cluster"}


def test_role_trust_rejects_account_root():
    with pytest.raises(ValueError, match="role="):
        RoleTrust(role="arn:aws:iam::333333333333:root")
