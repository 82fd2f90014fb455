"""Inputs of another partition (or a KMS key of another region) fail at construction.

A stack's partition is known when its region is (``env``); an env-agnostic stack's is a
deploy-time ``${AWS::Partition}``, and nothing can be checked there (documented).
"""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from lakehouse_iam import (
    CrossAccountTrust,
    DataAccessRole,
    DuckLakeAccess,
    EcsTaskTrust,
    IrsaTrust,
    RisingWaveAccess,
    S3Grant,
    S3Location,
    SseKmsGrant,
)
from tests.helpers import make_app

CHINA = cdk.Environment(region="cn-north-1", account="111111111111")
GOV = cdk.Environment(region="us-gov-west-1", account="111111111111")
AWS_ROLE = "arn:aws:iam::222222222222:role/risingwave-workload"
CN_ROLE = "arn:aws-cn:iam::222222222222:role/risingwave-workload"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"


def stack_in(env: cdk.Environment | None) -> cdk.Stack:
    return cdk.Stack(make_app(), "Stack", env=env)


def test_an_aws_principal_in_a_china_stack_fails_naming_both_partitions():
    # GIVEN a cn-north-1 stack WHEN the trusted role is an arn:aws: ARN
    with pytest.raises(ValueError) as error:
        RisingWaveAccess(
            stack_in(CHINA), "RW", workload_identity_role_arn=AWS_ROLE, bucket="lake-bucket"
        )
    message = str(error.value)
    # THEN the error names the prop, the stack's partition and region, and the value's
    assert "RisingWaveAccess at Stack/RW" in message
    assert "workload_identity_role_arn=" in message
    assert "partition 'aws-cn'" in message and "cn-north-1" in message and "'aws'" in message


def test_the_same_principal_in_its_own_partition_is_accepted():
    RisingWaveAccess(stack_in(CHINA), "RW", workload_identity_role_arn=CN_ROLE, bucket="lake")


def test_an_env_agnostic_stack_cannot_check_and_accepts_any_partition():
    # The partition is ${AWS::Partition} until deploy time (documented limitation).
    RisingWaveAccess(stack_in(None), "RW", workload_identity_role_arn=CN_ROLE, bucket="lake")


@pytest.mark.parametrize(
    "build",
    [
        lambda s: DataAccessRole(
            s,
            "Role",
            trust=CrossAccountTrust(role_arn=AWS_ROLE, require_external_id=False),
        ),
        lambda s: DataAccessRole(
            s,
            "Role",
            trust=EcsTaskTrust(),
            grants=[
                S3Grant(location=S3Location(bucket="arn:aws:s3:::lake"), actions=["s3:GetObject"])
            ],
        ),
        lambda s: DataAccessRole(
            s,
            "Role",
            trust=EcsTaskTrust(),
            grants=[SseKmsGrant(key=f"arn:aws:kms:us-gov-west-1:111111111111:key/{KEY_ID}")],
        ),
        lambda s: DataAccessRole(
            s,
            "Role",
            trust=IrsaTrust(
                oidc_provider="https://oidc.eks.us-east-1.amazonaws.com/id/ABC",
                namespace="a",
                service_account="b",
            ),
        ),
        lambda s: DuckLakeAccess(
            s,
            "DuckLake",
            trust=EcsTaskTrust(),
            bucket="lake",
            log_group="/ecs/ducklake",
            image="709825985650.dkr.ecr.us-east-1.amazonaws.com/lokryn/ducklake:1",
        ),
    ],
    ids=["trusted role", "bucket ARN", "key ARN", "OIDC issuer", "ECR image"],
)
def test_every_arn_like_input_is_checked_against_the_partition(build):
    # GIVEN an aws-us-gov stack and an input of the aws partition THEN construction fails
    with pytest.raises(ValueError, match="partition 'aws-us-gov'"):
        build(stack_in(GOV))


def test_a_kms_key_of_another_region_than_the_stack_fails():
    stack = stack_in(cdk.Environment(region="eu-west-1"))
    with pytest.raises(ValueError, match=r"a key in eu-west-1 .*S3 uses an SSE-KMS key"):
        DataAccessRole(
            stack,
            "Role",
            trust=EcsTaskTrust(),
            grants=[SseKmsGrant(key=f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}")],
        )


def test_a_bucket_and_key_of_another_stack_and_region_set_kms_via_service_to_their_region():
    # GIVEN storage in eu-west-1 consumed from a us-east-1 stack (cross-region references)
    app = make_app()
    west = cdk.Stack(app, "West", env=cdk.Environment(region="eu-west-1", account="111111111111"))
    key = kms.Key(west, "Key", enable_key_rotation=True)
    bucket = s3.Bucket(west, "Bucket", encryption_key=key)
    east = cdk.Stack(
        app,
        "East",
        env=cdk.Environment(region="us-east-1", account="111111111111"),
        cross_region_references=True,
    )
    RisingWaveAccess(east, "RW", workload_identity_role_arn=AWS_ROLE, bucket=bucket, kms_key=key)
    # THEN kms:ViaService is the bucket's region, where S3 calls KMS
    template = cdk.assertions.Template.from_stack(east)
    template.has_resource_properties(
        "AWS::IAM::ManagedPolicy",
        {
            "PolicyDocument": {
                "Statement": [
                    cdk.assertions.Match.object_like(
                        {
                            "Condition": cdk.assertions.Match.object_like(
                                {"StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}}
                            )
                        }
                    )
                ]
            }
        },
    )


def test_a_bucket_and_a_key_of_different_regions_fail():
    app = make_app()
    west = cdk.Stack(app, "West", env=cdk.Environment(region="eu-west-1", account="111111111111"))
    bucket = s3.Bucket(west, "Bucket", bucket_name="lake-west")
    east = cdk.Stack(app, "East", env=cdk.Environment(region="us-east-1", account="111111111111"))
    key = kms.Key(east, "Key", enable_key_rotation=True)
    # THEN the key of us-east-1 is refused for the eu-west-1 bucket
    with pytest.raises(ValueError, match=r"key=.*expected a key in eu-west-1"):
        RisingWaveAccess(
            east, "RW", workload_identity_role_arn=AWS_ROLE, bucket=bucket, kms_key=key
        )
