"""Token values checked again at synthesis, once they resolve.

A ``cdk.Lazy`` (or any token that does not stand for a deploy-time value) resolves to
plain text at synthesis: ``prefix=Lazy.string(...)`` producing ``"*"`` renders
``bucket/*/*``. :class:`~lakehouse_iam.validation.PropsCheck` accepts a token at
construction after checking its literal text, and records a :class:`SynthCheck`; the
construct that renders the value registers it with :func:`register` as a
``node.add_validation``. At synthesis the value is resolved in the construct's stack:
a string is checked with the prop's whole rule and message, an ``Fn::Join`` through its
literal parts; a ``Ref`` or an attribute stays a deploy-time value. A failure makes
``app.synth()`` and ``cdk synth`` fail with the construct's path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct, IValidation

from .user_props import Problem, active, message


@dataclass(frozen=True)
class SynthCheck:
    """A token ``value`` of ``owner``'s ``prop``, and how to check what it resolves to.

    :param title: how the message names the owner (``S3Location``,
        ``RisingWaveAccess at S/RW``).
    :param check: resolved value -> the problems (value shown, what is accepted).
    """

    owner: str
    title: str
    prop: str
    value: str
    check: Callable[[Any], list[tuple[Any, str]]] = field(compare=False)

    def problems(self, stack: cdk.Stack) -> list[Problem]:
        resolved = stack.resolve(self.value)
        return [Problem(self.prop, shown, accepted) for shown, accepted in self.check(resolved)]


@jsii.implements(IValidation)
class _ResolvedValues:
    """The ``node.add_validation`` of one construct: every deferred check on it."""

    def __init__(self, scope: IConstruct) -> None:
        self._scope = scope
        self.checks: list[SynthCheck] = []

    def validate(self) -> list[str]:
        stack = cdk.Stack.of(self._scope)
        by_title: dict[str, list[Problem]] = {}
        for check in self.checks:
            found = check.problems(stack)
            if found:
                by_title.setdefault(check.title, []).extend(found)
        return [
            message(f"{title} (token values resolved at synthesis)", problems)
            for title, problems in by_title.items()
        ]


_ATTRIBUTE = "_lakehouse_iam_resolved_values"


def register(scope: IConstruct, checks: Iterable[SynthCheck]) -> None:
    """Check ``checks`` when ``scope`` is synthesized. Inside a construct that builds
    from the user's props (:func:`.user_props.user_props`) they are checked on that
    construct, in its names, once each."""
    pending = list(checks)
    if not pending:
        return
    context = active()
    if context is not None:
        scope = context.at
        pending = [
            replace(c, title=context.title, prop=context.prop(c.owner, c.prop), owner=context.owner)
            for c in pending
        ]
    validation: _ResolvedValues | None = getattr(scope, _ATTRIBUTE, None)
    if validation is None:
        validation = _ResolvedValues(scope)
        setattr(scope, _ATTRIBUTE, validation)
        scope.node.add_validation(validation)
    for check in pending:
        if check not in validation.checks:
            validation.checks.append(check)


def of(subject: object) -> list[SynthCheck]:
    """The checks a grant, trust or location recorded (:func:`keep`), with those of the
    locations, grants and trusts it holds (its dataclass fields)."""
    found: list[SynthCheck] = list(getattr(subject, _KEPT, ()))
    if is_dataclass(subject) and not isinstance(subject, type):
        for item in fields(subject):
            value = getattr(subject, item.name, None)
            for part in value if isinstance(value, (list, tuple)) else (value,):
                if is_dataclass(part) and not isinstance(part, type):
                    found.extend(of(part))
    return found


_KEPT = "_lakehouse_iam_synth_checks"


def keep(subject: object, checks: Iterable[SynthCheck]) -> None:
    """Record ``checks`` on a plain-data ``subject`` (a grant or location) until a
    construct renders it and :func:`register` s them."""
    object.__setattr__(subject, _KEPT, tuple(checks))
