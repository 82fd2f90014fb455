"""Fit many statements into few managed policies without widening any of them.

Used by :class:`~lakehouse_iam.DataAccessRole` when one managed policy per grant would break an IAM
quota. Every transformation here is an exact union or an exact split: the packed
policies allow the same requests as the statements they came from, and nothing else.

Statements are read once each (``to_statement_json``) and handled as plain data, and
sizes are computed by substituting each distinct token once: a role with thousands of
statements costs thousands of dictionary operations, not thousands of jsii calls.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct

from ..quotas import MANAGED_POLICY_SIZE
from .sizing import DOCUMENT_OVERHEAD, Sizer, statement_json

# A Sid may get "Part<n>" appended when its statement is split; size for the longest.
_PART_SUFFIX = len("Part999")


def _as_list(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list) else [value]


def _prefix_values(conditions: dict[str, Any]) -> list[str] | None:
    """The s3:prefix values when that is the statement's only condition."""
    if list(conditions) != ["StringLike"] or list(conditions["StringLike"]) != ["s3:prefix"]:
        return None
    return _as_list(conditions["StringLike"]["s3:prefix"])


def _without_covered(prefixes: list[str]) -> list[str]:
    """Drop ``x`` when ``x*`` is also listed: StringLike's ``*`` matches the empty string."""
    present = set(prefixes)
    return [p for p in prefixes if p + "*" not in present]


def _merged_sid(sids: list[str]) -> str | None:
    if not sids:
        return None
    return sids[0] if len(sids) == 1 else f"{sids[0]}And{len(sids) - 1}More"


def merge_statement_data(
    statements: Sequence[iam.PolicyStatement | dict[str, Any]],
) -> list[dict[str, Any]]:
    """Union statements that differ only in resources, or only in ``s3:prefix`` values.

    Two Allow statements with the same actions and conditions are one statement on the
    union of their resources. Two listing statements on the same bucket that differ only
    in ``StringLike s3:prefix`` are one statement allowing the union of the prefixes (a
    condition key's values are ORed). Order follows first appearance. Returns
    ``{"sids", "actions", "resources", "conditions"}`` records.
    """
    by_listing: dict[str, dict[str, Any]] = {}
    entries: list[dict[str, Any]] = []
    for statement in statements:
        data = statement_json(statement)
        entry: dict[str, Any] = {
            "sids": [data["Sid"]] if data.get("Sid") else [],
            "actions": sorted(_as_list(data["Action"])),
            "resources": _as_list(data["Resource"]),
            "conditions": data.get("Condition") or {},
        }
        prefixes = _prefix_values(entry["conditions"])
        if prefixes is None:
            entries.append(entry)
            continue
        key = json.dumps([entry["actions"], sorted(entry["resources"])])
        if key in by_listing:
            merged = by_listing[key]
            merged["sids"] += entry["sids"]
            merged["prefixes"] += [p for p in prefixes if p not in merged["prefixes"]]
        else:
            entry["prefixes"] = list(prefixes)
            by_listing[key] = entry
            entries.append(entry)
    for entry in by_listing.values():
        values = entry.pop("prefixes")
        if len(entry["sids"]) > 1:
            values = _without_covered(values)
        entry["conditions"] = {"StringLike": {"s3:prefix": values}}

    by_shape: dict[str, dict[str, Any]] = {}
    result: list[dict[str, Any]] = []
    for entry in entries:
        key = json.dumps([entry["actions"], entry["conditions"]], sort_keys=True)
        if key in by_shape:
            target = by_shape[key]
            target["sids"] += entry["sids"]
            seen = set(target["resources"])
            target["resources"] += [r for r in entry["resources"] if r not in seen]
        else:
            by_shape[key] = entry
            result.append(entry)
    return result


def _fit(sizes: list[int], start: int, room: int) -> int:
    """The largest ``end`` such that ``sizes[start:end]`` joined by commas fits ``room``."""
    end, used = start, -1
    while end < len(sizes) and used + 1 + sizes[end] <= room:
        used += 1 + sizes[end]
        end += 1
    return end


def pack_statements(
    scope: Construct,
    statements: Sequence[iam.PolicyStatement | dict[str, Any]],
    *,
    limit: int = MANAGED_POLICY_SIZE,
) -> list[list[dict[str, Any]]]:
    """Merge statements, then fill them in order into documents of at most ``limit``.

    A statement too large for the room left is cut, at resource (or ``s3:prefix``
    value) granularity, into parts named ``<Sid>Part<n>``: each part allows a subset,
    together exactly the whole. Filling in order keeps the layout deterministic: the
    same input always gives the same documents, and a new statement changes only the
    documents from where it lands.

    :raises ValueError: when one resource alone cannot fit in a policy.
    """
    sizer = Sizer(scope)
    layout: list[list[tuple[dict[str, Any], list[Any], bool, int, int]]] = []
    size = 0
    for entry in merge_statement_data(statements):
        sid = _merged_sid(entry["sids"])
        prefixes = _prefix_values(entry["conditions"])
        by_prefix = len(entry["resources"]) == 1 and prefixes is not None and len(prefixes) > 1
        items: list[Any] = prefixes if by_prefix and prefixes is not None else entry["resources"]
        item_sizes = [sizer.size(i) for i in items]
        skeleton = {
            "Action": entry["actions"],
            "Effect": "Allow",
            "Resource": [] if not by_prefix else entry["resources"],
            **({"Condition": entry["conditions"]} if entry["conditions"] and not by_prefix else {}),
            **({"Condition": {"StringLike": {"s3:prefix": []}}} if by_prefix else {}),
            **({"Sid": sid} if sid else {}),
        }
        fixed = sizer.size(skeleton) + (_PART_SUFFIX if sid else 0)
        start = 0
        while start < len(items):
            end = _fit(item_sizes, start, limit - size - 1 - fixed) if layout else start
            if end == start:
                layout.append([])
                size = DOCUMENT_OVERHEAD - 1
                end = _fit(item_sizes, start, limit - DOCUMENT_OVERHEAD - fixed)
                if end == start:
                    raise ValueError(
                        f"statement {sid!r}: {items[start]!r} alone does not fit in a "
                        f"managed policy of {limit} characters"
                    )
            size += 1 + fixed + sum(item_sizes[start:end]) + (end - start - 1)
            layout[-1].append((entry, items, by_prefix, start, end))
            start = end

    documents: list[list[dict[str, Any]]] = []
    parts_of: dict[int, int] = {}
    for document in layout:
        for entry, *_ in document:
            parts_of[id(entry)] = parts_of.get(id(entry), 0) + 1
    seen: dict[int, int] = {}
    for document in layout:
        rendered = []
        for entry, items, by_prefix, start, end in document:
            seen[id(entry)] = seen.get(id(entry), 0) + 1
            sid = _merged_sid(entry["sids"])
            if sid and parts_of[id(entry)] > 1:
                sid = f"{sid}Part{seen[id(entry)]}"
            chunk = items[start:end]
            conditions: dict[str, Any] | None
            if by_prefix:
                resources, conditions = entry["resources"], {"StringLike": {"s3:prefix": chunk}}
            else:
                resources, conditions = chunk, entry["conditions"] or None
            statement: dict[str, Any] = {
                **({"Sid": sid} if sid else {}),
                "Effect": "Allow",
                "Action": entry["actions"],
                "Resource": resources,
            }
            if conditions:
                statement["Condition"] = conditions
            rendered.append(statement)
        documents.append(rendered)
    return documents
