"""StarRocks constructs: S3 batch load vs read/write, SSE-KMS, Glue, in all three modes."""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import (
    GlueCatalogGrant,
    S3Location,
    StarRocksAssumedRoleAccess,
    StarRocksIamUserAccess,
    StarRocksInstanceProfileAccess,
    StarRocksPermissions,
)
from lakehouse_iam.vendors.starrocks import catalog as catalog
from tests.helpers import as_list, make_app

KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
RAW = S3Location(bucket="lake-a", prefix="raw/orders")
WHOLE = S3Location(bucket="lake-b")


def bucket(name: str, suffix: str = "") -> dict:
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":s3:::{name}{suffix}"]]}


def synth(build) -> tuple[dict[str, Any], Any]:
    app = make_app()
    stack = cdk.Stack(app, "Test")
    built = build(stack)
    return app.synth().get_stack_by_name("Test").template, built


def resources(template: dict, kind: str) -> dict[str, dict]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def policies(template: dict) -> dict[str, list[dict]]:
    return {
        k: r["Properties"]["PolicyDocument"]["Statement"]
        for k, r in resources(template, "AWS::IAM::ManagedPolicy").items()
    }


def statements(template: dict) -> dict[str, dict]:
    return {s["Sid"]: s for ss in policies(template).values() for s in ss}


def permissions(**kwargs) -> StarRocksPermissions:
    props: dict[str, Any] = {"locations": [RAW, WHOLE]}
    props.update(kwargs)
    return StarRocksPermissions(**props)


def instance_profile(**kwargs):
    return synth(
        lambda s: StarRocksInstanceProfileAccess(s, "StarRocks", permissions=permissions(**kwargs))
    )


