"""QualyticsDatastoreAccess: per-table actions on the right ARN, both authentication modes."""

from __future__ import annotations

import functools
import json
from typing import Any

import aws_cdk as cdk
import pytest

from lakehouse_iam import (
    QualyticsAuthentication,
    QualyticsDatastore,
    QualyticsDatastoreAccess,
)
from lakehouse_iam.catalog.s3 import S3Scope, scope_of
from lakehouse_iam.vendors.qualytics import catalog as catalog
from tests.helpers import ROOT, all_statements, as_list, make_app, statement, template_of

DATAPLANE = "arn:aws:iam::315179787488:role/acme-dataplane-role"
KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PARTITION = {"Ref": "AWS::Partition"}
BUCKET_ARN = {"Fn::Join": ["", ["arn:", PARTITION, ":s3:::dq-bucket"]]}
SOURCE = QualyticsDatastore.SOURCE
ENRICHMENT = QualyticsDatastore.ENRICHMENT
ACCESS_KEY = QualyticsAuthentication.ACCESS_KEY


def s3_arn(suffix: str) -> dict:
    return {"Fn::Join": ["", ["arn:", PARTITION, f":s3:::{suffix}"]]}


def render(**kwargs: Any):
    """Template and construct for these props; cached, since tests only read them."""
    props: dict[str, Any] = {"bucket": "dq-bucket"}
    if kwargs.get("authentication") is not ACCESS_KEY:
        props["dataplane_role_arn"] = DATAPLANE
    props.update(kwargs)
    return _render(tuple(sorted(props.items(), key=lambda item: item[0])))


@functools.cache
def _render(items: tuple):
    holder: dict[str, QualyticsDatastoreAccess] = {}

    def build(stack: cdk.Stack) -> None:
        holder["access"] = QualyticsDatastoreAccess(stack, "Qualytics", **dict(items))

    return template_of(build), holder["access"]


