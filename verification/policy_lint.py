"""Check 1: parliament (duo-labs) lints every policy: unknown actions, condition keys an
action never receives, malformed ARNs, resource mismatches, bad principals.

Trust policies have no ``Resource``: the resource is the role itself. Parliament requires
one, so each trust statement is linted with ``Resource`` set to the role's ARN - the
resource IAM evaluates the ``sts:AssumeRole*`` request against.
"""

from __future__ import annotations

import json
from typing import Any

import parliament

from .policies import PolicyRecord


def lint_document(document: dict[str, Any]) -> list[dict[str, str]]:
    """Parliament's findings for one policy document, as ``{"issue", "detail"}`` dicts."""
    policy = parliament.analyze_policy_string(json.dumps(document))
    return [
        {"issue": finding.issue, "detail": _text(finding.detail)} for finding in policy.findings
    ]


def lint_policy(policy: PolicyRecord, *, role_arn: str | None = None) -> list[dict[str, str]]:
    """Findings for one synthesized policy, tagged with stack, construct path and kind."""
    document = policy.document
    if policy.kind == "trust":
        document = with_resource(document, role_arn or "*")
    return [
        {
            "stack": policy.stack,
            "policy": policy.path,
            "type": policy.resource_type,
            "kind": policy.kind,
            **finding,
        }
        for finding in lint_document(document)
    ]


def with_resource(document: dict[str, Any], resource: str) -> dict[str, Any]:
    """A copy of a trust policy whose statements name ``resource`` (the role)."""
    statements = document.get("Statement", [])
    statements = statements if isinstance(statements, list) else [statements]
    return {
        **document,
        "Statement": [
            s if "Resource" in s or "NotResource" in s else {**s, "Resource": resource}
            for s in statements
        ],
    }


def _text(detail: Any) -> str:
    if isinstance(detail, str):
        return detail
    return json.dumps(detail, sort_keys=True, default=str)
