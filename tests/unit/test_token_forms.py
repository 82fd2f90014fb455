"""No guessing about a token: the right ARN when its form is known, a ValueError otherwise.

Each prop that takes a name or an ARN (bucket, secret, log group, image, OIDC provider)
gets an ARN token, a name token and a token nothing identifies; each ARN prop (role,
key) gets a token known to be something else. The construct forms (``IBucket``,
``ISecret``, ``ILogGroup``, ``IRepository``, ``IRole``, ``IKey``,
``IOpenIdConnectProvider``) are accepted everywhere.
"""

from __future__ import annotations

import json
import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager

from lakehouse_iam import (
    CrossAccountTrust,
    DataAccessRole,
    DuckLakeAccess,
    EcsTaskTrust,
    IrsaTrust,
    QualyticsDatastoreAccess,
    RisingWaveAccess,
    S3Grant,
    S3Location,
    SecretsGrant,
)
from tests.helpers import make_app

WORKLOAD = "arn:aws:iam::222222222222:role/risingwave-workload"


@pytest.fixture
def stack() -> cdk.Stack:
    return cdk.Stack(make_app(), "Stack")


def resolved_statements(stack: cdk.Stack) -> dict[str, dict]:
    """Every managed-policy statement of ``stack`` by Sid, resolved in the stack."""
    template = cdk.assertions.Template.from_stack(stack).to_json()
    return {
        s["Sid"]: s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::ManagedPolicy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    }


def logical_id(stack: cdk.Stack, construct: object) -> str:
    """The logical ID of ``construct``'s CloudFormation resource in ``stack``."""
    child = construct.node.default_child  # type: ignore[attr-defined]
    return str(stack.resolve(stack.get_logical_id(child)))


def joined(value: object) -> str:
    """A resolved ``Fn::Join`` as text, references as ``<Ref>``/``<Id.Attr>``."""
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and "Fn::Join" in value:
        return "".join(joined(v) for v in value["Fn::Join"][1])
    if isinstance(value, dict) and "Ref" in value:
        return f"<{value['Ref']}>"
    if isinstance(value, dict) and "Fn::GetAtt" in value:
        return "<{}.{}>".format(*value["Fn::GetAtt"])
    return json.dumps(value)


# -- a bucket ARN token where a name was assumed --------------------------------------


def test_bucket_arn_token_renders_the_arn_not_arn_of_the_arn(stack):
    # GIVEN bucket=bucket.bucket_arn (a token the library used to read as a name)
    bucket = s3.Bucket(stack, "Lake")
    RisingWaveAccess(
        stack, "RW", workload_identity_role_arn=WORKLOAD, bucket=bucket.bucket_arn, prefix="rw"
    )
    # THEN the object ARN is the bucket ARN + /rw/*, not arn:...:s3:::<ARN>/rw/*
    objects = joined(resolved_statements(stack)["S3DataObjects"]["Resource"])
    assert objects == f"<{logical_id(stack, bucket)}.Arn>/rw/*"


def test_bucket_name_token_renders_an_arn_from_the_name(stack):
    bucket = s3.Bucket(stack, "Lake")
    RisingWaveAccess(
        stack, "RW", workload_identity_role_arn=WORKLOAD, bucket=bucket.bucket_name, prefix="rw"
    )
    objects = joined(resolved_statements(stack)["S3DataObjects"]["Resource"])
    assert objects == f"arn:<AWS::Partition>:s3:::<{logical_id(stack, bucket)}>/rw/*"


@pytest.mark.parametrize(
    "make",
    [
        lambda s: cdk.CfnParameter(s, "Bucket").value_as_string,
        lambda s: cdk.Fn.import_value("LakeBucket"),
        lambda s: cdk.Fn.join("", ["lake", cdk.Aws.ACCOUNT_ID]),
    ],
    ids=["CfnParameter", "Fn.import_value", "Fn.join"],
)
def test_a_bucket_token_nothing_identifies_is_a_value_error_naming_the_ibucket_forms(stack, make):
    with pytest.raises(ValueError) as error:
        RisingWaveAccess(stack, "RW", workload_identity_role_arn=WORKLOAD, bucket=make(stack))
    message = str(error.value)
    assert "RisingWaveAccess at Stack/RW" in message and "bucket=" in message
    assert "s3.Bucket.from_bucket_name(scope, id, value)" in message
    assert "from_bucket_arn" in message


