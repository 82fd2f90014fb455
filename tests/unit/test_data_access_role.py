"""DataAccessRole: one managed policy per grant, stable IDs, composition hooks."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from lakehouse_iam import CrossAccountTrust, DataAccessRole, S3Grant, S3Location
from lakehouse_iam.nag import acknowledged_findings
from tests.helpers import make_app, template_of

TRUST = CrossAccountTrust(role_arn="arn:aws:iam::222222222222:role/v", external_id="ext-1")


def grant(bucket: str, prefix: str | None = None) -> S3Grant:
    return S3Grant(location=S3Location(bucket=bucket, prefix=prefix), actions=S3Grant.READ)


def test_each_grant_is_one_managed_policy_and_no_inline_policy():
    template = template_of(
        lambda stack: DataAccessRole(
            stack, "Role", trust=TRUST, grants=[grant("bucket-a"), grant("bucket-b")]
        )
    )
    template.resource_count_is("AWS::IAM::ManagedPolicy", 2)
    template.resource_count_is("AWS::IAM::Policy", 0)
    role = next(iter(template.find_resources("AWS::IAM::Role").values()))
    assert "Policies" not in role["Properties"]
    assert len(role["Properties"]["ManagedPolicyArns"]) == 2


def test_adding_a_grant_keeps_existing_logical_ids():
    # GIVEN a role with one grant, and the same role with another grant inserted first
    one = template_of(lambda s: DataAccessRole(s, "Role", trust=TRUST, grants=[grant("bucket-a")]))
    two = template_of(
        lambda s: DataAccessRole(
            s, "Role", trust=TRUST, grants=[grant("bucket-z"), grant("bucket-a")]
        )
    )
    # THEN bucket-a's policy keeps its logical ID
    ids_one = set(one.find_resources("AWS::IAM::ManagedPolicy"))
    ids_two = set(two.find_resources("AWS::IAM::ManagedPolicy"))
    assert ids_one < ids_two


def test_duplicate_grant_names_are_rejected():
    with pytest.raises(ValueError, match="used twice"):
        template_of(
            lambda s: DataAccessRole(
                s, "Role", trust=TRUST, grants=[grant("bucket-a"), grant("bucket-a")]
            )
        )


def test_role_name_boundary_and_policy_names_are_deterministic():
    def build(stack: cdk.Stack) -> None:
        boundary = iam.ManagedPolicy.from_managed_policy_name(stack, "Boundary", "data-boundary")
        DataAccessRole(
            stack,
            "Role",
            trust=TRUST,
            grants=[grant("bucket-a", "raw")],
            role_name="lake-reader",
            permissions_boundary=boundary,
        )

    template = template_of(build)
    template.has_resource_properties(
        "AWS::IAM::Role",
        {
            "RoleName": "lake-reader",
            "PermissionsBoundary": assertions.Match.object_like(
                {"Fn::Join": ["", assertions.Match.array_with([":policy/data-boundary"])]}
            ),
        },
    )
    template.has_resource_properties(
        "AWS::IAM::ManagedPolicy", {"ManagedPolicyName": "lake-reader-S3BucketARaw"}
    )


def test_it_is_a_grantable_that_composes_with_cdk_grants():
    # GIVEN an aws-cdk-lib bucket grant to the data-access role
    def build(stack: cdk.Stack) -> None:
        role = DataAccessRole(stack, "Role", trust=TRUST)
        s3.Bucket(stack, "Extra").grant_read(role)

    template = template_of(build)
    # THEN CDK attached its own statements to the role
    template.has_resource_properties(
        "AWS::IAM::Policy",
        {
            "Roles": [
                assertions.Match.object_like({"Ref": assertions.Match.string_like_regexp("^Role")})
            ]
        },
    )


def test_object_wildcard_is_acknowledged_exactly_and_nothing_else():
    app = make_app()
    stack = cdk.Stack(app, "Test")
    role = DataAccessRole(stack, "Role", trust=TRUST, grants=[grant("bucket-a", "raw")])
    ids = set(acknowledged_findings(role.policies["S3BucketARaw"].node.default_child))
    assert ids == {"AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket-a/raw/*]"}


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"role_name": "x" * 65}, "role_name="),
        ({"role_name": "bad name"}, "role_name="),
        ({"description": "d" * 1001}, "description="),
        ({"grants": ["s3:GetObject"]}, "grants[0]="),
        ({"trust": "arn:aws:iam::222222222222:role/v"}, "trust="),
    ],
)
def test_bad_props_are_rejected(kwargs, fragment):
    props = {"trust": TRUST, **kwargs}
    with pytest.raises(ValueError, match="DataAccessRole at Test/Role") as error:
        template_of(lambda s: DataAccessRole(s, "Role", **props))
    assert fragment in str(error.value)


def test_a_policy_with_a_fixed_name_keeps_its_earlier_description():
    # GIVEN a role with role_name= (its policies get fixed names) on a bucket imported by a
    # CfnParameter name, the one case whose policy description changed in this release
    def build(stack: cdk.Stack) -> None:
        name = cdk.CfnParameter(stack, "LakeBucketName").value_as_string
        bucket = s3.Bucket.from_bucket_name(stack, "ImportedLake", name)
        DataAccessRole(
            stack,
            "Role",
            trust=TRUST,
            grants=[
                S3Grant(
                    location=S3Location(bucket=bucket, prefix="raw"),
                    actions=S3Grant.READ,
                    name="Lake",
                )
            ],
            role_name="lake-reader",
        )

    # WHEN it is synthesized
    (policy,) = template_of(build).find_resources("AWS::IAM::ManagedPolicy").values()
    # THEN the named policy keeps the label-based description: CloudFormation replaces a
    # managed policy whose description changes and cannot replace one with a fixed name
    assert policy["Properties"]["ManagedPolicyName"] == "lake-reader-Lake"
    assert policy["Properties"]["Description"] == "S3 access to ImportedLake/raw"