# -- source / enrichment ---------------------------------------------------------------
def test_source_with_root_path_is_read_only_and_split_between_bucket_and_objects():
    template, _ = render(datastore=SOURCE, root_path="/raw/orders/")
    assert all_statements(template) == [
        {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": s3_arn("dq-bucket/raw/orders/*"),
            "Sid": "QualyticsSourceObjects",
        },
        {
            # "raw/orders" without the slash: the S3A directory probe (below)
            "Action": "s3:ListBucket",
            "Condition": {
                "StringLike": {"s3:prefix": ["raw/orders", "raw/orders/", "raw/orders/*"]}
            },
            "Effect": "Allow",
            "Resource": BUCKET_ARN,
            "Sid": "QualyticsSourceList",
        },
        {
            # Spark's S3A HEADs the Root Path as a key without its slash: that one key
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": s3_arn("dq-bucket/raw/orders"),
            "Sid": "QualyticsSourcePrefixKey",
        },
        {
            # GetBucketLocation and ListBucketMultipartUploads carry no s3:prefix key:
            # under the condition AWS would deny them.
            "Action": ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"],
            "Effect": "Allow",
            "Resource": BUCKET_ARN,
            "Sid": "QualyticsSourceBucket",
        },
    ]


def test_enrichment_adds_write_cleanup_and_multipart_on_objects_only():
    template, _ = render(datastore=ENRICHMENT, root_path="qualytics/enrichment")
    assert statement(template, "QualyticsEnrichmentObjects") == {
        "Action": [
            "s3:AbortMultipartUpload",
            "s3:DeleteObject",
            "s3:GetObject",
            "s3:ListMultipartUploadParts",
            "s3:PutObject",
        ],
        "Effect": "Allow",
        "Resource": s3_arn("dq-bucket/qualytics/enrichment/*"),
        "Sid": "QualyticsEnrichmentObjects",
    }
    assert statement(template, "QualyticsEnrichmentBucket")["Action"] == [
        "s3:GetBucketLocation",
        "s3:ListBucketMultipartUploads",
    ]
    assert statement(template, "QualyticsEnrichmentList")["Action"] == "s3:ListBucket"
    # The directory key S3A probes is readable, never writable
    assert statement(template, "QualyticsEnrichmentPrefixKey") == {
        "Action": "s3:GetObject",
        "Effect": "Allow",
        "Resource": s3_arn("dq-bucket/qualytics/enrichment"),
        "Sid": "QualyticsEnrichmentPrefixKey",
    }
    granted = {a for s in all_statements(template) for a in as_list(s["Action"])}
    assert granted == {
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:ListBucketMultipartUploads",
        "s3:ListMultipartUploadParts",
        "s3:PutObject",
    }


# The vendor's tables, action -> the resource each names, written out here (not read from
# the catalog) so that a catalog change fails this test.
SOURCE_TABLE = {
    "s3:GetBucketLocation": "bucket",
    "s3:GetObject": "object",
    "s3:ListBucket": "bucket",
    "s3:ListBucketMultipartUploads": "bucket",
}
ENRICHMENT_TABLE = {
    **SOURCE_TABLE,
    "s3:AbortMultipartUpload": "object",
    "s3:DeleteObject": "object",
    "s3:ListMultipartUploadParts": "object",
    "s3:PutObject": "object",
}


@pytest.mark.parametrize(
    ("datastore", "table"), [(SOURCE, SOURCE_TABLE), (ENRICHMENT, ENRICHMENT_TABLE)]
)
@pytest.mark.parametrize("root_path", [None, "raw"])
def test_bucket_actions_on_the_bucket_arn_and_object_actions_on_object_arns(
    datastore, table, root_path
):
    # GIVEN the vendor's tables (its example JSON puts every action on both ARNs)
    template, _ = render(datastore=datastore, root_path=root_path)
    objects = s3_arn("dq-bucket/raw/*" if root_path else "dq-bucket/*")
    seen = set()
    for s in all_statements(template):
        if s["Sid"].endswith("PrefixKey"):
            continue  # the S3A directory key: test_the_root_path_directory_key_...
        for action in as_list(s["Action"]):
            seen.add(action)
            expected = BUCKET_ARN if table[action] == "bucket" else objects
            # THEN each action is on exactly the one resource the vendor's table names
            assert s["Resource"] == expected, action
    assert seen == set(table)


@pytest.mark.parametrize("datastore", [SOURCE, ENRICHMENT])
@pytest.mark.parametrize("authentication", list(QualyticsAuthentication))
def test_the_root_path_directory_key_is_readable_in_both_auth_modes(datastore, authentication):
    # GIVEN a datastore with Root Path "raw", as an IAM role or an access-key user
    template, _ = render(datastore=datastore, authentication=authentication, root_path="raw")
    # THEN the bare key bucket/raw (Spark's S3A HEADs it before raw/) may be read, and
    # listed under s3:prefix "raw" exactly; nothing else is granted on it
    assert [s for s in all_statements(template) if s["Resource"] == s3_arn("dq-bucket/raw")] == [
        {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": s3_arn("dq-bucket/raw"),
            "Sid": f"Qualytics{datastore.value.capitalize()}PrefixKey",
        }
    ]
    listing = statement(template, f"Qualytics{datastore.value.capitalize()}List")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["raw", "raw/", "raw/*"]}}


def test_without_a_root_path_there_is_no_directory_key_statement():
    template, _ = render(datastore=ENRICHMENT)
    assert not [s for s in all_statements(template) if s["Sid"].endswith("PrefixKey")]


def test_without_root_path_listing_is_unconditioned_on_the_whole_bucket():
    template, access = render(datastore=SOURCE)
    assert "Condition" not in statement(template, "QualyticsSourceList")
    assert access.root_path == "/"


@pytest.mark.parametrize(
    ("datastore", "actions"),
    [(SOURCE, "kms:Decrypt"), (ENRICHMENT, ["kms:Decrypt", "kms:GenerateDataKey"])],
)
def test_kms_key_read_for_source_and_write_with_multipart_decrypt_for_enrichment(
    datastore, actions
):
    template, _ = render(datastore=datastore, root_path="raw", kms_key=KEY)
    s = statement(template, "SseKmsViaS3")
    assert s["Action"] == actions
    assert s["Resource"] == KEY
    assert s["Condition"]["StringLike"] == {
        "kms:EncryptionContext:aws:s3:arn": [BUCKET_ARN, s3_arn("dq-bucket/raw/*")]
    }
    assert set(s["Condition"]["StringEquals"]) == {"kms:ViaService"}


def test_no_kms_statement_without_a_key():
    template, _ = render(datastore=ENRICHMENT)
    assert not [s for s in all_statements(template) if "kms" in json.dumps(s["Action"])]


# -- IAM role mode ---------------------------------------------------------------------
def test_iam_role_mode_trusts_exactly_the_dataplane_role():
    template, access = render(root_path="raw")
    (role,) = template.find_resources("AWS::IAM::Role").values()
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": DATAPLANE}}
    ]
    template.resource_count_is("AWS::IAM::User", 0)
    template.resource_count_is("AWS::SecretsManager::Secret", 0)
    assert access.secret_arn is None and access.role_arn is not None


def test_iam_role_mode_with_external_id():
    template, _ = render(external_id="qualytics-acme-7")
    (role,) = template.find_resources("AWS::IAM::Role").values()
    (trust,) = role["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "qualytics-acme-7"}}


def test_iam_role_mode_is_the_default_and_needs_the_dataplane_role():
    with pytest.raises(ValueError, match="dataplane_role_arn=None"):
        render(dataplane_role_arn=None)
    with pytest.raises(ValueError, match="dataplane_role_arn='arn:aws:iam::315179787488:root'"):
        render(dataplane_role_arn="arn:aws:iam::315179787488:root")


# -- access key mode -------------------------------------------------------------------
def synth_access_key_stack() -> dict:
    app = make_app()
    stack = cdk.Stack(app, "Test")
    access = QualyticsDatastoreAccess(
        stack,
        "Qualytics",
        bucket="dq-bucket",
        root_path="raw",
        datastore=ENRICHMENT,
        authentication=ACCESS_KEY,
    )
    for field, value in access.connection_values().items():
        cdk.CfnOutput(stack, field.title().replace(" ", "").replace("Arn", "ARN"), value=value)
    return app.synth().get_stack_by_name("Test").template


@functools.cache
def access_key_template() -> dict:
    return synth_access_key_stack()


def test_access_key_mode_user_gets_permissions_only_through_its_group():
    resources = access_key_template()["Resources"]
    (user,) = [r for r in resources.values() if r["Type"] == "AWS::IAM::User"]
    assert set(user["Properties"]) <= {"Groups", "PermissionsBoundary", "UserName"}
    (group_id,) = [k for k, r in resources.items() if r["Type"] == "AWS::IAM::Group"]
    policies = [r for r in resources.values() if r["Type"] == "AWS::IAM::ManagedPolicy"]
    assert [r["Properties"].get("Groups") for r in policies] in ([None], [[{"Ref": group_id}]])
    assert resources[group_id]["Properties"]["ManagedPolicyArns"] == [
        {"Ref": next(k for k, r in resources.items() if r["Type"] == "AWS::IAM::ManagedPolicy")}
    ]
    assert not [r for r in resources.values() if r["Type"] == "AWS::IAM::Role"]


def test_access_key_secret_is_kms_encrypted_and_absent_from_every_output():
    template = access_key_template()
    resources = template["Resources"]
    (key_id,) = [k for k, r in resources.items() if r["Type"] == "AWS::IAM::AccessKey"]
    (secret_id,) = [k for k, r in resources.items() if r["Type"] == "AWS::SecretsManager::Secret"]
    secret = resources[secret_id]["Properties"]
    assert "KmsKeyId" in secret
    assert {"Fn::GetAtt": [key_id, "SecretAccessKey"]} in secret["SecretString"]["Fn::Join"][1]
    outputs = template["Outputs"]
    # THEN the outputs are exactly the form's fields, the secret only by its ARN
    assert {k: v["Value"] for k, v in outputs.items()} == {
        "Uri": "s3://dq-bucket",
        "RootPath": "/raw/",
        "AccessKeySecretARN": {"Ref": secret_id},
    }
    assert "SecretAccessKey" not in json.dumps(outputs)
    assert key_id not in json.dumps(outputs)


def test_access_key_mode_rejects_role_mode_props_and_vice_versa():
    with pytest.raises(ValueError) as error:
        render(authentication=ACCESS_KEY, dataplane_role_arn=DATAPLANE, external_id="abc123")
    assert "dataplane_role_arn=" in str(error.value) and "external_id='abc123'" in str(error.value)
    with pytest.raises(ValueError, match="user_name='dq'"):
        render(user_name="dq")


# -- connection form -------------------------------------------------------------------
def test_connection_values_are_bucket_level_uri_root_path_and_role_arn():
    template, access = render(root_path="raw/orders")
    stack = cdk.Stack.of(access)
    values = {k: stack.resolve(v) for k, v in access.connection_values().items()}
    (role_id,) = template.find_resources("AWS::IAM::Role")
    assert values == {
        "URI": "s3://dq-bucket",
        "Root Path": "/raw/orders/",
        "Role ARN": {"Fn::GetAtt": [role_id, "Arn"]},
    }


# -- catalog ---------------------------------------------------------------------------
def test_catalog_tables_agree_with_where_s3_authorizes_each_action():
    for table in catalog.PERMISSIONS.values():
        for action, resource in table.items():
            is_object = scope_of(action) is S3Scope.OBJECT
            assert (resource == catalog.OBJECT) == is_object, action
    assert set(catalog.SOURCE_PERMISSIONS) < set(catalog.ENRICHMENT_PERMISSIONS)
    # AND the catalog holds exactly the vendor's tables, written out above
    assert catalog.SOURCE_PERMISSIONS == SOURCE_TABLE
    assert catalog.ENRICHMENT_PERMISSIONS == ENRICHMENT_TABLE
    for deviation in catalog.DEVIATIONS:
        assert "https://docs.aws.amazon.com/" in deviation.why, deviation.topic


def test_the_directory_key_has_its_spark_s3a_evidence_and_deviation():
    # GIVEN the catalog WHEN the need for the Root Path's directory key is looked up
    (need,) = [n for n in catalog.EVIDENCE if "getFileStatus" in n.why]
    # THEN it cites Qualytics' glossary (built on Spark), Hadoop's S3A docs and S3A's source
    refs = [source.ref for source in need.sources]
    assert "https://userguide.qualytics.io/glossary/" in refs
    assert "https://hadoop.apache.org/docs/stable/hadoop-aws/tools/hadoop-aws/index.html" in refs
    assert any("S3AFileSystem.java@" in ref for ref in refs)
    assert need.actions == ("s3:GetObject", "s3:ListBucket")
    # AND the vendor's page, which grants the whole bucket, gets a deviation for it
    assert "the root-path as a directory key" in [d.topic for d in catalog.DEVIATIONS]


def test_docs_page_names_every_catalog_deviation_and_action():
    page = (ROOT / "docs" / "qualytics.md").read_text(encoding="utf-8")
    for deviation in catalog.DEVIATIONS:
        assert f"| {deviation.topic} |" in page, deviation.topic
    for action in catalog.ENRICHMENT_PERMISSIONS:
        assert f"`{action}`" in page, action
