"""Stacks of a cloud assembly (``cdk.out``), and why a stack cannot deploy to moto."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .moto_gaps import CUSTOM_RESOURCE

STACK_PREFIX = "LakehouseIam-"
ASSET_BUCKET_MARK = "cdk-hnb659fds-assets-"


@dataclass(frozen=True)
class StackArtifact:
    """One ``aws:cloudformation:stack`` artifact of the assembly."""

    name: str
    template: dict[str, Any] = field(repr=False)
    dependencies: tuple[str, ...] = ()


def discover(cdk_out: Path) -> list[StackArtifact]:
    """Every stack in ``cdk_out/manifest.json``, dependencies first."""
    manifest = json.loads((cdk_out / "manifest.json").read_text())
    artifacts = manifest.get("artifacts", {})
    stacks: dict[str, StackArtifact] = {}
    for artifact_id, artifact in artifacts.items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        props = artifact.get("properties", {})
        template = json.loads((cdk_out / props["templateFile"]).read_text())
        deps = tuple(
            d
            for d in artifact.get("dependencies", [])
            if artifacts.get(d, {}).get("type") == "aws:cloudformation:stack"
        )
        name = props.get("stackName") or artifact.get("displayName") or artifact_id
        stacks[artifact_id] = StackArtifact(name=name, template=template, dependencies=deps)
    ordered: list[StackArtifact] = []
    seen: set[str] = set()

    def visit(artifact_id: str) -> None:
        if artifact_id in seen or artifact_id not in stacks:
            return
        seen.add(artifact_id)
        for dep in stacks[artifact_id].dependencies:
            visit(dep)
        ordered.append(stacks[artifact_id])

    for artifact_id in sorted(stacks):
        visit(artifact_id)
    return ordered


def _words(stack_name: str) -> list[str]:
    return re.findall(r"[A-Z][a-z0-9]*|[a-z0-9]+", stack_name.removeprefix(STACK_PREFIX))


def vendor_of(stack_name: str, all_names: list[str]) -> str:
    """The vendor part of a stack name: ``LakehouseIam-DuckLakeIrsa`` -> ``DuckLake`` when
    ``LakehouseIam-DuckLakeEcs`` also exists (the longest CamelCase prefix of at least two
    words, or another stack's whole name, shared with another stack); else the whole name."""
    words = _words(stack_name)
    best = words
    for other in all_names:
        if other == stack_name:
            continue
        theirs = _words(other)
        shared = 0
        while shared < min(len(words), len(theirs)) and words[shared] == theirs[shared]:
            shared += 1
        if (shared >= 2 or (shared and shared == len(theirs))) and shared < len(best):
            best = words[:shared]
    return "".join(best)


def one_per_vendor(stack_names: list[str]) -> dict[str, list[str]]:
    """Stack names grouped by vendor, sorted, so a caller can pick one deployable each."""
    groups: dict[str, list[str]] = {}
    for name in sorted(stack_names):
        groups.setdefault(vendor_of(name, stack_names), []).append(name)
    return groups


def cannot_deploy(
    template: dict[str, Any], *, via_api: bool, supported: set[str] | None = None
) -> list[str]:
    """Why moto cannot deploy ``template`` (empty if it can).

    ``via_api``: deployed with boto3 ``create_stack`` from the template alone, so file
    or image assets (which only ``cdk deploy`` publishes) are missing.
    ``supported``: moto's CloudFormation resource types; an Output that uses
    ``Fn::GetAtt`` on any other type makes moto fail the deploy with HTTP 500. (The API
    path instead retries without Outputs, see ``deploy_api``.)
    """
    reasons = []
    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        rtype = resource.get("Type", "")
        if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
            reasons.append(CUSTOM_RESOURCE.format(id=logical_id, type=rtype))
    if via_api and ASSET_BUCKET_MARK in json.dumps(template.get("Resources", {})):
        reasons.append(
            "the template references CDK assets, which only `cdk deploy` publishes "
            "(use the CLI path)"
        )
    resources = template.get("Resources", {})
    for name, output in sorted(template.get("Outputs", {}).items()) if supported else []:
        for target in _get_att_targets(output):
            rtype = resources.get(target, {}).get("Type", "")
            if rtype and rtype not in supported and rtype != "AWS::CDK::Metadata":
                reasons.append(
                    f"output {name} uses Fn::GetAtt on {target} ({rtype}), a type moto does "
                    "not implement: moto 5.2.5 fails the deploy with HTTP 500 (AttributeError "
                    "in validate_outputs)"
                )
    for name, param in sorted(template.get("Parameters", {}).items()):
        if "Default" not in param and name != "BootstrapVersion":
            reasons.append(f"parameter {name} has no default value")
    return reasons


def _get_att_targets(value: Any) -> set[str]:
    if isinstance(value, list):
        return {t for v in value for t in _get_att_targets(v)}
    if not isinstance(value, dict):
        return set()
    found = set()
    target = value.get("Fn::GetAtt")
    if isinstance(target, list) and target:
        found.add(target[0])
    elif isinstance(target, str):
        found.add(target.split(".", 1)[0])
    sub = value.get("Fn::Sub")
    text = sub if isinstance(sub, str) else sub[0] if isinstance(sub, list) and sub else ""
    found.update(m.split(".", 1)[0] for m in re.findall(r"\$\{([^}!]+\.[^}]+)\}", text))
    for item in value.values():
        found |= _get_att_targets(item)
    return found
