"""IAM names are global per account: a StackSet must not create one name in two Regions.

A template that fixes ``RoleName``, ``UserName``, ``GroupName``, ``ManagedPolicyName`` or
``InstanceProfileName`` (a literal, or built from parameters and pseudo parameters other
than ``AWS::Region``) creates the same name in every Region of an account it is deployed
to; IAM refuses the second with ``EntityAlreadyExists``, and that account's rollout fails.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

IAM_NAME_PROPERTIES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::IAM::ManagedPolicy": "ManagedPolicyName",
    "AWS::IAM::InstanceProfile": "InstanceProfileName",
}
"""The physical-name property of each IAM resource type whose names are global per account
(an inline ``AWS::IAM::Policy`` name is per identity, not global)."""

_REGION = "AWS::Region"
# The same in every Region of one account: rendered as themselves when names are compared.
_ACCOUNT_WIDE = ("AWS::AccountId", "AWS::Partition", "AWS::URLSuffix")
_SUB_VARIABLE = re.compile(r"\$\{([^}!][^}]*)\}")


def carries_region(expression: Any) -> bool:
    """The name expression includes ``AWS::Region`` (``Ref`` or ``${AWS::Region}`` in
    ``Fn::Sub``) in every branch of an ``Fn::If``."""
    if isinstance(expression, dict) and len(expression) == 1:
        ((function, argument),) = expression.items()
        if function == "Ref":
            return bool(argument == _REGION)
        if function == "Fn::If" and isinstance(argument, list) and len(argument) == 3:
            return carries_region(argument[1]) and carries_region(argument[2])
        if function == "Fn::Sub":
            text, variables = _sub_parts(argument)
            names = _SUB_VARIABLE.findall(text) if isinstance(text, str) else []
            return _REGION in names or any(carries_region(v) for v in variables.values())
        return carries_region(argument)
    if isinstance(expression, list):
        return any(carries_region(item) for item in expression)
    return False


def fixed_iam_names(template: Mapping[str, Any]) -> dict[str, Any]:
    """``<LogicalId>.<NameProperty>`` -> name expression, for each global IAM name of
    ``template`` that does not carry the Region."""
    resources = template.get("Resources")
    found: dict[str, Any] = {}
    if not isinstance(resources, Mapping):
        return found
    for logical_id, resource in resources.items():
        if not isinstance(resource, Mapping):
            continue
        prop = IAM_NAME_PROPERTIES.get(str(resource.get("Type")))
        properties = resource.get("Properties")
        if prop is None or not isinstance(properties, Mapping) or prop not in properties:
            continue
        if not carries_region(properties[prop]):
            found[f"{logical_id}.{prop}"] = properties[prop]
    return found


def render_name(expression: Any, values: Mapping[str, str]) -> str | None:
    """The name an instance with parameter ``values`` creates; account-wide pseudo
    parameters stay as ``${AWS::AccountId}``. ``None`` when it cannot be told at synth."""
    if isinstance(expression, str):
        return expression
    if not isinstance(expression, dict) or len(expression) != 1:
        return None
    ((function, argument),) = expression.items()
    if function == "Ref" and isinstance(argument, str):
        return _value_of(argument, values)
    if function == "Fn::Join" and isinstance(argument, list) and len(argument) == 2:
        separator, parts = argument
        rendered = [render_name(p, values) for p in parts] if isinstance(parts, list) else [None]
        if not isinstance(separator, str) or any(p is None for p in rendered):
            return None
        return separator.join(p for p in rendered if p is not None)
    if function == "Fn::Sub":
        text, variables = _sub_parts(argument)
        if text is None:
            return None
        local = {k: render_name(v, values) for k, v in variables.items()}
        unknown = False

        def substitute(match: re.Match[str]) -> str:
            nonlocal unknown
            name = match.group(1)
            value = local[name] if name in local else _value_of(name, values)
            if value is None:
                unknown = True
                return ""
            return value

        result = _SUB_VARIABLE.sub(substitute, text)
        return None if unknown else result
    return None


def _sub_parts(argument: Any) -> tuple[str | None, dict[str, Any]]:
    """``Fn::Sub``'s text and variables (``"text"`` or ``["text", {variables}]``)."""
    if isinstance(argument, str):
        return argument, {}
    if isinstance(argument, list) and len(argument) == 2 and isinstance(argument[1], dict):
        return (argument[0] if isinstance(argument[0], str) else None), argument[1]
    return None, {}


def _value_of(name: str, values: Mapping[str, str]) -> str | None:
    if name in _ACCOUNT_WIDE:
        return "${" + name + "}"
    return values.get(name)


def may_share_an_account(first: Sequence[str], second: Sequence[str]) -> bool:
    """Two instance groups may reach one account unless both name disjoint ``accounts``
    (OUs nest, so two OU lists alone never prove the groups disjoint)."""
    return not (first and second and not set(first) & set(second))
