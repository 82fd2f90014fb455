"""Merge the variants of a scenario into one template with CloudFormation ``Conditions``.

The constructs decide what to render from their inputs: without ``external_id`` the
trust has no ``sts:ExternalId`` condition, without ``kms_key`` there is no KMS policy. A
parameter cannot make that decision at synth time, so the scenario is synthesized once
with every optional input given (the *base*) and once per optional input left out (or
choice value changed), and the templates are compared node by node:

* equal nodes stay as they are;
* a node that differs becomes ``Fn::If [<condition>, <base>, <variant>]``; a key or a
  list item only one side has becomes ``Fn::If`` with ``Ref AWS::NoValue`` on the other
  side (lists of objects, such as ``ManagedPolicyArns`` or policy statements, keep the
  shared items and wrap the extra ones);
* a resource or output only the base has gets the resource ``Condition`` (``And``-ed
  when several inputs add it).

Each input changes its own nodes. When two inputs change the same leaf (the value
depends on both), the merge cannot know the combined value and raises
:class:`MergeConflict`; such an input must be a required parameter or a setting.
:func:`lakehouse_iam.templates.generate.generate` proves each merge by specializing the
result for every synthesized variant (:mod:`.conditions`) and comparing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

NO_VALUE = {"Ref": "AWS::NoValue"}
_MISSING: Any = object()
_SECTIONS_WITH_CONDITIONS = ("Resources", "Outputs")


class MergeConflict(ValueError):
    """Two variants change the same template node: the combined value is unknown."""


@dataclass(frozen=True)
class Variant:
    """A synthesized variant: ``template`` is what CloudFormation must create when
    ``condition`` evaluates to ``when`` (all other conditions at their base value)."""

    template: dict[str, Any]
    condition: str
    when: bool


def negated(condition: str) -> str:
    """The name of the condition that is true when ``condition`` is false."""
    return f"Not{condition}"


def merge(base: dict[str, Any], variants: Iterable[Variant]) -> dict[str, Any]:
    """One template equal to ``base`` under the base conditions and to each variant under
    its own; ``Conditions`` lists only the derived conditions (``Not...``, ``...And...``)
    the result references, with the definitions of the inputs' own conditions left to
    the caller (:func:`add_conditions`)."""
    variants = list(variants)
    merged: dict[str, Any] = {}
    derived: dict[str, Any] = {}
    for key in _keys([base, *(v.template for v in variants)]):
        others = [(v.template.get(key, _MISSING), v) for v in variants]
        if key in _SECTIONS_WITH_CONDITIONS:
            merged[key] = _merge_section(key, base.get(key, {}), others, derived)
        else:
            value = _merge_value(key, base.get(key, _MISSING), others)
            if value is not _MISSING:
                merged[key] = value
    if derived:
        merged["Conditions"] = derived
    return merged


def add_conditions(template: dict[str, Any], definitions: dict[str, Any]) -> dict[str, Any]:
    """``template`` with the ``definitions`` it references added to ``Conditions`` (an
    unused condition is a cfn-lint warning), sorted by name."""
    conditions = dict(template.get("Conditions", {}))
    for name, definition in definitions.items():
        if name in _referenced(template):
            conditions[name] = definition
    result = {k: v for k, v in template.items() if k != "Conditions"}
    if conditions:
        # CloudFormation reads sections in any order; Conditions goes after Parameters.
        ordered: dict[str, Any] = {}
        for key, value in result.items():
            ordered[key] = value
            if key == "Parameters":
                ordered["Conditions"] = dict(sorted(conditions.items()))
        ordered.setdefault("Conditions", dict(sorted(conditions.items())))
        result = ordered
    return result


def _referenced(value: Any) -> set[str]:
    found: set[str] = set()
    if isinstance(value, list):
        for item in value:
            found |= _referenced(item)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key == "Fn::If" and isinstance(item, list) and item:
                found.add(str(item[0]))
            if key == "Condition" and isinstance(item, str):
                found.add(item)
            found |= _referenced(item)
    return found


def _keys(mappings: Iterable[Any]) -> list[str]:
    keys: dict[str, None] = {}
    for mapping in mappings:
        if isinstance(mapping, dict):
            keys.update(dict.fromkeys(mapping))
    return list(keys)


def _is_intrinsic(value: Any) -> bool:
    if not isinstance(value, dict) or len(value) != 1:
        return False
    (key,) = value
    return key in ("Ref", "Condition") or str(key).startswith("Fn::")


def _when_true(variant: Variant) -> str:
    """The condition under which ``variant`` holds."""
    return variant.condition if variant.when else negated(variant.condition)


def _when_base(variant: Variant) -> str:
    """The condition under which the base holds rather than ``variant``."""
    return negated(variant.condition) if variant.when else variant.condition


def _if(variant: Variant, variant_value: Any, base_value: Any) -> Any:
    on = NO_VALUE if variant_value is _MISSING else variant_value
    off = NO_VALUE if base_value is _MISSING else base_value
    true_value, false_value = (on, off) if variant.when else (off, on)
    return {"Fn::If": [variant.condition, true_value, false_value]}


def _merge_section(
    section: str,
    base: dict[str, Any],
    others: list[tuple[Any, Variant]],
    derived: dict[str, Any],
) -> dict[str, Any]:
    result: dict[str, Any] = {}
    for name in _keys([base, *(o for o, _ in others)]):
        path = f"{section}.{name}"
        having = [(o[name], v) for o, v in others if isinstance(o, dict) and name in o]
        lacking = [v for o, v in others if not (isinstance(o, dict) and name in o)]
        if name in base:
            entry = _merge_value(path, base[name], having)
            exists = [_when_base(v) for v in lacking]
        elif len(having) == 1:
            entry, variant = having[0]
            exists = [_when_true(variant)]
        else:
            raise MergeConflict(
                f"{path} exists only in the variants of "
                f"{', '.join(sorted(v.condition for _, v in having))}: their combination "
                "is not known"
            )
        if exists:
            entry = {**entry, "Condition": _condition_for(exists, derived)}
        result[name] = entry
    return result


def _condition_for(names: list[str], derived: dict[str, Any]) -> str:
    for name in names:
        if name.startswith("Not"):
            derived[name] = {"Fn::Not": [{"Condition": name[len("Not") :]}]}
    if len(names) == 1:
        return names[0]
    combined = "And".join(sorted(names))
    derived[combined] = {"Fn::And": [{"Condition": n} for n in sorted(names)]}
    return combined


def _merge_value(path: str, base: Any, others: list[tuple[Any, Variant]]) -> Any:
    diffs = [(value, variant) for value, variant in others if value != base]
    if not diffs:
        return base
    values = [value for value, _ in diffs]
    if (
        isinstance(base, dict)
        and not _is_intrinsic(base)
        and all(isinstance(v, dict) and not _is_intrinsic(v) for v in values)
    ):
        merged: dict[str, Any] = {}
        for key in _keys([base, *values]):
            sub = _merge_value(
                f"{path}.{key}",
                base.get(key, _MISSING),
                [(v.get(key, _MISSING), x) for v, x in diffs],
            )
            if sub is not _MISSING:
                merged[key] = sub
        return merged
    if isinstance(base, list) and all(isinstance(v, list) for v in values):
        merged_list = _merge_list(path, base, diffs)
        if merged_list is not None:
            return merged_list
    if len(diffs) == 1:
        value, variant = diffs[0]
        return _if(variant, value, base)
    raise MergeConflict(
        f"{path} differs in the variants of "
        f"{', '.join(sorted(v.condition for _, v in diffs))}: the value for their "
        "combination is not known (make one of those inputs required or a setting)"
    )


def _merge_list(path: str, base: list[Any], diffs: list[tuple[Any, Variant]]) -> list[Any] | None:
    """Lists of objects merged item by item; ``None`` to fall back to a whole-list ``If``.

    A variant of the same length changes items in place; a shorter one that is a
    subsequence of the base removes items (each item removed by at most one variant); a
    longer one that has the base as a subsequence adds items (only as the one variant).
    """
    items = base + [item for value, _ in diffs for item in value]
    if not items or not all(isinstance(item, dict) for item in items):
        return None
    if len(diffs) == 1 and len(diffs[0][0]) > len(base) and _is_subsequence(base, diffs[0][0]):
        value, variant = diffs[0]
        extra = _extras(base, value)
        return [
            _if(variant, item, _MISSING) if i in extra else item for i, item in enumerate(value)
        ]
    removed: dict[int, Variant] = {}
    changes: list[tuple[list[Any], Variant]] = []
    for value, variant in diffs:
        if len(value) == len(base):
            changes.append((value, variant))
        elif len(value) < len(base) and _is_subsequence(value, base):
            for i in _extras(value, base):
                if i in removed:
                    return None
                removed[i] = variant
        else:
            return None
    result = []
    for i, item in enumerate(base):
        merged = _merge_value(f"{path}[{i}]", item, [(value[i], v) for value, v in changes])
        result.append(_if(removed[i], _MISSING, merged) if i in removed else merged)
    return result


def _is_subsequence(short: list[Any], long: list[Any]) -> bool:
    position = iter(long)
    return all(any(item == candidate for candidate in position) for item in short)


def _extras(short: list[Any], long: list[Any]) -> set[int]:
    """Indexes of ``long`` that a greedy alignment of ``short`` leaves unmatched."""
    extra: set[int] = set()
    j = 0
    for i, item in enumerate(long):
        if j < len(short) and short[j] == item:
            j += 1
        else:
            extra.add(i)
    return extra
