"""The audit on any app's cdk.out: a role the library did not build, a fixed name, values
that only --stack-resources can resolve."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from lakehouse_iam.audit import audit

from . import trail

TEMPLATE = {
    "Resources": {
        "Lake1234ABCD": {"Type": "AWS::S3::Bucket"},
        "ReaderRole5678EF01": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "RoleName": "etl-reader",
                "AssumeRolePolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Effect": "Allow",
                            "Action": "sts:AssumeRole",
                            "Principal": {"Service": "glue.amazonaws.com"},
                        }
                    ],
                },
                "Policies": [
                    {
                        "PolicyName": "read",
                        "PolicyDocument": {
                            "Version": "2012-10-17",
                            "Statement": [
                                {
                                    "Effect": "Allow",
                                    "Action": "s3:GetObject",
                                    "Resource": {
                                        "Fn::Join": [
                                            "",
                                            [{"Fn::GetAtt": ["Lake1234ABCD", "Arn"]}, "/raw/*"],
                                        ]
                                    },
                                }
                            ],
                        },
                    }
                ],
            },
        },
    }
}


@pytest.fixture
def app(tmp_path: Path) -> Path:
    out = tmp_path / "cdk.out"
    out.mkdir()
    (out / "Etl.template.json").write_text(json.dumps(TEMPLATE))
    manifest = {
        "version": "36.0.0",
        "artifacts": {
            "Etl": {
                "type": "aws:cloudformation:stack",
                "environment": "aws://unknown-account/unknown-region",
                "properties": {"templateFile": "Etl.template.json"},
            }
        },
    }
    (out / "manifest.json").write_text(json.dumps(manifest))
    return out


def events(tmp_path: Path, key: str, message: str) -> Path:
    record: dict[str, Any] = trail.record(
        who=trail.identity("role", "etl-reader"),
        time="2026-11-02T10:00:00Z",
        source="s3.amazonaws.com",
        name="GetObject",
        parameters={"bucketName": "etl-lake-1a2b3c", "key": key},
        error=("AccessDenied", message),
        data_event=True,
        seed=key,
    )
    path = tmp_path / "events.jsonl"
    path.write_text(json.dumps(record) + "\n")
    return path


def test_without_stack_resources_an_unresolvable_grant_is_unknown(app, tmp_path):
    # GIVEN a role with a fixed name whose grant names a generated bucket
    result = audit(app, events=[events(tmp_path, "raw/a.csv", "Access Denied")])
    (principal,) = result.principals
    # THEN the record matches by the fixed name, and is not judged without the bucket name
    assert (principal.name, principal.construct) == ("etl-reader", None)
    (denial,) = principal.denied
    assert denial.cause == "unknown"
    assert "--stack-resources" in str(denial.suggestion)
    assert principal.unresolved


def test_with_stack_resources_a_plain_app_gets_no_prop(app, tmp_path):
    resources = tmp_path / "resources.json"
    resources.write_text(
        json.dumps(
            {
                "StackResources": [
                    {
                        "StackName": "Etl",
                        "LogicalResourceId": "Lake1234ABCD",
                        "PhysicalResourceId": "etl-lake-1a2b3c",
                        "ResourceType": "AWS::S3::Bucket",
                    }
                ]
            }
        )
    )
    # WHEN the policy allows the request and AWS still says Access Denied
    allowed = audit(
        app, events=[events(tmp_path, "raw/a.csv", "Access Denied")], stack_resources=[resources]
    )
    # THEN another policy denied it
    assert [d.cause for d in allowed.principals[0].denied] == ["explicit-deny"]
    # WHEN the request is outside the grant, on a role no library construct built
    outside = audit(
        app,
        events=[events(tmp_path, "curated/a.csv", "Access Denied")],
        stack_resources=[resources],
    )
    # THEN no prop can fix it: outside the library
    (denial,) = outside.principals[0].denied
    assert (denial.cause, denial.prop) == ("outside-library", None)
    assert outside.missing_grants == 0
