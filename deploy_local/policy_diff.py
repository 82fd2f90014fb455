"""Compare two IAM policy documents statement by statement, field by field.

Both sides are brought to IAM's meaning before comparing: a single string equals a
one-element list, element order in Action/Resource/condition values does not matter,
and scalars compare as text (``"true"`` == ``True``). Everything else must be equal.
"""

from __future__ import annotations

import json
from typing import Any

SET_FIELDS = ("Action", "NotAction", "Resource", "NotResource")


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _set(value: Any) -> list[str]:
    items = value if isinstance(value, list) else [value]
    return sorted({_text(v) for v in items})


def _principal(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _set(v) for k, v in sorted(value.items())}
    return _text(value)


def _condition(value: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    return {op: {k: _set(v) for k, v in sorted(keys.items())} for op, keys in value.items()}


def normalize_statement(statement: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in statement.items():
        if key in SET_FIELDS:
            out[key] = _set(value)
        elif key in ("Principal", "NotPrincipal"):
            out[key] = _principal(value)
        elif key == "Condition":
            out[key] = _condition(value)
        else:
            out[key] = _text(value)
    return out


def normalize(document: Any) -> dict[str, Any]:
    """A policy document (dict or JSON text) in comparable form."""
    if isinstance(document, str):
        document = json.loads(document)
    statements = document.get("Statement", [])
    if isinstance(statements, dict):
        statements = [statements]
    out = {k: _text(v) for k, v in document.items() if k != "Statement"}
    out["Statement"] = [normalize_statement(s) for s in statements]
    return out


def _label(statement: dict[str, Any], index: int) -> str:
    return f"Statement[Sid={statement['Sid']}]" if "Sid" in statement else f"Statement[{index}]"


def _short(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _field_diffs(label: str, expected: Any, deployed: Any) -> list[tuple[str, str]]:
    """(property path, message) for each difference between two normalized values."""
    if expected == deployed:
        return []
    if isinstance(expected, list) and isinstance(deployed, list):
        missing = [v for v in expected if v not in deployed]
        extra = [v for v in deployed if v not in expected]
        parts = []
        if missing:
            parts.append(f"template has {_short(missing)} that IAM lacks")
        if extra:
            parts.append(f"IAM has {_short(extra)} that the template lacks")
        return [(label, "; ".join(parts))]
    if isinstance(expected, dict) and isinstance(deployed, dict):
        diffs = []
        for key in sorted(set(expected) | set(deployed)):
            if key not in deployed:
                diffs.append((f"{label}.{key}", f"template has {_short(expected[key])}, IAM none"))
            elif key not in expected:
                diffs.append((f"{label}.{key}", f"IAM has {_short(deployed[key])}, template none"))
            else:
                diffs.extend(_field_diffs(f"{label}.{key}", expected[key], deployed[key]))
        return diffs
    return [(label, f"template {_short(expected)}, IAM {_short(deployed)}")]


def diff_documents(expected: Any, deployed: Any) -> list[tuple[str, str]]:
    """(property path, message) for every difference; empty when IAM means the same."""
    want, got = normalize(expected), normalize(deployed)
    diffs: list[tuple[str, str]] = []
    for key in sorted((set(want) | set(got)) - {"Statement"}):
        if want.get(key) != got.get(key):
            diffs.append((key, f"template {want.get(key)!r}, IAM {got.get(key)!r}"))
    remaining = list(enumerate(got["Statement"]))
    unmatched: list[tuple[int, dict[str, Any]]] = []
    for index, statement in enumerate(want["Statement"]):
        exact = next((i for i, (_, s) in enumerate(remaining) if s == statement), None)
        if exact is not None:
            remaining.pop(exact)
            continue
        unmatched.append((index, statement))
    for index, statement in unmatched:
        sid = statement.get("Sid")
        same_sid = next(
            (i for i, (_, s) in enumerate(remaining) if sid is not None and s.get("Sid") == sid),
            None,
        )
        if same_sid is None and sid is None and len(unmatched) == 1 and len(remaining) == 1:
            same_sid = 0  # one unnamed statement changed: compare it field by field
        if same_sid is None:
            diffs.append((_label(statement, index), f"only in the template: {_short(statement)}"))
            continue
        _, other = remaining.pop(same_sid)
        diffs.extend(_field_diffs(_label(statement, index), statement, other))
    for index, statement in remaining:
        diffs.append((_label(statement, index), f"only in IAM: {_short(statement)}"))
    return diffs
