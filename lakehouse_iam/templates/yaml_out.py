"""Templates as YAML: block style, keys in template order, every string double-quoted.

A small emitter for JSON-shaped data, so the shipped package needs no YAML library.
Double-quoted YAML scalars use JSON's escapes, so each string is written with
``json.dumps`` and reads back exactly (``"0123"`` stays a string, ``"true"`` too).
Mapping keys that are plain words (``Fn::If``, ``aws:SourceAccount``) are written bare.
"""

from __future__ import annotations

import json
import re
from typing import Any

_PLAIN_KEY = re.compile(r"^[A-Za-z][A-Za-z0-9_.:/-]*$")
_INDENT = "  "
# Plain words a YAML 1.1 reader takes for null or a boolean.
_RESERVED = {"null", "~", "true", "false", "yes", "no", "on", "off", "y", "n"}


def to_yaml(template: dict[str, Any], *, header: str = "") -> str:
    """``template`` as a YAML document; ``header`` lines become ``#`` comments on top."""
    lines = [f"# {line}".rstrip() for line in header.splitlines()]
    lines += _mapping(template, 0)
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    plain = (
        _PLAIN_KEY.fullmatch(key)
        and not key.endswith(":")
        and ": " not in key
        and key.lower() not in _RESERVED
    )
    return key if plain else json.dumps(key)


def _scalar(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return json.dumps(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    raise TypeError(f"cannot write {type(value).__name__} to a template")


def _mapping(value: dict[str, Any], depth: int) -> list[str]:
    pad = _INDENT * depth
    lines: list[str] = []
    for key, item in value.items():
        head = f"{pad}{_key(str(key))}:"
        if isinstance(item, dict) and item:
            lines += [head, *_mapping(item, depth + 1)]
        elif isinstance(item, list) and item:
            lines += [head, *_sequence(item, depth + 1)]
        else:
            lines.append(f"{head} {_empty(item)}")
    return lines


def _sequence(value: list[Any], depth: int) -> list[str]:
    pad = _INDENT * depth
    lines: list[str] = []
    for item in value:
        if isinstance(item, dict) and item:
            nested = _mapping(item, depth + 1)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines += nested[1:]
        elif isinstance(item, list) and item:
            nested = _sequence(item, depth + 1)
            lines.append(f"{pad}- {nested[0].lstrip()}")
            lines += nested[1:]
        else:
            lines.append(f"{pad}- {_empty(item)}")
    return lines


def _empty(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, list):
        return "[]"
    return _scalar(value)
