"""Databricks Unity Catalog: the storage credential's self-assuming role, in both steps."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

from lakehouse_iam import S3Location
from lakehouse_iam.vendors.databricks.access import DatabricksStorageCredentialAccess
from lakehouse_iam.vendors.databricks.catalog import GOVCLOUD_DOD_MASTER_ROLE
from tests.helpers import all_statements, as_list, make_app, statement, trust_statements

MASTER = "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL"
GOV_MASTER = "arn:aws-us-gov:iam::044793339203:role/unity-catalog-prod-UCMasterRole-1QRFA8SGY15OJ"
KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PROD = cdk.Environment(account="111111111111", region="eu-west-1")
SELF = "arn:aws:iam::111111111111:role/databricks-uc-lake"


def render(env: cdk.Environment | None = PROD, **kwargs):
    props = {
        "role_name": "databricks-uc-lake",
        "locations": [S3Location(bucket="lake-bucket", prefix="uc")],
    }
    props.update(kwargs)
    stack = cdk.Stack(make_app(), "Test", env=env)
    access = DatabricksStorageCredentialAccess(stack, "UnityCatalog", **props)
    return assertions.Template.from_stack(stack), access


def test_step_1_admits_no_one():
    template, access = render()
    assert access.pending is True
    (trust,) = trust_statements(template)
    assert trust["Condition"] == {
        "StringEquals": {"sts:ExternalId": "lakehouse-iam-pending"},
        "Null": {"sts:ExternalId": "true"},
    }
    assert trust["Principal"] == {"AWS": "arn:aws:iam::111111111111:root"}


def test_step_2_trusts_the_master_role_and_itself_with_the_external_id():
    template, access = render(external_id="ext-123")
    assert access.pending is False
    assert trust_statements(template) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "ext-123"}},
            "Effect": "Allow",
            "Principal": {"AWS": MASTER},
        },
        {
            # The role's own ARN from the literal name: no Fn::GetAtt of the role itself.
            "Action": "sts:AssumeRole",
            "Condition": {
                "ArnEquals": {"aws:PrincipalArn": SELF},
                "StringEquals": {"sts:ExternalId": "ext-123"},
            },
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
        },
    ]


def test_self_assumption_has_no_circular_reference_in_an_env_agnostic_stack():
    template, _ = render(env=None, external_id="ext-123")
    role = next(iter(template.find_resources("AWS::IAM::Role").values()))
    document = str(role["Properties"]["AssumeRolePolicyDocument"])
    assert "Fn::GetAtt" not in document and "'Ref': 'UnityCatalog" not in document
    assert statement(template, "SelfAssume")["Resource"] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":iam::",
                {"Ref": "AWS::AccountId"},
                ":role/databricks-uc-lake",
            ],
        ]
    }
    # AND the master role is looked up by partition, not guessed
    assert template.to_json()["Mappings"]["DatabricksUnityCatalogMasterRoles"] == {
        "aws": {"RoleArn": MASTER},
        "aws-us-gov": {"RoleArn": GOV_MASTER},
    }


def test_govcloud_uses_the_govcloud_master_role_and_dod_can_be_passed():
    gov = cdk.Environment(account="111111111111", region="us-gov-west-1")
    template, _ = render(
        env=gov,
        external_id="ext-123",
        locations=[S3Location(bucket="arn:aws-us-gov:s3:::lake-bucket", prefix="uc")],
    )
    assert trust_statements(template)[0]["Principal"] == {"AWS": GOV_MASTER}
    template, _ = render(
        env=gov,
        external_id="ext-123",
        master_role_arn=GOVCLOUD_DOD_MASTER_ROLE,
        locations=[S3Location(bucket="arn:aws-us-gov:s3:::lake-bucket", prefix="uc")],
    )
    assert trust_statements(template)[0]["Principal"] == {"AWS": GOVCLOUD_DOD_MASTER_ROLE}


def test_china_has_no_published_master_role():
    with pytest.raises(ValueError, match="master_role_arn=None is invalid"):
        render(
            env=cdk.Environment(account="111111111111", region="cn-north-1"),
            locations=[S3Location(bucket="arn:aws-cn:s3:::lake-bucket", prefix="uc")],
        )


def test_read_write_grants_the_pages_s3_actions_on_the_location_only():
    template, _ = render()
    assert statement(template, "DatabricksS3Objects") == {
        "Action": [
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:GetObject",
            "s3:ListMultipartUploadParts",
            "s3:PutObject",
        ],
        "Effect": "Allow",
        "Resource": "arn:aws:s3:::lake-bucket/uc/*",
        "Sid": "DatabricksS3Objects",
    }
    assert statement(template, "DatabricksS3List")["Condition"] == {
        "StringLike": {"s3:prefix": ["uc/", "uc/*"]}
    }
    assert statement(template, "DatabricksS3Bucket")["Action"] == [
        "s3:GetBucketLocation",
        "s3:ListBucketMultipartUploads",
    ]
    assert statement(template, "SelfAssume") == {
        "Action": "sts:AssumeRole",
        "Effect": "Allow",
        "Resource": SELF,
        "Sid": "SelfAssume",
    }


def test_read_only_keeps_reads_and_self_assumption():
    template, access = render(read_only=True, kms_key=KEY)
    granted = {a for s in all_statements(template) for a in as_list(s["Action"])}
    assert granted == {
        "kms:Decrypt",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "sts:AssumeRole",
    }
    assert access.create_location_sql(credential="lake").endswith(
        "WITH (STORAGE CREDENTIAL `lake`) READ ONLY;"
    )


def test_two_locations_get_one_policy_each_and_one_kms_context_list():
    template, access = render(
        locations=[
            S3Location(bucket="lake-bucket", prefix="uc/tables"),
            S3Location(bucket="lake-bucket", prefix="uc/files"),
        ],
        kms_key=KEY,
    )
    assert statement(template, "DatabricksS3Location2Objects")["Resource"] == (
        "arn:aws:s3:::lake-bucket/uc/files/*"
    )
    assert statement(template, "SseKmsViaS3")["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert access.create_location_sql(credential="lake", index=1) == (
        "CREATE EXTERNAL LOCATION `lake_2` URL 's3://lake-bucket/uc/files' "
        "WITH (STORAGE CREDENTIAL `lake`);"
    )


def test_credential_sql_names_the_role():
    _, access = render()
    sql = cdk.Stack.of(access).resolve(access.create_credential_sql(name="lake"))
    parts = sql["Fn::Join"][1]
    assert parts[0] == "CREATE STORAGE CREDENTIAL `lake` WITH (AWS_IAM_ROLE = '"
    assert parts[-1] == "');"


def test_bad_props_are_reported_at_once():
    with pytest.raises(ValueError) as error:
        render(role_name="bad name", locations=[], external_id="x", master_role_arn="nope")
    message = str(error.value)
    for prop in ("role_name=", "locations=", "external_id=", "master_role_arn="):
        assert prop in message


def test_a_token_role_name_is_refused():
    stack = cdk.Stack(make_app(), "Test")
    name = cdk.CfnParameter(stack, "RoleName").value_as_string
    with pytest.raises(ValueError, match="expected a literal name"):
        DatabricksStorageCredentialAccess(
            stack, "Uc", role_name=name, locations=[S3Location(bucket="lake-bucket")]
        )


def test_file_events_are_off_by_default_and_scoped_to_csms_in_the_own_account_and_region():
    template, _ = render()
    assert not [s for s in all_statements(template) if s["Sid"].startswith("DatabricksFileEvents")]
    template, _ = render(file_events=True)
    assert statement(template, "DatabricksFileEventsBuckets") == {
        "Action": ["s3:GetBucketNotification", "s3:PutBucketNotification"],
        "Effect": "Allow",
        "Resource": "arn:aws:s3:::lake-bucket",
        "Sid": "DatabricksFileEventsBuckets",
    }
    assert statement(template, "DatabricksFileEventsTopics")["Resource"] == (
        "arn:aws:sns:eu-west-1:111111111111:csms-*"
    )
    queues = statement(template, "DatabricksFileEventsQueues")
    assert queues["Resource"] == "arn:aws:sqs:eu-west-1:111111111111:csms-*"
    assert "sqs:ListQueues" not in queues["Action"]
    granted = {a for s in all_statements(template) for a in as_list(s["Action"])}
    assert not granted & {"sqs:ListQueues", "sns:ListTopics"}
