"""Deploy, verify and destroy: the steps ``make deploy-local`` and the tests share."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .assembly import StackArtifact, cannot_deploy
from .deploy import (
    CliFailed,
    bootstrap_cli,
    cdk,
    delete_managed_policies_for_moto,
    deploy_api,
    destroy_api,
)
from .deployed import DeployedStack
from .findings import Finding, Kind
from .iam_compare import compare_iam
from .leftovers import check_destroyed, iam_inventory
from .moto_gaps import not_deleted, supported_types
from .moto_server import MotoServer


@dataclass
class Outcome:
    """Everything one run found, with timings in seconds."""

    findings: list[Finding] = field(default_factory=list)
    timings: dict[str, float] = field(default_factory=dict)
    deployed: list[str] = field(default_factory=list)
    via: str = ""

    @property
    def failed(self) -> bool:
        return any(f.kind.fails for f in self.findings)


def verify_deployed(
    server: MotoServer, name: str, template: dict[str, Any]
) -> tuple[list[Finding], dict[str, str]]:
    """Findings of the IAM comparison, and the stack's physical IDs for the destroy check."""
    stack = DeployedStack.read(name, template, server.client)
    if stack.status not in ("CREATE_COMPLETE", "UPDATE_COMPLETE"):
        return [Finding(kind=Kind.ERROR, stack=name, message=f"stack is {stack.status}")], {}
    return compare_iam(stack), stack.physical_ids


def _new_iam(
    before: dict[str, set[str]],
    after: dict[str, set[str]],
    accounted: set[str],
    stack: str,
    *,
    kind: Kind,
    message: str,
) -> list[Finding]:
    """One finding per IAM entity in ``after`` that is neither in ``before`` nor accounted."""
    return [
        Finding(kind=kind, stack=stack, resource_type=rtype, physical_id=name, message=message)
        for rtype, names in after.items()
        for name in sorted(names - before.get(rtype, set()) - accounted)
    ]


def unexpected_iam(
    before: dict[str, set[str]], after: dict[str, set[str]], declared: set[str], stack: str
) -> list[Finding]:
    """IAM entities the deploy created that no template resource accounts for."""
    return _new_iam(
        before,
        after,
        declared,
        stack,
        kind=Kind.MISMATCH,
        message="IAM has this after deploy, but no template declares it",
    )


def leftover_iam(
    before: dict[str, set[str]], after: dict[str, set[str]], allowed: set[str], stack: str
) -> list[Finding]:
    """IAM entities still there after destroy that are neither RETAIN nor a known moto gap."""
    return _new_iam(
        before, after, allowed, stack, kind=Kind.LEFTOVER, message="still in IAM after destroy"
    )


def _allowed_after_destroy(template: dict[str, Any], physical: dict[str, str]) -> set[str]:
    allowed = set()
    for logical_id, resource in template.get("Resources", {}).items():
        if resource.get("DeletionPolicy") in ("Retain", "RetainExceptOnCreate") or not_deleted(
            resource.get("Type", "")
        ):
            allowed.add(physical.get(logical_id, ""))
    return allowed


def deploy_verify_destroy_api(
    server: MotoServer, name: str, template: dict[str, Any]
) -> list[Finding]:
    """One stack through boto3 CloudFormation: the fast path the test suite uses."""
    iam = server.client("iam")
    before = iam_inventory(iam)
    deployed = deploy_api(server, name, template)
    if any(f.kind.fails for f in deployed):
        return deployed
    findings, physical = verify_deployed(server, name, template)
    findings = deployed + findings
    findings += unexpected_iam(before, iam_inventory(iam), set(physical.values()), name)
    findings += delete_managed_policies_for_moto(server, name, template, physical)
    failure = destroy_api(server, name)
    if failure is not None:
        return [*findings, failure]
    findings += check_destroyed(
        stack=name, template=template, physical_ids=physical, clients=server.client
    )
    allowed = _allowed_after_destroy(template, physical)
    findings += leftover_iam(before, iam_inventory(iam), allowed, name)
    return findings


