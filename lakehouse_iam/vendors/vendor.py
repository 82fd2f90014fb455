"""What the registry knows about a vendor: its page, its deviations, its example stacks and
its standalone CloudFormation templates."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..catalog.deviation import Deviation
from ..catalog.evidence import Need, Omission

if TYPE_CHECKING:
    import aws_cdk as cdk

    from ..templates.scenario import TemplateScenario

StackFactory = Callable[["cdk.App", str], "cdk.Stack"]
"""``factory(app, stack_id)``: builds one example stack, reading its inputs from context."""


@dataclass(frozen=True, kw_only=True)
class ExampleStack:
    """One example stack of a vendor.

    :param id: the stack ID, ``LakehouseIam-<Vendor>[<Mode>]``.
    :param factory: ``"<module>:<function>"`` of the factory, relative to the vendor's
        package (``"stack:from_context"``). Loaded on first use, so reading the registry
        never imports the aws-cdk-lib modules a stack needs.
    """

    id: str
    factory: str


@dataclass(frozen=True, kw_only=True)
class TemplateMode:
    """One standalone template of a vendor: ``templates/<vendor>-<mode>.yaml``.

    :param mode: the scenario within the vendor (``cross-account``), kebab-case.
    :param scenario: ``"<module>:<name>"`` of its
        :class:`~lakehouse_iam.templates.scenario.TemplateScenario`, relative to the
        vendor's package (``"template:CROSS_ACCOUNT"``). Loaded on first use, so reading
        the registry imports no aws-cdk-lib module.
    """

    mode: str
    scenario: str


@dataclass(frozen=True, kw_only=True)
class Vendor:
    """A vendor folder ``lakehouse_iam/vendors/<key>/``, as the registry lists it.

    :param key: the folder name; also the name of the vendor's guide ``docs/<key>.md``.
    :param name: the engine's name as its vendor writes it (``RisingWave Cloud``).
    :param page: the vendor's public IAM page, the requirement this vendor implements.
    :param deviations: where the library grants something other than ``page`` says, and why.
    :param examples: the vendor's example stacks.
    :param templates: the vendor's standalone CloudFormation templates. Default: none.
    :param evidence: why each action the vendor's constructs can grant is needed.
        Default: none.
    :param omissions: actions deliberately not granted, with their evidence. Default: none.
    """

    key: str
    name: str
    page: str
    deviations: tuple[Deviation, ...]
    examples: tuple[ExampleStack, ...]
    templates: tuple[TemplateMode, ...] = ()
    evidence: tuple[Need, ...] = ()
    omissions: tuple[Omission, ...] = ()

    @property
    def package(self) -> str:
        """The vendor's Python package (``lakehouse_iam.vendors.<key>``)."""
        return f"{__package__}.{self.key}"

    @property
    def catalog_path(self) -> str:
        """Repository path of the vendor's catalog (actions, evidence, deviations)."""
        return f"lakehouse_iam/vendors/{self.key}/catalog.py"

    @property
    def guide(self) -> str:
        """File name of the vendor's guide in ``docs/``."""
        return f"{self.key}.md"

    def factory(self, stack_id: str) -> StackFactory:
        """The factory of example stack ``stack_id`` (imports its module on first use)."""
        (example,) = [e for e in self.examples if e.id == stack_id]
        module, _, function = example.factory.partition(":")
        factory: StackFactory = getattr(
            importlib.import_module(f"{self.package}.{module}"), function
        )
        return factory

    def template_scenario(self, mode: str) -> TemplateScenario:
        """The scenario of template ``mode`` (imports its module on first use).

        :raises KeyError: naming the vendor's modes, for an unknown ``mode``.
        """
        found = [t for t in self.templates if t.mode == mode]
        if not found:
            modes = ", ".join(t.mode for t in self.templates) or "none"
            raise KeyError(f"{self.key} has no template mode {mode!r} (modes: {modes})")
        module, _, name = found[0].scenario.partition(":")
        scenario: TemplateScenario = getattr(
            importlib.import_module(f"{self.package}.{module}"), name
        )
        return scenario
