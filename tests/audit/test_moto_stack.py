"""The audit on a deployed stack: RisingWave's example stack created on moto (in process),
its real ``describe-stack-resources`` output, and records named after the deployed role.

moto's CloudTrail records nothing (DESIGN.md, "Facts checked"), so the records are built
in CloudTrail's shape (tests/audit/trail.py) from what moto deployed.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from deploy_local.deploy import BOOTSTRAP_VERSION, CAPABILITIES
from lakehouse_iam.audit import audit

from . import trail

STACK = "LakehouseIam-RisingWave"
ACCOUNT = "123456789012"  # moto's default account
REGION = "us-east-1"


def deploy(template: dict[str, Any]) -> dict[str, Any]:
    """Create the stack on moto and return ``describe-stack-resources`` output."""
    parameter = template.get("Parameters", {}).get("BootstrapVersion", {}).get("Default")
    if parameter:
        boto3.client("ssm", region_name=REGION).put_parameter(
            Name=parameter, Value=BOOTSTRAP_VERSION, Type="String", Overwrite=True
        )
    cfn = boto3.client("cloudformation", region_name=REGION)
    try:
        cfn.create_stack(
            StackName=STACK, TemplateBody=json.dumps(template), Capabilities=CAPABILITIES
        )
    except Exception:  # moto cannot render some outputs (deploy_local.moto_gaps.OUTPUTS_CRASH)
        body = {k: v for k, v in template.items() if k != "Outputs"}
        cfn.create_stack(StackName=STACK, TemplateBody=json.dumps(body), Capabilities=CAPABILITIES)
    for _ in range(100):
        status = cfn.describe_stacks(StackName=STACK)["Stacks"][0]["StackStatus"]
        if not status.endswith("IN_PROGRESS"):
            break
        time.sleep(0.05)
    assert status == "CREATE_COMPLETE", status
    described: dict[str, Any] = cfn.describe_stack_resources(StackName=STACK)
    return json.loads(json.dumps({"StackResources": described["StackResources"]}, default=str))


@pytest.fixture(scope="module")
def deployed(example_templates: dict[str, dict[str, Any]]) -> dict[str, Any]:
    with mock_aws():
        resources = deploy(example_templates[STACK])
        roles = boto3.client("iam", region_name=REGION).list_roles()["Roles"]
    return {"resources": resources, "roles": {r["RoleName"] for r in roles}}


def test_records_of_the_deployed_role_are_audited(deployed, cdk_out: Path, tmp_path: Path):
    # GIVEN the describe-stack-resources output of the stack moto deployed
    resources = deployed["resources"]["StackResources"]
    by_type = {
        # moto lists a resource type it cannot create without its IDs
        (r.get("ResourceType"), r.get("LogicalResourceId", "")): r.get("PhysicalResourceId")
        for r in resources
    }
    (role,) = [
        p
        for (kind, lid), p in by_type.items()
        if kind == "AWS::IAM::Role" and lid.startswith("RisingWaveDataAccessRole")
    ]
    (bucket,) = [
        p
        for (kind, lid), p in by_type.items()
        if kind == "AWS::S3::Bucket" and lid.startswith("DataBucket")
    ]
    assert role in deployed["roles"]
    described = tmp_path / "resources.json"
    described.write_text(json.dumps(deployed["resources"]))
    # AND records of that role: a read inside its prefix, one outside it
    who = trail.identity("role", role, account=ACCOUNT)

    def get(key: str, seconds: int, error: tuple[str, str] | None) -> dict[str, Any]:
        return trail.record(
            who=who,
            time=f"2026-11-02T10:00:{seconds:02d}Z",
            source="s3.amazonaws.com",
            name="GetObject",
            parameters={"bucketName": bucket, "key": key},
            resources=[{"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"}],
            error=error,
            data_event=True,
            account=ACCOUNT,
            seed=key,
        )

    events = tmp_path / "events.jsonl"
    events.write_text(
        "\n".join(
            json.dumps(r)
            for r in (
                get("risingwave/sink/part-0.json", 1, None),
                get("staging/part-0.json", 2, ("AccessDenied", "Access Denied")),
            )
        )
    )
    # WHEN auditing with the deployed names
    result = audit(cdk_out, events=[events], stack_resources=[described])
    # THEN the records are the deployed role's: one use, one missing prefix
    (principal,) = [p for p in result.principals if p.stack == STACK and p.name == role]
    assert principal.arn == f"arn:aws:iam::{ACCOUNT}:role/{role}"
    assert [(u.action, u.count) for u in principal.used] == [("s3:GetObject", 1)]
    (denial,) = principal.denied
    assert (denial.cause, denial.prop, denial.suggestion) == (
        "missing-grant",
        "prefix",
        'prefix="staging"',
    )
    assert result.unmatched_events == 0