# -- S3: batch load vs read/write, several buckets, prefixes ---------------------------
def test_batch_load_is_get_object_on_objects_and_list_bucket_on_each_bucket():
    template, _ = instance_profile()
    found = statements(template)
    assert found == {
        "S3LakeARawOrdersObjects": {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": bucket("lake-a", "/raw/orders/*"),
            "Sid": "S3LakeARawOrdersObjects",
        },
        "S3LakeARawOrdersList": {
            "Action": "s3:ListBucket",
            # the bare prefix too: Hadoop S3A's directory probe (and S3's 404-vs-403 check)
            "Condition": {
                "StringLike": {"s3:prefix": ["raw/orders", "raw/orders/", "raw/orders/*"]}
            },
            "Effect": "Allow",
            "Resource": bucket("lake-a"),
            "Sid": "S3LakeARawOrdersList",
        },
        "S3LakeARawOrdersPrefixKey": {
            # S3A HEADs the directory key without its slash: read only, that one key
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": bucket("lake-a", "/raw/orders"),
            "Sid": "S3LakeARawOrdersPrefixKey",
        },
        "S3LakeBObjects": {
            "Action": "s3:GetObject",
            "Effect": "Allow",
            "Resource": bucket("lake-b", "/*"),
            "Sid": "S3LakeBObjects",
        },
        "S3LakeBList": {
            "Action": "s3:ListBucket",
            "Effect": "Allow",
            "Resource": bucket("lake-b"),
            "Sid": "S3LakeBList",
        },
    }


def test_read_write_adds_put_delete_and_abort_multipart_and_nothing_else():
    template, _ = instance_profile(s3_access="read_write")
    found = statements(template)
    assert found["S3LakeARawOrdersObjects"]["Action"] == [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:PutObject",
    ]
    granted = {a for s in found.values() for a in as_list(s["Action"])}
    assert granted == {
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
    }


def test_kms_key_is_decrypt_for_batch_load_and_adds_generate_data_key_for_read_write():
    key = KEY.replace("us-east-1", "eu-west-1")  # SSE-KMS: a key of the buckets' region
    for access, actions in (
        ("batch_load", "kms:Decrypt"),
        ("read_write", ["kms:Decrypt", "kms:GenerateDataKey"]),
    ):
        template, _ = instance_profile(s3_access=access, kms_key=key, s3_region="eu-west-1")
        kms = statements(template)["SseKmsViaS3"]
        assert kms["Action"] == actions
        assert kms["Resource"] == key
        assert kms["Condition"]["StringEquals"] == {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}
        contexts = kms["Condition"]["StringLike"]["kms:EncryptionContext:aws:s3:arn"]
        assert contexts == [
            bucket("lake-a"),
            bucket("lake-a", "/raw/orders/*"),
            bucket("lake-b"),
            bucket("lake-b", "/*"),
        ]


def test_glue_grant_is_rendered_as_given():
    glue = GlueCatalogGrant(databases=["sales"], write=True)
    template, _ = instance_profile(glue=glue)
    granted = {a for s in statements(template).values() for a in as_list(s["Action"])}
    assert granted >= {
        "glue:BatchCreatePartition",
        "glue:BatchGetPartition",
        "glue:BatchUpdatePartition",
        "glue:CreatePartition",
        "glue:CreateTable",
        "glue:DeletePartition",
        "glue:DeleteTable",
        "glue:GetDatabase",
        "glue:GetDatabases",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:GetTable",
        "glue:GetTableVersions",
        "glue:GetTables",
        "glue:UpdatePartition",
        "glue:UpdateTable",
    }
    assert "glue:DeleteDatabase" not in granted and "glue:GetDevEndpoints" not in granted


# -- instance profile mode --------------------------------------------------------------
def test_instance_profile_mode_is_an_ec2_role_with_its_instance_profile():
    template, construct = instance_profile()
    (role_id, role), *rest = resources(template, "AWS::IAM::Role").items()
    assert not rest
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
        }
    ]
    (profile,) = resources(template, "AWS::IAM::InstanceProfile").values()
    assert profile["Properties"]["Roles"] == [{"Ref": role_id}]
    assert isinstance(construct.instance_profile, iam.InstanceProfile)


# -- assumed role mode: the exact chain -------------------------------------------------
def assumed(**kwargs):
    external_id = kwargs.pop("external_id", None)
    return synth(
        lambda s: StarRocksAssumedRoleAccess(
            s, "StarRocks", permissions=permissions(**kwargs), external_id=external_id
        )
    )


def roles_by_path(template: dict) -> dict[str, tuple[str, dict]]:
    found = {}
    for logical_id, role in resources(template, "AWS::IAM::Role").items():
        key = "cluster" if "ClusterRole" in logical_id else "data"
        found[key] = (logical_id, role)
    return found


def test_assumed_role_chain_is_exact_at_both_ends():
    template, construct = assumed(glue=GlueCatalogGrant(databases=["sales"]))
    roles = roles_by_path(template)
    cluster_id, cluster = roles["cluster"]
    data_id, data = roles["data"]
    # The cluster role is an EC2 instance-profile role ...
    assert cluster["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"Service": "ec2.amazonaws.com"},
        }
    ]
    (profile,) = resources(template, "AWS::IAM::InstanceProfile").values()
    assert profile["Properties"]["Roles"] == [{"Ref": cluster_id}]
    # ... whose only permission is sts:AssumeRole on exactly the data role.
    cluster_policies = {
        k: p
        for k, p in resources(template, "AWS::IAM::ManagedPolicy").items()
        if {"Ref": cluster_id} in p["Properties"].get("Roles", [])
    }
    assert [p["Properties"]["PolicyDocument"]["Statement"] for p in cluster_policies.values()] == [
        [
            {
                "Action": "sts:AssumeRole",
                "Effect": "Allow",
                "Resource": {"Fn::GetAtt": [data_id, "Arn"]},
                "Sid": "AssumeDataRole",
            }
        ]
    ]
    assert "ManagedPolicyArns" not in cluster["Properties"]
    assert "Policies" not in cluster["Properties"]
    # The data role trusts exactly the cluster role's ARN and carries S3 + Glue.
    assert data["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::GetAtt": [cluster_id, "Arn"]}},
        }
    ]
    data_actions = {
        a
        for ref in data["Properties"]["ManagedPolicyArns"]
        for s in template["Resources"][ref["Ref"]]["Properties"]["PolicyDocument"]["Statement"]
        for a in as_list(s["Action"])
    }
    assert "sts:AssumeRole" not in data_actions
    assert {"s3:GetObject", "s3:ListBucket", "glue:GetTable"} <= data_actions
    assert construct.external_id is None


def test_assumed_role_external_id_is_required_in_the_trust():
    template, _ = assumed(external_id="starrocks-prod-7")
    _, data = roles_by_path(template)["data"]
    (trust,) = data["Properties"]["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "starrocks-prod-7"}}


def test_assumed_role_with_your_cluster_role_attaches_the_assume_policy_to_it():
    def build(stack: cdk.Stack) -> StarRocksAssumedRoleAccess:
        mine = iam.Role(stack, "Mine", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
        return StarRocksAssumedRoleAccess(
            stack, "StarRocks", permissions=permissions(), cluster_role=mine
        )

    template, construct = synth(build)
    assert not resources(template, "AWS::IAM::InstanceProfile")
    assume = [
        p
        for p in resources(template, "AWS::IAM::ManagedPolicy").values()
        if p["Properties"]["PolicyDocument"]["Statement"][0]["Action"] == "sts:AssumeRole"
    ]
    (policy,) = assume
    mine_id = next(k for k in resources(template, "AWS::IAM::Role") if k.startswith("Mine"))
    assert policy["Properties"]["Roles"] == [{"Ref": mine_id}]
    assert construct.instance_profile is None


def test_assumed_role_rejects_cluster_role_names_with_a_given_cluster_role():
    with pytest.raises(ValueError, match="cluster_role_name/instance_profile_name"):
        synth(
            lambda s: StarRocksAssumedRoleAccess(
                s,
                "StarRocks",
                permissions=permissions(),
                cluster_role="arn:aws:iam::111111111111:role/starrocks",
                cluster_role_name="x",
            )
        )


# -- IAM user mode ------------------------------------------------------------------------
def test_iam_user_gets_permissions_only_through_its_group_and_outputs_never_hold_the_key():
    def build(stack: cdk.Stack) -> StarRocksIamUserAccess:
        user = StarRocksIamUserAccess(
            stack, "StarRocks", permissions=permissions(glue=GlueCatalogGrant(databases=["s"]))
        )
        cdk.CfnOutput(stack, "Sql", value=user.create_external_catalog_sql())
        cdk.CfnOutput(stack, "S3", value=user.properties_sql(services=("s3",)))
        return user

    template, _ = synth(build)
    (user,) = resources(template, "AWS::IAM::User").values()
    assert "ManagedPolicyArns" not in user["Properties"]
    (group_id,) = resources(template, "AWS::IAM::Group")
    assert user["Properties"]["Groups"] == [{"Ref": group_id}]
    (key_id,) = resources(template, "AWS::IAM::AccessKey")
    (secret_id,) = resources(template, "AWS::SecretsManager::Secret")
    outputs = json.dumps(template["Outputs"])
    assert key_id not in outputs  # neither the key ID nor its secret is referenced
    assert "SecretAccessKey" not in outputs
    assert json.dumps({"Ref": secret_id}) in outputs


def test_iam_user_properties_point_at_the_secret():
    _, user = synth(lambda s: StarRocksIamUserAccess(s, "StarRocks", permissions=permissions()))
    stack = cdk.Stack.of(user)
    props = {k: stack.resolve(v) for k, v in user.properties().items()}
    secret_ref = stack.resolve(user.secret_arn)
    assert props["aws.s3.use_instance_profile"] == "false"
    assert props["aws.s3.access_key"]["Fn::Join"][1] == [
        "<accessKeyId from secret ",
        secret_ref,
        ">",
    ]
    assert props["aws.s3.secret_key"]["Fn::Join"][1] == [
        "<secretAccessKey from secret ",
        secret_ref,
        ">",
    ]
    assert props["aws.s3.region"] == {"Ref": "AWS::Region"}


# -- StarRocks properties per mode ---------------------------------------------------------
def flat(stack: cdk.Stack, value: str) -> str:
    resolved = stack.resolve(value)
    if isinstance(resolved, str):
        return resolved
    if "Fn::Join" not in resolved:
        return "<token>"
    return "".join(p if isinstance(p, str) else "<token>" for p in resolved["Fn::Join"][1])


GLUE = GlueCatalogGrant(databases=["sales"], region="eu-west-1")


def test_instance_profile_catalog_sql():
    _, access = instance_profile(glue=GLUE, s3_region="eu-west-1")
    sql = access.create_external_catalog_sql(catalog_name="lake", catalog_type="iceberg")
    assert flat(cdk.Stack.of(access), sql) == (
        "CREATE EXTERNAL CATALOG lake\nPROPERTIES (\n"
        '    "type" = "iceberg",\n'
        '    "iceberg.catalog.type" = "glue",\n'
        '    "aws.s3.use_instance_profile" = "true",\n'
        '    "aws.s3.region" = "eu-west-1",\n'
        '    "aws.glue.use_instance_profile" = "true",\n'
        '    "aws.glue.region" = "eu-west-1"\n'
        ");"
    )


def test_assumed_role_properties_name_the_data_role_and_external_id():
    _, access = assumed(glue=GLUE, external_id="ext-1")
    stack = cdk.Stack.of(access)
    props = {k: flat(stack, v) for k, v in access.properties().items()}
    assert props == {
        "aws.s3.use_instance_profile": "true",
        "aws.s3.iam_role_arn": "<token>",
        "aws.s3.external_id": "ext-1",
        "aws.s3.region": "<token>",
        "aws.glue.use_instance_profile": "true",
        "aws.glue.iam_role_arn": "<token>",
        "aws.glue.external_id": "ext-1",
        "aws.glue.region": "eu-west-1",
    }
    assert stack.resolve(access.properties()["aws.glue.iam_role_arn"]) == stack.resolve(
        access.role_arn
    )


def test_properties_without_glue_have_no_glue_keys_and_catalog_sql_needs_glue():
    _, access = instance_profile()
    assert set(access.properties()) == {"aws.s3.use_instance_profile", "aws.s3.region"}
    with pytest.raises(ValueError, match=r"permissions\.glue=None"):
        access.create_external_catalog_sql()
    with pytest.raises(ValueError, match="services='ec2'"):
        access.properties(services=("ec2",))


def test_catalog_sql_rejects_bad_names_and_types():
    _, access = instance_profile(glue=GLUE)
    with pytest.raises(ValueError) as error:
        access.create_external_catalog_sql(catalog_name="1 bad", catalog_type="mysql")
    assert "catalog_name='1 bad'" in str(error.value)
    assert "catalog_type='mysql'" in str(error.value)


# -- permissions validation -------------------------------------------------------------------
def test_permissions_report_every_problem_at_once():
    with pytest.raises(ValueError) as error:
        StarRocksPermissions(locations=[RAW, RAW, "lake-c"], s3_access="write", s3_region="x")
    message = str(error.value)
    for fragment in (
        "locations[2]='lake-c'",
        "distinct locations",
        "s3_access='write'",
        "s3_region='x'",
    ):
        assert fragment in message


def test_permissions_need_s3_or_glue_and_a_key_needs_a_location():
    with pytest.raises(ValueError, match="locations/glue"):
        StarRocksPermissions()
    with pytest.raises(ValueError, match="kms_key="):
        StarRocksPermissions(glue=GLUE, kms_key=KEY)


def test_glue_only_permissions_render_no_s3():
    _, access = synth(
        lambda s: StarRocksInstanceProfileAccess(
            s, "S", permissions=StarRocksPermissions(glue=GLUE)
        )
    )
    assert not any(k.startswith("aws.s3.") for k in access.properties())
    assert [g.sid for g in access.permissions.grants()] == ["GlueCatalog"]


def test_locations_with_equal_labels_get_indexed_sids():
    # GIVEN two buckets whose names are tokens, so both are labelled by the prefix only
    first = "lake-" + cdk.Token.as_string(cdk.Fn.ref("AWS::StackName"))
    second = "lake-" + cdk.Token.as_string(cdk.Fn.ref("AWS::StackId"))
    perms = StarRocksPermissions(
        locations=[
            S3Location(bucket=first, prefix="raw"),
            S3Location(bucket=second, prefix="raw"),
            S3Location(bucket=first, prefix="curated"),
        ]
    )
    # THEN the clashing labels get their position, the others keep their label
    assert [g.sid for g in perms.grants()] == ["S3Location1", "S3Location2", "S3Curated"]


def test_docs_example_runs_as_written():
    # GIVEN the python block of docs/starrocks.md WHEN run THEN it synthesizes
    import re

    from tests.helpers import ROOT

    text = (ROOT / "docs" / "starrocks.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(.*?)```", text, re.S).group(1)
    exec(compile(code, "docs/starrocks.md", "exec"), {})


# -- what the engine's own clients need (issue: engine-proven permissions) ------------
def test_glue_grants_get_database_on_default_and_nothing_else_there():
    # GIVEN StarRocks with Glue on one database WHEN rendered
    template, _ = instance_profile(glue=GLUE)
    default = [s for s in statements(template).values() if "default" in json.dumps(s)]
    # THEN exactly one statement names database default: GetDatabase on it and the catalog
    assert [s["Sid"] for s in default] == ["GlueCatalogReadHiveDefaultDatabase"]
    assert default[0]["Action"] == "glue:GetDatabase"
    assert [r["Fn::Join"][1][-1] for r in default[0]["Resource"]] == [
        ":catalog",
        ":database/default",
    ]


def test_hive_default_database_can_be_switched_off_for_iceberg_only_catalogs():
    template, _ = instance_profile(glue=GLUE, hive_default_database=False)
    assert not [s for s in statements(template).values() if "default" in json.dumps(s)]


def test_a_granted_default_database_needs_no_extra_statement():
    grant = GlueCatalogGrant(databases=["default"], hive_default_database=True)
    template, _ = instance_profile(glue=grant)
    assert "GlueCatalogReadHiveDefaultDatabase" not in statements(template)
