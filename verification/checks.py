"""Run checks 1-3 over templates and split findings into unexpected / allowlisted.

Shared by ``python -m verification`` and the tests in ``tests/verification/``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .allowlist import Allowlist, Entry, split
from .escalation import NEVER_ALLOWED, scan_principal
from .policies import policies_of, principals_of
from .policy_lint import lint_policy
from .probes import ProbeReport, Synthesize, run_probes
from .template_lint import lint_template

Templates = Mapping[str, Mapping[str, Any]]


def parliament_findings(templates: Templates) -> list[dict[str, str]]:
    """Check 1: parliament findings for every policy of every template."""
    findings = []
    for stack, template in sorted(templates.items()):
        role_arns = {p.logical_id: p.arn for p in principals_of(template, stack_name=stack)}
        for policy in policies_of(template, stack_name=stack):
            findings += lint_policy(policy, role_arn=role_arns.get(policy.logical_id))
    return findings


def cloudsplaining_findings(templates: Templates) -> list[dict[str, str]]:
    """Check 2: cloudsplaining findings for every role and user of every template."""
    findings = []
    for stack, template in sorted(templates.items()):
        for principal in principals_of(template, stack_name=stack):
            findings += scan_principal(principal)
    return findings


def cfn_lint_findings(templates: Templates) -> list[dict[str, str]]:
    """Check 3: cfn-lint errors and warnings of every template."""
    findings = []
    for stack, template in sorted(templates.items()):
        findings += lint_template(dict(template), stack_name=stack)
    return findings


def cfn_lint_findings_of_assembly(directory: str) -> list[dict[str, str]]:
    """:func:`cfn_lint_findings` over a synthesized assembly directory.

    Module-level and picklable, so the test suite can run it in another process while
    the rest of the suite runs (tests/conftest.py ``background_work``).
    """
    from .assembly import read_assembly

    return cfn_lint_findings(read_assembly(directory))


@dataclass
class CheckResult:
    """Unexpected and allowlisted findings of one check, plus stale allowlist entries."""

    name: str
    unexpected: list[dict[str, str]]
    allowed: list[dict[str, str]]
    stale: list[Entry]

    @property
    def ok(self) -> bool:
        return not self.unexpected and not self.stale


def judge(
    section: str, findings: list[dict[str, str]], stacks: list[str], allowlist: Allowlist
) -> CheckResult:
    """Apply the allowlist section to ``findings`` of a run over ``stacks``."""
    if section == "cloudsplaining":
        # Escalation and service wildcards are never acceptable: judge them first, so
        # no allowlist entry can hide them.
        hard = [f for f in findings if f["category"] in NEVER_ALLOWED]
        rest = [f for f in findings if f["category"] not in NEVER_ALLOWED]
        unexpected, allowed = split(section, rest, allowlist)
        unexpected = hard + unexpected
    else:
        unexpected, allowed = split(section, findings, allowlist)
    return CheckResult(section, unexpected, allowed, allowlist.stale(section, stacks))


@dataclass
class VerificationResult:
    checks: list[CheckResult] = field(default_factory=list)
    probes: ProbeReport = field(default_factory=ProbeReport)

    @property
    def ok(self) -> bool:
        return (
            all(c.ok for c in self.checks) and not self.probes.failures and not self.probes.missing
        )

    def render(self) -> str:
        lines = []
        for check in self.checks:
            status = "ok" if check.ok else "FAILED"
            lines.append(
                f"{check.name}: {status} ({len(check.unexpected)} unexpected, "
                f"{len(check.allowed)} allowlisted, {len(check.stale)} stale allowlist entries)"
            )
            lines += [f"  unexpected: {f}" for f in check.unexpected]
            lines += [f"  stale allowlist entry: {e.match}" for e in check.stale]
        report = self.probes
        passed = len(report.outcomes) - len(report.failures)
        lines.append(
            f"probes: {'ok' if not report.failures and not report.missing else 'FAILED'} "
            f"({passed}/{len(report.outcomes)} as expected)"
        )
        lines += [f"  {o.describe()}" for o in report.failures]
        lines += [
            f"  {s}: no probe table (add verification/probes/{s}.yaml)" for s in report.missing
        ]
        lines += [f"  {s}: probe table pending - {r}" for s, r in report.pending.items()]
        return "\n".join(lines)


def run_all(templates: Templates, *, synthesize: Synthesize | None = None) -> VerificationResult:
    """Checks 1-4 over ``templates`` (stack name -> template)."""
    allowlist = Allowlist.load()
    stacks = sorted(templates)
    return VerificationResult(
        checks=[
            judge("parliament", parliament_findings(templates), stacks, allowlist),
            judge("cloudsplaining", cloudsplaining_findings(templates), stacks, allowlist),
            judge("cfn_lint", cfn_lint_findings(templates), stacks, allowlist),
        ],
        probes=run_probes(templates, synthesize=synthesize),
    )
