"""Example stacks: every vendor's, built from the registry.

:data:`EXAMPLES` maps each stack ID to the factory that reads the stack's inputs from
context; it is derived from :data:`lakehouse_iam.vendors.VENDORS`, so a stack a vendor
registers is synthesized, snapshotted and checked by cdk-nag without an edit here.
``app.py`` and the tests both go through :func:`build_example_stacks`.
"""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk

from ..vendors import StackFactory, Vendor, example_stacks
from .context import CONTEXT_PREFIX, context, flag_context, list_context, required_context


def _lazy(vendor: Vendor, stack_id: str) -> StackFactory:
    """The factory of ``stack_id``, importing the vendor's stack module only when called."""

    def build(app: cdk.App, id: str) -> cdk.Stack:
        return vendor.factory(stack_id)(app, id)

    return build


EXAMPLES: Mapping[str, StackFactory] = {
    stack_id: _lazy(vendor, stack_id) for stack_id, (vendor, _) in example_stacks().items()
}
"""Every example stack: stack ID -> factory(app, stack_id)."""


def build_example_stacks(app: cdk.App) -> dict[str, cdk.Stack]:
    """Create every example stack in ``app`` from its context; return them by stack ID."""
    return {stack_id: factory(app, stack_id) for stack_id, factory in EXAMPLES.items()}


__all__ = [
    "CONTEXT_PREFIX",
    "EXAMPLES",
    "build_example_stacks",
    "context",
    "flag_context",
    "list_context",
    "required_context",
]
