"""Typed access to what a construct creates in some modes only.

A property such as ``BoilStreamAccess.access_role`` is ``None`` outside its mode (below
level 3), so every use needs a check before a type checker accepts it. Each such property
has a ``require_<name>()`` method beside it that returns the value typed as present, or
raises a ``ValueError`` naming the construct, the mode it needs and the mode it has.
"""

from __future__ import annotations

from typing import TypeVar

from constructs import IConstruct

T = TypeVar("T")


def require(value: T | None, *, at: IConstruct, owner: str, name: str, needs: str, has: str) -> T:
    """``value``, or a ``ValueError`` that says why this construct has no ``name``.

    :param at: the construct, whose path the error names.
    :param owner: its class name, e.g. ``"BoilStreamAccess"``.
    :param name: the property that is ``None``, e.g. ``"access_role"``.
    :param needs: the mode that has it, e.g. ``"level=BoilStreamLevel.CREDENTIAL_VENDING"``.
    :param has: the mode this one is in, e.g. ``"level=BoilStreamLevel.DUCKLAKE"``.
    """
    if value is None:
        raise ValueError(
            f"{owner} at {at.node.path} has no {name}: it exists only with {needs}, and this "
            f"one has {has}. Use .{name}, which is None here, to handle both."
        )
    return value
