"""BoilStreamAccess: the vendor's actions per level, and level 3 without an escalation path."""

from __future__ import annotations

import functools
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import (
    BoilStreamAccess,
    BoilStreamLevel,
    BoilStreamVendingGrant,
    DataAccessUser,
    Ec2InstanceTrust,
    EcsTaskTrust,
)
from lakehouse_iam.catalog import iam as iam_catalog
from lakehouse_iam.nag import acknowledged_findings
from lakehouse_iam.vendors.boilstream import catalog as catalog
from tests.helpers import (
    ROOT,
    all_statements,
    as_list,
    managed_policy_statements,
    statement,
    template_of,
)

KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
PARTITION = {"Ref": "AWS::Partition"}


def s3_arn(suffix: str) -> dict:
    return {"Fn::Join": ["", ["arn:", PARTITION, f":s3:::{suffix}"]]}


def render(**kwargs: Any):
    """Template and construct for these props; cached, since tests only read them."""
    props: dict[str, Any] = {"principal": EcsTaskTrust(), "bucket": "lake-bucket"}
    props.update(kwargs)
    return _render(tuple(sorted(props.items(), key=lambda item: item[0])))


@functools.cache
def _render(items: tuple):
    props = dict(items)
    holder: dict[str, BoilStreamAccess] = {}

    def build(stack: cdk.Stack) -> None:
        holder["access"] = BoilStreamAccess(stack, "BoilStream", **props)

    return template_of(build), holder["access"]


def logical_id(template, type_: str, prefix: str) -> str:
    (found,) = [k for k in template.find_resources(type_) if k.startswith(prefix)]
    return found


# -- level 1 ---------------------------------------------------------------------------
def test_level1_whole_bucket_is_exactly_the_vendor_minimal_policy_correctly_placed():
    # GIVEN level 1 without a prefix WHEN rendered
    template, _ = render(level=BoilStreamLevel.INGEST)
    # THEN ListBucket on the bucket, PutObject + AbortMultipartUpload on objects, nothing else
    assert all_statements(template) == [
        {
            "Action": ["s3:AbortMultipartUpload", "s3:PutObject"],
            "Effect": "Allow",
            "Resource": s3_arn("lake-bucket/*"),
            "Sid": "BoilStreamDataObjects",
        },
        {
            "Action": "s3:ListBucket",
            "Effect": "Allow",
            "Resource": s3_arn("lake-bucket"),
            "Sid": "BoilStreamDataList",
        },
    ]


def test_level1_with_prefix_scopes_objects_and_listing():
    template, _ = render(level=BoilStreamLevel.INGEST, prefix="/ingest/events/")
    assert statement(template, "BoilStreamDataObjects")["Resource"] == s3_arn(
        "lake-bucket/ingest/events/*"
    )
    assert statement(template, "BoilStreamDataList")["Condition"] == {
        "StringLike": {"s3:prefix": ["ingest/events/", "ingest/events/*"]}
    }


# -- level 2 ---------------------------------------------------------------------------
def test_level2_adds_get_and_delete_on_objects_only():
    template, _ = render(level=BoilStreamLevel.DUCKLAKE, prefix="lake")
    assert all_statements(template) == [
        {
            "Action": [
                "s3:AbortMultipartUpload",
                "s3:DeleteObject",
                "s3:GetObject",
                "s3:PutObject",
            ],
            "Effect": "Allow",
            "Resource": s3_arn("lake-bucket/lake/*"),
            "Sid": "BoilStreamDataObjects",
        },
        {
            "Action": "s3:ListBucket",
            "Condition": {"StringLike": {"s3:prefix": ["lake/", "lake/*"]}},
            "Effect": "Allow",
            "Resource": s3_arn("lake-bucket"),
            "Sid": "BoilStreamDataList",
        },
    ]


def test_no_object_action_on_the_bucket_arn_and_no_listing_on_objects():
    # GIVEN the vendor's level 2/3 JSON puts every action on both ARNs (a deviation)
    template, _ = render(level=BoilStreamLevel.DUCKLAKE)
    for s in all_statements(template):
        actions = as_list(s["Action"])
        if s["Resource"] == s3_arn("lake-bucket"):
            assert actions == ["s3:ListBucket"]
        else:
            assert "s3:ListBucket" not in actions


