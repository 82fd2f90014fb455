"""Check 4: probe tables evaluated by @cloud-copilot/iam-simulate.

All probes (every table, its variants and the vendor defects) are evaluated in one Node
run (session fixture ``probe_report``); the tests below read that run.
"""

from __future__ import annotations

import pytest
import yaml

from lakehouse_iam.stacks import EXAMPLES
from verification.policies import principals_of
from verification.probes import (
    VENDOR_DEFECTS,
    evaluate,
    load_table,
    pending_reason,
    run_probes,
    stack_probes,
    table_path,
)

STACKS = sorted(EXAMPLES)
DEFECTS = [d["id"] for d in yaml.safe_load(VENDOR_DEFECTS.read_text())["defects"]]


def _table_marks(stack_id: str):
    reason = pending_reason(stack_id)
    if reason is None or table_path(stack_id).exists():
        return []
    # Listed in verification/probes/pending.yaml: expected to fail until its table lands.
    return [pytest.mark.xfail(reason=f"probe table pending: {reason}", strict=True)]


@pytest.mark.parametrize("stack_id", [pytest.param(s, marks=_table_marks(s), id=s) for s in STACKS])
def test_every_example_stack_has_a_probe_table(stack_id):
    assert table_path(stack_id).exists(), (
        f"{stack_id} has no probe table: add {table_path(stack_id).name} under "
        "verification/probes/ (see docs/verification.md)"
    )


def test_pending_list_names_no_stack_that_has_a_table():
    listed = [s for s in STACKS if pending_reason(s) is not None and table_path(s).exists()]
    assert listed == [], f"remove from verification/probes/pending.yaml: {listed}"


@pytest.mark.parametrize("stack_id", STACKS)
def test_probe_table_covers_every_role_and_user(stack_id, verified_templates):
    if not table_path(stack_id).exists():
        pytest.skip("no probe table yet (see test_every_example_stack_has_a_probe_table)")
    probed = {p["path"] for p in load_table(stack_id).get("principals", [])}
    present = {p.path for p in principals_of(verified_templates[stack_id], stack_name=stack_id)}
    assert present <= probed, f"roles/users without probes: {sorted(present - probed)}"


@pytest.mark.parametrize("stack_id", STACKS)
def test_probes_get_the_expected_decision(stack_id, probe_report):
    if not table_path(stack_id).exists():
        pytest.skip("no probe table yet (see test_every_example_stack_has_a_probe_table)")
    mine = [o for o in probe_report.outcomes if o.probe.id.split(":")[0].split("@")[0] == stack_id]
    assert mine, f"{stack_id}: the table has no probes"
    failures = [o.describe() for o in mine if not o.ok]
    assert failures == [], "\n".join(failures)


@pytest.mark.parametrize("defect_id", DEFECTS)
def test_vendor_defect_is_real(defect_id, probe_report):
    # GIVEN the vendor JSON WHEN evaluated THEN it behaves as the defect says
    mine = [o for o in probe_report.outcomes if o.probe.id.startswith(f"vendor:{defect_id}:")]
    assert mine
    failures = [o.describe() for o in mine if not o.ok]
    assert failures == [], "\n".join(failures)


def test_risingwave_probes_cover_the_required_kinds(probe_report):
    # Needed actions allowed, same action denied elsewhere, listing by prefix,
    # GetBucketLocation, trust for the right principal and against another account, and
    # Redshift's trust: the right database user allowed, none or another denied.
    requests = [
        (o.probe.expect, o.probe.simulation["request"])
        for o in probe_report.outcomes
        if o.probe.id.startswith("LakehouseIam-RisingWave")
    ]
    kinds = {(expect, r["action"]) for expect, r in requests}
    assert {
        ("allow", "s3:GetObject"),
        ("deny", "s3:GetObject"),
        ("allow", "s3:ListBucket"),
        ("deny", "s3:ListBucket"),
        ("allow", "s3:GetBucketLocation"),
        ("allow", "sts:AssumeRole"),
        ("deny", "sts:AssumeRole"),
    } <= kinds
    redshift = {
        (expect, r["contextVariables"].get("sts:ExternalId"))
        for expect, r in requests
        if r["action"] == "sts:AssumeRole" and r["principal"] == "redshift.amazonaws.com"
    }
    user = "arn:aws:redshift:us-east-1:111111111111:dbuser:analytics-placeholder/"
    assert {
        ("allow", user + "risingwave"),
        ("deny", None),
        ("deny", user + "admin"),
    } <= redshift


# -- the runner itself can fail ---------------------------------------------------------


def test_a_wrong_expectation_is_reported(verified_templates):
    # GIVEN a table claiming the RisingWave role may read outside its prefix
    table = {
        "principals": [
            {
                "path": "RisingWave/DataAccess/Role",
                "identity": [
                    {
                        "expect": "allow",
                        "action": "s3:GetObject",
                        "resource": "${Data/Bucket.Arn}/finance/ledger.parquet",
                    }
                ],
            }
        ]
    }
    probes = stack_probes(
        "LakehouseIam-RisingWave", verified_templates["LakehouseIam-RisingWave"], table=table
    )
    # THEN the evaluator's decision contradicts it
    (outcome,) = evaluate(probes)
    assert (outcome.decision, outcome.ok) == ("deny", False)


def test_a_context_key_the_action_never_receives_is_an_error(verified_templates):
    # GIVEN a probe passing s3:prefix with GetBucketLocation (the vendor's mistake)
    table = {
        "principals": [
            {
                "path": "RisingWave/DataAccess/Role",
                "identity": [
                    {
                        "expect": "allow",
                        "action": "s3:GetBucketLocation",
                        "resource": "${Data/Bucket.Arn}",
                        "context": {"s3:prefix": "risingwave/"},
                    }
                ],
            }
        ]
    }
    probes = stack_probes(
        "LakehouseIam-RisingWave", verified_templates["LakehouseIam-RisingWave"], table=table
    )
    (outcome,) = evaluate(probes)
    assert not outcome.ok
    assert "s3:prefix" in outcome.error


def test_a_table_naming_a_missing_role_fails_loudly(verified_templates):
    table = {"principals": [{"path": "No/Such/Role", "identity": []}]}
    with pytest.raises(ValueError, match="No/Such/Role"):
        stack_probes(
            "LakehouseIam-RisingWave", verified_templates["LakehouseIam-RisingWave"], table=table
        )


def test_a_stack_without_a_table_is_reported_missing(verified_templates):
    template = verified_templates["LakehouseIam-RisingWave"]
    report = run_probes({"LakehouseIam-Unprobed": template}, include_vendor_defects=False)
    assert report.missing == ["LakehouseIam-Unprobed"]
