"""Trino: one role per run mode with the same S3, SSE-KMS and Glue policies."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import (
    Ec2InstanceTrust,
    EcsTaskTrust,
    GlueCatalogGrant,
    IrsaTrust,
    PodIdentityTrust,
    RoleTrust,
    S3Location,
)
from lakehouse_iam.vendors.trino.access import TrinoAccess, TrinoPermissions
from tests.helpers import as_list, make_app

KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
ISSUER = "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
LAKE = S3Location(bucket="lake", prefix="warehouse")
GLUE = GlueCatalogGrant(databases=["sales"], tables=["sales.orders"], write=True)


def arn(service: str, suffix: str) -> dict:
    return {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":{service}{suffix}"]]}


def glue(suffix: str) -> dict:
    return {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":glue:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                f":{suffix}",
            ],
        ]
    }


def permissions(**kwargs: Any) -> TrinoPermissions:
    props: dict[str, Any] = {"locations": [LAKE], "glue": GLUE}
    props.update(kwargs)
    return TrinoPermissions(**props)


def synth(trust: Any = None, **kwargs: Any) -> tuple[dict[str, Any], TrinoAccess]:
    app = make_app()
    stack = cdk.Stack(app, "Test")
    access = TrinoAccess(
        stack, "Trino", permissions=permissions(**kwargs), trust=trust or Ec2InstanceTrust()
    )
    return app.synth().get_stack_by_name("Test").template, access


def statements(template: dict) -> dict[str, dict]:
    return {
        s["Sid"]: s
        for r in template["Resources"].values()
        if r["Type"] == "AWS::IAM::ManagedPolicy"
        for s in r["Properties"]["PolicyDocument"]["Statement"]
    }


def trust_of(template: dict) -> list[dict]:
    (role,) = [r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role"]
    return role["Properties"]["AssumeRolePolicyDocument"]["Statement"]


# -- S3 ------------------------------------------------------------------------------------
def test_read_is_get_object_under_the_prefix_and_a_prefix_conditioned_list():
    # GIVEN the default s3_access WHEN synthesized THEN exactly these S3 statements
    template, _ = synth()
    found = statements(template)
    assert found["S3LakeWarehouseObjects"] == {
        "Action": "s3:GetObject",
        "Effect": "Allow",
        "Resource": arn("s3", ":::lake/warehouse/*"),
        "Sid": "S3LakeWarehouseObjects",
    }
    # native S3 lists prefix/ only: no bare prefix, no directory-key HEAD (unlike S3A)
    assert found["S3LakeWarehouseList"] == {
        "Action": "s3:ListBucket",
        "Condition": {"StringLike": {"s3:prefix": ["warehouse/", "warehouse/*"]}},
        "Effect": "Allow",
        "Resource": arn("s3", ":::lake"),
        "Sid": "S3LakeWarehouseList",
    }
    assert "S3LakeWarehousePrefixKey" not in found


def test_read_write_adds_put_delete_and_abort_multipart_upload():
    template, _ = synth(s3_access="read_write")
    assert statements(template)["S3LakeWarehouseObjects"]["Action"] == [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:PutObject",
    ]


def test_kms_key_is_granted_through_s3_for_the_locations_only():
    template, _ = synth(kms_key=KEY, s3_access="read_write")
    assert statements(template)["SseKmsViaS3"] == {
        "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
        "Condition": {
            "StringEquals": {
                "kms:ViaService": {
                    "Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]
                }
            },
            "StringLike": {
                "kms:EncryptionContext:aws:s3:arn": [
                    arn("s3", ":::lake"),
                    arn("s3", ":::lake/warehouse/*"),
                ]
            },
        },
        "Effect": "Allow",
        "Resource": KEY,
        "Sid": "SseKmsViaS3",
    }


# -- Glue ----------------------------------------------------------------------------------
TABLE_RESOURCES = [glue("catalog"), glue("database/sales"), glue("table/sales/orders")]


def test_glue_read_write_is_exactly_what_trino_sends_on_the_listed_table():
    # GIVEN write=True on one listed table WHEN synthesized THEN these exact statements
    template, _ = synth()
    found = statements(template)
    assert found["GlueCatalogReadDatabaseList"] == {
        "Action": "glue:GetDatabases",
        "Effect": "Allow",
        "Resource": [glue("catalog"), glue("database/*")],
        "Sid": "GlueCatalogReadDatabaseList",
    }
    assert found["GlueCatalogReadDatabases"] == {
        "Action": "glue:GetDatabase",
        "Effect": "Allow",
        "Resource": [glue("catalog"), glue("database/sales")],
        "Sid": "GlueCatalogReadDatabases",
    }
    assert found["GlueCatalogReadTables"] == {
        "Action": [
            "glue:BatchGetPartition",
            "glue:GetColumnStatisticsForPartition",
            "glue:GetColumnStatisticsForTable",
            "glue:GetPartition",
            "glue:GetPartitions",
            "glue:GetTable",
            "glue:GetTables",
        ],
        "Effect": "Allow",
        "Resource": TABLE_RESOURCES,
        "Sid": "GlueCatalogReadTables",
    }
    assert found["GlueCatalogWriteTables"] == {
        "Action": [
            "glue:BatchCreatePartition",
            "glue:BatchUpdatePartition",
            "glue:CreateTable",
            "glue:DeleteColumnStatisticsForPartition",
            "glue:DeleteColumnStatisticsForTable",
            "glue:DeletePartition",
            "glue:DeleteTable",
            "glue:UpdateColumnStatisticsForPartition",
            "glue:UpdateColumnStatisticsForTable",
            "glue:UpdatePartition",
            "glue:UpdateTable",
        ],
        "Effect": "Allow",
        "Resource": TABLE_RESOURCES,
        "Sid": "GlueCatalogWriteTables",
    }
    # no database write, no default database, no connection, no function
    assert {s for s in found if s.startswith("Glue")} == {
        "GlueCatalogReadDatabaseList",
        "GlueCatalogReadDatabases",
        "GlueCatalogReadTables",
        "GlueCatalogWriteTables",
    }


def test_read_only_glue_has_no_statistics_writes():
    template, _ = synth(glue=GlueCatalogGrant(databases=["sales"], tables=["sales.orders"]))
    actions = {a for s in statements(template).values() for a in as_list(s["Action"])}
    assert {a for a in actions if a.startswith("glue:")} == {
        "glue:BatchGetPartition",
        "glue:GetColumnStatisticsForPartition",
        "glue:GetColumnStatisticsForTable",
        "glue:GetDatabase",
        "glue:GetDatabases",
        "glue:GetPartition",
        "glue:GetPartitions",
        "glue:GetTable",
        "glue:GetTables",
    }


def test_all_tables_is_the_opt_in_database_wide_table_grant():
    # GIVEN a database without a table list and all_tables=True
    template, _ = synth(glue=GlueCatalogGrant(databases=["sales"], write=True), all_tables=True)
    # THEN table actions (CreateTable included) sit on table/sales/*
    write = statements(template)["GlueCatalogWriteTables"]
    assert write["Resource"] == [glue("catalog"), glue("database/sales"), glue("table/sales/*")]
    assert "glue:CreateTable" in write["Action"]


def test_a_database_without_a_table_list_needs_all_tables():
    # GIVEN a database-wide grant without the opt-in THEN a ValueError says what to do
    with pytest.raises(ValueError, match="all_tables=True for a database-wide table grant"):
        permissions(glue=GlueCatalogGrant(databases=["sales"], write=True))


# -- trusts and run modes ------------------------------------------------------------------
def test_each_trust_selects_its_run_mode():
    provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn
    cases = {
        "instance-profile": lambda s: Ec2InstanceTrust(),
        "irsa": lambda s: IrsaTrust(
            oidc_provider=provider(
                s,
                "P",
                "arn:aws:iam::111111111111:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/X",
            ),
            namespace="trino",
            service_account="trino",
        ),
        "pod-identity": lambda s: PodIdentityTrust(
            cluster_name="lake", namespace="trino", service_account="trino"
        ),
        "assumed-role": lambda s: RoleTrust(role="arn:aws:iam::111111111111:role/trino-nodes"),
    }
    for mode, make in cases.items():
        stack = cdk.Stack(make_app(), "T")
        assert (
            TrinoAccess(stack, "T", permissions=permissions(), trust=make(stack)).run_mode == mode
        )


def test_assumed_role_trusts_exactly_the_cluster_role_with_the_external_id():
    template, _ = synth(
        RoleTrust(role="arn:aws:iam::111111111111:role/trino-nodes", external_id="ext-1")
    )
    assert trust_of(template) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "ext-1"}},
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::111111111111:role/trino-nodes"},
        }
    ]


def test_irsa_trusts_one_service_account():
    template, _ = synth(IrsaTrust(oidc_provider=ISSUER, namespace="trino", service_account="trino"))
    (statement,) = trust_of(template)
    issuer = ISSUER.removeprefix("https://")
    assert statement["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert statement["Condition"] == {
        "StringEquals": {
            f"{issuer}:sub": "system:serviceaccount:trino:trino",
            f"{issuer}:aud": "sts.amazonaws.com",
        }
    }


def test_irsa_mode_renders_the_service_account_manifest_and_other_modes_refuse():
    app = make_app()
    stack = cdk.Stack(app, "T")
    trust = IrsaTrust(oidc_provider=ISSUER, namespace="trino", service_account="trino-sa")
    irsa = TrinoAccess(stack, "Irsa", permissions=permissions(), trust=trust)
    manifest = stack.resolve(irsa.service_account_manifest())
    role = {"Fn::GetAtt": [stack.get_logical_id(irsa.role.node.default_child), "Arn"]}
    assert manifest == {
        "Fn::Join": [
            "",
            [
                '{"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"trino-sa",'
                '"namespace":"trino","annotations":{"eks.amazonaws.com/role-arn":"',
                role,
                '"}}}',
            ],
        ]
    }
    profile = TrinoAccess(stack, "Ec2", permissions=permissions(), trust=Ec2InstanceTrust())
    with pytest.raises(ValueError, match="run mode='instance-profile'"):
        profile.service_account_manifest()


def test_instance_profile_mode_exposes_its_instance_profile():
    _, access = synth()
    assert isinstance(access.instance_profile, iam.InstanceProfile)
    _, pods = synth(PodIdentityTrust(cluster_name="lake"))
    assert pods.instance_profile is None


# -- validation ------------------------------------------------------------------------------
def test_bad_permissions_are_reported_all_at_once():
    with pytest.raises(ValueError) as error:
        TrinoPermissions(
            locations=[],
            glue=GlueCatalogGrant(
                databases=["sales"],
                tables=["sales.orders"],
                connections=["jdbc"],
                hive_default_database=True,
            ),
            s3_access="write",
            s3_region="Europe",
        )
    message = str(error.value)
    for fragment in (
        "locations=[]",
        "s3_access='write'",
        "glue.connections=('jdbc',)",
        "glue.hive_default_database=True",
        "s3_region='Europe'",
    ):
        assert fragment in message, fragment


def test_an_unknown_trust_is_rejected():
    stack = cdk.Stack(make_app(), "T")
    with pytest.raises(ValueError, match=r"trust=.*an IrsaTrust, PodIdentityTrust"):
        TrinoAccess(stack, "T", permissions=permissions(), trust=EcsTaskTrust())  # type: ignore[arg-type]


def test_an_unknown_connector_is_rejected():
    _, access = synth()
    with pytest.raises(ValueError, match=r"connector='hudi'.*one of hive, iceberg, delta_lake"):
        access.properties("hudi")
