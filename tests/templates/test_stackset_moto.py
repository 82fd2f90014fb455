"""The StackSets rollout example on moto: 3 accounts of one OU, IAM read back, deleted."""

from __future__ import annotations

import pytest

from deploy_local.findings import Kind, failing

pytestmark = pytest.mark.deploy


@pytest.fixture(scope="module")
def outcome(background_work):
    if "stacksets" not in background_work:
        pytest.skip("the StackSet rollout was not started")
    return background_work["stacksets"].result()


def test_the_stack_set_deploys_to_three_accounts(outcome):
    # GIVEN the example's service-managed StackSet and moto's organization (one OU, 3
    # accounts) WHEN CloudFormation's StackSets calls are made (tests/templates/
    # stackset_background.py) THEN there is exactly one instance per account of the OU
    accounts = sorted(outcome["accounts"].values())
    assert len(accounts) == 3 and set(accounts) == outcome["ou_accounts"]
    assert outcome["instances"] == accounts
    # AND each instance carries its own bucket name with the StackSet's other values
    buckets = {a: v["BucketName"] for a, v in outcome["overrides"].items()}
    assert sorted(buckets.values()) == sorted(f"lakehouse-{p}" for p in outcome["accounts"])
    for account, values in outcome["overrides"].items():
        assert values == outcome["expected"][account]


def test_each_accounts_iam_is_the_template_with_its_values(outcome):
    findings = outcome["findings"]
    assert failing(findings) == [], "\n".join(str(f) for f in findings)
    # AND IAM was really read in every account: the role and its policy (no KMS key given)
    assert outcome["compared"] == {a: 2 for a in outcome["expected"]}
    # AND every limitation is said out loud
    gaps = [f.message for f in findings if f.kind is Kind.GAP]
    for word in (
        "AutoDeployment",
        "OperationPreferences",
        "AccountFilterType",
        "ParameterOverrides",
    ):
        assert any(word in g for g in gaps), word


def test_nothing_is_left_in_any_account(outcome):
    assert outcome["leftovers"] == {a: {} for a in outcome["expected"]}
