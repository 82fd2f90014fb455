"""The report CLI on a throwaway app that uses only plain aws-cdk-lib IAM (no lakehouse_iam)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3

from lakehouse_iam.__main__ import main


def build_plain_app(outdir: Path) -> None:
    """Every way CloudFormation attaches a policy, plus a stage (a nested assembly)."""
    app = cdk.App(outdir=str(outdir))
    stack = cdk.Stack(app, "Plain")
    bucket = s3.Bucket(stack, "Data")
    reader = iam.Role(
        stack,
        "Reader",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com").with_conditions(
            {"StringEquals": {"aws:SourceAccount": "111111111111"}}
        ),
        inline_policies={
            "Logs": iam.PolicyDocument(
                statements=[
                    iam.PolicyStatement(
                        actions=["logs:PutLogEvents", "logs:CreateLogStream"],
                        resources=["arn:aws:logs:us-east-1:111111111111:log-group:/app:*"],
                    )
                ]
            )
        },
        managed_policies=[iam.ManagedPolicy.from_aws_managed_policy_name("ReadOnlyAccess")],
    )
    iam.Policy(
        stack,
        "ReadData",
        roles=[reader],
        statements=[
            iam.PolicyStatement(
                actions=["s3:GetObject"], resources=[bucket.arn_for_objects("raw/*")]
            )
        ],
    )
    listing = iam.ManagedPolicy(
        stack,
        "Listing",
        statements=[
            iam.PolicyStatement(
                actions=["s3:ListBucket"],
                resources=[bucket.bucket_arn],
                conditions={"StringLike": {"s3:prefix": ["raw/*"]}},
            )
        ],
    )
    reader.add_managed_policy(listing)  # attached through the role's ManagedPolicyArns
    iam.ManagedPolicy(  # attached through the policy's own Roles property
        stack,
        "DenyDeletes",
        roles=[reader],
        statements=[
            iam.PolicyStatement(
                effect=iam.Effect.DENY, actions=["s3:DeleteObject"], resources=["*"]
            )
        ],
    )
    analysts = iam.Group(stack, "Analysts")
    analysts.add_user(iam.User(stack, "Analyst"))
    iam.Policy(
        stack,
        "AnalystsRead",
        groups=[analysts],
        statements=[
            iam.PolicyStatement(actions=["s3:GetObject"], resources=[bucket.arn_for_objects("*")])
        ],
    )
    existing = iam.Role.from_role_name(stack, "Existing", "existing-role")
    iam.Policy(
        stack,
        "WriteExisting",
        roles=[existing],
        statements=[
            iam.PolicyStatement(
                actions=["s3:PutObject"], resources=[bucket.arn_for_objects("out/*")]
            )
        ],
    )
    prod = cdk.Stage(app, "Prod")
    vendor_stack = cdk.Stack(prod, "Vendor")
    iam.Role(
        vendor_stack,
        "VendorRole",
        assumed_by=iam.AccountPrincipal("222222222222").with_conditions(
            {"StringEquals": {"sts:ExternalId": "tenant-1"}}
        ),
    )
    app.synth()


@pytest.fixture(scope="module")
def plain_cdk_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    outdir = tmp_path_factory.mktemp("plain-cdk.out")
    build_plain_app(outdir)
    return outdir


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def plain_json(plain_cdk_out: Path) -> dict[str, Any]:
    from lakehouse_iam.report import build_report

    return build_report(plain_cdk_out).to_dict()


def principal(report: dict[str, Any], stack: str, name: str) -> dict[str, Any]:
    (stack_report,) = [s for s in report["stacks"] if s["display_name"] == stack]
    matches = [p for p in stack_report["principals"] if p["name"] == name]
    assert len(matches) == 1, [p["name"] for p in stack_report["principals"]]
    return matches[0]


def by_resource(p: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {f"{x['effect']} {x['resource']}": x for x in p["permissions"]}


def test_json_lists_every_principal_of_every_stack_including_stages(
    capsys, plain_cdk_out, plain_json
):
    # WHEN the CLI prints JSON for a plain CDK app
    code, out, _ = run(capsys, "report", str(plain_cdk_out), "--format", "json")
    # THEN it is the report, with roles, users, groups, the imported role and the stage stack
    assert code == 0
    assert json.loads(out) == plain_json
    found = {
        (s["display_name"], p["kind"], p["name"], p["defined_in_app"])
        for s in plain_json["stacks"]
        for p in s["principals"]
    }
    assert found == {
        ("Plain", "role", "Reader", True),
        ("Plain", "role", "existing-role", False),
        ("Plain", "user", "Analyst", True),
        ("Plain", "group", "Analysts", True),
        ("Prod/Vendor", "role", "VendorRole", True),
    }


def test_role_collects_inline_policy_resource_and_both_managed_policy_attachments(plain_json):
    reader = principal(plain_json, "Plain", "Reader")
    permissions = by_resource(reader)
    # THEN every attachment path contributes, with readable resources and their scope
    assert set(permissions) == {
        "Allow arn:aws:logs:us-east-1:111111111111:log-group:/app:*",
        "Allow <Data.Arn>/raw/*",
        "Allow <Data.Arn>",
        "Deny *",
    }
    logs = permissions["Allow arn:aws:logs:us-east-1:111111111111:log-group:/app:*"]
    assert logs["actions"] == ["logs:CreateLogStream", "logs:PutLogEvents"]
    assert logs["policies"] == ["inline Logs"]
    assert logs["scope"] == "log group"
    objects = permissions["Allow <Data.Arn>/raw/*"]
    assert (objects["actions"], objects["scope"], objects["policies"]) == (
        ["s3:GetObject"],
        "objects under raw/",
        ["ReadData"],
    )
    listing = permissions["Allow <Data.Arn>"]
    assert listing["actions"] == ["s3:ListBucket"]
    assert listing["conditions"] == [
        {"operator": "StringLike", "key": "s3:prefix", "values": ["raw/*"]}
    ]
    assert listing["policies"] == ["Listing"]
    assert permissions["Deny *"]["actions"] == ["s3:DeleteObject"]
    assert permissions["Deny *"]["policies"] == ["DenyDeletes"]
    # AND the AWS managed policy is named, since its statements are not in the assembly
    assert reader["other_policies"] == ["arn:<AWS::Partition>:iam::aws:policy/ReadOnlyAccess"]


def test_trust_shows_principal_and_conditions(plain_json):
    (trust,) = principal(plain_json, "Plain", "Reader")["trust"]
    assert trust["actions"] == ["sts:AssumeRole"]
    assert trust["principals"] == [{"type": "Service", "value": "lambda.amazonaws.com"}]
    assert trust["conditions"] == [
        {"operator": "StringEquals", "key": "aws:SourceAccount", "values": ["111111111111"]}
    ]
    (vendor_trust,) = principal(plain_json, "Prod/Vendor", "VendorRole")["trust"]
    assert vendor_trust["principals"] == [
        {"type": "AWS", "value": "arn:<AWS::Partition>:iam::222222222222:root"}
    ]
    assert vendor_trust["conditions"] == [
        {"operator": "StringEquals", "key": "sts:ExternalId", "values": ["tenant-1"]}
    ]


def test_user_gets_its_groups_permissions_and_imported_role_its_policy(plain_json):
    analyst = principal(plain_json, "Plain", "Analyst")
    assert analyst["groups"] == ["Analysts"]
    (via_group,) = analyst["permissions"]
    assert via_group["resource"] == "<Data.Arn>/*"
    assert via_group["scope"] == "every object in the bucket"
    assert via_group["policies"] == ["via group Analysts: AnalystsRead"]
    (external,) = principal(plain_json, "Plain", "existing-role")["permissions"]
    assert (external["actions"], external["resource"]) == (["s3:PutObject"], "<Data.Arn>/out/*")


def test_table_is_aligned_text_per_principal(capsys, plain_cdk_out):
    code, out, _ = run(capsys, "report", str(plain_cdk_out))
    assert code == 0
    lines = out.splitlines()
    assert "Stack Prod/Vendor" in lines
    assert "role Reader" in lines
    at = next(i for i, line in enumerate(lines) if "<Data.Arn>/raw/*" in line)
    row = lines[at]
    header = next(line for line in reversed(lines[:at]) if "RESOURCE" in line)
    # THEN columns line up: the resource sits under the RESOURCE header
    assert row.index("<Data.Arn>/raw/*") == header.index("RESOURCE")
    assert "  also attached (statements not in this assembly): " in out


def test_markdown_has_a_table_row_per_resource(capsys, plain_cdk_out):
    code, out, _ = run(capsys, "report", str(plain_cdk_out), "--format", "markdown")
    assert code == 0
    assert "### role `Reader`" in out
    assert (
        "| Allow | `s3:GetObject` | `<Data.Arn>/raw/*` | objects under raw/ | none | ReadData |"
        in out
    )
    assert "| Deny | `s3:DeleteObject` | `*` | any resource | none | DenyDeletes |" in out
    assert (
        "| Allow | `sts:AssumeRole` | AWS: `arn:<AWS::Partition>:iam::222222222222:root` | "
        "`StringEquals sts:ExternalId = tenant-1` |"
    ) in out
