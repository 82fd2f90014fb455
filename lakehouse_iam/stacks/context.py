"""Reading an example stack's inputs from CDK context (``lakehouse-iam:<vendor>:<key>``)."""

from __future__ import annotations

from constructs import Construct

CONTEXT_PREFIX = "lakehouse-iam:"


def context(scope: Construct, key: str) -> str | None:
    """The ``lakehouse-iam:<key>`` context value; an empty string reads as ``None``."""
    value = scope.node.try_get_context(CONTEXT_PREFIX + key)
    if value is None or value == "":
        return None
    return str(value)


def required_context(scope: Construct, key: str) -> str:
    """Like :func:`context`, but a missing value is an error naming the key."""
    value = context(scope, key)
    if value is None:
        raise ValueError(
            f"context {CONTEXT_PREFIX + key!r} is missing: set it in cdk.json or pass "
            f"-c {CONTEXT_PREFIX + key}=VALUE"
        )
    return value


def flag_context(scope: Construct, key: str, *, default: bool) -> bool:
    """A ``'true'``/``'false'`` context value; anything else is an error naming the key."""
    value = context(scope, key) or ("true" if default else "false")
    if value not in ("true", "false"):
        raise ValueError(
            f"context {CONTEXT_PREFIX}{key}={value!r} is invalid: expected 'true' or 'false'"
        )
    return value == "true"


def list_context(scope: Construct, key: str) -> list[str]:
    """A comma-separated context value as a list (empty entries dropped)."""
    return [v.strip() for v in (context(scope, key) or "").split(",") if v.strip()]
