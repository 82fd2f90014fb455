"""IAM quotas: roles with many buckets and prefixes fit, or fail early and clearly."""

from __future__ import annotations

import itertools
import json
import re
from typing import Any

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import CrossAccountTrust, DataAccessRole, S3Grant, S3Location
from lakehouse_iam._private.cfn_reference import flatten_cfn_reference
from lakehouse_iam.constructs.trust import Trust
from lakehouse_iam.quotas import (
    MANAGED_POLICIES_PER_ROLE_MAX,
    MANAGED_POLICY_SIZE,
    TRUST_POLICY_SIZE,
    QuotaError,
    policy_size,
)
from tests.helpers import as_list, make_app

TRUST = CrossAccountTrust(role_arn="arn:aws:iam::222222222222:role/vendor", external_id="ext-42")
ACTIONS = S3Grant.READ + S3Grant.WRITE + S3Grant.LIST

CASES = {
    # stack id: (prefixes, buckets, managed_policy_quota)
    "P1B1": (1, 1, 10),
    "P10B1": (10, 1, 10),
    "P10B10": (10, 10, 10),
    "P100B10": (100, 10, 10),
    "P100B10Again": (100, 10, 10),
    "P101B10": (101, 10, 10),
    "P100B50": (100, 50, 10),
    "P3B1": (3, 1, 10),
    "P4B1": (4, 1, 10),
    "P1000B50": (1000, 50, MANAGED_POLICIES_PER_ROLE_MAX),
}


def grants(prefixes: int, buckets: int) -> list[S3Grant]:
    return [
        S3Grant(
            location=S3Location(bucket=f"lake-bucket-{i % buckets:02d}", prefix=f"tables/t{i:04d}"),
            actions=ACTIONS,
        )
        for i in range(prefixes)
    ]


@pytest.fixture(scope="module")
def quota_templates() -> dict[str, dict[str, Any]]:
    """Every case as its own stack of one app, synthesized once (jsii start-up dominates)."""
    app = make_app()
    for stack_id, (prefixes, buckets, quota) in CASES.items():
        DataAccessRole(
            cdk.Stack(app, stack_id),
            "Role",
            trust=TRUST,
            grants=grants(prefixes, buckets),
            managed_policy_quota=quota,
        )
    assembly = app.synth()
    return {stack_id: assembly.get_stack_by_name(stack_id).template for stack_id in CASES}


def policies(template: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        k: v["Properties"]["PolicyDocument"]
        for k, v in template["Resources"].items()
        if v["Type"] == "AWS::IAM::ManagedPolicy"
    }


def allowed(statements) -> set[tuple[str, str, str]]:
    """(action, flattened resource, s3:prefix) triples that statements allow.

    Listing ``p/`` is covered by ``p/*`` (StringLike's ``*`` matches the empty string),
    so values ending in ``/`` are left out: both sides then name the same requests.
    """
    triples = set()
    for statement in statements:
        prefixes = statement.get("Condition", {}).get("StringLike", {}).get("s3:prefix", [""])
        for action, resource, prefix in itertools.product(
            as_list(statement["Action"]), as_list(statement["Resource"]), as_list(prefixes)
        ):
            if prefix.endswith("/"):
                continue
            triples.add((action, flatten_cfn_reference(resource), prefix))
    return triples


def template_allows(template: dict[str, Any]) -> set[tuple[str, str, str]]:
    return allowed(s for document in policies(template).values() for s in document["Statement"])