def test_the_same_parameter_works_in_its_construct_form(stack):
    # GIVEN the parameter wrapped in the form that says what it is
    name = cdk.CfnParameter(stack, "BucketName").value_as_string
    lake = s3.Bucket.from_bucket_name(stack, "Lake", name)
    RisingWaveAccess(stack, "RW", workload_identity_role_arn=WORKLOAD, bucket=lake, prefix="rw")
    objects = joined(resolved_statements(stack)["S3DataObjects"]["Resource"])
    assert objects == "arn:<AWS::Partition>:s3:::<BucketName>/rw/*"


def test_a_token_of_another_kind_is_named_in_the_error(stack):
    key = kms.Key(stack, "Key")
    with pytest.raises(ValueError, match="this token is the KMS key ARN, not one of those"):
        S3Location(bucket=key.key_arn)


# -- secrets --------------------------------------------------------------------------


def test_secret_arn_token_is_the_secret_arn_not_a_name_with_a_suffix(stack):
    # GIVEN config_secret=secret.secret_arn (rendered ...:secret:<ARN>-?????? before)
    secret = secretsmanager.Secret(stack, "Config")
    DuckLakeAccess(
        stack,
        "DuckLake",
        trust=EcsTaskTrust(),
        bucket="lake-bucket",
        log_group="/ecs/ducklake",
        config_secret=secret.secret_arn,
    )
    resource = resolved_statements(stack)["ConfigSecretSecret"]["Resource"]
    assert resource == {"Ref": logical_id(stack, secret)}


def test_an_isecret_known_by_name_is_granted_with_the_random_suffix(stack):
    # GIVEN a secret imported by name: its secret_arn is a partial ARN, which matches
    # nothing in IAM without the six random characters
    secret = secretsmanager.Secret.from_secret_name_v2(stack, "Config", "lokryn/ducklake/config")
    DataAccessRole(
        stack,
        "Role",
        trust=EcsTaskTrust(),
        grants=[SecretsGrant(secret=secret, actions=["secretsmanager:GetSecretValue"])],
    )
    resource = joined(resolved_statements(stack)["SecretSecret"]["Resource"])
    assert resource.endswith(":secret:lokryn/ducklake/config-??????")


def test_a_partial_secret_arn_string_is_rejected_with_the_forms_that_work():
    partial = "arn:aws:secretsmanager:us-east-1:111111111111:secret:lokryn/ducklake/config"
    with pytest.raises(ValueError, match=re.escape("from_secret_partial_arn")):
        SecretsGrant(secret=partial)
    SecretsGrant(secret=partial + "-AbCdEf")  # the complete ARN is fine


def test_a_secret_token_nothing_identifies_is_a_value_error(stack):
    with pytest.raises(ValueError, match=re.escape("Secret.from_secret_name_v2")):
        SecretsGrant(secret=cdk.Fn.import_value("ConfigSecret"))


# -- log groups -----------------------------------------------------------------------


def test_log_group_arn_token_is_the_arn_not_a_name(stack):
    # GIVEN log_group=log_group.log_group_arn (rendered ...:log-group:<ARN>:* before)
    group = logs.LogGroup(stack, "Logs")
    DuckLakeAccess(
        stack,
        "DuckLake",
        trust=EcsTaskTrust(),
        bucket="lake-bucket",
        log_group=group.log_group_arn,
    )
    resource = resolved_statements(stack)["AwsLogsLogGroup"]["Resource"]
    # CloudFormation's Arn of a log group already ends in ':*'
    assert resource == {"Fn::GetAtt": [logical_id(stack, group), "Arn"]}


def test_log_group_name_token_builds_the_arn(stack):
    group = logs.LogGroup(stack, "Logs")
    DuckLakeAccess(
        stack,
        "DuckLake",
        trust=EcsTaskTrust(),
        bucket="lake-bucket",
        log_group=group.log_group_name,
    )
    resource = joined(resolved_statements(stack)["AwsLogsLogGroup"]["Resource"])
    assert resource == (
        f"arn:<AWS::Partition>:logs:<AWS::Region>:<AWS::AccountId>:log-group:"
        f"<{logical_id(stack, group)}>:*"
    )