# -- level 2b --------------------------------------------------------------------------
def test_cluster_mode_adds_the_vendor_cluster_state_policy_under_the_prefix():
    template, access = render(level=BoilStreamLevel.INGEST, prefix="lake", cluster_mode=True)
    assert statement(template, "BoilStreamClusterStateObjects") == {
        "Action": ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
        "Effect": "Allow",
        "Resource": s3_arn("lake-bucket/lake/cluster_state/*"),
        "Sid": "BoilStreamClusterStateObjects",
    }
    assert statement(template, "BoilStreamClusterStateList") == {
        "Action": "s3:ListBucket",
        "Condition": {"StringLike": {"s3:prefix": ["lake/cluster_state/", "lake/cluster_state/*"]}},
        "Effect": "Allow",
        "Resource": s3_arn("lake-bucket"),
        "Sid": "BoilStreamClusterStateList",
    }
    # AND the level-1 data grant is unchanged (cluster mode combines, never widens data)
    assert statement(template, "BoilStreamDataObjects")["Action"] == [
        "s3:AbortMultipartUpload",
        "s3:PutObject",
    ]
    assert access.cluster_location.normalized_prefix == "lake/cluster_state"


def test_cluster_state_defaults_to_bucket_root_directory_without_prefix_and_can_be_moved():
    template, _ = render(level=BoilStreamLevel.DUCKLAKE, cluster_mode=True)
    assert statement(template, "BoilStreamClusterStateObjects")["Resource"] == s3_arn(
        "lake-bucket/cluster_state/*"
    )
    template, _ = render(
        level=BoilStreamLevel.DUCKLAKE, cluster_mode=True, cluster_state_prefix="ops/cluster"
    )
    assert statement(template, "BoilStreamClusterStateObjects")["Resource"] == s3_arn(
        "lake-bucket/ops/cluster/*"
    )


# -- level 3 ---------------------------------------------------------------------------
def vending_template(**kwargs: Any):
    template, access = render(level=BoilStreamLevel.CREDENTIAL_VENDING, prefix="lake", **kwargs)
    boilstream_role = logical_id(template, "AWS::IAM::Role", "BoilStreamRole")
    access_role = logical_id(template, "AWS::IAM::Role", "BoilStreamAccessRole")
    return template, access, boilstream_role, access_role


def test_level3_boilstream_gets_get_role_and_assume_role_on_exactly_the_access_role():
    template, _, boilstream_role, access_role = vending_template()
    access_arn = {"Fn::GetAtt": [access_role, "Arn"]}
    vending_id = logical_id(template, "AWS::IAM::ManagedPolicy", "BoilStreamBoilStreamVending")
    policy = template.find_resources("AWS::IAM::ManagedPolicy")[vending_id]["Properties"]
    assert policy["PolicyDocument"]["Statement"] == [
        {
            "Action": "iam:GetRole",
            "Effect": "Allow",
            "Resource": access_arn,
            "Sid": "BoilStreamVendingGetAccessRole",
        },
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Resource": access_arn,
            "Sid": "BoilStreamVendingAssumeAccessRole",
        },
    ]
    # AND it is attached to the BoilStream role (from the policy side: no dependency cycle)
    assert policy["Roles"] == [{"Ref": boilstream_role}]
    # AND BoilStream keeps level 2 data permissions
    assert statement(template, "BoilStreamDataObjects")["Action"] == [
        "s3:AbortMultipartUpload",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:PutObject",
    ]


def test_level3_has_no_iam_action_on_star_and_no_role_creation_at_all():
    template, _, _, _ = vending_template()
    statements = all_statements(template)
    on_star = [a for s in statements if s["Resource"] == "*" for a in as_list(s["Action"])]
    # THEN nothing is granted on * (sts:GetCallerIdentity needs no permission at all)
    assert on_star == []
    granted = {a for s in statements for a in as_list(s["Action"])}
    assert not {a for a in granted if a.startswith("iam:")} - {"iam:GetRole"}
    assert "iam:CreateRole" not in granted and "iam:PutRolePolicy" not in granted
    # AND no statement in the template carries a wildcard action
    assert not [a for a in granted if "*" in a]


