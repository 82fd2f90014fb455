"""Resolve a synthesized template's intrinsics against a deployed stack.

``Ref`` and ``Fn::GetAtt`` resolve to the physical IDs and attributes of what the stack
really created: the leaves are pluggable (``physical_ids`` and a ``get_att`` callback).
``deploy_local`` reads them back from CloudFormation and the service APIs, so a resolved
policy can be compared, character for character, with what IAM returns; the audit
(:mod:`lakehouse_iam.audit.principals`) takes them from ``describe-stack-resources``, so a
policy can be evaluated against the ARNs CloudTrail records.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable
from typing import Any

NO_VALUE = object()  # AWS::NoValue: the property or list item disappears


class Unresolvable(Exception):
    """A template value that cannot be resolved; ``unsupported`` when moto created nothing."""

    def __init__(self, message: str, *, unsupported: bool = False) -> None:
        super().__init__(message)
        self.unsupported = unsupported


class Resolver:
    """Evaluates intrinsic functions of one stack's template.

    :param template: the synthesized template.
    :param physical_ids: logical ID -> physical ID from ``ListStackResources``.
    :param pseudo: ``AWS::Region`` etc. -> value.
    :param parameters: parameter name -> deployed value.
    :param get_att: (logical ID, resource type, physical ID, attribute) -> value.
    """

    def __init__(
        self,
        *,
        template: dict[str, Any],
        physical_ids: dict[str, str],
        pseudo: dict[str, str],
        parameters: dict[str, str],
        get_att: Callable[[str, str, str, str], Any],
    ) -> None:
        self.template = template
        self.physical_ids = physical_ids
        self.pseudo = pseudo
        self.parameters = parameters
        self._get_att = get_att
        self._conditions: dict[str, bool] = {}

    def resource_type(self, logical_id: str) -> str:
        return str(self.template.get("Resources", {}).get(logical_id, {}).get("Type", ""))

    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic evaluated (``AWS::NoValue`` items dropped)."""
        if isinstance(value, list):
            items = [self.resolve(v) for v in value]
            return [v for v in items if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            ((key, arg),) = value.items()
            handler = _FUNCTIONS.get(key)
            if handler is not None:
                return handler(self, arg)
        out = {}
        for key, item in value.items():
            resolved = self.resolve(item)
            if resolved is not NO_VALUE:
                out[key] = resolved
        return out

    def ref(self, name: str) -> Any:
        if name == "AWS::NoValue":
            return NO_VALUE
        if name in self.pseudo:
            return self.pseudo[name]
        if name in self.parameters:
            return self.parameters[name]
        if name in self.template.get("Resources", {}):
            physical = self.physical_ids.get(name, "")
            if not physical:
                raise Unresolvable(
                    f"Ref {name}: moto created no {self.resource_type(name)} for it",
                    unsupported=True,
                )
            return physical
        raise Unresolvable(f"Ref {name}: no such parameter, resource or pseudo parameter")

    def get_att(self, logical_id: str, attribute: str) -> Any:
        rtype = self.resource_type(logical_id)
        physical = self.physical_ids.get(logical_id, "")
        if not physical:
            raise Unresolvable(
                f"Fn::GetAtt {logical_id}.{attribute}: moto created no {rtype or 'resource'}",
                unsupported=bool(rtype),
            )
        return self._get_att(logical_id, rtype, physical, attribute)

    def condition(self, name: str) -> bool:
        if name not in self._conditions:
            spec = self.template.get("Conditions", {}).get(name)
            if spec is None:
                raise Unresolvable(f"Condition {name} is not defined")
            self._conditions[name] = bool(self.resolve(spec))
        return self._conditions[name]


def _ref(r: Resolver, arg: Any) -> Any:
    return r.ref(arg)


def _get_att(r: Resolver, arg: Any) -> Any:
    if isinstance(arg, str):
        logical_id, attribute = arg.split(".", 1)
    else:
        logical_id, attribute = arg[0], r.resolve(arg[1])
    return r.get_att(logical_id, attribute)


def _join(r: Resolver, arg: Any) -> str:
    delimiter, items = arg
    items = r.resolve(items)
    return str(r.resolve(delimiter)).join(_text(v) for v in items)


def _sub(r: Resolver, arg: Any) -> str:
    if isinstance(arg, str):
        text, variables = arg, {}
    else:
        text, variables = arg[0], r.resolve(arg[1])

    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name.startswith("!"):
            return "${" + name[1:] + "}"
        if name in variables:
            return _text(variables[name])
        if "." in name and name.split(".", 1)[0] in r.template.get("Resources", {}):
            return _text(r.get_att(*name.split(".", 1)))
        return _text(r.ref(name))

    return re.sub(r"\$\{([^}]+)\}", replace, text)


def _select(r: Resolver, arg: Any) -> Any:
    index, items = r.resolve(arg[0]), r.resolve(arg[1])
    return items[int(index)]


def _split(r: Resolver, arg: Any) -> list[str]:
    delimiter, text = arg
    return str(r.resolve(text)).split(delimiter)


def _if(r: Resolver, arg: Any) -> Any:
    name, when_true, when_false = arg
    return r.resolve(when_true if r.condition(name) else when_false)


def _equals(r: Resolver, arg: Any) -> bool:
    left, right = (r.resolve(v) for v in arg)
    return _text(left) == _text(right)


def _find_in_map(r: Resolver, arg: Any) -> Any:
    name, top, second = (r.resolve(v) for v in arg)
    try:
        return r.template["Mappings"][name][top][second]
    except KeyError as e:
        raise Unresolvable(f"Fn::FindInMap {name}.{top}.{second}: not in Mappings") from e


def _unsupported(name: str) -> Callable[[Resolver, Any], Any]:
    def fail(r: Resolver, arg: Any) -> Any:
        raise Unresolvable(f"{name} is not supported by the local resolver: {arg!r}")

    return fail


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        raise Unresolvable(f"expected a string, got {value!r}")
    return str(value)


_FUNCTIONS: dict[str, Callable[[Resolver, Any], Any]] = {
    "Ref": _ref,
    "Fn::GetAtt": _get_att,
    "Fn::Join": _join,
    "Fn::Sub": _sub,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::If": _if,
    "Fn::Equals": _equals,
    "Fn::And": lambda r, arg: all(r.resolve(v) for v in arg),
    "Fn::Or": lambda r, arg: any(r.resolve(v) for v in arg),
    "Fn::Not": lambda r, arg: not r.resolve(arg[0]),
    "Condition": lambda r, arg: r.condition(arg),
    "Fn::Base64": lambda r, arg: base64.b64encode(_text(r.resolve(arg)).encode()).decode(),
    "Fn::FindInMap": _find_in_map,
    "Fn::ImportValue": _unsupported("Fn::ImportValue"),
    "Fn::GetAZs": _unsupported("Fn::GetAZs"),
}
