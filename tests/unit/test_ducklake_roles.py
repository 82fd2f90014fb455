"""DuckLakeAccess: the vendor's permissions, corrected and split over the right roles."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest

from lakehouse_iam import DuckLakeAccess, EcsTaskTrust, IrsaTrust, PodIdentityTrust
from lakehouse_iam.vendors.ducklake import catalog as catalog
from tests.helpers import as_list, template_of

IMAGE = "709825985650.dkr.ecr.us-east-1.amazonaws.com/lokryn/ducklake:1.0.0"
ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
PROVIDER_ARN = f"arn:aws:iam::111111111111:oidc-provider/{ISSUER}"
PARTITION = {"Ref": "AWS::Partition"}
REGION = {"Ref": "AWS::Region"}
ACCOUNT = {"Ref": "AWS::AccountId"}


def join(*parts: Any) -> dict:
    return {"Fn::Join": ["", list(parts)]}


BUCKET_ARN = join("arn:", PARTITION, ":s3:::lake-bucket")
OBJECTS_ARN = join("arn:", PARTITION, ":s3:::lake-bucket/ducklake/*")
SECRET_ARN = join(
    "arn:",
    PARTITION,
    ":secretsmanager:",
    REGION,
    ":",
    ACCOUNT,
    ":secret:lokryn/ducklake/config-??????",
)
LOG_GROUP_ARN = join(
    "arn:", PARTITION, ":logs:", REGION, ":", ACCOUNT, ":log-group:/ecs/ducklake:*"
)


def render(trust, **kwargs):
    props = {"bucket": "lake-bucket", "prefix": "ducklake", "log_group": "/ecs/ducklake"}
    props.update(kwargs)
    holder = {}

    def build(stack: cdk.Stack) -> None:
        holder["ducklake"] = DuckLakeAccess(stack, "DuckLake", trust=trust, **props)

    return template_of(build), holder["ducklake"]


def role_of(template, prefix: str) -> dict:
    roles = template.find_resources("AWS::IAM::Role")
    (role,) = [r for k, r in roles.items() if k.startswith(prefix)]
    return role


def statements_of(template, prefix: str) -> dict[str, dict]:
    """Statements of the managed policies attached to the role ``prefix``..., by Sid."""
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    found = {}
    for ref in role_of(template, prefix)["Properties"].get("ManagedPolicyArns", []):
        for s in policies[ref["Ref"]]["Properties"]["PolicyDocument"]["Statement"]:
            found[s["Sid"]] = s
    return found


def actions_of(statements: dict[str, dict]) -> set[str]:
    return {a for s in statements.values() for a in as_list(s["Action"])}


@pytest.fixture(scope="module")
def ecs():
    return render(EcsTaskTrust(), image=IMAGE)


def test_task_role_statements_are_exact(ecs):
    template, _ = ecs
    assert statements_of(template, "DuckLakeTaskRole") == {
        "S3DataObjects": {
            "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "Effect": "Allow",
            "Resource": OBJECTS_ARN,
            "Sid": "S3DataObjects",
        },
        "S3DataList": {
            "Action": "s3:ListBucket",
            "Condition": {"StringLike": {"s3:prefix": ["ducklake/", "ducklake/*"]}},
            "Effect": "Allow",
            "Resource": BUCKET_ARN,
            "Sid": "S3DataList",
        },
        "S3DataBucket": {
            "Action": "s3:GetBucketLocation",
            "Effect": "Allow",
            "Resource": BUCKET_ARN,
            "Sid": "S3DataBucket",
        },
        "ConfigSecretSecret": {
            "Action": [
                "secretsmanager:DescribeSecret",
                "secretsmanager:GetResourcePolicy",
                "secretsmanager:GetSecretValue",
                "secretsmanager:ListSecretVersionIds",
            ],
            "Effect": "Allow",
            "Resource": SECRET_ARN,
            "Sid": "ConfigSecretSecret",
        },
        "ConfigSecretNoResourceLevel": {
            "Action": ["secretsmanager:BatchGetSecretValue", "secretsmanager:ListSecrets"],
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "ConfigSecretNoResourceLevel",
        },
        "ContainerLogsLogGroup": {
            "Action": [
                "logs:CreateLogGroup",
                "logs:CreateLogStream",
                "logs:DescribeLogStreams",
                "logs:PutLogEvents",
            ],
            "Effect": "Allow",
            "Resource": LOG_GROUP_ARN,
            "Sid": "ContainerLogsLogGroup",
        },
        "ContainerLogsNoResourceLevel": {
            "Action": "logs:DescribeLogGroups",
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "ContainerLogsNoResourceLevel",
        },
        "MarketplaceMetering": {
            "Action": ["aws-marketplace:MeterUsage", "aws-marketplace:RegisterUsage"],
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "MarketplaceMetering",
        },
    }


def test_execution_role_statements_are_exact(ecs):
    template, _ = ecs
    assert statements_of(template, "DuckLakeExecutionRole") == {
        "ImagePullRepository": {
            "Action": [
                "ecr:BatchCheckLayerAvailability",
                "ecr:BatchGetImage",
                "ecr:GetDownloadUrlForLayer",
            ],
            "Effect": "Allow",
            "Resource": "arn:aws:ecr:us-east-1:709825985650:repository/lokryn/ducklake",
            "Sid": "ImagePullRepository",
        },
        "ImagePullAuthorizationToken": {
            "Action": "ecr:GetAuthorizationToken",
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "ImagePullAuthorizationToken",
        },
        "AwsLogsLogGroup": {
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
            "Effect": "Allow",
            "Resource": LOG_GROUP_ARN,
            "Sid": "AwsLogsLogGroup",
        },
    }


def test_both_ecs_roles_trust_ecs_tasks_of_this_account_only(ecs):
    template, _ = ecs
    expected = {
        "Statement": [
            {
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": ACCOUNT},
                    "ArnLike": {
                        "aws:SourceArn": join(
                            "arn:", PARTITION, ":ecs:", REGION, ":", ACCOUNT, ":*"
                        )
                    },
                },
                "Effect": "Allow",
                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
            }
        ],
        "Version": "2012-10-17",
    }
    for prefix in ("DuckLakeTaskRole", "DuckLakeExecutionRole"):
        assert role_of(template, prefix)["Properties"]["AssumeRolePolicyDocument"] == expected


def test_no_ecr_on_task_role_and_no_s3_on_execution_role(ecs):
    template, _ = ecs
    task = actions_of(statements_of(template, "DuckLakeTaskRole"))
    execution = actions_of(statements_of(template, "DuckLakeExecutionRole"))
    assert not {a for a in task if a.startswith("ecr:")}
    assert not {a for a in execution if a.startswith(("s3:", "kms:", "aws-marketplace:"))}


def test_put_object_acl_is_opt_in_and_the_vendor_set_is_then_covered_exactly():
    # GIVEN put_object_acl=True (for buckets that still use ACLs)
    template, _ = render(EcsTaskTrust(), image=IMAGE, put_object_acl=True)
    task = statements_of(template, "DuckLakeTaskRole")
    assert "s3:PutObjectAcl" in task["S3DataObjects"]["Action"]
    # THEN the two roles together hold exactly the vendor page's actions, no more, less
    # what the catalog deliberately omits (with its evidence)
    granted = task | statements_of(template, "DuckLakeExecutionRole")
    omitted = {a for o in catalog.OMISSIONS for a in o.actions}
    assert omitted == {"s3:GetObjectVersion"}
    assert actions_of(granted) == {
        "aws-marketplace:MeterUsage",
        "aws-marketplace:RegisterUsage",
        "ecr:BatchCheckLayerAvailability",
        "ecr:BatchGetImage",
        "ecr:GetAuthorizationToken",
        "ecr:GetDownloadUrlForLayer",
        "logs:CreateLogGroup",
        "logs:CreateLogStream",
        "logs:DescribeLogGroups",
        "logs:DescribeLogStreams",
        "logs:PutLogEvents",
        "s3:DeleteObject",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
        "s3:PutObjectAcl",
        "secretsmanager:BatchGetSecretValue",
        "secretsmanager:DescribeSecret",
        "secretsmanager:GetResourcePolicy",
        "secretsmanager:GetSecretValue",
        "secretsmanager:ListSecretVersionIds",
        "secretsmanager:ListSecrets",
    }
    # AND that is the vendor page's list (the catalog's record of it) less the omission
    assert actions_of(granted) == set(catalog.VENDOR_TASK_ACTIONS) - omitted


def test_inject_config_secret_lets_the_execution_role_read_the_secret_only():
    key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    template, _ = render(EcsTaskTrust(), inject_config_secret=True, config_secret_kms_key=key)
    execution = statements_of(template, "DuckLakeExecutionRole")
    assert execution["InjectedSecretSecret"] == {
        "Action": "secretsmanager:GetSecretValue",
        "Effect": "Allow",
        "Resource": SECRET_ARN,
        "Sid": "InjectedSecretSecret",
    }
    assert execution["InjectedSecretKmsViaSecretsManager"]["Resource"] == key
    # no image given: no ECR permission at all
    assert not {a for a in actions_of(execution) if a.startswith("ecr:")}


def test_irsa_mode_has_one_role_and_a_ready_to_apply_manifest():
    trust = IrsaTrust(oidc_provider=PROVIDER_ARN, namespace="lake", service_account="ducklake")
    template, ducklake = render(trust)
    template.resource_count_is("AWS::IAM::Role", 1)
    assert ducklake.execution_role is None and ducklake.run_mode == "irsa"
    (trust_statement,) = role_of(template, "DuckLakeTaskRole")["Properties"][
        "AssumeRolePolicyDocument"
    ]["Statement"]
    assert trust_statement["Condition"] == {
        "StringEquals": {
            f"{ISSUER}:aud": "sts.amazonaws.com",
            f"{ISSUER}:sub": "system:serviceaccount:lake:ducklake",
        }
    }
    # the same grants as on ECS
    assert "ecr:GetAuthorizationToken" not in actions_of(statements_of(template, "DuckLake"))
    stack = cdk.Stack.of(ducklake)
    role_arn = stack.resolve(ducklake.task_role_arn)
    manifest = stack.resolve(ducklake.service_account_manifest())
    parts = manifest["Fn::Join"][1]
    assert parts[1] == role_arn
    assert json.loads(parts[0] + "ROLE" + parts[2]) == {
        "apiVersion": "v1",
        "kind": "ServiceAccount",
        "metadata": {
            "name": "ducklake",
            "namespace": "lake",
            "annotations": {"eks.amazonaws.com/role-arn": "ROLE"},
        },
    }
    yaml = stack.resolve(ducklake.service_account_manifest(output_format="yaml"))["Fn::Join"][1]
    assert yaml[0].startswith("apiVersion: v1\nkind: ServiceAccount\n")
    assert yaml[0].endswith("  annotations:\n    eks.amazonaws.com/role-arn: ")


def test_pod_identity_mode_has_one_role_and_its_association():
    trust = PodIdentityTrust(
        cluster_name="lake", namespace="lake", service_account="ducklake", create_association=True
    )
    template, ducklake = render(trust)
    template.resource_count_is("AWS::IAM::Role", 1)
    template.resource_count_is("AWS::EKS::PodIdentityAssociation", 1)
    assert ducklake.run_mode == "pod-identity"
    (statement,) = role_of(template, "DuckLakeTaskRole")["Properties"]["AssumeRolePolicyDocument"][
        "Statement"
    ]
    assert statement["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    with pytest.raises(ValueError, match="service_account_manifest\\(\\) is for the IRSA"):
        ducklake.service_account_manifest()


@pytest.mark.parametrize(
    ("props", "bad"),
    [
        ({"image": IMAGE}, "image="),
        ({"inject_config_secret": True}, "inject_config_secret=True"),
        ({"execution_role_name": "x"}, "execution_role_name='x'"),
    ],
)
def test_execution_role_props_are_rejected_on_eks(props, bad):
    trust = PodIdentityTrust(cluster_name="lake")
    with pytest.raises(ValueError, match="only ECS has a task execution role") as raised:
        render(trust, **props)
    assert bad in str(raised.value)


@pytest.mark.parametrize(
    ("props", "match"),
    [
        ({"trust": "ecs"}, "trust='ecs'"),
        ({"config_secret": "arn:aws:secretsmanager:*:*:secret:secret:lokryn/x*"}, "secret="),
        ({"config_secret": "lokryn/ducklake/config*"}, "secret="),
        ({"log_group": "/ecs/*"}, "log_group="),
        ({"image": "709825985650.dkr.ecr.us-east-1.amazonaws.com/Bad:1"}, "image="),
        ({"bucket": "Lake_Bucket"}, "bucket="),
    ],
)
def test_bad_input_raises_value_error(props, match):
    trust = props.pop("trust", EcsTaskTrust())
    with pytest.raises(ValueError, match=match):
        render(trust, **props)