def grants_allow(prefixes: int, buckets: int) -> set[tuple[str, str, str]]:
    """What the grants mean, from their own rendering, each token resolved once."""
    stack = cdk.Stack(make_app(), "Expected")
    flat: dict[str, str] = {}

    def one(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in flat:
            flat[token] = flatten_cfn_reference(stack.resolve(token))
        return flat[token]

    statements = [
        {
            **s,
            "Resource": [re.sub(r"\$\{Token\[[^\]]+\]\}", one, r) for r in as_list(s["Resource"])],
        }
        for g in grants(prefixes, buckets)
        for s in g.statement_json(stack)
    ]
    return allowed(statements)


def assert_within_quotas(template: dict[str, Any], managed_policy_quota: int) -> None:
    """Every quota holds, measured as IAM counts (no whitespace, intrinsics at worst case)."""
    (role,) = [v for v in template["Resources"].values() if v["Type"] == "AWS::IAM::Role"]
    assert len(role["Properties"]["ManagedPolicyArns"]) <= managed_policy_quota
    assert "Policies" not in role["Properties"]
    assert policy_size(role["Properties"]["AssumeRolePolicyDocument"]) <= TRUST_POLICY_SIZE
    for logical_id, document in policies(template).items():
        assert policy_size(document) <= MANAGED_POLICY_SIZE, logical_id


@pytest.mark.parametrize("case", [c for c in CASES if c != "P1000B50"])
def test_role_stays_within_default_quotas_and_allows_exactly_its_grants(case, quota_templates):
    # GIVEN a role with many prefixes WHEN synthesized THEN every quota holds
    prefixes, buckets, quota = CASES[case]
    template = quota_templates[case]
    assert_within_quotas(template, quota)
    # AND it allows exactly what the grants mean, nothing more or less
    assert template_allows(template) == grants_allow(prefixes, buckets)


def test_thousand_prefixes_fit_the_raised_quota_exactly(quota_templates):
    template = quota_templates["P1000B50"]
    assert_within_quotas(template, MANAGED_POLICIES_PER_ROLE_MAX)
    packed = template_allows(template)
    assert packed == grants_allow(1000, 50)
    # Sample probes: a granted prefix is writable and listable; a prefix of another
    # bucket (t0008 lives in bucket 08) is not, in bucket 07.
    bucket = "arn:<AWS::Partition>:s3:::lake-bucket-07"
    assert ("s3:PutObject", f"{bucket}/tables/t0057/*", "") in packed
    assert ("s3:ListBucket", bucket, "tables/t0057/*") in packed
    assert ("s3:ListBucket", bucket, "tables/t0008/*") not in packed
    assert not any(r.startswith(f"{bucket}/tables/t0008") for _, r, _ in packed)


def test_thousand_prefixes_at_default_quota_fail_early_and_clearly():
    stack = cdk.Stack(make_app(), "Quota")
    with pytest.raises(QuotaError) as error:
        DataAccessRole(stack, "Role", trust=TRUST, grants=grants(1000, 50))
    message = str(error.value)
    assert "Quota/Role" in message and "over the quota of 10" in message
    assert "managed_policy_quota=20" in message


def test_small_roles_keep_one_policy_per_grant_and_stable_ids(quota_templates):
    # GIVEN 3 prefixes, then the same plus one more
    three, four = set(policies(quota_templates["P3B1"])), set(policies(quota_templates["P4B1"]))
    # THEN adding a prefix adds a policy and renames none
    assert three < four and len(four) == 4


def test_packed_layout_is_deterministic_and_keeps_names_when_a_prefix_is_added(quota_templates):
    first, again = quota_templates["P100B10"], quota_templates["P100B10Again"]
    # Same input (up to the stack's name, which the descriptions mention), same output.
    assert json.dumps(first) == json.dumps(again).replace("P100B10Again", "P100B10")
    grown = quota_templates["P101B10"]
    assert set(policies(first)) <= set(policies(grown))
    assert all(k.startswith("RolePolicy") for k in policies(first))


def test_trust_policy_over_quota_is_reported_with_size_and_remedy():
    class ManyPrincipals(Trust):
        def principal(self, scope):
            arns = [f"arn:aws:iam::222222222222:role/vendor-role-number-{i:03d}" for i in range(60)]
            return iam.CompositePrincipal(*(iam.ArnPrincipal(a) for a in arns))

    stack = cdk.Stack(make_app(), "Trusty")
    with pytest.raises(QuotaError, match=r"trust policy is \d+ characters, over the IAM quota"):
        DataAccessRole(stack, "Role", trust=ManyPrincipals())


@pytest.mark.parametrize("quota", [9, 21])
def test_quota_props_are_validated(quota):
    stack = cdk.Stack(make_app(), "Quota")
    with pytest.raises(ValueError, match="managed_policy_quota="):
        DataAccessRole(stack, "Role", trust=TRUST, grants=grants(1, 1), managed_policy_quota=quota)


# -- the synth-time re-check (escape hatches change a role after construction) ----------


def test_escape_hatch_policies_over_the_quota_fail_synth_naming_the_role():
    # GIVEN two roles in one stack; one gets 10 more managed policies through its escape hatch
    app = make_app()
    stack = cdk.Stack(app, "Hatch")
    fine = DataAccessRole(stack, "Fine", trust=TRUST, grants=grants(1, 1))
    crowded = DataAccessRole(stack, "Crowded", trust=TRUST, grants=grants(1, 1))
    for i in range(10):
        crowded.role.add_managed_policy(
            iam.ManagedPolicy.from_aws_managed_policy_name(f"ReadOnlyAccess{i}")
        )
    # WHEN synthesized THEN the one validation of the stack reports exactly that role
    with pytest.raises(Exception, match=r"Hatch/Crowded: 11 managed policies are attached"):
        app.synth()
    assert fine.node.path == "Hatch/Fine"


def test_escape_hatch_trust_over_the_quota_fails_synth():
    app = make_app()
    stack = cdk.Stack(app, "Hatch")
    role = DataAccessRole(stack, "Role", trust=TRUST)
    # (CDK merges these statements into one before rendering: 40 still fit, 90 do not)
    for i in range(90):
        role.role.assume_role_policy.add_statements(  # type: ignore[union-attr]
            iam.PolicyStatement(
                actions=["sts:AssumeRole"],
                principals=[iam.ArnPrincipal(f"arn:aws:iam::222222222222:role/extra-{i:03d}")],
            )
        )
    with pytest.raises(Exception, match=r"Hatch/Role: trust policy is \d+ characters"):
        app.synth()
