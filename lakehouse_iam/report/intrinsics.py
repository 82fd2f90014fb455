"""Render CloudFormation values (intrinsic functions included) as readable text.

``{"Fn::Join": ["", [{"Fn::GetAtt": ["DataBucketE6B0FAA8", "Arn"]}, "/raw/*"]]}`` reads
as ``<DataBucket.Arn>/raw/*``: references become ``<Name>`` / ``<Name.Attribute>``,
with the 8-character hash CDK appends to logical IDs dropped where the shorter name
is still unique in the template.

A reference to another stack of the assembly reads the same way, qualified by that
stack: ``Fn::ImportValue`` of an export and ``Fn::GetStackOutput`` of an output are
followed to the producing stack's output (:class:`StackOutputs`), so a bucket of the
storage stack reads ``<Storage/Bucket.Arn>`` in every consuming stack, whatever the
reference strength. An import or output the assembly does not hold stays visible as
``<import NAME>`` / ``<output STACK.OUTPUT>``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from typing import Any

_CDK_HASH = re.compile(r"^(?P<name>.+?)(?P<hash>[0-9A-F]{8})$")
_SUB_VARIABLE = re.compile(r"\$\{(?P<bang>!?)(?P<name>[^}]*)\}")


def readable_names(logical_ids: Iterable[str]) -> dict[str, str]:
    """Logical ID -> display name: CDK's trailing hash removed when that stays unique."""
    ids = sorted(set(logical_ids))
    stripped: dict[str, str] = {}
    for logical_id in ids:
        match = _CDK_HASH.match(logical_id)
        stripped[logical_id] = match["name"] if match else logical_id
    counts: dict[str, int] = {}
    for logical_id in ids:
        counts[stripped[logical_id]] = counts.get(stripped[logical_id], 0) + 1
    # A stripped name must not collide with another stripped name or with a full ID.
    return {
        logical_id: (
            short
            if short == logical_id or (counts[short] == 1 and short not in stripped)
            else logical_id
        )
        for logical_id, short in stripped.items()
    }


class StackOutputs:
    """The outputs of every stack of an assembly, each rendered in its own stack."""

    def __init__(self) -> None:
        self._exports: dict[str, tuple[IntrinsicRenderer, Any]] = {}
        self._outputs: dict[tuple[str, str], tuple[IntrinsicRenderer, Any]] = {}

    def add(self, stack_name: str, renderer: IntrinsicRenderer, outputs: Any) -> None:
        """Record ``outputs`` (a template's ``Outputs``) of stack ``stack_name``, to be
        rendered with ``renderer`` (whose names are qualified by the stack)."""
        if not isinstance(outputs, dict):
            return
        for output_id, output in outputs.items():
            if not isinstance(output, dict) or "Value" not in output:
                continue
            self._outputs[(stack_name, output_id)] = (renderer, output["Value"])
            name = (output.get("Export") or {}).get("Name")
            if isinstance(name, str):
                self._exports[name] = (renderer, output["Value"])

    def export(self, name: str) -> str | None:
        """The value exported as ``name``, rendered in its stack, if the assembly has it."""
        found = self._exports.get(name)
        return found[0].render(found[1]) if found else None

    def output(self, stack_name: str, output_id: str) -> str | None:
        """Output ``output_id`` of stack ``stack_name``, rendered in its stack."""
        found = self._outputs.get((stack_name, output_id))
        return found[0].render(found[1]) if found else None


class IntrinsicRenderer:
    """Renders values of one template; ``names`` maps logical IDs to display names.

    :param outputs: the assembly's stack outputs, to follow cross-stack references.
    """

    def __init__(
        self, names: Mapping[str, str] | None = None, *, outputs: StackOutputs | None = None
    ) -> None:
        self._names = dict(names or {})
        self.outputs = outputs

    def name(self, logical_id: str) -> str:
        """The display name of a logical ID (or pseudo parameter)."""
        return self._names.get(logical_id, logical_id)

    def render(self, value: Any) -> str:
        """``value`` as one line of text."""
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, (str, int, float)):
            return str(value)
        if isinstance(value, list):
            return ", ".join(self.render(v) for v in value)
        if isinstance(value, dict) and len(value) == 1:
            ((function, argument),) = value.items()
            rendered = self._function(function, argument)
            if rendered is not None:
                return rendered
        return json.dumps(value, sort_keys=True, separators=(",", ":"))

    def values(self, value: Any) -> list[str]:
        """``value`` (a scalar or a list) as a list of rendered strings."""
        if isinstance(value, list):
            return [self.render(v) for v in value]
        return [self.render(value)]

    def _function(self, function: str, arg: Any) -> str | None:
        if function == "Ref" and isinstance(arg, str):
            return f"<{self.name(arg)}>"
        if function == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            if isinstance(parts, list) and len(parts) == 2:
                return f"<{self.name(self.render(parts[0]))}.{self.render(parts[1])}>"
        if function == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            delimiter, items = arg
            if isinstance(items, list):
                return str(delimiter).join(self.render(i) for i in items)
            return f"<join {self.render(items)}>"
        if function == "Fn::Sub":
            template, variables = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            return self._sub(template, variables)
        if function == "Fn::ImportValue":
            name = self.render(arg)
            exported = self.outputs.export(name) if self.outputs else None
            return exported if exported is not None else f"<import {name}>"
        if function == "Fn::GetStackOutput" and isinstance(arg, dict):
            stack, output = self.render(arg.get("StackName")), self.render(arg.get("OutputName"))
            value = self.outputs.output(stack, output) if self.outputs else None
            return value if value is not None else f"<output {stack}.{output}>"
        if function == "Fn::If" and isinstance(arg, list) and len(arg) == 3:
            condition, when_true, when_false = arg
            return f"<if {condition}: {self.render(when_true)} | {self.render(when_false)}>"
        if function == "Fn::Select" and isinstance(arg, list) and len(arg) == 2:
            return f"<item {self.render(arg[0])} of {self.render(arg[1])}>"
        if function == "Fn::Split" and isinstance(arg, list) and len(arg) == 2:
            return f"<split {self.render(arg[1])} on {arg[0]!r}>"
        if function == "Fn::FindInMap" and isinstance(arg, list):
            return f"<{'.'.join(self.render(a) for a in arg)}>"
        if function == "Fn::GetAZs":
            return f"<AZs of {self.render(arg) or 'this region'}>"
        if function == "Fn::Base64":
            return f"<base64 {self.render(arg)}>"
        return None

    def _sub(self, template: str, variables: Mapping[str, Any]) -> str:
        def replace(match: re.Match[str]) -> str:
            name = match["name"]
            if match["bang"]:
                return "${" + name + "}"
            if name in variables:
                return self.render(variables[name])
            if "." in name:
                resource, attribute = name.split(".", 1)
                return f"<{self.name(resource)}.{attribute}>"
            return f"<{self.name(name)}>"

        return _SUB_VARIABLE.sub(replace, template)