def test_a_log_group_token_nothing_identifies_is_a_value_error(stack):
    with pytest.raises(ValueError, match=re.escape("LogGroup.from_log_group_name")):
        DuckLakeAccess(
            stack,
            "DuckLake",
            trust=EcsTaskTrust(),
            bucket="lake-bucket",
            log_group=cdk.CfnParameter(stack, "Group").value_as_string,
        )


# -- ECR images -----------------------------------------------------------------------


def test_repository_arn_token_as_image_keeps_the_pull_grant(stack):
    # GIVEN image=repository.repository_arn (the ECR pull grant was dropped silently before)
    repository = ecr.Repository(stack, "Repo")
    DuckLakeAccess(
        stack,
        "DuckLake",
        trust=EcsTaskTrust(),
        bucket="lake-bucket",
        log_group="/ecs/ducklake",
        image=repository.repository_arn,
    )
    pull = resolved_statements(stack)["ImagePullRepository"]
    assert pull["Resource"] == {"Fn::GetAtt": [logical_id(stack, repository), "Arn"]}


def test_an_image_whose_tag_is_a_token_keeps_its_literal_repository(stack):
    tag = cdk.CfnParameter(stack, "Tag").value_as_string
    DuckLakeAccess(
        stack,
        "DuckLake",
        trust=EcsTaskTrust(),
        bucket="lake-bucket",
        log_group="/ecs/ducklake",
        image=f"709825985650.dkr.ecr.us-east-1.amazonaws.com/lokryn/ducklake:{tag}",
    )
    pull = resolved_statements(stack)["ImagePullRepository"]
    assert pull["Resource"] == "arn:aws:ecr:us-east-1:709825985650:repository/lokryn/ducklake"


def test_a_non_ecr_image_with_a_token_tag_needs_no_pull_grant(stack):
    tag = cdk.CfnParameter(stack, "Tag").value_as_string
    access = DuckLakeAccess(
        stack,
        "DuckLake",
        trust=EcsTaskTrust(),
        bucket="lake-bucket",
        log_group="/ecs/ducklake",
        image=f"docker.io/lokryn/ducklake:{tag}",
    )
    assert access.execution_role is not None
    assert "ImagePull" not in access.execution_role.policies


@pytest.mark.parametrize(
    "make",
    [
        lambda s: cdk.CfnParameter(s, "Image").value_as_string,
        lambda s: ecr.Repository(s, "Repo").repository_uri_for_tag("1.0"),
        lambda s: ecr.Repository(s, "Repo").repository_name,
    ],
    ids=["CfnParameter", "repository_uri_for_tag", "repository_name"],
)
def test_an_image_token_nothing_identifies_is_a_value_error_not_a_missing_grant(stack, make):
    with pytest.raises(ValueError, match=re.escape("pass the ecr.IRepository")):
        DuckLakeAccess(
            stack,
            "DuckLake",
            trust=EcsTaskTrust(),
            bucket="lake-bucket",
            log_group="/ecs/ducklake",
            image=make(stack),
        )


# -- ARN props: a token known to be something else --------------------------------------


def test_a_key_id_token_is_not_taken_for_a_key_arn(stack):
    key = kms.Key(stack, "Key")
    with pytest.raises(ValueError, match="this token is the KMS key ID"):
        RisingWaveAccess(
            stack, "RW", workload_identity_role_arn=WORKLOAD, bucket="lake", kms_key=key.key_id
        )


def test_a_role_name_token_is_not_taken_for_a_role_arn(stack):
    role = iam.Role(stack, "Vendor", assumed_by=iam.AccountRootPrincipal())
    with pytest.raises(ValueError, match="this token is the IAM role name"):
        CrossAccountTrust(role_arn=role.role_name, require_external_id=False)