def test_level3_access_role_is_s3_only_trusts_exactly_boilstream_and_is_boundary_capped():
    template, access, boilstream_role, access_role = vending_template()
    role = template.find_resources("AWS::IAM::Role")[access_role]["Properties"]
    assert role["RoleName"] == "ducklake-lake-bucket-access"
    assert role["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRole",
            "Effect": "Allow",
            "Principal": {"AWS": {"Fn::GetAtt": [boilstream_role, "Arn"]}},
        }
    ]
    boundary_id = logical_id(template, "AWS::IAM::ManagedPolicy", "BoilStreamAccessRoleBoundary")
    assert role["PermissionsBoundary"] == {"Ref": boundary_id}
    policies = managed_policy_statements(template)
    access_policies = [policies[p["Ref"]] for p in role["ManagedPolicyArns"]]
    expected_data = [
        {
            "Action": [
                "s3:AbortMultipartUpload",
                "s3:DeleteObject",
                "s3:GetObject",
                "s3:PutObject",
            ],
            "Effect": "Allow",
            "Resource": s3_arn("lake-bucket/lake/*"),
            "Sid": "DuckLakeDataObjects",
        },
        {
            "Action": "s3:ListBucket",
            "Condition": {"StringLike": {"s3:prefix": ["lake/", "lake/*"]}},
            "Effect": "Allow",
            "Resource": s3_arn("lake-bucket"),
            "Sid": "DuckLakeDataList",
        },
    ]
    assert access_policies == [expected_data]
    # AND the boundary allows exactly the same, so no later inline policy can exceed it
    assert policies[boundary_id] == expected_data
    assert access.access_role_boundary is not None


def test_level3_policy_writes_are_opt_in_on_the_exact_role_under_its_boundary():
    template, _, _, access_role = vending_template(allow_access_role_policy_writes=True)
    boundary_id = logical_id(template, "AWS::IAM::ManagedPolicy", "BoilStreamAccessRoleBoundary")
    assert statement(template, "BoilStreamVendingPutAccessRolePolicy") == {
        "Action": "iam:PutRolePolicy",
        "Condition": {"StringEquals": {"iam:PermissionsBoundary": {"Ref": boundary_id}}},
        "Effect": "Allow",
        "Resource": {"Fn::GetAtt": [access_role, "Arn"]},
        "Sid": "BoilStreamVendingPutAccessRolePolicy",
    }
    # AND no role-writing IAM action is on anything but that exact role
    for s in all_statements(template):
        if set(as_list(s["Action"])) & set(iam_catalog.ROLE_WRITE_ACTIONS):
            assert s["Resource"] == {"Fn::GetAtt": [access_role, "Arn"]}
            assert "iam:PermissionsBoundary" in s["Condition"]["StringEquals"]
    assert "iam:CreateRole" not in {
        a for s in all_statements(template) for a in as_list(s["Action"])
    }


def test_level3_vending_policy_needs_no_acknowledgment():
    # GIVEN level 3 WHEN the vending policy is built (no sts:GetCallerIdentity on *)
    _, access, _, _ = vending_template()
    policy = access.policies["BoilStreamVending"]
    # THEN no cdk-nag finding had to be acknowledged on it
    assert list(acknowledged_findings(policy.node.default_child)) == []


def test_vending_grant_requires_a_boundary_for_policy_writes():
    with pytest.raises(ValueError, match="boundary_arn=None"):
        BoilStreamVendingGrant(
            access_role_arn="arn:aws:iam::111111111111:role/ducklake-b-access",
            allow_policy_writes=True,
        )


def test_level3_with_kms_key_gives_the_access_role_the_key_too():
    template, _, _, access_role = vending_template(kms_key=KEY)
    role = template.find_resources("AWS::IAM::Role")[access_role]["Properties"]
    policies = managed_policy_statements(template)
    kms = [s for p in role["ManagedPolicyArns"] for s in policies[p["Ref"]] if s["Resource"] == KEY]
    assert [s["Action"] for s in kms] == [["kms:Decrypt", "kms:GenerateDataKey"]]


# -- principals ------------------------------------------------------------------------
def test_existing_role_gets_customer_managed_policies_and_no_role_is_created():
    def build(stack: cdk.Stack) -> None:
        role = iam.Role.from_role_name(stack, "Existing", "boilstream-node")
        BoilStreamAccess(
            stack, "BoilStream", principal=role, bucket="lake-bucket", level=BoilStreamLevel.INGEST
        )

    template = template_of(build)
    template.resource_count_is("AWS::IAM::Role", 0)
    template.resource_count_is("AWS::IAM::Policy", 0)
    (policy,) = template.find_resources("AWS::IAM::ManagedPolicy").values()
    assert policy["Properties"]["Roles"] == ["boilstream-node"]


def test_existing_role_at_level3_is_the_exact_trusted_principal_of_the_access_role():
    def build(stack: cdk.Stack) -> None:
        role = iam.Role.from_role_arn(
            stack, "Existing", "arn:aws:iam::111111111111:role/boilstream-node"
        )
        BoilStreamAccess(
            stack,
            "BoilStream",
            principal=role,
            bucket="lake-bucket",
            level=BoilStreamLevel.CREDENTIAL_VENDING,
        )

    template = template_of(build)
    (role,) = template.find_resources("AWS::IAM::Role").values()
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"][0]["Principal"] == {
        "AWS": "arn:aws:iam::111111111111:role/boilstream-node"
    }
    vending = [
        p for k, p in template.find_resources("AWS::IAM::ManagedPolicy").items() if "Vending" in k
    ]
    assert [p["Properties"]["Roles"] for p in vending] == [["boilstream-node"]]


