"""The report follows references to other stacks (Fn::ImportValue, Fn::GetStackOutput) and
renders them like any other reference, keeping the acknowledged wildcard's reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lakehouse_iam.report import build_report
from lakehouse_iam.report.intrinsics import IntrinsicRenderer, StackOutputs

BUCKET_ARN = {"Fn::GetAtt": ["Bucket83908E77", "Arn"]}
REASON = "S3 object actions are authorized per object ARN; bucket/prefix/* is the narrowest."


def storage_template() -> dict[str, Any]:
    return {
        "Resources": {"Bucket83908E77": {"Type": "AWS::S3::Bucket"}},
        "Outputs": {
            "ExportsOutputFnGetAttBucket83908E77Arn063C8555": {
                "Value": BUCKET_ARN,
                "Export": {"Name": "Storage:ExportsOutputFnGetAttBucket83908E77Arn063C8555"},
            },
            "PublishOutputFnGetAttBucket83908E77Arn0F129B3B": {"Value": BUCKET_ARN},
        },
    }


def role_using(bucket_arn: Any) -> dict[str, Any]:
    objects = {"Fn::Join": ["", [bucket_arn, "/rw/*"]]}
    return {
        "Resources": {
            "RoleABCDEF12": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Statement": [
                            {
                                "Effect": "Allow",
                                "Action": "sts:AssumeRole",
                                "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                            }
                        ]
                    }
                },
            },
            "PolicyABCDEF12": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "Roles": [{"Ref": "RoleABCDEF12"}],
                    "PolicyDocument": {
                        "Statement": [
                            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": objects}
                        ]
                    },
                },
            },
        }
    }


def write_assembly(directory: Path, stacks: dict[str, dict[str, Any]], acks: dict) -> Path:
    artifacts = {}
    for name, template in stacks.items():
        (directory / f"{name}.template.json").write_text(json.dumps(template))
        metadata = {
            f"/{name}/Policy/Resource": [{"type": "aws:cdk:logicalId", "data": "PolicyABCDEF12"}],
            f"/{name}/Role/Resource": [{"type": "aws:cdk:logicalId", "data": "RoleABCDEF12"}],
        }
        if name in acks:
            metadata[f"/{name}/Policy"] = [
                {"type": "aws:cdk:acknowledged-rules", "data": {acks[name]: REASON}}
            ]
        artifacts[name] = {
            "type": "aws:cloudformation:stack",
            "environment": "aws://unknown-account/unknown-region",
            "properties": {"templateFile": f"{name}.template.json", "stackName": name},
            "displayName": name,
            "metadata": metadata,
        }
    (directory / "manifest.json").write_text(
        json.dumps({"version": "55.0.0", "artifacts": artifacts})
    )
    return directory


STRONG = {"Fn::ImportValue": "Storage:ExportsOutputFnGetAttBucket83908E77Arn063C8555"}
WEAK = {
    "Fn::GetStackOutput": {
        "StackName": "Storage",
        "Region": {"Ref": "AWS::Region"},
        "OutputName": "PublishOutputFnGetAttBucket83908E77Arn0F129B3B",
    }
}


def finding(raw: Any) -> str:
    """The ID cdk-nag reports for ``raw``/rw/* (what the app acknowledged)."""
    from lakehouse_iam._private.cfn_reference import flatten_cfn_reference

    return f"AwsSolutions-IAM5[Resource::{flatten_cfn_reference(raw)}/rw/*]"


@pytest.mark.parametrize("reference", [STRONG, WEAK], ids=["Fn::ImportValue", "Fn::GetStackOutput"])
def test_a_reference_to_another_stack_reads_like_any_reference_with_its_reason(tmp_path, reference):
    # GIVEN a storage stack exporting its bucket and a roles stack whose policy uses it
    write_assembly(
        tmp_path,
        {"Storage": storage_template(), "Roles": role_using(reference)},
        {"Roles": finding(reference)},
    )
    # WHEN the report reads the assembly
    report = build_report(tmp_path)
    (role,) = [p for s in report.stacks for p in s.principals if s.stack == "Roles"]
    (permission,) = role.permissions
    # THEN the resource is the producing stack's bucket, not raw JSON, with its reason
    assert permission.resource == "<Storage/Bucket.Arn>/rw/*"
    assert permission.note == REASON


def test_a_reference_the_assembly_does_not_hold_stays_visible(tmp_path):
    external = {"Fn::GetStackOutput": {"StackName": "Elsewhere", "OutputName": "LakeArn"}}
    renderer = IntrinsicRenderer(outputs=StackOutputs())
    assert renderer.render({"Fn::ImportValue": "Shared:Lake"}) == "<import Shared:Lake>"
    assert renderer.render(external) == "<output Elsewhere.LakeArn>"
