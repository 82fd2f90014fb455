"""The DuckLake example stacks: how the roles are wired into ECS and EKS."""

from __future__ import annotations

import json

import pytest


def of_type(template: dict, kind: str) -> dict[str, dict]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def role_id(template: dict, prefix: str) -> str:
    (found,) = [k for k in of_type(template, "AWS::IAM::Role") if k.startswith(prefix)]
    return found


@pytest.fixture(scope="module")
def ecs(example_templates):
    return example_templates["LakehouseIam-DuckLakeEcs"]


def test_fargate_task_definition_uses_both_roles_and_awslogs(ecs):
    (task,) = of_type(ecs, "AWS::ECS::TaskDefinition").values()
    props = task["Properties"]
    # GIVEN the example WHEN synthesized THEN the task definition names the two roles
    assert props["TaskRoleArn"] == {"Fn::GetAtt": [role_id(ecs, "DuckLakeTaskRole"), "Arn"]}
    assert props["ExecutionRoleArn"] == {
        "Fn::GetAtt": [role_id(ecs, "DuckLakeExecutionRole"), "Arn"]
    }
    assert props["RequiresCompatibilities"] == ["FARGATE"]
    (container,) = props["ContainerDefinitions"]
    assert container["Image"].startswith("709825985650.dkr.ecr.us-east-1.amazonaws.com/")
    (group_id,) = of_type(ecs, "AWS::Logs::LogGroup")
    assert container["LogConfiguration"]["LogDriver"] == "awslogs"
    assert container["LogConfiguration"]["Options"]["awslogs-group"] == {"Ref": group_id}


def test_log_group_has_retention_and_its_own_key(ecs):
    (group,) = of_type(ecs, "AWS::Logs::LogGroup").values()
    assert group["Properties"]["RetentionInDays"] == 365
    assert "KmsKeyId" in group["Properties"]


def test_cdk_added_no_inline_policy_to_the_roles(ecs):
    # aws-cdk's awslogs grantWrite / image pull would add a DefaultPolicy; the roles are
    # passed with without_policy_updates(), so only the managed policies exist.
    assert of_type(ecs, "AWS::IAM::Policy") == {}


def test_irsa_stack_outputs_the_service_account_manifest(example_templates):
    template = example_templates["LakehouseIam-DuckLakeIrsa"]
    parts = template["Outputs"]["ServiceAccountManifest"]["Value"]["Fn::Join"][1]
    manifest = json.loads(parts[0] + "ROLE" + parts[2])
    assert manifest["metadata"]["annotations"] == {"eks.amazonaws.com/role-arn": "ROLE"}
    assert parts[1] == {"Fn::GetAtt": [role_id(template, "DuckLakeTaskRole"), "Arn"]}
    # no cluster and no OIDC provider is created
    assert not of_type(template, "AWS::EKS::Cluster")
    assert not of_type(template, "Custom::AWSCDKOpenIdConnectProvider")
    assert not of_type(template, "Custom::AWSCDKCfnJson")


def test_pod_identity_stack_creates_the_association_only(example_templates):
    template = example_templates["LakehouseIam-DuckLakePodIdentity"]
    assert not of_type(template, "AWS::EKS::Cluster")
    (association,) = of_type(template, "AWS::EKS::PodIdentityAssociation").values()
    assert association["Properties"]["RoleArn"] == {
        "Fn::GetAtt": [role_id(template, "DuckLakeTaskRole"), "Arn"]
    }
    assert set(template["Outputs"]) == {"RoleArn", "PodIdentityAssociationArn"}
