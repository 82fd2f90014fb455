"""Session fixtures: the example assembly read once, each check run once over it."""

from __future__ import annotations

from typing import Any

import pytest

from verification.allowlist import Allowlist
from verification.assembly import read_assembly, synthesize_example
from verification.checks import (
    CheckResult,
    cfn_lint_findings,
    cloudsplaining_findings,
    judge,
    parliament_findings,
)
from verification.probes import ProbeReport, run_probes


@pytest.fixture(scope="session")
def verified_templates(example_assembly) -> dict[str, dict[str, Any]]:
    """Every stack of the session's synthesized assembly (construct paths attached)."""
    return read_assembly(example_assembly.directory)


@pytest.fixture(scope="session")
def allowlist() -> Allowlist:
    return Allowlist.load()


def _judged(section, findings, templates, allowlist) -> CheckResult:
    return judge(section, findings, sorted(templates), allowlist)


@pytest.fixture(scope="session")
def parliament_result(verified_templates, allowlist) -> CheckResult:
    findings = parliament_findings(verified_templates)
    return _judged("parliament", findings, verified_templates, allowlist)


@pytest.fixture(scope="session")
def cloudsplaining_result(verified_templates, allowlist) -> CheckResult:
    findings = cloudsplaining_findings(verified_templates)
    return _judged("cloudsplaining", findings, verified_templates, allowlist)


@pytest.fixture(scope="session")
def cfn_lint_result(verified_templates, allowlist, background_work) -> CheckResult:
    # Started in a worker process right after synthesis when this test is selected
    # (tests/conftest.py); computed here otherwise.
    future = background_work.get("cfn_lint")
    findings = future.result() if future else cfn_lint_findings(verified_templates)
    return _judged("cfn_lint", findings, verified_templates, allowlist)


@pytest.fixture(scope="session")
def probe_report(verified_templates) -> ProbeReport:
    """Every probe of every table plus the vendor defects, in one evaluator run."""
    return run_probes(verified_templates, synthesize=synthesize_example)
