"""Property tests: generated valid inputs never give a wider policy; invalid ones never build.

Each hypothesis example builds a *list* of constructs into one stack and synthesizes
once (jsii makes a synth cost ~0.3-1 s), then checks every invariant of
:mod:`tests.property.invariants` against what each input intended. Example counts come
from the hypothesis profile (``ci`` by default, see ``tests/conftest.py``).
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from hypothesis import given, settings
from hypothesis import strategies as st

from lakehouse_iam import (
    CrossAccountTrust,
    DataAccessRole,
    Ec2InstanceTrust,
    EcsTaskTrust,
    RisingWaveAccess,
    RoleTrust,
    S3Grant,
    S3Location,
    SseKmsGrant,
)
from lakehouse_iam.constructs.trust import Trust
from tests.helpers import make_app
from tests.property import strategies as gen
from tests.property.invariants import UNKNOWN, Expect, Location, violations


def examples(fraction: float) -> int:
    """A share of the profile's example count (synthesizing tests get fewer).

    Synthesizing tests also set ``deadline=None`` in every profile: one synth takes
    0.3-1 s, over hypothesis' default deadline of 200 ms.
    """
    return max(2, round(settings.default.max_examples * fraction))


def trust_of(spec: gen.TrustSpec) -> Trust:
    if spec.kind == "cross_account":
        return CrossAccountTrust(
            role_arn=spec.role_arn,
            external_id=spec.external_id,
            require_external_id=spec.external_id is not None,
        )
    if spec.kind == "role":
        return RoleTrust(role=spec.role_arn, external_id=spec.external_id)
    if spec.kind == "ecs":
        if spec.guard_off:
            return EcsTaskTrust(confused_deputy_protection=False)
        return EcsTaskTrust(account=spec.account, region=spec.region)
    return Ec2InstanceTrust()


def location_of(spec: gen.LocationSpec) -> S3Location:
    return S3Location(bucket=spec.bucket, prefix=spec.prefix)


def build(stack: cdk.Stack, index: int, case: object) -> tuple[str, Expect]:
    """Build one generated case as top-level construct ``CaseNNN``; what it intended."""
    construct_id = f"Case{index:03d}"
    if isinstance(case, gen.RisingWaveSpec):
        RisingWaveAccess(
            stack,
            construct_id,
            workload_identity_role_arn=case.role_arn,
            bucket=case.location.bucket,
            prefix=case.location.prefix,
            kms_key=case.kms_key,
        )
        where = [Location(case.location.bucket_name, case.location.normal)]
        return construct_id, Expect(locations=where, external_id=None)
    assert isinstance(case, gen.RoleSpec)
    s3_locations = [location_of(g.location) for g in case.grants]
    grants: list = [
        S3Grant(location=loc, actions=g.actions, name=f"Data{i}")
        for i, (loc, g) in enumerate(zip(s3_locations, case.grants, strict=True))
    ]
    if case.kms is not None:
        grants.append(
            SseKmsGrant(
                key=case.kms.key,
                read=case.kms.read,
                write=case.kms.write,
                locations=[s3_locations[i] for i in case.kms.location_indexes],
            )
        )
    DataAccessRole(stack, construct_id, trust=trust_of(case.trust), grants=grants)
    external_id = (
        case.trust.external_id if case.trust.kind in ("cross_account", "role") else UNKNOWN
    )
    where = [Location(g.location.bucket_name, g.location.normal) for g in case.grants]
    account = case.trust.account if case.trust.kind == "ecs" and case.trust.account else UNKNOWN
    return construct_id, Expect(
        locations=where,
        external_id=external_id,
        guard_off=case.trust.guard_off,
        source_account=account,
    )


def synthesize(cases: list[object]) -> tuple[dict, bytes, dict[str, Expect]]:
    """Build every case into one stack of a fresh app; its template, bytes, expectations."""
    # Path metadata (on under the CDK CLI) maps each resource to its CaseNNN owner.
    app = make_app(cfn_validation=True, **{"aws:cdk:enable-path-metadata": True})
    stack = cdk.Stack(app, "Stack")
    expect = dict(build(stack, i, case) for i, case in enumerate(cases))
    artifact = app.synth().get_stack_by_name("Stack")
    return artifact.template, Path(artifact.template_full_path).read_bytes(), expect


@settings(max_examples=examples(0.5), deadline=None)
@given(cases=st.lists(gen.cases, min_size=1, max_size=3))
def test_generated_valid_inputs_never_widen_a_policy(cases):
    # GIVEN generated valid buckets, prefixes, actions, keys and trusts
    # WHEN they are built and synthesized
    template, _, expect = synthesize(cases)
    # THEN no action has a wildcard, '*' only carries actions without resource-level
    # permission, every S3 resource stays in its bucket/prefix, every trust is guarded
    assert violations(template, expect=expect) == []
    assert len(template["Resources"]) > 0


@settings(max_examples=examples(0.2), deadline=None)
@given(cases=st.lists(gen.cases, min_size=1, max_size=2))
def test_synthesis_is_deterministic(cases):
    # GIVEN the same inputs WHEN synthesized in two fresh apps THEN byte-identical JSON
    _, first, _ = synthesize(cases)
    _, second, _ = synthesize(cases)
    assert first == second


@settings(max_examples=examples(0.2), deadline=None)
@given(location=gen.locations(), actions=gen.s3_actions)
def test_s3_statements_scope_every_action_to_its_resource(location, actions):
    # GIVEN one S3 grant WHEN rendered to IAM JSON (no synth: statement_json)
    app = make_app(cfn_validation=True)
    stack = cdk.Stack(app, "Stack")
    grant = S3Grant(location=location_of(location), actions=actions, name="Data")
    statements = stack.resolve(grant.statement_json(stack))
    # THEN each action appears exactly once, sorted, in the statement of its scope
    rendered = [a for s in statements for a in gen_list(s["Action"])]
    assert sorted(rendered) == sorted(set(actions))
    for s in statements:
        assert gen_list(s["Action"]) == sorted(gen_list(s["Action"]))
        if "Condition" in s:
            assert s["Sid"] == "DataList"
            assert s["Condition"] == {
                "StringLike": {"s3:prefix": [f"{location.normal}/", f"{location.normal}/*"]}
            }
    listing = [s for s in statements if s["Sid"] == "DataList"]
    assert all(("Condition" in s) == (location.normal is not None) for s in listing)


def gen_list(value: object) -> list:
    return value if isinstance(value, list) else [value]
