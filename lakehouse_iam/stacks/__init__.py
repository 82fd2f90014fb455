"""Example stacks, one per scenario, and the registry that builds them all.

:data:`EXAMPLES` maps each stack ID to a factory that reads the stack's inputs from
context. ``app.py`` and the tests both go through :func:`build_example_stacks`, so a
stack registered here is synthesized, snapshotted and checked by cdk-nag
automatically.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk

from .risingwave_stack import RisingWaveExampleStack

CONTEXT_PREFIX = "lakehouse-iam:"


def context(app: cdk.App, key: str) -> str | None:
    """The ``lakehouse-iam:<key>`` context value; an empty string reads as ``None``."""
    value = app.node.try_get_context(CONTEXT_PREFIX + key)
    if value is None or value == "":
        return None
    return str(value)


def required_context(app: cdk.App, key: str) -> str:
    """Like :func:`context`, but a missing value is an error naming the key."""
    value = context(app, key)
    if value is None:
        raise ValueError(
            f"context {CONTEXT_PREFIX + key!r} is missing: set it in cdk.json or pass "
            f"-c {CONTEXT_PREFIX + key}=VALUE"
        )
    return value


def _risingwave(app: cdk.App, stack_id: str) -> cdk.Stack:
    return RisingWaveExampleStack(
        app,
        stack_id,
        workload_identity_role_arn=required_context(app, "risingwave:workloadIdentityRoleArn"),
        prefix=required_context(app, "risingwave:prefix"),
        bucket_name=context(app, "risingwave:bucketName"),
        external_id=context(app, "risingwave:externalId"),
        description="lakehouse-iam example: RisingWave Cloud cross-account S3 role",
    )


EXAMPLES: dict[str, Callable[[cdk.App, str], cdk.Stack]] = {
    "LakehouseIam-RisingWave": _risingwave,
}
"""Every example stack: stack ID -> factory(app, stack_id)."""


def build_example_stacks(app: cdk.App) -> dict[str, cdk.Stack]:
    """Create every example stack in ``app`` from its context; return them by stack ID."""
    return {stack_id: factory(app, stack_id) for stack_id, factory in EXAMPLES.items()}


__all__ = ["EXAMPLES", "RisingWaveExampleStack", "build_example_stacks"]
