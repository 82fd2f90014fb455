"""Read the stacks of a cloud assembly directory (``cdk.out`` or a test's synth outdir).

Every ``aws:cloudformation:stack`` artifact of ``manifest.json`` is returned with its
template, so a stack added to ``lakehouse_iam.stacks.EXAMPLES`` is checked without any
edit here. The construct path of each resource comes from the assembly's
``aws:cdk:logicalId`` metadata (always written, unlike the template's ``aws:cdk:path``
metadata, which only the CDK CLI switches on) and is added to the template copy so probe
tables can name resources by path.
"""

from __future__ import annotations

import copy
import json
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def read_assembly(directory: str | Path) -> dict[str, dict[str, Any]]:
    """Templates of every stack in the assembly at ``directory``, by stack name."""
    directory = Path(directory)
    manifest = json.loads((directory / "manifest.json").read_text())
    stacks: dict[str, dict[str, Any]] = {}
    for artifact_id, artifact in manifest.get("artifacts", {}).items():
        if artifact.get("type") != "aws:cloudformation:stack":
            continue
        template = json.loads((directory / artifact["properties"]["templateFile"]).read_text())
        metadata = dict(artifact.get("metadata", {}))
        if "additionalMetadataFile" in artifact:
            metadata.update(
                json.loads((directory / artifact["additionalMetadataFile"]).read_text())
            )
        name = artifact.get("properties", {}).get("stackName") or artifact_id
        stacks[name] = with_construct_paths(template, metadata)
    return stacks


def with_construct_paths(
    template: Mapping[str, Any], metadata: Mapping[str, list[Mapping[str, Any]]]
) -> dict[str, Any]:
    """A copy of ``template`` whose resources carry ``aws:cdk:path`` metadata."""
    result = copy.deepcopy(dict(template))
    resources = result.get("Resources", {})
    for path, entries in metadata.items():
        for entry in entries:
            if entry.get("type") == "aws:cdk:logicalId" and entry.get("data") in resources:
                resource_metadata = resources[entry["data"]].setdefault("Metadata", {})
                resource_metadata.setdefault("aws:cdk:path", path.lstrip("/"))
    return result


def cdk_json_context(**overrides: Any) -> dict[str, Any]:
    """cdk.json's context (feature flags and example inputs) plus ``overrides``."""
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    context.update(overrides)
    return context


def synthesize_example(stack_id: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """Synthesize one example stack with cdk.json's context plus ``context``.

    Used for a probe table's ``variants`` (e.g. the RisingWave stack with an ExternalId).
    cdk-nag is not added: the nag tests cover the stacks; this is only about policies.
    """
    import aws_cdk as cdk

    from lakehouse_iam.stacks import EXAMPLES

    with tempfile.TemporaryDirectory(prefix="verification-") as outdir:
        app = cdk.App(context=cdk_json_context(**context), outdir=outdir)
        EXAMPLES[stack_id](app, stack_id)
        app.synth()
        return read_assembly(outdir)[stack_id]


class SynthesisCache:
    """:func:`synthesize_example` memoized by (stack id, context).

    Each variant costs 2-4 s of synthesis; probe tables and engine-request rows that use
    the same context share one template. Callers must not mutate the returned template.
    """

    def __init__(self, synthesize: Any = None) -> None:
        self._synthesize = synthesize or synthesize_example
        self._templates: dict[tuple[str, str], dict[str, Any]] = {}

    def __call__(self, stack_id: str, context: Mapping[str, Any]) -> dict[str, Any]:
        key = (stack_id, json.dumps(dict(context), sort_keys=True))
        if key not in self._templates:
            self._templates[key] = self._synthesize(stack_id, context)
        return self._templates[key]

    def templates(self) -> list[tuple[str, dict[str, Any], dict[str, Any]]]:
        """(stack id, context, template) of every synthesis done so far."""
        return [(stack, json.loads(ctx), t) for (stack, ctx), t in self._templates.items()]

    @property
    def synthesized(self) -> list[tuple[str, str]]:
        """(stack id, context JSON) of every synthesis done so far."""
        return list(self._templates)
