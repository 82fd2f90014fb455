"""Check 2: cloudsplaining (Salesforce) scans each principal's identity policies together:
privilege escalation (Rhino Security Labs' methods), data exfiltration, resource exposure,
credentials exposure, service wildcards and unconstrained infrastructure modification.

A principal's policies are scanned as one document because an escalation path can span
two policies (``iam:CreateRole`` in one, ``iam:PutRolePolicy`` in another). Its own
exclusion defaults are not applied: every finding must be zero or allowlisted here.
"""

from __future__ import annotations

from typing import Any

from cloudsplaining.command.scan_policy_file import scan_policy

from .policies import PrincipalRecord

CATEGORIES = (
    "PrivilegeEscalation",
    "DataExfiltration",
    "ResourceExposure",
    "CredentialsExposure",
    "ServiceWildcard",
    "InfrastructureModification",
)
NEVER_ALLOWED = ("PrivilegeEscalation", "ServiceWildcard")
"""Categories no allowlist entry may accept."""


def scan_document(document: dict[str, Any]) -> list[dict[str, str]]:
    """Cloudsplaining findings for one document, as ``{"category", "action"}`` dicts."""
    results = scan_policy(document, {})
    findings = []
    for category in CATEGORIES:
        for item in results.get(category, {}).get("findings", []):
            if isinstance(item, dict):  # privilege escalation: a method and its actions
                action = f"{item['type']}: {', '.join(item['actions'])}"
            else:
                action = str(item)
            findings.append({"category": category, "action": action})
    return findings


def scan_principal(principal: PrincipalRecord) -> list[dict[str, str]]:
    """Findings for every identity policy of one role or user, scanned together."""
    if not principal.identity:
        return []
    return [
        {"stack": principal.stack, "principal": principal.path, **finding}
        for finding in scan_document(principal.combined_identity_document())
    ]