def test_grantable_whose_principal_is_a_group_gets_the_policies_on_the_group():
    def build(stack: cdk.Stack) -> None:
        user = DataAccessUser(stack, "Static", grants=[], create_access_key=False)
        BoilStreamAccess(
            stack,
            "BoilStream",
            principal=user,
            bucket="lake-bucket",
            level=BoilStreamLevel.DUCKLAKE,
        )

    template = template_of(build)
    (group_id,) = template.find_resources("AWS::IAM::Group")
    (policy,) = template.find_resources("AWS::IAM::ManagedPolicy").values()
    assert policy["Properties"]["Groups"] == [{"Ref": group_id}]


def test_ec2_trust_creates_the_role_and_its_instance_profile():
    template, access = render(principal=Ec2InstanceTrust(), level=BoilStreamLevel.DUCKLAKE)
    template.resource_count_is("AWS::IAM::InstanceProfile", 1)
    assert access.data_access_role is not None and access.role is access.data_access_role.role


# -- validation ------------------------------------------------------------------------
def test_level3_needs_a_role_principal():
    def build(stack: cdk.Stack) -> None:
        group = iam.Group(stack, "Group")
        BoilStreamAccess(
            stack,
            "BoilStream",
            principal=group,
            bucket="lake-bucket",
            level=BoilStreamLevel.CREDENTIAL_VENDING,
        )

    with pytest.raises(ValueError, match="a Trust or a role for level 3"):
        template_of(build)


def test_all_problems_reported_together():
    with pytest.raises(ValueError) as error:
        render(
            level=BoilStreamLevel.INGEST,
            access_role_name="ducklake-x-access",
            allow_access_role_policy_writes=True,
            cluster_state_prefix="cs",
        )
    message = str(error.value)
    assert "access_role_name='ducklake-x-access'" in message
    assert "allow_access_role_policy_writes=True" in message
    assert "cluster_state_prefix='cs'" in message


def test_role_name_is_rejected_for_an_existing_role():
    def build(stack: cdk.Stack) -> None:
        role = iam.Role.from_role_name(stack, "Existing", "boilstream-node")
        BoilStreamAccess(
            stack,
            "BoilStream",
            principal=role,
            bucket="lake-bucket",
            level=BoilStreamLevel.INGEST,
            role_name="other",
        )

    with pytest.raises(ValueError, match="role_name='other'"):
        template_of(build)


def test_default_access_role_name_too_long_for_iam_is_rejected():
    bucket = "b" * 50
    with pytest.raises(ValueError, match="at most 64 characters"):
        render(level=BoilStreamLevel.CREDENTIAL_VENDING, bucket=bucket)
    # AND an explicit shorter name is accepted
    template, _ = render(
        level=BoilStreamLevel.CREDENTIAL_VENDING, bucket=bucket, access_role_name="ducklake-access"
    )
    names = [
        r["Properties"].get("RoleName") for r in template.find_resources("AWS::IAM::Role").values()
    ]
    assert "ducklake-access" in names


def test_level_must_be_a_boilstream_level():
    with pytest.raises(ValueError, match="level=3 is invalid"):
        render(level=3)


# -- catalog ---------------------------------------------------------------------------
def test_catalog_levels_are_the_vendor_tables():
    assert catalog.S3_ACTIONS_BY_LEVEL[BoilStreamLevel.INGEST] == (
        "s3:AbortMultipartUpload",
        "s3:ListBucket",
        "s3:PutObject",
    )
    assert set(catalog.DUCKLAKE) == set(catalog.INGEST) | {"s3:GetObject", "s3:DeleteObject"}
    assert catalog.CLUSTER_STATE == (
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
    )
    for deviation in catalog.DEVIATIONS:
        assert "https://docs.aws.amazon.com/" in deviation.why, deviation.topic


def test_docs_page_names_every_catalog_deviation_and_level():
    # GIVEN the catalog is the source of truth THEN the docs page covers all of it
    page = (ROOT / "docs" / "boilstream.md").read_text(encoding="utf-8")
    for deviation in catalog.DEVIATIONS:
        assert f"| {deviation.topic} |" in page, deviation.topic
    for name in [level.name for level in BoilStreamLevel] + ["Residual risk"]:
        assert name in page
