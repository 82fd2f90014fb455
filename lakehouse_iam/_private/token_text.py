"""The literal text of a string that holds CDK tokens, checked against a prop's rules.

``f"lake-{suffix}*"`` is the token string ``lake-${Token[TOKEN.7]}*``: whatever the token
becomes at deploy time, the ``*`` the user wrote stays a wildcard in the rendered
policy. A token is never guessed at, but the text around it is known at construction:
:func:`literal_problem` checks every literal *piece* (the text between tokens) against
the prop's :class:`LiteralRule` - no ``*``, ``?`` or ``${``, only the prop's characters,
no ``..``, no empty or dot-only path segment - and says which piece breaks which rule.

The same pieces come from an ``Fn::Join`` once a value is resolved at synthesis
(:func:`join_pieces`), so a ``Lazy`` beside a ``CfnParameter`` is checked the same way.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

_TOKEN = re.compile(r"\$\{Token\[[^\]]*\]\}")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


@dataclass(frozen=True)
class LiteralRule:
    """What the literal text beside a token may hold, for one kind of prop.

    :param chars: a character class (``[a-z0-9.-]``) every literal character must match.
    :param what: the characters in words, for messages.
    :param double_dot: ``..`` is refused anywhere (bucket names).
    :param path: the value is ``/``-separated (a key prefix): no empty, ``.`` or ``..``
        segment, leading and trailing ``/`` dropped first.
    :param suffix: one literal ending allowed although its characters are not (the
        ``:*`` of a log group ARN, what CloudFormation's ``Arn`` attribute ends with).
    :param edges: the whole value starts and ends with a letter or digit (bucket names):
        a literal first or last piece must too.
    :param text: free text, not a policy value (a description): ``*``, ``?`` and ``${``
        are characters like any other.
    :param pattern: the ``AllowedPattern`` a ``CfnParameter`` beside literal text gets.
        Default: one or more of ``chars`` (without ``..`` when ``double_dot``).
    """

    chars: str
    what: str
    double_dot: bool = False
    path: bool = False
    suffix: str = ""
    edges: bool = False
    text: bool = False
    pattern: str = ""

    @property
    def char_re(self) -> re.Pattern[str]:
        return re.compile(self.chars)

    @property
    def parameter_pattern(self) -> str:
        """What a ``CfnParameter`` beside literal text may hold, as an ``AllowedPattern``."""
        if self.pattern:
            return self.pattern
        return (r"(?!.*\.\.)" if self.double_dot else "") + f"(?:{self.chars})+"


def pieces(value: str) -> list[str]:
    """The literal text of ``value`` between its tokens: one more piece than tokens,
    empty pieces included (``"${T}x"`` -> ``["", "x"]``)."""
    return _TOKEN.split(value)


def tokens(value: str) -> list[str]:
    """The token strings of ``value`` (``${Token[...]}``), in order."""
    return _TOKEN.findall(value)


def join_pieces(resolved: Any) -> list[str] | None:
    """The literal pieces of a resolved ``{"Fn::Join": ["", [...]]}``: its strings, with
    every other part (a ``Ref``, an attribute) as a token boundary. ``None`` for anything
    else."""
    if not (isinstance(resolved, dict) and set(resolved) == {"Fn::Join"}):
        return None
    delimiter, parts = resolved["Fn::Join"]
    if delimiter != "" or not isinstance(parts, list):
        return None
    found = [""]
    for part in parts:
        if isinstance(part, str):
            found[-1] += part
        else:
            found.append("")
    return found


def literal_problem(value: str, rule: LiteralRule) -> str | None:
    """Why the literal text of the token string ``value`` breaks ``rule``, or ``None``."""
    return pieces_problem(pieces(value), rule)


def pieces_problem(found: Sequence[str], rule: LiteralRule) -> str | None:
    """Why the literal ``found`` pieces (text between tokens) break ``rule``, or ``None``.

    The message names the piece: ``the literal text '*' beside a token holds '*'``.
    """
    pieces = list(found)
    if rule.suffix and pieces[-1].endswith(rule.suffix):
        pieces[-1] = pieces[-1][: -len(rule.suffix)]
    allowed = rule.char_re
    for piece in pieces:
        where = f"the literal text {piece!r} beside a token"
        for bad, why in (
            ()
            if rule.text
            else (
                ("*", "which IAM reads as a wildcard"),
                ("?", "which IAM reads as a wildcard"),
                ("${", "which IAM expands as a policy variable"),
            )
        ):
            if bad in piece:
                return f"{where} holds {bad!r}, {why}"
        control = _CONTROL.search(piece)
        if control:
            return f"{where} holds the control character {control.group()!r}"
        for char in piece:
            if not allowed.fullmatch(char):
                return f"{where} holds {char!r}; the prop allows only {rule.what}"
        if rule.double_dot and ".." in piece:
            return f"{where} holds '..'"
    if rule.path:
        return _path_problem(pieces)
    if rule.edges:
        return _edge_problem(pieces)
    return None


def _path_problem(pieces: list[str]) -> str | None:
    """An empty, ``.`` or ``..`` segment in the literal text of a ``/``-separated value.

    A segment wholly literal (``a//${T}``, ``${T}/../x``) is refused when it is empty, ``.``
    or ``..``; so is a dot-only part touching a ``/`` or an end next to a token
    (``raw/..${T}``), which the token's empty value would leave as a ``..`` segment.
    """
    first, last = 0, len(pieces) - 1
    for i, piece in enumerate(pieces):
        text = piece
        if i == first:
            text = text.lstrip("/")
        if i == last:
            text = text.rstrip("/")
        parts = text.split("/")
        for j, part in enumerate(parts):
            # a part is bounded by '/' (or the value's end) on a side unless a token is there
            token_left = j == 0 and i != first
            token_right = j == len(parts) - 1 and i != last
            if token_left and token_right:
                continue  # text between two tokens, e.g. ${db}.${table}
            if token_left or token_right:
                if part in (".", ".."):
                    return (
                        f"the literal text {piece!r} beside a token holds the segment "
                        f"{part!r}, a '.' or '..' segment when the token is empty"
                    )
                continue
            if part in ("", ".", ".."):
                shown = "an empty segment ('//')" if part == "" else f"the segment {part!r}"
                return f"the literal text {piece!r} beside a token holds {shown}"
    return None


def _edge_problem(pieces: list[str]) -> str | None:
    """A literal start or end that is not a letter or digit (a bucket name's edges)."""
    head, tail = pieces[0], pieces[-1]
    if head and not head[0].isalnum():
        return f"the literal text {head!r} before a token starts with {head[0]!r}"
    if tail and not tail[-1].isalnum():
        return f"the literal text {tail!r} after a token ends with {tail[-1]!r}"
    return None
