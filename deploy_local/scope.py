"""What ``python -m deploy_local`` deploys: the example stacks of this project, nothing else.

It bootstraps one environment (moto's account ``123456789012`` in ``us-east-1``), deploys
top-level stacks only, and moto cannot resolve ``Fn::GetStackOutput`` (the weak
cross-stack reference ``cdk init`` apps now synthesize). Rather than fail half-way on a
user's own ``cdk.out`` (the wrong bootstrap account, a moto HTTP 500), it refuses any
assembly that is not the example app's, with what it found.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lakehouse_iam.vendors import example_stacks

from .assembly import StackArtifact
from .moto_server import DUMMY_ACCOUNT, REGION

LIMITS = (
    "deploy_local deploys only this project's example stacks (make synth): it bootstraps "
    f"one environment (aws://{DUMMY_ACCOUNT}/{REGION}), deploys top-level stacks only, and "
    "moto cannot resolve Fn::GetStackOutput (weak cross-stack references). To try your "
    "own app on moto, deploy it with the CDK CLI against a moto_server yourself "
    "(AWS_ENDPOINT_URL=http://localhost:PORT, env-agnostic stacks, strong references: "
    'context "@aws-cdk/core:defaultCrossStackReferences": "strong").'
)


def _uses(value: Any, function: str) -> bool:
    if isinstance(value, dict):
        return function in value or any(_uses(v, function) for v in value.values())
    if isinstance(value, list):
        return any(_uses(v, function) for v in value)
    return False


def _environments(cdk_out: Path) -> dict[str, str]:
    """Stack name -> its ``aws://ACCOUNT/REGION`` environment, from the manifest."""
    manifest = json.loads((cdk_out / "manifest.json").read_text())
    found = {}
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        props = artifact.get("properties", {})
        name = props.get("stackName") or artifact.get("displayName") or artifact_id
        found[name] = artifact.get("environment", "")
    return found


def _nested_assemblies(cdk_out: Path) -> list[str]:
    manifest = json.loads((cdk_out / "manifest.json").read_text())
    return sorted(
        artifact_id
        for artifact_id, artifact in manifest.get("artifacts", {}).items()
        if artifact.get("type") == "cdk:cloud-assembly"
    )


def refusal(cdk_out: Path, stacks: list[StackArtifact]) -> str | None:
    """Why deploy_local will not deploy ``stacks`` of ``cdk_out`` (``None`` if it will):
    the stacks that are not example stacks, each with what would break."""
    examples = set(example_stacks())
    others = [s for s in stacks if s.name not in examples]
    stages = _nested_assemblies(cdk_out)
    if not others and not stages:
        return None
    environments = _environments(cdk_out)
    lines = ["deploy_local: refusing this cloud assembly: it is not the example app's."]
    for stack in others:
        problems = []
        environment = environments.get(stack.name, "")
        account, _, region = environment.removeprefix("aws://").partition("/")
        if account not in ("", "unknown-account", DUMMY_ACCOUNT) or region not in (
            "",
            "unknown-region",
            REGION,
        ):
            problems.append(f"environment {environment}, not the one bootstrapped")
        if _uses(stack.template, "Fn::GetStackOutput"):
            problems.append("a weak cross-stack reference (Fn::GetStackOutput)")
        detail = "; ".join(problems) or "not an example stack"
        lines.append(f"  {stack.name}: {detail}")
    for stage in stages:
        lines.append(f"  {stage}: a Stage (nested assembly), whose stacks are not deployed")
    lines.append(LIMITS)
    return "\n".join(lines)
