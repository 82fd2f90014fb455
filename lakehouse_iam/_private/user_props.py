"""Errors name what the user passed: the user's construct, its path and its prop.

A vendor construct builds shared grants from its own props: ``RisingWaveAccess(kms_key=
...)`` builds ``SseKmsGrant(key=...)``. When the grant refuses its ``key`` (a key of
another region than the bucket, found only when it is rendered), the user should read
``RisingWaveAccess at S/RW: kms_key=...``, not ``SseKmsGrant: key=...``: the user never
wrote an ``SseKmsGrant``.

A construct that builds from the user's props does so inside :func:`user_props`, with
the names its props take in the building blocks (``{"SseKmsGrant.key": "kms_key"}``).
A :class:`PropsError` raised inside is raised again under the construct's name and
path with the props renamed; the checks deferred to synthesis
(:mod:`.synth_checks`) are renamed the same way when they are registered. A prop the
mapping does not name keeps its building block's name (``SseKmsGrant.region``).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Concatenate, ParamSpec, TypeVar

from constructs import IConstruct

_INDEX = re.compile(r"\[\d+\]$")


@dataclass(frozen=True)
class Problem:
    """One refused prop: its name, the value and what would have been accepted."""

    prop: str
    value: Any
    accepted: str

    def line(self) -> str:
        return f"{self.prop}={self.value!r} is invalid: expected {self.accepted}"


def message(title: str, problems: list[Problem]) -> str:
    """The error text: ``<title>: invalid properties:`` and one line per problem."""
    lines = "\n".join(f"  - {p.line()}" for p in problems)
    return f"{title}: invalid properties:\n{lines}"


class PropsError(ValueError):
    """Invalid props of one construct or building block (a ``ValueError``).

    :param owner: the class (or function) whose props these are, e.g. ``SseKmsGrant``.
    :param title: how the message names it, e.g. ``SseKmsGrant`` or
        ``RisingWaveAccess at S/RW``.
    :param problems: each refused prop.
    :param user_facing: already named after the user's construct and props.
    """

    def __init__(
        self, owner: str, title: str, problems: list[Problem], *, user_facing: bool = False
    ) -> None:
        super().__init__(message(title, problems))
        self.owner = owner
        self.title = title
        self.problems = problems
        self.user_facing = user_facing


@dataclass(frozen=True)
class UserProps:
    """A construct that builds from the user's props, and the names of those props in
    the building blocks (``"SseKmsGrant.key" -> "kms_key"``; a list prop's items map
    through its name, ``"SseKmsGrant.locations" -> "bucket"``)."""

    owner: str
    at: IConstruct
    names: Mapping[str, str]

    @property
    def title(self) -> str:
        return f"{self.owner} at {self.at.node.path}"

    def prop(self, owner: str, prop: str) -> str:
        """The user's name of building block ``owner``'s ``prop``."""
        if owner == self.owner:
            return prop
        for key in (f"{owner}.{prop}", f"{owner}.{_INDEX.sub('', prop)}"):
            if key in self.names:
                return self.names[key]
        return f"{owner}.{prop}"

    def renamed(self, error: PropsError) -> PropsError:
        problems = [
            Problem(self.prop(error.owner, p.prop), p.value, p.accepted) for p in error.problems
        ]
        return PropsError(self.owner, self.title, problems, user_facing=True)


_ACTIVE: ContextVar[tuple[UserProps, ...]] = ContextVar("lakehouse_iam_user_props", default=())


def active() -> UserProps | None:
    """The innermost construct building from the user's props, if any."""
    stack = _ACTIVE.get()
    return stack[-1] if stack else None


@contextmanager
def user_props(at: IConstruct, owner: str, names: Mapping[str, str]) -> Iterator[None]:
    """Name ``at`` (a ``owner``) and its props in every props error raised inside.

    Inside the same construct's context, ``names`` add to (and override) the enclosing
    mapping: ``{"DataAccessRole.role_name": "execution_role_name"}`` around one of its
    roles.

    Example::

        with user_props(self, "RisingWaveAccess", {"SseKmsGrant.key": "kms_key"}):
            grant = SseKmsGrant(key=kms_key)
            DataAccessRole(self, "DataAccess", trust=trust, grants=[grant])
    """
    outer = active()
    if outer is not None and outer.at is at and outer.owner == owner:
        # a narrower mapping for part of the same construct (one of its two roles)
        names = {**outer.names, **names}
    context = UserProps(owner, at, dict(names))
    reset = _ACTIVE.set((*_ACTIVE.get(), context))
    try:
        yield
    except PropsError as error:
        if error.user_facing or error.owner == owner:
            raise
        raise context.renamed(error) from error
    finally:
        _ACTIVE.reset(reset)


_P = ParamSpec("_P")
_C = TypeVar("_C", bound=IConstruct)


def builds_from_user_props(
    owner: str, names: Mapping[str, str]
) -> Callable[[Callable[Concatenate[_C, _P], None]], Callable[Concatenate[_C, _P], None]]:
    """Decorate a construct's ``__init__``: everything it builds runs in
    :func:`user_props` (``self``, ``owner``, ``names``).

    Example::

        class RisingWaveAccess(Construct):
            @builds_from_user_props("RisingWaveAccess", {"SseKmsGrant.key": "kms_key"})
            def __init__(self, scope: Construct, id: str, *, kms_key: str) -> None: ...
    """

    def decorate(
        init: Callable[Concatenate[_C, _P], None],
    ) -> Callable[Concatenate[_C, _P], None]:
        @functools.wraps(init)
        def wrapped(self: _C, /, *args: _P.args, **kwargs: _P.kwargs) -> None:
            with user_props(self, owner, names):
                init(self, *args, **kwargs)

        return wrapped

    return decorate
