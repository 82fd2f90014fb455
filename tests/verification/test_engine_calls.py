"""Engine requests: every request an engine sends is allowed by the example stacks.

Rows come from the cited call tables (``verification/calls/*.yaml``) and the trace
replay; all of them, with the mutation cases, are evaluated in one Node run (session
fixture ``engine_evaluation``). One test per table row (its expansions over stacks,
principals and resources together). A ``known_gap`` row is a defect of the library: it
is a strict xfail, so it fails loudly once fixed and its marker must be removed.
"""

from __future__ import annotations

from typing import Any

import pytest

from verification.engine_requests import (
    CONFIDENCES,
    RowError,
    all_rows,
    build_probes,
    evaluate_rows,
    parse_row,
    rows_from,
)

ROWS = all_rows()
GROUPS: dict[str, list[Any]] = {}
for _row in ROWS:
    # A table row that lists several stacks, principals or resources is one test.
    GROUPS.setdefault(_row.origin.split("[", 1)[0], []).append(_row)


def _marks(rows: list[Any]) -> list[pytest.MarkDecorator]:
    gaps = sorted({row.known_gap for row in rows if row.known_gap})
    if not gaps:
        return []
    return [pytest.mark.xfail(reason=f"known gap: {'; '.join(gaps)}", strict=True)]


@pytest.mark.parametrize(
    "group", [pytest.param(g, marks=_marks(rows), id=g) for g, rows in GROUPS.items()]
)
def test_engine_request_gets_the_decision_it_needs(group, engine_evaluation):
    # GIVEN the requests an engine sends (one table row: per stack, principal, resource)
    outcomes = [engine_evaluation.rows[row.origin] for row in GROUPS[group]]
    # WHEN the example stacks' policies judge them THEN each gets its expected decision
    failures = [o.describe() for o in outcomes if not o.ok]
    assert not failures, "\n\n".join(failures)


def test_every_table_names_a_known_stack_and_confidence(verified_templates):
    assert {r.stack for r in ROWS} <= set(verified_templates)
    assert {r.confidence for r in ROWS} <= set(CONFIDENCES)


# -- the row format is enforced ------------------------------------------------------------

GOOD = {
    "stack": "LakehouseIam-RisingWave",
    "principal": "RisingWave/DataAccess/Role",
    "op": "S3 source: read a file",
    "action": "s3:GetObject",
    "resource": "${Data/Bucket.Arn}/risingwave/part-0.parquet",
    "source": "https://docs.risingwave.com/cloud/iam-role-assume",
    "confidence": "low",
}


def test_a_well_formed_row_parses():
    row = parse_row(GOOD, origin="test#0")
    assert (row.kind, row.expect, row.variant) == ("identity", "allow", None)


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"source": None}, "missing source"),
        ({"source": "I read it somewhere"}, "cites nothing"),
        ({"confidence": "certain"}, "confidence must be one of"),
        ({"confidence": None}, "missing confidence"),
        ({"resource": None}, "missing resource"),
        ({"action": "s3:Get*"}, "not one exact IAM action"),
        ({"expect": "maybe"}, "expect must be one of"),
        ({"kind": "trust", "caller": "ecs-tasks.amazonaws.com"}, "a trust row has no resource"),
        ({"known_gap": "grant it", "expect": "deny"}, "expect must be allow"),
        ({"colour": "blue"}, "unknown field"),
        ({"variant": {"name": "x"}}, "variant must be null or"),
    ],
)
def test_a_malformed_row_is_an_error(change, problem):
    # GIVEN a row with one defect
    raw = {k: v for k, v in {**GOOD, **change}.items() if v is not None}
    # THEN parsing names the row and the problem
    with pytest.raises(RowError, match=problem) as error:
        parse_row(raw, origin="bad.yaml#7")
    assert "bad.yaml#7" in str(error.value)


def test_a_trust_row_defaults_to_assume_role():
    raw = {k: v for k, v in GOOD.items() if k not in ("resource", "action")}
    row = parse_row({**raw, "kind": "trust", "caller": "ecs-tasks.amazonaws.com"}, origin="t#0")
    assert (row.action, row.caller, row.resource) == (
        "sts:AssumeRole",
        "ecs-tasks.amazonaws.com",
        None,
    )


def test_every_problem_of_every_row_is_reported_at_once():
    bad = [{**GOOD, "confidence": "certain"}, {k: v for k, v in GOOD.items() if k != "source"}]
    with pytest.raises(RowError) as error:
        rows_from(bad, origin="trace")
    assert "trace#0" in str(error.value) and "trace#1" in str(error.value)


def test_rows_of_another_producer_are_judged_and_can_be_denied(verified_templates):
    # GIVEN rows from another producer (the trace replay hands plain dicts): one request
    # inside the granted prefix, one outside it
    recorded = {**GOOD, "confidence": "recorded", "source": "traces/opendal/read.jsonl#L3"}
    outside = {**recorded, "resource": "${Data/Bucket.Arn}/finance/ledger.parquet"}
    rows = rows_from([recorded, outside], origin="traces/opendal")
    # WHEN evaluated by the same evaluator, in one run
    (inside_outcome, outside_outcome), _ = evaluate_rows(rows, verified_templates)
    # THEN the first is allowed and the second fails, with its request and source shown
    assert (rows[0].origin, inside_outcome.ok) == ("traces/opendal#0", True)
    assert not outside_outcome.ok
    assert "finance/ledger.parquet" in outside_outcome.describe()
    assert "traces/opendal/read.jsonl#L3" in outside_outcome.describe()


def test_a_row_naming_a_missing_principal_fails_loudly(verified_templates):
    (row,) = rows_from([{**GOOD, "principal": "No/Such/Role"}], origin="t")
    with pytest.raises(RowError, match="No/Such/Role"):
        build_probes([row], verified_templates)


def test_a_trust_row_on_a_user_fails_loudly(verified_templates):
    (row,) = rows_from(
        [
            {
                **{k: v for k, v in GOOD.items() if k != "resource"},
                "stack": "LakehouseIam-StarRocks",
                "principal": "IamUser/User/User",
                "kind": "trust",
                "caller": "ec2.amazonaws.com",
            }
        ],
        origin="t",
    )
    with pytest.raises(RowError, match="not a role"):
        build_probes([row], verified_templates)
