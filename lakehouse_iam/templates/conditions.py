"""Evaluate a template's ``Conditions`` for given parameter values, as CloudFormation does.

:func:`specialize` returns the template CloudFormation would act on for those values:
every ``Fn::If`` replaced by its branch, ``Ref AWS::NoValue`` removed from its object or
list, and resources and outputs whose ``Condition`` is false dropped. ``Ref`` to a
parameter stays a ``Ref``. The generator uses it to prove a merged template equals each
synthesized variant; the tests use it to compare a deployed stack with what it should be.

Example::

    concrete = specialize(template, {"ExternalId": "", "KmsKeyArn": "arn:aws:kms:..."})
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

_NO_VALUE: Any = object()


class ConditionError(ValueError):
    """A condition that cannot be evaluated (unknown name, unsupported function)."""


def condition_values(template: Mapping[str, Any], parameters: Mapping[str, str]) -> dict[str, bool]:
    """Every condition of ``template`` evaluated with ``parameters`` (missing parameters take
    their ``Default``)."""
    values = {
        name: str(spec.get("Default", "")) for name, spec in template.get("Parameters", {}).items()
    }
    values.update(parameters)
    definitions = template.get("Conditions", {})
    evaluated: dict[str, bool] = {}

    def condition(name: str) -> bool:
        if name not in evaluated:
            if name not in definitions:
                raise ConditionError(f"no condition {name!r} in the template")
            evaluated[name] = bool(evaluate(definitions[name]))
        return evaluated[name]

    def evaluate(node: Any) -> Any:
        if not isinstance(node, dict):
            return node
        if len(node) != 1:
            raise ConditionError(f"not a condition function: {node!r}")
        ((key, arg),) = node.items()
        if key == "Ref":
            if arg not in values:
                raise ConditionError(f"condition refers to unknown parameter {arg!r}")
            return values[arg]
        if key == "Condition":
            return condition(arg)
        if key == "Fn::Equals":
            return str(evaluate(arg[0])) == str(evaluate(arg[1]))
        if key == "Fn::Not":
            return not evaluate(arg[0])
        if key == "Fn::And":
            return all(evaluate(a) for a in arg)
        if key == "Fn::Or":
            return any(evaluate(a) for a in arg)
        raise ConditionError(f"{key} is not supported in a condition")

    return {name: condition(name) for name in definitions}


def specialize(template: Mapping[str, Any], parameters: Mapping[str, str]) -> dict[str, Any]:
    """``template`` as CloudFormation acts on it with ``parameters`` (see module doc)."""
    truth = condition_values(template, parameters)
    result: dict[str, Any] = {}
    for key, value in template.items():
        if key == "Conditions":
            continue
        if key in ("Resources", "Outputs"):
            section = {}
            for name, entry in value.items():
                condition = entry.get("Condition")
                if condition is not None and not truth[condition]:
                    continue
                entry = {k: v for k, v in entry.items() if k != "Condition"}
                section[name] = _branch(entry, truth)
            result[key] = section
        else:
            result[key] = _branch(value, truth)
    return result


def _branch(value: Any, truth: Mapping[str, bool]) -> Any:
    if isinstance(value, list):
        items = [_branch(item, truth) for item in value]
        return [item for item in items if item is not _NO_VALUE]
    if not isinstance(value, dict):
        return value
    if value == {"Ref": "AWS::NoValue"}:
        return _NO_VALUE
    if len(value) == 1 and "Fn::If" in value:
        name, when_true, when_false = value["Fn::If"]
        if name not in truth:
            raise ConditionError(f"Fn::If names unknown condition {name!r}")
        return _branch(when_true if truth[name] else when_false, truth)
    out = {}
    for key, item in value.items():
        resolved = _branch(item, truth)
        if resolved is not _NO_VALUE:
            out[key] = resolved
    return out
