"""Discoverability: every public construct shows how it is used, every property says what it is.

An IDE shows a class's docstring on hover and a property's docstring on completion; the
checks below read the same text, for every name :mod:`lakehouse_iam.api` exports.
"""

from __future__ import annotations

import ast
import enum
import inspect

import pytest

import lakehouse_iam.api as api
from tests.helpers import ROOT


def public_names() -> list[str]:
    """The names ``lakehouse_iam/api.py`` re-exports, in file order (deprecated aliases too)."""
    tree = ast.parse((ROOT / "lakehouse_iam" / "api.py").read_text(encoding="utf-8"))
    return [
        alias.name
        for node in tree.body
        if isinstance(node, ast.ImportFrom) and node.module != "__future__"
        for alias in node.names
    ]


CLASSES = [
    name
    for name in public_names()
    if inspect.isclass(getattr(api, name))
    and not issubclass(getattr(api, name), (enum.Enum, Exception))
]


def undocumented_properties(cls: type) -> list[str]:
    """Public properties of ``cls`` and its lakehouse-iam bases that have no docstring."""
    missing = []
    for klass in cls.__mro__:
        if not klass.__module__.startswith("lakehouse_iam"):
            continue
        for name, member in vars(klass).items():
            if (
                isinstance(member, property)
                and not name.startswith("_")
                and not (member.__doc__ or "").strip()
            ):
                missing.append(f"{klass.__name__}.{name}")
    return sorted(set(missing))


@pytest.mark.parametrize("name", CLASSES)
def test_public_class_docstring_has_a_usage_example(name):
    # GIVEN a public class WHEN its docstring is read THEN it shows how to use it
    doc = inspect.getdoc(getattr(api, name)) or ""
    assert "Example" in doc and "::" in doc, f"{name}: add a short 'Example::' block"


@pytest.mark.parametrize("name", CLASSES)
def test_every_public_property_is_documented(name):
    assert undocumented_properties(getattr(api, name)) == []


def test_the_check_finds_an_undocumented_property():
    # GIVEN a class with one documented and one bare property THEN only the bare one is named
    class Probe:
        __module__ = "lakehouse_iam.probe"

        @property
        def documented(self) -> int:
            """A docstring."""
            return 1

        @property
        def bare(self) -> int:
            return 2

    assert undocumented_properties(Probe) == ["Probe.bare"]