def run_all(
    stacks: list[StackArtifact],
    *,
    server: MotoServer,
    project: Path,
    cdk_out: Path,
    log: Path,
    via: str = "auto",
) -> Outcome:
    """Deploy every deployable stack (CLI first, API if the CLI cannot reach moto), verify
    each stack's IAM against its template, destroy, and check what is left."""
    outcome = Outcome()
    deployable = []
    # Stacks the CLI path cannot deploy but the API path can (auto mode only): they go
    # through boto3 CloudFormation in the same run, so every stack is still covered.
    api_only: list[StackArtifact] = []
    # The API path retries without Outputs instead (deploy_api); the CLI cannot.
    supported = None if via == "api" else supported_types()
    for stack in stacks:
        reasons = cannot_deploy(stack.template, via_api=(via == "api"), supported=supported)
        if reasons and via == "auto" and not cannot_deploy(stack.template, via_api=True):
            api_only.append(stack)
            outcome.findings.append(
                Finding(
                    kind=Kind.GAP,
                    stack=stack.name,
                    message="the CLI path cannot deploy it ("
                    + "; ".join(reasons)
                    + "); deployed through the CloudFormation API instead",
                )
            )
        elif reasons:
            outcome.findings += [
                Finding(kind=Kind.SKIPPED, stack=stack.name, message=r) for r in reasons
            ]
        else:
            deployable.append(stack)
    iam = server.client("iam")
    mode = via
    if via in ("auto", "cli"):
        try:
            outcome.timings["cdk bootstrap"] = bootstrap_cli(
                server=server, project=project, cdk_out=cdk_out, log=log
            )
            mode = "cli"
        except CliFailed as e:
            if via == "cli":
                outcome.findings.append(Finding(kind=Kind.ERROR, stack="-", message=str(e)))
                return outcome
            outcome.findings.append(
                Finding(kind=Kind.GAP, stack="-", message=f"CLI path failed, using boto3: {e}")
            )
            mode = "api"
    if mode == "api":
        deployable, api_only = deployable + api_only, []
    outcome.via = mode if not api_only else f"{mode} (+api for {len(api_only)})"
    before = iam_inventory(iam)
    names = [s.name for s in deployable]
    selection = ["--all"] if len(deployable) == len(stacks) else [*names, "--exclusively"]
    if not deployable and not api_only:
        return outcome
    started = time.monotonic()
    if mode == "cli" and deployable:
        try:
            cdk(
                ["deploy", *selection, "--require-approval", "never", "--app", str(cdk_out)],
                server=server,
                project=project,
                log=log,
                timeout=900,
            )
        except CliFailed as e:
            outcome.findings.append(Finding(kind=Kind.ERROR, stack="-", message=str(e)))
    for stack in deployable if mode != "cli" else api_only:
        outcome.findings += deploy_api(server, stack.name, stack.template)
    outcome.timings["deploy"] = time.monotonic() - started
    cli_deployed = deployable if mode == "cli" else []
    deployable = deployable + api_only

    started = time.monotonic()
    physical_by_stack: dict[str, dict[str, str]] = {}
    cfn = server.client("cloudformation")
    live = {s["StackName"] for s in cfn.describe_stacks()["Stacks"]}
    for stack in deployable:
        if stack.name not in live:
            outcome.findings.append(
                Finding(kind=Kind.ERROR, stack=stack.name, message="not deployed (see the log)")
            )
            continue
        findings, physical = verify_deployed(server, stack.name, stack.template)
        outcome.findings += findings
        physical_by_stack[stack.name] = physical
        outcome.deployed.append(stack.name)
    declared = {p for physical in physical_by_stack.values() for p in physical.values()}
    outcome.findings += unexpected_iam(before, iam_inventory(iam), declared, "-")
    outcome.timings["verify"] = time.monotonic() - started

    started = time.monotonic()
    for stack in deployable:
        if stack.name in physical_by_stack:
            outcome.findings += delete_managed_policies_for_moto(
                server, stack.name, stack.template, physical_by_stack[stack.name]
            )
    if cli_deployed:
        try:
            cdk(
                ["destroy", *selection, "--force", "--app", str(cdk_out)],
                server=server,
                project=project,
                log=log,
                timeout=900,
            )
        except CliFailed as e:
            outcome.findings.append(Finding(kind=Kind.ERROR, stack="-", message=str(e)))
    for stack in reversed(deployable):
        if stack.name in physical_by_stack and stack not in cli_deployed:
            failure = destroy_api(server, stack.name)
            if failure:
                outcome.findings.append(failure)
    outcome.timings["destroy"] = time.monotonic() - started
    allowed: set[str] = set()
    for stack in deployable:
        physical = physical_by_stack.get(stack.name)
        if physical is None:
            continue
        outcome.findings += check_destroyed(
            stack=stack.name, template=stack.template, physical_ids=physical, clients=server.client
        )
        allowed |= _allowed_after_destroy(stack.template, physical)
    outcome.findings += leftover_iam(before, iam_inventory(iam), allowed, "-")
    return outcome