def test_role_arn_props_take_the_irole_form(stack):
    vendor = iam.Role.from_role_arn(
        stack, "Vendor", "arn:aws:iam::222222222222:role/acme-dataplane"
    )
    QualyticsDatastoreAccess(stack, "Q", bucket="lake-bucket", dataplane_role_arn=vendor)
    RisingWaveAccess(stack, "RW", workload_identity_role_arn=vendor, bucket="lake-bucket")
    template = cdk.assertions.Template.from_stack(stack).to_json()
    principals = [
        s["Principal"]["AWS"]
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::Role"
        for s in r["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    ]
    assert principals == ["arn:aws:iam::222222222222:role/acme-dataplane"] * 2


# -- OIDC providers -------------------------------------------------------------------


def test_an_issuer_url_token_becomes_a_provider_arn_and_its_condition_keys(stack):
    # GIVEN a cluster's OpenIdConnectIssuerUrl (an https:// URL, as a token)
    from aws_cdk import aws_eks as eks

    cluster = eks.CfnCluster(
        stack,
        "Cluster",
        role_arn="arn:aws:iam::111111111111:role/eks",
        resources_vpc_config=eks.CfnCluster.ResourcesVpcConfigProperty(subnet_ids=["subnet-1"]),
    )
    url = cluster.attr_open_id_connect_issuer_url
    data_role = DataAccessRole(
        stack,
        "Role",
        trust=IrsaTrust(oidc_provider=url, namespace="lake", service_account="ducklake"),
    )
    template = cdk.assertions.Template.from_stack(stack).to_json()
    role = template["Resources"][logical_id(stack, data_role.role)]
    federated = role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"]
    # the provider ARN is built from the issuer without its scheme, at deploy time
    issuer = {
        "Fn::Select": [
            1,
            {"Fn::Split": ["https://", {"Fn::GetAtt": ["Cluster", "OpenIdConnectIssuerUrl"]}]},
        ]
    }
    assert federated == {
        "Federated": {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":iam::",
                    {"Ref": "AWS::AccountId"},
                    ":oidc-provider/",
                    issuer,
                ],
            ]
        }
    }


def test_an_oidc_token_nothing_identifies_is_a_value_error():
    with pytest.raises(ValueError, match=re.escape("from_open_id_connect_provider_arn")):
        IrsaTrust(oidc_provider=cdk.Fn.import_value("Provider"), namespace="a", service_account="b")


@pytest.mark.parametrize(
    "value, hint",
    [
        ("oidc.eks.us-east-1.amazonaws.com/id/ABC", "pass 'https://oidc.eks.us-east-1"),
        (
            "arn:aws:iam::111111111111:oidc-provider/https://oidc.eks.us-east-1.amazonaws.com/id/A",
            "without https://",
        ),
        ("https://arn:aws:iam::111111111111:oidc-provider/oidc.eks", "not both"),
    ],
)
def test_issuer_url_and_provider_arn_mix_ups_get_a_hint(value, hint):
    with pytest.raises(ValueError, match=hint):
        IrsaTrust(oidc_provider=value, namespace="a", service_account="b")


# -- hints for common mistakes --------------------------------------------------------


@pytest.mark.parametrize(
    "bucket, hint",
    [
        ("s3://lake-bucket/raw/orders", "pass bucket='lake-bucket', prefix='raw/orders'"),
        ("lake-bucket/raw", "pass bucket='lake-bucket', prefix='raw'"),
        ("arn:aws:s3:::lake-bucket/raw/*", "pass bucket='arn:aws:s3:::lake-bucket', prefix='raw/'"),
    ],
)
def test_a_bucket_with_its_key_part_is_told_to_split_it(bucket, hint):
    with pytest.raises(ValueError) as error:
        S3Location(bucket=bucket)
    assert hint in str(error.value)


def test_an_s3_location_passed_as_bucket_is_a_value_error_not_an_attribute_error(stack):
    location = S3Location(bucket="lake-bucket", prefix="raw")
    hint = re.escape("bucket=location.bucket and prefix=location.prefix")
    with pytest.raises(ValueError, match=hint):
        RisingWaveAccess(stack, "RW", workload_identity_role_arn=WORKLOAD, bucket=location)
    with pytest.raises(ValueError, match="not an S3Location"):
        S3Grant(location=S3Location(bucket=location), actions=S3Grant.READ)  # type: ignore[arg-type]
