"""Mutation test: every action a principal is granted is needed by some engine request.

For each example stack principal and each exact action its identity policies grant, the
action is removed from a copy of the template (no re-synthesis) and the engine-request
rows of that principal for that action are evaluated again: at least one must now be
denied. A grant no row needs has no engine evidence. Each role also needs an allowed
trust row (who assumes it, with the keys the caller sends).

Tests are named per (stack, principal, action), read at collection time from the
committed template snapshots (``tests/__snapshots__``), which the snapshot test keeps
equal to what is synthesized; the results come from the session's one evaluator run.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
import yaml

from lakehouse_iam.stacks import EXAMPLES
from verification.mutation import granted_actions
from verification.policies import principals_of
from verification.probes import PROBES_DIR

SNAPSHOTS = Path(__file__).resolve().parents[1] / "__snapshots__" / "test_example_stacks_snapshot"

REDUNDANT: dict[tuple[str, str, str], str] = {}
"""Grants no request needs, kept by the library for now: strict xfail, so removing the
grant (or an engine starting to need it) fails loudly until this entry goes."""


def _construct_paths() -> dict[str, set[str]]:
    """Construct paths of every probed role and user, by stack (the probe tables list
    them all; a test checks that)."""
    paths: dict[str, set[str]] = {}
    for table in PROBES_DIR.glob("LakehouseIam-*.yaml"):
        data = yaml.load(table.read_text(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        data = data or {}
        paths[table.stem] = {p["path"] for p in data.get("principals", [])}
    return paths


def _path_of(logical_id: str, candidates: set[str]) -> str:
    """The construct path whose CDK logical ID is ``logical_id``: CDK ends an ID with the
    first 8 hex digits of the MD5 of the path (``.../Resource`` for L2 constructs)."""
    for path in candidates:
        digest = hashlib.md5(f"{path}/Resource".encode(), usedforsecurity=False)
        if logical_id.endswith(digest.hexdigest()[:8].upper()):
            return path
    return logical_id


def _snapshot_principals() -> list[tuple[str, str, str, set[str]]]:
    """(stack, construct path, resource type, granted actions) of every role and user."""
    paths = _construct_paths()
    found = []
    for stack in sorted(EXAMPLES):
        template = json.loads((SNAPSHOTS / f"test_snapshot[{stack}].json").read_text())
        for principal in principals_of(template, stack_name=stack):
            path = _path_of(principal.logical_id, paths.get(stack, set()))
            found.append((stack, path, principal.resource_type, granted_actions(principal)))
    return found


PRINCIPALS = _snapshot_principals()
GRANTS = [(s, p, a) for s, p, _, actions in PRINCIPALS for a in sorted(actions)]
ROLES = [(s, p) for s, p, kind, _ in PRINCIPALS if kind == "AWS::IAM::Role"]


def _grant_param(stack: str, principal: str, action: str):
    reason = REDUNDANT.get((stack, principal, action))
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(stack, principal, action, marks=marks, id=f"{stack}|{principal}|{action}")


def test_snapshot_grants_match_the_synthesized_templates(verified_templates, engine_evaluation):
    # The parametrization reads the snapshots; the verdicts read the session's templates.
    assert set(GRANTS) == set(engine_evaluation.cases)


@pytest.mark.parametrize(("stack", "principal", "action"), [_grant_param(*g) for g in GRANTS])
def test_granted_action_is_needed_by_an_engine_request(stack, principal, action, engine_evaluation):
    # GIVEN the rows of the engines that use this grant
    case = engine_evaluation.cases[(stack, principal, action)]
    assert case.evidence, (
        f"{action} is granted to {stack}/{principal} but no engine request uses it: "
        "no engine evidence (add a cited row to verification/calls/ or drop the grant)"
    )
    before = [engine_evaluation.rows[row.origin] for row in case.evidence]
    assert all(o.ok for o in before), "\n".join(o.describe() for o in before if not o.ok)
    # WHEN the action is taken away from the principal's policies
    after = engine_evaluation.mutations[case.key]
    denied = [o for o in after if o.decision == "deny"]
    # THEN some engine request is denied: that request is why the action is granted
    assert denied, (
        f"{action} is granted to {stack}/{principal}, but every engine request that uses it "
        "is still allowed without it: no engine evidence that the grant is needed\n"
        + "\n".join(o.describe() for o in after)
    )
    print(f"\n{action} on {stack}/{principal} is needed by:")
    for outcome in denied:
        print(f"{outcome.row.describe()}\n  sent:    {outcome.sent()}")


@pytest.mark.parametrize(("stack", "role"), [pytest.param(s, r, id=f"{s}|{r}") for s, r in ROLES])
def test_every_role_is_assumed_by_an_engine_request(stack, role, engine_evaluation):
    trust = [
        o
        for o in engine_evaluation.rows.values()
        if o.row.kind == "trust" and o.row.stack == stack and o.row.principal == role
    ]
    allowed = [o for o in trust if o.ok and o.row.expect == "allow" and not o.row.known_gap]
    assert allowed, f"{stack}/{role}: no allowed trust row says who assumes it"
    print(f"\n{stack}/{role} is assumed by:")
    for outcome in allowed:
        print(f"{outcome.row.describe()}\n  sent:    {outcome.sent()}")


# -- the mutation itself is honest ------------------------------------------------------------


def test_removing_an_action_denies_the_request_that_needs_it(verified_templates, engine_evaluation):
    # GIVEN a request StarRocks sends, allowed today
    key = ("LakehouseIam-StarRocks", "AssumedRole/DataRole/Role", "glue:GetTable")
    case = engine_evaluation.cases[key]
    assert all(engine_evaluation.rows[r.origin].decision == "allow" for r in case.evidence)
    # THEN without glue:GetTable every one of its rows is denied
    assert {o.decision for o in engine_evaluation.mutations[key]} == {"deny"}


def test_the_mutation_only_removes_the_one_action(verified_templates):
    from verification.mutation import granted, without_action

    stack = "LakehouseIam-RisingWave"
    before = granted(verified_templates[stack], stack=stack)["RisingWave/DataAccess/Role"]
    mutated = without_action(
        verified_templates[stack],
        stack=stack,
        principal="RisingWave/DataAccess/Role",
        action="s3:GetObject",
    )
    after = granted(mutated, stack=stack)["RisingWave/DataAccess/Role"]
    assert before - after == {"s3:GetObject"}
    # and the session's template is untouched
    assert granted(verified_templates[stack], stack=stack)["RisingWave/DataAccess/Role"] == before
