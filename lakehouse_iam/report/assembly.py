"""Read a synthesized cloud assembly (``cdk.out/``) of any CDK app, without CDK itself.

The assembly's ``manifest.json`` lists artifacts: CloudFormation stacks (with their
template file and construct metadata) and, for apps that use stages, nested
assemblies in sub-directories. Only the files are read; nothing is synthesized.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

STACK_ARTIFACT = "aws:cloudformation:stack"
NESTED_ASSEMBLY_ARTIFACT = "cdk:cloud-assembly"
LOGICAL_ID_METADATA = "aws:cdk:logicalId"
ACKNOWLEDGED_RULES_METADATA = "aws:cdk:acknowledged-rules"


class CdkOutError(Exception):
    """The directory is missing, is not a cloud assembly, or holds malformed files."""


@dataclass(frozen=True, kw_only=True)
class StackArtifact:
    """One stack of the assembly: its template and its construct metadata.

    :param metadata: construct path (``/Stack/Role/Resource``) -> metadata entries.
    """

    artifact_id: str
    display_name: str
    template: dict[str, Any]
    metadata: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    stack_name: str = ""
    """The CloudFormation stack name (``Prod-Storage`` for ``Prod/Storage``), which
    ``Fn::GetStackOutput`` names; the artifact ID when the manifest gives none."""

    def construct_paths(self) -> dict[str, str]:
        """Logical ID -> construct path relative to the stack, without ``/Resource``."""
        paths: dict[str, str] = {}
        for path, entries in self.metadata.items():
            for entry in entries:
                if entry.get("type") == LOGICAL_ID_METADATA and isinstance(entry.get("data"), str):
                    paths[entry["data"]] = path
        # Templates synthesized by the CLI also carry the path on each resource.
        for logical_id, resource in self.resources().items():
            meta = resource.get("Metadata") if isinstance(resource, dict) else None
            cdk_path = meta.get("aws:cdk:path") if isinstance(meta, dict) else None
            if logical_id not in paths and isinstance(cdk_path, str):
                paths[logical_id] = "/" + cdk_path
        return {
            logical_id: _relative(path, self.display_name) for logical_id, path in paths.items()
        }

    def acknowledgments(self) -> dict[str, dict[str, str]]:
        """Construct path (relative, like :meth:`construct_paths`) -> finding -> reason."""
        found: dict[str, dict[str, str]] = {}
        for path, entries in self.metadata.items():
            for entry in entries:
                if entry.get("type") == ACKNOWLEDGED_RULES_METADATA and isinstance(
                    entry.get("data"), dict
                ):
                    key = _relative(path, self.display_name, keep_resource=True)
                    rules = found.setdefault(key, {})
                    for finding, reason in entry["data"].items():
                        rules[finding.removeprefix("Annotation::")] = str(reason)
        return found

    def resources(self) -> dict[str, Any]:
        resources = self.template.get("Resources") or {}
        return resources if isinstance(resources, dict) else {}


def _relative(path: str, stack_path: str, *, keep_resource: bool = False) -> str:
    """``/Stage/Stack/Construct/Resource`` -> ``Construct`` (the path inside the stack).

    ``stack_path`` is the stack's construct path, which CDK uses as its display name.
    """
    parts = path.strip("/").split("/")
    stack_parts = stack_path.strip("/").split("/")
    parts = parts[len(stack_parts) :] if parts[: len(stack_parts)] == stack_parts else parts[1:]
    if not keep_resource and len(parts) > 1 and parts[-1] == "Resource":
        parts = parts[:-1]
    return "/".join(parts)


def _read_json(path: Path, what: str) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CdkOutError(f"{what} {str(path)!r} not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise CdkOutError(f"cannot read {what} {str(path)!r}: {error}") from None
    except json.JSONDecodeError as error:
        raise CdkOutError(f"{what} {str(path)!r} is not valid JSON: {error}") from None


def read_assembly(directory: str | Path) -> list[StackArtifact]:
    """Every stack artifact of the assembly in ``directory``, nested assemblies included.

    :raises CdkOutError: with a message saying what is wrong and how to fix it.
    """
    root = Path(directory)
    if not root.exists():
        raise CdkOutError(
            f"cloud assembly directory {str(root)!r} does not exist: synthesize the app first "
            "(`npx cdk synth`) or pass the path of its cdk.out directory"
        )
    if not root.is_dir():
        raise CdkOutError(f"{str(root)!r} is not a directory: pass the path of a cdk.out directory")
    if not (root / "manifest.json").is_file():
        raise CdkOutError(
            f"{str(root)!r} is not a CDK cloud assembly: it has no manifest.json "
            "(synthesize the app with `npx cdk synth` first)"
        )
    stacks: list[StackArtifact] = []
    _read_into(root, stacks, seen=set())
    return stacks


def _read_into(directory: Path, stacks: list[StackArtifact], *, seen: set[Path]) -> None:
    resolved = directory.resolve()
    if resolved in seen:
        return
    seen.add(resolved)
    manifest_path = directory / "manifest.json"
    manifest = _read_json(manifest_path, "assembly manifest")
    if not isinstance(manifest, dict) or "version" not in manifest:
        raise CdkOutError(
            f"assembly manifest {str(manifest_path)!r} is malformed: expected a JSON object "
            "with 'version' and 'artifacts'"
        )
    artifacts = manifest.get("artifacts") or {}
    if not isinstance(artifacts, dict):
        raise CdkOutError(
            f"assembly manifest {str(manifest_path)!r} is malformed: 'artifacts' is not an object"
        )
    for artifact_id, artifact in sorted(artifacts.items()):
        if not isinstance(artifact, dict):
            raise CdkOutError(
                f"assembly manifest {str(manifest_path)!r} is malformed: artifact "
                f"{artifact_id!r} is not an object"
            )
        properties = artifact.get("properties") or {}
        if artifact.get("type") == NESTED_ASSEMBLY_ARTIFACT:
            nested = properties.get("directoryName")
            if not isinstance(nested, str) or not (directory / nested / "manifest.json").is_file():
                raise CdkOutError(
                    f"nested assembly {artifact_id!r} of {str(manifest_path)!r} has no "
                    f"manifest.json in {nested!r}"
                )
            _read_into(directory / nested, stacks, seen=seen)
        elif artifact.get("type") == STACK_ARTIFACT:
            stacks.append(_read_stack(directory, artifact_id, artifact, properties))


def _read_stack(
    directory: Path, artifact_id: str, artifact: dict[str, Any], properties: dict[str, Any]
) -> StackArtifact:
    template_file = properties.get("templateFile")
    if not isinstance(template_file, str):
        raise CdkOutError(f"stack {artifact_id!r} in {str(directory)!r} names no templateFile")
    template = _read_json(directory / template_file, f"template of stack {artifact_id!r}")
    if not isinstance(template, dict):
        raise CdkOutError(
            f"template of stack {artifact_id!r} ({str(directory / template_file)!r}) is "
            "malformed: expected a JSON object"
        )
    if not isinstance(template.get("Resources", {}), dict):
        raise CdkOutError(
            f"template of stack {artifact_id!r} ({str(directory / template_file)!r}) is "
            "malformed: 'Resources' is not an object"
        )
    metadata: dict[str, list[dict[str, Any]]] = {}
    sources = [artifact.get("metadata")]
    extra = artifact.get("additionalMetadataFile")
    if isinstance(extra, str) and (directory / extra).is_file():
        sources.append(_read_json(directory / extra, f"metadata of stack {artifact_id!r}"))
    for source in sources:
        if isinstance(source, dict):
            for path, entries in source.items():
                if isinstance(entries, list):
                    metadata.setdefault(path, []).extend(e for e in entries if isinstance(e, dict))
    display = artifact.get("displayName")
    stack_name = properties.get("stackName")
    return StackArtifact(
        artifact_id=artifact_id,
        display_name=display if isinstance(display, str) else artifact_id,
        template=template,
        metadata=metadata,
        stack_name=stack_name if isinstance(stack_name, str) else artifact_id,
    )
