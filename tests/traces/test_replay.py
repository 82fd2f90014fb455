"""The recorded client traces replayed against the example stacks' roles.

Every request a real client sent (DuckDB/DuckLake, OpenDAL as RisingWave configures it,
pyiceberg's Glue catalog) must be allowed for every principal its target names. A step
the current roles deny is marked ``known_gap`` in ``traces/targets.yaml``: a real finding,
tested here as a strict xfail.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import Any

import pytest

from traces import fixture as fx
from traces.replay import KnownGap, Result, Target, all_rows, load_targets, replay_rows

TARGETS = load_targets()
ROW_FIELDS = {
    "stack",
    "principal",
    "variant",
    "op",
    "action",
    "resource",
    "context",
    "source",
    "confidence",
    "expect",
}


def _mine(results: list[Result], target: Target) -> list[Result]:
    return [r for r in results if r.row["target"] == target.id]


@pytest.mark.parametrize("target", TARGETS, ids=[t.id for t in TARGETS])
def test_every_replayed_request_is_allowed(target: Target, trace_results: list[Result]) -> None:
    # GIVEN the target's fixtures mapped to authorization requests per principal
    mine = [r for r in _mine(trace_results, target) if "known_gap" not in r.row]
    assert mine, f"{target.id}: no rows"
    # WHEN evaluated against the synthesized policies THEN none is denied (except the
    # steps the manifest lists as denied on purpose, which must be denied)
    wrong = [r.describe() + f"\n    expected: {r.row['expect']}" for r in mine if not r.allowed]
    assert wrong == [], f"{len(wrong)} requests with the wrong decision:\n" + "\n".join(wrong)


@pytest.mark.parametrize("target", [t for t in TARGETS if t.denied], ids=lambda t: t.id)
def test_misconfigured_engine_steps_are_denied(target: Target, trace_results: list[Result]) -> None:
    # GIVEN a step the engine sends only when misconfigured (e.g. a RisingWave source
    # without match_pattern lists the bucket root) THEN the role denies every request of it
    for step in target.denied:
        rows = [
            r for r in _mine(trace_results, target) if r.row["op"] == f"{step.fixture}: {step.step}"
        ]
        assert rows, f"{target.id}: no recorded step {step.step!r}"
        assert all(r.outcome.decision == "deny" for r in rows), step.why


GAPS = [
    pytest.param(
        target,
        gap,
        marks=pytest.mark.xfail(strict=True, reason=gap.known_gap),
        id=f"{target.id}:{gap.fixture}:{gap.step}",
    )
    for target in TARGETS
    for gap in target.known_gaps
]


@pytest.mark.parametrize(("target", "gap"), GAPS)
def test_known_gap_requests_are_allowed(
    target: Target, gap: KnownGap, trace_results: list[Result]
) -> None:
    # Expected to fail until the library changes as the known_gap says.
    mine = [r for r in _mine(trace_results, target) if r.row["op"] == f"{gap.fixture}: {gap.step}"]
    denied = [r.describe() for r in mine if not r.allowed]
    assert mine
    assert denied == [], f"known gap: {gap.known_gap}\n" + "\n".join(denied)


@pytest.mark.parametrize(
    ("target", "gap"), [(t, g) for t in TARGETS for g in t.known_gaps], ids=[p.id for p in GAPS]
)
def test_known_gap_names_a_recorded_step_that_is_denied(
    target: Target, gap: KnownGap, trace_results: list[Result]
) -> None:
    # A stale marker (step renamed, or fixed for only some requests) must not hide anything.
    assert gap.fixture in target.fixtures
    assert gap.step in fx.load(gap.fixture).steps()
    mine = [r for r in _mine(trace_results, target) if r.row["op"] == f"{gap.fixture}: {gap.step}"]
    assert any(not r.allowed for r in mine)


def test_every_fixture_is_replayed_and_every_target_fixture_exists() -> None:
    replayed = {name for target in TARGETS for name in target.fixtures}
    assert replayed == set(fx.names())


def test_rows_have_the_engine_request_row_format(trace_results: list[Result]) -> None:
    for result in trace_results:
        row = result.row
        assert set(row) >= ROW_FIELDS
        # allow, or deny for a step the manifest lists as denied on purpose (with why)
        assert row["expect"] == ("deny" if "why" in row else "allow")
        assert row["confidence"] in ("recorded", "medium")
        assert row["source"].startswith("traces/fixtures/")
        assert "#" in row["source"].split(";")[0]
        assert row["variant"] is None or set(row["variant"]) == {"name", "context"}


def test_replay_covers_every_recorded_request(trace_results: list[Result]) -> None:
    # GIVEN every target WHEN replayed THEN each request of each fixture produced rows
    # (GetCallerIdentity-like requests needing no permission are the only exception).
    for target in TARGETS:
        sources = {r.row["source"].split(";")[0] for r in _mine(trace_results, target)}
        for name in target.fixtures:
            recorded = fx.load(name)
            expected = {f"traces/fixtures/{name}.json#{i}" for i in range(len(recorded.requests))}
            assert expected <= sources, f"{target.id}/{name}: {sorted(expected - sources)}"


# -- the replay can fail --------------------------------------------------------------------


def _statements(template: dict[str, Any], principal_path: str) -> Iterator[dict[str, Any]]:
    """Statements of the managed and inline policies attached to the principal."""
    for resource in template["Resources"].values():
        if resource["Type"] not in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            continue
        path = resource.get("Metadata", {}).get("aws:cdk:path", "")
        if f"/{principal_path.rsplit('/', 1)[0]}/" in f"/{path}":
            yield from resource["Properties"]["PolicyDocument"]["Statement"]


def test_replay_reports_a_denial_when_the_role_loses_an_action(
    verified_templates: dict[str, dict[str, Any]],
) -> None:
    # GIVEN the RisingWave role without s3:PutObject, and the DuckLake task role whose KMS
    # encryption-context condition no longer lists the bucket ARN (the context S3 sends
    # with Bucket Keys enabled)
    templates = copy.deepcopy(verified_templates)
    rising = next(t for t in TARGETS if t.id == "risingwave")
    ducklake = next(t for t in TARGETS if t.id == "ducklake-ecs")
    for statement in _statements(templates[rising.stack], rising.principals[0]):
        actions = (
            statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        )
        statement["Action"] = [a for a in actions if a != "s3:PutObject"] or ["s3:GetObject"]
    narrowed = 0
    for statement in _statements(templates[ducklake.stack], ducklake.principals[0]):
        like = statement.get("Condition", {}).get("StringLike", {})
        if "kms:EncryptionContext:aws:s3:arn" in like:
            like["kms:EncryptionContext:aws:s3:arn"] = [
                v for v in like["kms:EncryptionContext:aws:s3:arn"] if "Fn::Join" in json.dumps(v)
            ]
            narrowed += 1
    assert narrowed
    # WHEN their traces are replayed
    rows = all_rows([rising, ducklake], templates)
    results = replay_rows(rows, templates)
    # THEN every PutObject of RisingWave and every KMS request of DuckLake is reported denied
    denied = {(r.row["target"], r.row["action"]) for r in results if not r.allowed}
    puts = [
        r for r in results if r.row["target"] == "risingwave" and r.row["action"] == "s3:PutObject"
    ]
    kms = [
        r
        for r in results
        if r.row["target"] == "ducklake-ecs" and r.row["action"].startswith("kms:")
    ]
    assert puts and kms
    assert not any(r.allowed for r in puts + kms)
    assert ("risingwave", "s3:PutObject") in denied
    assert ("ducklake-ecs", "kms:GenerateDataKey") in denied
    assert "ducklake-ecs" in {r.row["target"] for r in results if r.allowed}
