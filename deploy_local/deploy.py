"""Two ways to deploy to moto: the CDK CLI (as users do) and boto3 CloudFormation."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Any

from .findings import Finding, Kind
from .moto_gaps import MANAGED_POLICY_NOT_DELETED, OUTPUTS_CRASH
from .moto_server import DUMMY_ACCOUNT, REGION, MotoServer

CAPABILITIES = ["CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"]
BOOTSTRAP_VERSION = "30"  # what `cdk bootstrap` of CLI 2.1148.1 writes (>= 6 required)


class CliFailed(Exception):
    """A ``npx cdk`` command failed; the message holds the command and the log's tail."""


def cdk(args: list[str], *, server: MotoServer, project: Path, log: Path, timeout: float) -> float:
    """Run ``npx cdk ARGS`` against the moto server; return seconds taken."""
    command = ["npx", "--no-install", "cdk", *args]
    env = server.env()
    started = time.monotonic()
    with log.open("ab") as out:
        out.write(f"\n$ {' '.join(command)}\n".encode())
        out.flush()
        try:
            result = subprocess.run(
                command,
                cwd=project,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                timeout=timeout,
                check=False,
            )
        except subprocess.TimeoutExpired as e:
            raise CliFailed(f"`{' '.join(command)}` timed out after {timeout:.0f} s") from e
    if result.returncode != 0:
        tail = "\n".join(log.read_text(errors="replace").splitlines()[-25:])
        raise CliFailed(f"`{' '.join(command)}` exited {result.returncode}:\n{tail}")
    return time.monotonic() - started


def bootstrap_cli(*, server: MotoServer, project: Path, cdk_out: Path, log: Path) -> float:
    return cdk(
        ["bootstrap", f"aws://{DUMMY_ACCOUNT}/{REGION}", "--app", str(cdk_out)],
        server=server,
        project=project,
        log=log,
        timeout=300,
    )


def bootstrap_api(server: MotoServer, template: dict[str, Any]) -> None:
    """What the stacks need of a bootstrap when deployed without the CLI: the version SSM
    parameter that ``BootstrapVersion`` reads."""
    spec = template.get("Parameters", {}).get("BootstrapVersion")
    if spec and str(spec.get("Type", "")).startswith("AWS::SSM::Parameter::Value"):
        server.client("ssm").put_parameter(
            Name=spec["Default"], Value=BOOTSTRAP_VERSION, Type="String", Overwrite=True
        )


def stack_failure(server: MotoServer, name: str, status: str) -> Finding:
    """A deploy/destroy failure with the failed resources' reasons from the stack events."""
    cfn = server.client("cloudformation")
    reasons = []
    try:
        for event in cfn.describe_stack_events(StackName=name)["StackEvents"]:
            if event.get("ResourceStatus", "").endswith("FAILED"):
                reasons.append(
                    f"{event['LogicalResourceId']} ({event.get('ResourceType')}): "
                    f"{event.get('ResourceStatusReason', '')}"
                )
    except Exception as e:  # the stack may be gone
        reasons.append(str(e))
    return Finding(
        kind=Kind.ERROR, stack=name, message=f"stack is {status}: " + ("; ".join(reasons) or "-")
    )


def _wait(server: MotoServer, name: str, timeout: float) -> str:
    cfn = server.client("cloudformation")
    deadline = time.monotonic() + timeout
    while True:
        stacks = cfn.describe_stacks(StackName=name)["Stacks"]
        status = stacks[0]["StackStatus"] if stacks else "DELETE_COMPLETE"
        if not status.endswith("_IN_PROGRESS") or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def deploy_api(
    server: MotoServer, name: str, template: dict[str, Any], *, timeout: float = 60
) -> list[Finding]:
    """``CreateStack`` with the synthesized template; an ERROR if it does not complete."""
    bootstrap_api(server, template)
    cfn = server.client("cloudformation")
    findings = []
    try:
        cfn.create_stack(
            StackName=name, TemplateBody=json.dumps(template), Capabilities=CAPABILITIES
        )
    except Exception as e:
        if "500" not in str(e) or not template.get("Outputs"):
            return [Finding(kind=Kind.ERROR, stack=name, message=f"CreateStack failed: {e}")]
        without_outputs = {k: v for k, v in template.items() if k != "Outputs"}
        try:
            cfn.create_stack(
                StackName=name, TemplateBody=json.dumps(without_outputs), Capabilities=CAPABILITIES
            )
        except Exception:
            return [Finding(kind=Kind.ERROR, stack=name, message=f"CreateStack failed: {e}")]
        findings.append(Finding(kind=Kind.GAP, stack=name, prop="Outputs", message=OUTPUTS_CRASH))
    status = _wait(server, name, timeout)
    if status != "CREATE_COMPLETE":
        findings.append(stack_failure(server, name, status))
    return findings


def delete_managed_policies_for_moto(
    server: MotoServer, name: str, template: dict[str, Any], physical_ids: dict[str, str]
) -> list[Finding]:
    """Delete the stack's non-RETAIN managed policies through IAM, as CloudFormation would.

    moto 5.2.5 never deletes an ``AWS::IAM::ManagedPolicy`` with its stack, so a policy
    attached through its ``Roles``/``Users``/``Groups`` stays attached and moto's
    ``DeleteRole`` then fails the whole ``DeleteStack`` with ``DeleteConflict: Cannot
    delete entity, must detach all policies first``. Doing the policy's part of the
    deletion here (detach everywhere, delete old versions, delete the policy) lets the
    rest of the stack deletion be checked. Reported as a GAP per policy.
    """
    iam = server.client("iam")
    findings = []
    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        arn = physical_ids.get(logical_id, "")
        if resource.get("Type") != "AWS::IAM::ManagedPolicy" or not arn:
            continue
        if resource.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate"):
            continue
        try:
            entities = iam.list_entities_for_policy(PolicyArn=arn)
        except iam.exceptions.NoSuchEntityException:
            continue
        for role in entities["PolicyRoles"]:
            iam.detach_role_policy(RoleName=role["RoleName"], PolicyArn=arn)
        for user in entities["PolicyUsers"]:
            iam.detach_user_policy(UserName=user["UserName"], PolicyArn=arn)
        for group in entities["PolicyGroups"]:
            iam.detach_group_policy(GroupName=group["GroupName"], PolicyArn=arn)
        for version in iam.list_policy_versions(PolicyArn=arn)["Versions"]:
            if not version["IsDefaultVersion"]:
                iam.delete_policy_version(PolicyArn=arn, VersionId=version["VersionId"])
        iam.delete_policy(PolicyArn=arn)
        findings.append(
            Finding(
                kind=Kind.GAP,
                stack=name,
                resource=logical_id,
                resource_type="AWS::IAM::ManagedPolicy",
                physical_id=arn,
                prop="DeletionPolicy",
                message=f"deleted through IAM before the stack: {MANAGED_POLICY_NOT_DELETED}",
            )
        )
    return findings


def destroy_api(server: MotoServer, name: str, *, timeout: float = 60) -> Finding | None:
    cfn = server.client("cloudformation")
    stack_id = cfn.describe_stacks(StackName=name)["Stacks"][0]["StackId"]
    try:
        cfn.delete_stack(StackName=name)
    except Exception as e:
        return Finding(kind=Kind.ERROR, stack=name, message=f"DeleteStack failed: {e}")
    status = _wait(server, stack_id, timeout)
    return None if status == "DELETE_COMPLETE" else stack_failure(server, stack_id, status)
