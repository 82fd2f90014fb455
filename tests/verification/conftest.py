"""Session fixtures: the example assembly read once, each check run once over it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from verification.allowlist import Allowlist
from verification.checks import (
    CheckResult,
    cfn_lint_findings,
    cloudsplaining_findings,
    judge,
    parliament_findings,
)
from verification.engine_requests import Row, RowOutcome, all_rows, build_probes, trace_rows
from verification.mutation import MutationCase, case_probes, mutation_cases
from verification.policies import principals_of
from verification.probes import Outcome, ProbeReport, evaluate, run_probes


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
def probe_report(verified_templates, synthesis_cache) -> ProbeReport:
    """Every probe of every table plus the vendor defects, in one evaluator run."""
    return run_probes(verified_templates, synthesize=synthesis_cache)


@pytest.fixture(scope="session")
def engine_rows(verified_templates, synthesis_cache) -> list[Row]:
    """Every engine-request row: the cited call tables and the trace replay."""
    return all_rows() + trace_rows(verified_templates, synthesize=synthesis_cache)


@dataclass
class EngineEvaluation:
    """Every row, and every mutation case's rows on its mutated template, from ONE
    evaluator run."""

    rows: dict[str, RowOutcome]
    """Row origin -> outcome on the default (or variant) template."""
    cases: dict[tuple[str, str, str], MutationCase]
    mutations: dict[tuple[str, str, str], list[RowOutcome]]
    """(stack, principal, action) -> the case's rows without that action."""


@pytest.fixture(scope="session")
def engine_evaluation(verified_templates, synthesis_cache, engine_rows) -> EngineEvaluation:
    row_probes = build_probes(engine_rows, verified_templates, synthesize=synthesis_cache)
    cases = mutation_cases(engine_rows, verified_templates)
    records = {
        (stack, p.path): p
        for stack, template in verified_templates.items()
        for p in principals_of(template, stack_name=stack)
    }
    mutated = {
        case.key: case_probes(
            case, verified_templates[case.stack], records[(case.stack, case.principal)]
        )
        for case in cases
    }
    probes = [rp.probe for rp in row_probes] + [
        rp.probe for group in mutated.values() for rp in group
    ]
    outcomes: dict[str, Outcome] = {o.probe.id: o for o in evaluate(probes)}
    return EngineEvaluation(
        rows={rp.row.origin: RowOutcome(rp.row, outcomes[rp.probe.id]) for rp in row_probes},
        cases={case.key: case for case in cases},
        mutations={
            key: [RowOutcome(rp.row, outcomes[rp.probe.id]) for rp in group]
            for key, group in mutated.items()
        },
    )
