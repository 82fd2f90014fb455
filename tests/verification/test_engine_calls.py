"""Engine requests: every request an engine sends is allowed by the example stacks.

Rows come from the cited call tables (``verification/calls/*.yaml``) and the trace
replay; all of them, with the mutation cases, are evaluated in one Node run (session
fixture ``engine_evaluation``). A ``known_gap`` row is a defect of the library: it is a
strict xfail, so it fails loudly once fixed and its marker must be removed.
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


def _marks(row: Any) -> list[pytest.MarkDecorator]:
    if row.known_gap is None:
        return []
    return [pytest.mark.xfail(reason=f"known gap: {row.known_gap}", strict=True)]


@pytest.mark.parametrize(
    "origin", [pytest.param(r.origin, marks=_marks(r), id=r.origin) for r in ROWS]
)
def test_engine_request_gets_the_decision_it_needs(origin, engine_evaluation):
    # GIVEN a request an engine sends WHEN the example stack's policies judge it
    outcome = engine_evaluation.rows[origin]
    # THEN it is allowed (or, for a row documenting a boundary, denied)
    assert outcome.ok, outcome.describe()


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


def test_another_producer_feeds_rows_through_rows_from(verified_templates):
    # GIVEN rows from another producer (the trace replay hands plain dicts)
    recorded = {**GOOD, "confidence": "recorded", "source": "traces/opendal/read.jsonl#L3"}
    (row,) = rows_from([recorded], origin="traces/opendal")
    # WHEN evaluated with the same evaluator THEN the row is judged like a table row
    ((outcome,), _) = evaluate_rows([row], verified_templates)
    assert (row.origin, outcome.decision) == ("traces/opendal#0", "allow")


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


def test_the_evaluator_can_deny_a_row(verified_templates):
    # GIVEN an engine request outside the granted prefix
    (row,) = rows_from(
        [{**GOOD, "resource": "${Data/Bucket.Arn}/finance/ledger.parquet"}], origin="t"
    )
    # THEN the row fails, with the request and its source in the message
    ((outcome,), _) = evaluate_rows([row], verified_templates)
    assert not outcome.ok
    assert "finance/ledger.parquet" in outcome.describe()
    assert GOOD["source"] in outcome.describe()
