"""A ``CfnParameter`` given for a name or a prefix, checked through what it may hold.

A parameter's value is known only at deploy time, but what CloudFormation lets it hold
is known at synthesis: its ``AllowedValues``, its ``Default`` and its
``AllowedPattern``. Each allowed value and the default, put in place of the parameter
in the surrounding literal text, must pass the prop's whole rule; a pattern must admit
none of the :data:`PROBES` (``*``, ``?``, ``..``, ``${`` ...) that would break the rule
there.

A parameter with neither a pattern nor allowed values gets an ``AllowedPattern`` that
encodes the prop's rule (:func:`review`), so ``cdk deploy --parameters Env='*'``
fails before anything is created. A pattern rather than a CloudFormation ``Rules``
assertion: ``Rules`` functions compare whole values (``Fn::Equals``, ``Fn::Contains``,
``Fn::EachMemberIn``) and cannot look inside a string, a pattern can. The pattern uses
what Java's and Python's regular expressions read alike (classes, groups, lookaheads).

The empty string is not refused: it is how a template marks an optional input left
out (``Default: ""`` with a condition), and it cannot put a wildcard into a policy.
Only ``String`` parameters are checked and constrained: a ``Number`` holds no wildcard,
and CloudFormation checks an SSM parameter type's pattern against the key, not the
value (https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/
systems-manager-parameter-types.html), so such a value is, like an import, known
only through the literal text beside it.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from dataclasses import dataclass

import aws_cdk as cdk

from .token_text import tokens

PROBES = (
    "*",
    "a*",
    "*a",
    "a/*",
    "?",
    "a?",
    "..",
    "a..b",
    "a/..",
    "../a",
    "a/../b",
    ".",
    "a/./b",
    "a//b",
    "/a",
    "a/",
    "${aws:username}",
    "a${aws:userid}",
    "A",
    "aB",
    "a b",
    "a:b",
    "a#b",
    "a\\b",
    "-a",
    "a-",
    "_a",
    "a\x00",
)
"""Strings a loose ``AllowedPattern`` may admit, each breaking some prop's rule."""

_SET_BY_LIBRARY: set[str] = set()
"""The patterns :func:`_constrain` wrote, which a second prop may narrow further."""


@dataclass(frozen=True)
class Parameter:
    """A ``CfnParameter`` found in a value, and the token text that stands for it."""

    parameter: cdk.CfnParameter
    token: str

    @property
    def name(self) -> str:
        return str(self.parameter.node.id)


def parameters_in(value: str) -> list[Parameter]:
    """The ``CfnParameter`` s whose value is one of the tokens of ``value``."""
    found = (_parameter_of(token) for token in dict.fromkeys(tokens(value)))
    return [p for p in found if p is not None]


@functools.lru_cache(maxsize=4096)
def _parameter_of(token: str) -> Parameter | None:
    # A token string names one token for the life of the process (the jsii runtime's
    # token map only grows), so the answer never changes; a value is often checked by
    # several props, and each look-up is a jsii round trip.
    reference = cdk.Tokenization.reverse_string(token).first_token
    if isinstance(reference, cdk.Reference) and isinstance(reference.target, cdk.CfnParameter):
        return Parameter(reference.target, token)
    return None


def review(
    value: str,
    found: Parameter,
    passes: Callable[[str], bool],
    *,
    pattern: str,
    description: str,
) -> list[str]:
    """Why ``found``'s allowed values, default or pattern let ``value`` break its rule;
    with none, ``found`` is constrained to ``pattern`` (:func:`_constrain`).

    :param passes: the prop's whole rule for ``value`` with the parameter in place.
    :param pattern: the ``AllowedPattern`` that encodes the rule for the parameter.
    :param description: its ``ConstraintDescription``.
    """
    parameter = found.parameter
    if parameter.type != "String":
        # A Number holds no wildcard. For an SSM parameter type CloudFormation checks
        # the pattern and values against the parameter's key, never its value
        # (CloudFormation User Guide, "Systems Manager parameter types"): nothing here
        # can guard that value, as with an import; its literal text beside is checked.
        return []
    # each attribute is a jsii round trip: read once
    allowed_values = [str(v) for v in parameter.allowed_values or ()]
    current = parameter.allowed_pattern
    default = parameter.default
    where = f"CfnParameter {found.name}"
    result: list[str] = []
    candidates = [(f"{where} allows", v) for v in allowed_values]
    if isinstance(default, str):
        candidates.append((f"{where} defaults to", default))
    for said, candidate in candidates:
        if candidate == "":
            continue
        substituted = value.replace(found.token, candidate)
        if not passes(substituted):
            result.append(f"{said} {candidate!r}, which makes it {substituted!r}")
    # A pattern _constrain set for another prop is narrowed for this one instead.
    if current is not None and current not in _SET_BY_LIBRARY:
        result.extend(_pattern_problems(value, found, current, passes))
    if not result and not allowed_values:
        _constrain(parameter, current, pattern, description)
    return result


def _pattern_problems(
    value: str, found: Parameter, pattern: str, passes: Callable[[str], bool]
) -> list[str]:
    where = f"CfnParameter {found.name}'s AllowedPattern {pattern!r}"
    try:
        compiled = re.compile(pattern)
    except re.error:
        return [f"{where} cannot be read"]
    for probe in PROBES:
        substituted = value.replace(found.token, probe)
        if compiled.fullmatch(probe) and not passes(substituted):
            return [f"{where} admits {probe!r}, which makes it {substituted!r}"]
    return []


def _constrain(
    parameter: cdk.CfnParameter, current: str | None, pattern: str, description: str
) -> None:
    """Give ``parameter`` the ``AllowedPattern`` ``pattern`` when it has none (or narrow
    a pattern this function set for another prop)."""
    if current is None:
        parameter.allowed_pattern = pattern
        _SET_BY_LIBRARY.add(pattern)
        if parameter.constraint_description is None:
            parameter.constraint_description = description
    elif current in _SET_BY_LIBRARY and current != pattern:
        both = f"(?=(?:{current})$)(?:{pattern})"
        parameter.allowed_pattern = both
        _SET_BY_LIBRARY.add(both)
