"""Snowflake: storage integration and external volume roles, the Glue catalog role, and the
two-step trust (no one, then exactly Snowflake's IAM user with its ExternalId)."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest

from lakehouse_iam import GlueCatalogGrant
from lakehouse_iam.constructs.iam_user_trust import CrossAccountUserTrust
from lakehouse_iam.constructs.pending_trust import PendingTrust
from lakehouse_iam.vendors.snowflake.access import (
    SnowflakeGlueCatalogAccess,
    SnowflakeStorageAccess,
)
from lakehouse_iam.vendors.snowflake.catalog import SnowflakeIntegration
from tests.helpers import all_statements, as_list, make_app, statement, trust_statements

USER = "arn:aws:iam::222222222222:user/abc1-b-self1234"
EXTERNAL_ID = "MYACCOUNT_SFCRole=2_abcdefg="
KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
OWN_ROOT = {
    "Fn::Join": [
        "",
        ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"],
    ]
}


def _partition_arn(suffix: str) -> dict:
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, suffix]]}


def render(env: cdk.Environment | None = None, **kwargs):
    """GIVEN the props WHEN a SnowflakeStorageAccess is built THEN (template, construct)."""
    from aws_cdk import assertions

    props = {"bucket": "lake-bucket", "prefix": "snowflake/stage"}
    props.update(kwargs)
    app = make_app()
    stack = cdk.Stack(app, "Test", env=env)
    access = SnowflakeStorageAccess(stack, "Snowflake", **props)
    return assertions.Template.from_stack(stack), access


def resolved(access, value: str):
    return cdk.Stack.of(access).resolve(value)


# -- trust: the two steps ------------------------------------------------------------------


def test_step_1_trust_admits_no_one():
    # GIVEN no Snowflake user yet WHEN the role is built
    template, access = render()
    # THEN the only statement names the own account and a condition no request satisfies:
    # sts:ExternalId both equal to a value and absent.
    assert access.pending is True
    assert trust_statements(template) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"sts:ExternalId": "lakehouse-iam-pending"},
                "Null": {"sts:ExternalId": "true"},
            },
            "Effect": "Allow",
            "Principal": {"AWS": OWN_ROOT},
        }
    ]


def test_step_1_with_a_chosen_external_id_names_it_but_still_admits_no_one():
    template, access = render(external_id="acme-stage")
    (trust,) = trust_statements(template)
    assert trust["Condition"] == {
        "StringEquals": {"sts:ExternalId": "acme-stage"},
        "Null": {"sts:ExternalId": "true"},
    }
    # AND the SQL passes the chosen ExternalId to Snowflake
    assert "STORAGE_AWS_EXTERNAL_ID = 'acme-stage';" in str(resolved(access, access.create_sql()))


def test_step_2_trust_is_exactly_the_snowflake_user_with_its_external_id():
    template, access = render(snowflake_user_arn=USER, external_id=EXTERNAL_ID)
    assert access.pending is False
    assert trust_statements(template) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
            "Effect": "Allow",
            "Principal": {"AWS": USER},
        }
    ]


def test_the_role_keeps_its_logical_id_between_the_steps():
    # The ARN pasted into Snowflake in step 1 must stay valid in step 2.
    first, _ = render()
    second, _ = render(snowflake_user_arn=USER, external_id=EXTERNAL_ID)
    assert set(first.find_resources("AWS::IAM::Role")) == set(
        second.find_resources("AWS::IAM::Role")
    )


def test_a_user_without_external_id_is_refused():
    app = make_app()
    stack = cdk.Stack(app, "Test")
    with pytest.raises(ValueError) as error:
        SnowflakeStorageAccess(stack, "Snowflake", bucket="lake-bucket", snowflake_user_arn=USER)
    message = str(error.value)
    assert message.startswith("SnowflakeStorageAccess at Test/Snowflake: invalid properties:\n")
    assert "external_id=None is invalid: expected the ExternalId DESC INTEGRATION shows" in message
    assert not [c for c in stack.node.find_all() if isinstance(c, cdk.CfnResource)]


@pytest.mark.parametrize(
    "user",
    ["arn:aws:iam::222222222222:role/snowflake", "arn:aws:iam::222222222222:root", "abc1-b-self"],
)
def test_a_principal_other_than_an_iam_user_is_refused(user):
    with pytest.raises(ValueError, match=r"snowflake_user_arn=.* expected an IAM user ARN"):
        render(snowflake_user_arn=user, external_id=EXTERNAL_ID)


def test_every_bad_prop_is_reported_at_once():
    with pytest.raises(ValueError) as error:
        render(
            bucket="Bad_Bucket",
            integration="stage",
            delete_object_versions=True,
            external_id="x",
        )
    message = str(error.value)
    for prop in ("bucket=", "integration=", "delete_object_versions=", "external_id="):
        assert prop in message


def test_cross_account_user_trust_needs_a_user_and_an_external_id():
    with pytest.raises(ValueError, match=r"(?s)user_arn=.*external_id="):
        CrossAccountUserTrust(user_arn="arn:aws:iam::222222222222:role/x", external_id="")
    with pytest.raises(ValueError, match="external_id="):
        PendingTrust(external_id="a b")


# -- grants --------------------------------------------------------------------------------


def test_read_only_stage_grants_the_documented_read_set_correctly_placed():
    template, _ = render()
    assert statement(template, "SnowflakeS3Objects") == {
        "Action": ["s3:GetObject", "s3:GetObjectVersion"],
        "Effect": "Allow",
        "Resource": _partition_arn(":s3:::lake-bucket/snowflake/stage/*"),
        "Sid": "SnowflakeS3Objects",
    }
    assert statement(template, "SnowflakeS3List") == {
        "Action": "s3:ListBucket",
        "Condition": {"StringLike": {"s3:prefix": ["snowflake/stage/", "snowflake/stage/*"]}},
        "Effect": "Allow",
        "Resource": _partition_arn(":s3:::lake-bucket"),
        "Sid": "SnowflakeS3List",
    }
    # GetBucketLocation has no s3:prefix key: unconditioned (Snowflake's JSON denies it).
    assert statement(template, "SnowflakeS3Bucket") == {
        "Action": "s3:GetBucketLocation",
        "Effect": "Allow",
        "Resource": _partition_arn(":s3:::lake-bucket"),
        "Sid": "SnowflakeS3Bucket",
    }
    granted = {a for s in all_statements(template) for a in as_list(s["Action"])}
    assert granted == {
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:ListBucket",
    }


def test_write_adds_put_and_delete_but_not_version_deletes():
    template, _ = render(write=True)
    assert statement(template, "SnowflakeS3Objects")["Action"] == [
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
    ]


def test_version_deletes_are_opt_in_and_need_write():
    template, _ = render(write=True, delete_object_versions=True)
    assert "s3:DeleteObjectVersion" in statement(template, "SnowflakeS3Objects")["Action"]
    with pytest.raises(ValueError, match="delete_object_versions=True is invalid: expected False"):
        render(delete_object_versions=True)


def test_kms_key_is_read_only_for_a_read_only_role_and_read_write_with_write():
    template, _ = render(kms_key=KEY)
    assert statement(template, "SseKmsViaS3")["Action"] == "kms:Decrypt"
    template, _ = render(kms_key=KEY, write=True)
    assert statement(template, "SseKmsViaS3")["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]


# -- SQL -----------------------------------------------------------------------------------


def _text(access, sql: str) -> str:
    value = resolved(access, sql)
    if isinstance(value, str):
        return value
    return "".join(p if isinstance(p, str) else "<role>" for p in value["Fn::Join"][1])


def test_storage_integration_sql_in_a_known_region():
    _, access = render(env=cdk.Environment(account="111111111111", region="eu-west-1"))
    assert _text(access, access.create_sql(name="lake_stage")) == (
        "CREATE STORAGE INTEGRATION lake_stage TYPE = EXTERNAL_STAGE STORAGE_PROVIDER = 'S3' "
        "ENABLED = TRUE STORAGE_AWS_ROLE_ARN = '<role>' "
        "STORAGE_ALLOWED_LOCATIONS = ('s3://lake-bucket/snowflake/stage/');"
    )
    assert access.describe_sql(name="lake_stage") == "DESC INTEGRATION lake_stage;"


def test_govcloud_uses_snowflakes_s3gov_provider_and_scheme():
    _, access = render(
        env=cdk.Environment(account="111111111111", region="us-gov-west-1"),
        bucket="arn:aws-us-gov:s3:::lake-bucket",
    )
    text = _text(access, access.create_sql())
    assert "STORAGE_PROVIDER = 'S3GOV'" in text
    assert "STORAGE_ALLOWED_LOCATIONS = ('s3gov://lake-bucket/snowflake/stage/')" in text


def test_env_agnostic_stack_looks_the_provider_up_by_partition():
    from aws_cdk import assertions

    stack = cdk.Stack(make_app(), "Test")
    access = SnowflakeStorageAccess(stack, "Snowflake", bucket="lake-bucket", prefix="stage")
    value = resolved(access, access.create_sql())
    lookup = {"Fn::FindInMap": ["SnowflakeStorageProviders", {"Ref": "AWS::Partition"}, "Provider"]}
    assert lookup in value["Fn::Join"][1]
    template = assertions.Template.from_stack(stack)
    assert template.to_json()["Mappings"]["SnowflakeStorageProviders"] == {
        "aws": {"Provider": "S3", "Scheme": "s3"},
        "aws-us-gov": {"Provider": "S3GOV", "Scheme": "s3gov"},
        "aws-cn": {"Provider": "S3CHINA", "Scheme": "s3china"},
    }


def test_external_volume_sql_names_the_key_and_allow_writes():
    _, access = render(
        env=cdk.Environment(account="111111111111", region="eu-west-1"),
        integration=SnowflakeIntegration.EXTERNAL_VOLUME,
        prefix="iceberg",
        write=True,
        kms_key=KEY,
        external_id="acme-volume",
    )
    assert _text(access, access.create_sql(name="lake_volume")) == (
        "CREATE EXTERNAL VOLUME lake_volume STORAGE_LOCATIONS = ((NAME = 'lake_volume_s3' "
        "STORAGE_PROVIDER = 'S3' STORAGE_BASE_URL = 's3://lake-bucket/iceberg/' "
        "STORAGE_AWS_ROLE_ARN = '<role>' STORAGE_AWS_EXTERNAL_ID = 'acme-volume' "
        f"ENCRYPTION = (TYPE = 'AWS_SSE_KMS' KMS_KEY_ID = '{KEY}'))) ALLOW_WRITES = TRUE;"
    )
    assert access.describe_sql(name="lake_volume") == "DESC EXTERNAL VOLUME lake_volume;"


def test_a_quote_in_the_prefix_is_doubled_in_the_sql():
    _, access = render(
        env=cdk.Environment(account="111111111111", region="eu-west-1"), prefix="o'brien"
    )
    assert "('s3://lake-bucket/o''brien/')" in _text(access, access.create_sql())


@pytest.mark.parametrize("name", ["1stage", "my-stage", "", "a b"])
def test_a_name_that_is_not_a_snowflake_identifier_is_refused(name):
    _, access = render()
    with pytest.raises(ValueError, match=r"name=.* expected a Snowflake identifier"):
        access.create_sql(name=name)


# -- Glue catalog integration ----------------------------------------------------------------


def _glue(**kwargs):
    from aws_cdk import assertions

    app = make_app()
    stack = cdk.Stack(app, "Test", env=cdk.Environment(account="111111111111", region="eu-west-1"))
    access = SnowflakeGlueCatalogAccess(stack, "Glue", **kwargs)
    return assertions.Template.from_stack(stack), access


def test_glue_grants_exactly_get_table_and_get_tables_on_the_named_tables():
    template, access = _glue(databases=["lake"], tables=["lake.orders"])
    base = "arn:aws:glue:eu-west-1:111111111111"
    assert all_statements(template) == [
        {
            "Action": ["glue:GetTable", "glue:GetTables"],
            "Effect": "Allow",
            "Resource": [f"{base}:catalog", f"{base}:database/lake", f"{base}:table/lake/orders"],
            "Sid": "SnowflakeGlueReadTables",
        }
    ]
    assert _text(access, access.create_sql(name="glue_lake")) == (
        "CREATE CATALOG INTEGRATION glue_lake CATALOG_SOURCE = GLUE CATALOG_NAMESPACE = 'lake' "
        "TABLE_FORMAT = ICEBERG GLUE_AWS_ROLE_ARN = '<role>' GLUE_CATALOG_ID = '111111111111' "
        "GLUE_REGION = 'eu-west-1' ENABLED = TRUE;"
    )


def test_glue_role_trusts_the_glue_user_only_in_step_2():
    template, access = _glue(databases=["lake"])
    assert access.pending is True
    assert trust_statements(template)[0]["Condition"]["Null"] == {"sts:ExternalId": "true"}
    template, access = _glue(databases=["lake"], glue_user_arn=USER, external_id=EXTERNAL_ID)
    assert trust_statements(template) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": EXTERNAL_ID}},
            "Effect": "Allow",
            "Principal": {"AWS": USER},
        }
    ]


def test_glue_bad_inputs_are_refused():
    with pytest.raises(ValueError, match="databases"):
        _glue(databases=[])
    with pytest.raises(ValueError, match="external_id=None"):
        _glue(databases=["lake"], glue_user_arn=USER)


@pytest.mark.parametrize(
    ("read_actions", "expected"),
    [
        ("glue:GetTable", "read_actions='glue:GetTable' is invalid"),
        ((), "read_actions=() is invalid"),
        (("glue:Get*",), "wildcards are never granted"),
        (("glue:UpdateTable",), "read_actions='glue:UpdateTable' is invalid"),
    ],
)
def test_glue_grant_read_actions_must_be_exact_read_actions(read_actions, expected):
    with pytest.raises(ValueError, match=re.escape(expected)):
        GlueCatalogGrant(databases=["lake"], read_actions=read_actions)
