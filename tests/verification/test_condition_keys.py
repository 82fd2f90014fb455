"""Every condition key the library renders is really evaluated: a right value is allowed,
a wrong value denied.

``@cloud-copilot/iam-simulate``'s ``runSimulation`` drops ``kms:EncryptionContext:*``
and an OIDC provider's ``<issuer>:sub`` / ``<issuer>:aud`` from the request (it reports
them as ignored keys); ``verification/simulate.mjs`` then re-evaluates such a request
with the library's core engine and the full context. For those keys the decision is
checked a second way: the independent checker ``verification/conditions.py`` is applied
to the exact statements that allow the right request and must deny the wrong one.

A rendered key that no case below covers fails ``test_every_rendered_key_is_covered``,
so a new key cannot slip in unevaluated. All requests go to one Node run.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pytest

from verification.conditions import (
    UnsupportedConditionError,
    allowing_statements,
    allows,
    conditions_hold,
)
from verification.engine_requests import all_rows
from verification.policies import policies_of, principals_of
from verification.probes import (
    DEFAULT_IDENTITY_CONTEXT,
    Outcome,
    Probe,
    evaluate,
    load_table,
    stack_probes,
    table_path,
    trust_probe,
)
from verification.resolver import Resolver

ISSUER = "oidc.eks.us-east-1.amazonaws.com/id/PLACEHOLDER0123456789ABCDEF0123456"
PROVIDER = f"arn:aws:iam::111111111111:oidc-provider/{ISSUER}"
ECS_TASK = "arn:aws:ecs:us-east-1:111111111111:task/ducklake/0123456789abcdef"
CLUSTER = "arn:aws:eks:us-east-1:111111111111:cluster/eks-cluster-PLACEHOLDER"
LOG_GROUP = "arn:aws:logs:us-east-1:111111111111:log-group:/lakehouse-iam/LakehouseIam-DuckLakeEcs"
RW_OBJECT = "${Data/Bucket.Arn}/risingwave/part-0.parquet"
RW_DBUSER = "arn:aws:redshift:us-east-1:111111111111:dbuser:analytics-placeholder/risingwave"
RW_REDSHIFT = {"lakehouse-iam:risingwave:redshiftDatabaseUsers": RW_DBUSER}
DBX_SELF = "arn:aws:iam::111111111111:role/lakehouse-iam-databricks-uc"
DBX_EXTERNAL_ID = "6b2e7f1c-dbx-external-id-PLACEHOLDER"

IGNORED_BY_RUN_SIMULATION = {
    "kms:encryptioncontext:aws:s3:arn",
    "kms:encryptioncontext:aws:logs:arn",
    "<issuer>:sub",
    "<issuer>:aud",
}
"""What runSimulation drops (measured with 0.1.173); docs/verification.md says so."""


@dataclass(frozen=True)
class KeyCase:
    """A request that a rendered condition key decides: ``right`` is allowed, every
    ``wrong`` (an override of the key) denied."""

    key: str
    stack: str
    kind: str  # identity | trust | resource (a resource policy alone, e.g. a key policy)
    principal: str  # construct path of the role/user, or of the resource policy
    action: str
    right: Mapping[str, Any]
    wrong: tuple[Mapping[str, Any], ...]
    resource: str = ""
    caller: str = ""
    variant: Mapping[str, Any] | None = None
    why: str = ""

    @property
    def id(self) -> str:
        return f"{self.key}@{self.stack}"


POD_TAGS = {
    "aws:SourceAccount": "111111111111",
    "aws:RequestTag/eks-cluster-arn": CLUSTER,
    "aws:RequestTag/kubernetes-namespace": "ducklake",
    "aws:RequestTag/kubernetes-service-account": "ducklake",
}
ECS = {"aws:SourceAccount": "111111111111", "aws:SourceArn": ECS_TASK}
IRSA = {
    f"{ISSUER}:sub": "system:serviceaccount:ducklake:ducklake",
    f"{ISSUER}:aud": "sts.amazonaws.com",
}
KMS_S3 = {
    "kms:ViaService": "s3.us-east-1.amazonaws.com",
    "kms:EncryptionContext:aws:s3:arn": RW_OBJECT,
}

CASES = (
    KeyCase(
        key="s3:prefix",
        stack="LakehouseIam-RisingWave",
        kind="identity",
        principal="RisingWave/DataAccess/Role",
        action="s3:ListBucket",
        resource="${Data/Bucket.Arn}",
        right={"s3:prefix": "risingwave/2026/"},
        wrong=(
            {"s3:prefix": "finance/"},
            {"s3:prefix": "Risingwave/"},
            # the bare prefix itself is allowed (RisingWave lists s3.path as written), a
            # sibling that merely starts alike is not
            {"s3:prefix": "risingwave-archive/"},
            {"s3:prefix": "risingwav"},
        ),
    ),
    KeyCase(
        key="kms:viaservice",
        stack="LakehouseIam-RisingWave",
        kind="identity",
        principal="RisingWave/DataAccess/Role",
        action="kms:Decrypt",
        resource="${Data/Key.Arn}",
        right=KMS_S3,
        wrong=(
            {"kms:ViaService": "s3.eu-west-1.amazonaws.com"},
            {"kms:ViaService": "S3.US-EAST-1.AMAZONAWS.COM"},
        ),
    ),
    KeyCase(
        key="kms:encryptioncontext:aws:s3:arn",
        stack="LakehouseIam-RisingWave",
        kind="identity",
        principal="RisingWave/DataAccess/Role",
        action="kms:Decrypt",
        resource="${Data/Key.Arn}",
        right=KMS_S3,
        wrong=(
            {"kms:EncryptionContext:aws:s3:arn": "${Data/Bucket.Arn}/finance/ledger.parquet"},
            {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::another-bucket/risingwave/x"},
            {"kms:EncryptionContext:aws:s3:arn": "${Data/Bucket.Arn}/risingwave-archive/x"},
        ),
    ),
    KeyCase(
        key="kms:encryptioncontext:aws:logs:arn",
        stack="LakehouseIam-DuckLakeEcs",
        kind="resource",
        principal="Logs/Key",
        caller="logs.us-east-1.amazonaws.com",
        action="kms:GenerateDataKey",
        right={"kms:EncryptionContext:aws:logs:arn": LOG_GROUP},
        wrong=({"kms:EncryptionContext:aws:logs:arn": f"{LOG_GROUP}-other"},),
        why="the key policy lets CloudWatch Logs use the key for this log group only",
    ),
    KeyCase(
        key="aws:securetransport",
        stack="LakehouseIam-RisingWave",
        kind="identity",
        principal="RisingWave/DataAccess/Role",
        action="s3:GetObject",
        resource=RW_OBJECT,
        right={"aws:SecureTransport": "true"},
        wrong=({"aws:SecureTransport": "false"},),
        why="the bucket policy denies requests without TLS",
    ),
    KeyCase(
        key="aws:sourceaccount",
        stack="LakehouseIam-DuckLakeEcs",
        kind="trust",
        principal="DuckLake/TaskRole/Role",
        caller="ecs-tasks.amazonaws.com",
        action="sts:AssumeRole",
        right=ECS,
        wrong=({"aws:SourceAccount": "999999999999"},),
    ),
    KeyCase(
        key="aws:sourcearn",
        stack="LakehouseIam-DuckLakeEcs",
        kind="trust",
        principal="DuckLake/ExecutionRole/Role",
        caller="ecs-tasks.amazonaws.com",
        action="sts:AssumeRole",
        right=ECS,
        wrong=(
            {"aws:SourceArn": "arn:aws:ecs:eu-west-1:111111111111:task/ducklake/1"},
            {"aws:SourceArn": "arn:aws:ecs:us-east-1:999999999999:task/ducklake/1"},
        ),
    ),
    KeyCase(
        key="<issuer>:sub",
        stack="LakehouseIam-DuckLakeIrsa",
        kind="trust",
        principal="DuckLake/TaskRole/Role",
        caller=PROVIDER,
        action="sts:AssumeRoleWithWebIdentity",
        right=IRSA,
        wrong=(
            {f"{ISSUER}:sub": "system:serviceaccount:ducklake:default"},
            {f"{ISSUER}:sub": "system:serviceaccount:other:ducklake"},
            {f"{ISSUER}:sub": "System:serviceaccount:ducklake:ducklake"},
        ),
    ),
    KeyCase(
        key="<issuer>:aud",
        stack="LakehouseIam-DuckLakeIrsa",
        kind="trust",
        principal="DuckLake/TaskRole/Role",
        caller=PROVIDER,
        action="sts:AssumeRoleWithWebIdentity",
        right=IRSA,
        wrong=({f"{ISSUER}:aud": "other-audience"}, {f"{ISSUER}:aud": "pods.eks.amazonaws.com"}),
    ),
    *(
        KeyCase(
            key=f"aws:requesttag/{tag}",
            stack="LakehouseIam-DuckLakePodIdentity",
            kind="trust",
            principal="DuckLake/TaskRole/Role",
            caller="pods.eks.amazonaws.com",
            action="sts:AssumeRole",
            right=POD_TAGS,
            wrong=({f"aws:RequestTag/{tag}": value},),
        )
        for tag, value in (
            ("eks-cluster-arn", "arn:aws:eks:us-east-1:111111111111:cluster/other-cluster"),
            ("kubernetes-namespace", "default"),
            ("kubernetes-service-account", "Ducklake"),
        )
    ),
    KeyCase(
        # Redshift (COPY for RisingWave's Redshift sink) sends the database user's ARN.
        key="sts:externalid",
        stack="LakehouseIam-RisingWave",
        kind="trust",
        principal="RisingWave/DataAccess/Role",
        caller="redshift.amazonaws.com",
        action="sts:AssumeRole",
        variant=RW_REDSHIFT,
        right={"sts:ExternalId": RW_DBUSER},
        wrong=(
            {"sts:ExternalId": RW_DBUSER.replace("/risingwave", "/admin")},
            {"sts:ExternalId": RW_DBUSER.upper()},
            {"sts:ExternalId": RW_DBUSER + "-2"},
        ),
    ),
    KeyCase(
        # Databricks' self-assuming role: the account root, narrowed to the role itself.
        key="aws:principalarn",
        stack="LakehouseIam-Databricks",
        kind="trust",
        principal="UnityCatalog/DataAccess/Role",
        caller=DBX_SELF,
        action="sts:AssumeRole",
        variant={"lakehouse-iam:databricks:externalId": DBX_EXTERNAL_ID},
        right={"aws:PrincipalArn": DBX_SELF, "sts:ExternalId": DBX_EXTERNAL_ID},
        wrong=(
            {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/admin"},
            {"aws:PrincipalArn": DBX_SELF.replace("111111111111", "999999999999")},
            {"aws:PrincipalArn": DBX_SELF + "-2"},
        ),
    ),
)


def normalise(key: str) -> str:
    """A condition key as the cases name it: lower case (IAM keys are case-insensitive),
    an OIDC provider's issuer replaced by ``<issuer>``."""
    match = re.fullmatch(r"[a-z0-9.-]+\.[a-z]{2,}(/[^:]*)?:(sub|aud|amr|oaud)", key.lower())
    return f"<issuer>:{match.group(2)}" if match else key.lower()


def rendered_keys(templates: Mapping[str, Mapping[str, Any]]) -> dict[str, set[str]]:
    """Normalised condition key -> where it is rendered (stack / policy path)."""
    keys: dict[str, set[str]] = {}
    for stack, template in templates.items():
        for policy in policies_of(template, stack_name=stack.split("@")[0]):
            statements = policy.document.get("Statement", [])
            for statement in statements if isinstance(statements, list) else [statements]:
                for entries in (statement.get("Condition") or {}).values():
                    for key in entries:
                        keys.setdefault(normalise(key), set()).add(f"{stack}:{policy.path}")
    return keys


# -- building and evaluating the requests -------------------------------------------------------


@dataclass(frozen=True)
class Request:
    """One request of a case, ready for the evaluator and the checker."""

    case: KeyCase
    label: str  # "right" or "wrong[i]"
    expect: str
    context: dict[str, Any]
    probe: Probe
    documents: tuple[Mapping[str, Any], ...]
    """The policies that must allow it: identity policies, trust or resource policy."""
    principal: str | None
    action: str
    resource: str


def _template(case: KeyCase, templates, synthesis_cache) -> Mapping[str, Any]:
    if case.variant is None:
        return templates[case.stack]
    return synthesis_cache(case.stack, case.variant)


def _requests(case: KeyCase, template: Mapping[str, Any]) -> list[Request]:
    resolver = Resolver(template, stack_name=case.stack)
    contexts = [("right", "allow", dict(case.right))] + [
        (f"wrong[{i}]", "deny", {**case.right, **w}) for i, w in enumerate(case.wrong)
    ]
    principals = {p.path: p for p in principals_of(template, stack_name=case.stack)}
    requests = []
    for label, expect, context in contexts:
        context = {k: resolver.sub(str(v)) for k, v in context.items()}
        probe_id = f"key:{case.id}:{label}"
        if case.kind == "resource":
            (policy,) = [
                p for p in policies_of(template, stack_name=case.stack) if p.path == case.principal
            ]
            row = {"expect": expect, "principal": case.caller, "action": case.action}
            probe = trust_probe(
                probe_id, policy.protects[0], policy.document, {**row, "context": context}
            )
            documents, principal, resource = (policy.document,), case.caller, policy.protects[0]
        elif case.kind == "trust":
            row = {
                "expect": expect,
                "principal": case.caller,
                "action": case.action,
                "context": context,
            }
            table = {"principals": [{"path": case.principal, "trust": [row]}]}
            (probe,) = stack_probes(case.stack, template, table=table)
            trust = principals[case.principal].trust
            assert trust is not None
            documents, principal = (trust.document,), resolver.sub(case.caller)
            resource = principals[case.principal].arn
        else:
            row = {
                "expect": expect,
                "action": case.action,
                "resource": case.resource,
                "context": context,
            }
            table = {"principals": [{"path": case.principal, "identity": [row]}]}
            (probe,) = stack_probes(case.stack, template, table=table)
            documents = tuple(p.document for p in principals[case.principal].identity)
            principal, resource = None, resolver.sub(case.resource)
            context = {**DEFAULT_IDENTITY_CONTEXT, **context}
        probe = dataclasses.replace(probe, id=probe_id)
        requests.append(
            Request(
                case, label, expect, context, probe, documents, principal, case.action, resource
            )
        )
    return requests


@dataclass
class KeyEvaluation:
    requests: dict[str, list[tuple[Request, Outcome, Outcome]]]
    """case id -> (request, evaluator outcome, runSimulation-only outcome)."""


@pytest.fixture(scope="module")
def key_evaluation(verified_templates, synthesis_cache) -> KeyEvaluation:
    built = {
        case.id: _requests(case, _template(case, verified_templates, synthesis_cache))
        for case in CASES
    }
    probes = [r.probe for requests in built.values() for r in requests]
    raw = [dataclasses.replace(p, id=f"raw:{p.id}", raw=True) for p in probes]
    outcomes = {o.probe.id: o for o in evaluate(probes + raw)}
    return KeyEvaluation(
        {
            case_id: [(r, outcomes[r.probe.id], outcomes[f"raw:{r.probe.id}"]) for r in requests]
            for case_id, requests in built.items()
        }
    )


# -- the tests -----------------------------------------------------------------------------------


def _variant_templates(verified_templates, synthesis_cache) -> dict[str, Mapping[str, Any]]:
    """Every stack as synthesized by default and in each variant the probe tables, the
    engine-request rows and the cases use (cached: synthesized once per session)."""
    templates: dict[str, Mapping[str, Any]] = dict(verified_templates)
    contexts = {(c.stack, tuple(sorted(c.variant.items()))) for c in CASES if c.variant}
    for stack in verified_templates:
        if table_path(stack).exists():
            for variant in load_table(stack).get("variants", []):
                contexts.add((stack, tuple(sorted(variant.get("context", {}).items()))))
    for row in all_rows():
        if row.variant:
            contexts.add((row.stack, tuple(sorted(row.variant.context.items()))))
    for stack, context in sorted(contexts):
        templates[f"{stack}@{dict(context)}"] = synthesis_cache(stack, dict(context))
    return templates


def test_every_rendered_key_is_covered(verified_templates, synthesis_cache):
    # GIVEN every condition key in every policy of every example stack and variant
    rendered = rendered_keys(_variant_templates(verified_templates, synthesis_cache))
    # THEN each one has a case below that proves it decides requests
    uncovered = {k: sorted(v) for k, v in rendered.items() if k not in {c.key for c in CASES}}
    assert uncovered == {}, f"condition keys rendered but not covered by a case: {uncovered}"
    assert {c.key for c in CASES} <= set(rendered), (
        "a case names a key the library no longer renders"
    )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_right_value_allowed_wrong_value_denied(case, key_evaluation):
    for request, outcome, _raw in key_evaluation.requests[case.id]:
        assert not outcome.error, outcome.describe()
        assert outcome.decision == request.expect, (
            f"{request.label}: {outcome.describe()} {case.why}"
        )


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_keys_runsimulation_ignores_are_checked_independently(case, key_evaluation):
    requests = key_evaluation.requests[case.id]
    ignored = {normalise(k) for _r, _o, raw in requests for k in raw.ignored}
    # GIVEN what runSimulation alone does with this key
    assert (case.key in ignored) == (case.key in IGNORED_BY_RUN_SIMULATION), ignored
    if case.key not in IGNORED_BY_RUN_SIMULATION:
        return
    # runSimulation drops the key and so cannot allow even the right value ...
    (right, outcome, raw) = requests[0]
    assert (outcome.via, outcome.decision, raw.decision) == ("core-engine", "allow", "deny")
    # ... so the exact statements that allow the right request are judged again
    statements = allowing_statements(
        right.documents, action=right.action, resource=right.resource, principal=right.principal
    )
    allowed_by = [s for s in statements if conditions_hold(s.get("Condition"), right.context)]
    assert allowed_by, f"no statement allows the right request: {statements}"
    for wrong, _outcome, _raw in requests[1:]:
        # THEN the independent checker denies every wrong value on those statements
        assert not allows(allowed_by, wrong.context), f"{wrong.label} {wrong.context}"


# -- the checker itself: IAM operator semantics, and it can fail ----------------------------


@pytest.mark.parametrize(
    ("condition", "context", "expected"),
    [
        # StringEquals: values case-sensitive, keys case-insensitive, values OR-ed
        (
            {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
            {"KMS:VIASERVICE": "s3.us-east-1.amazonaws.com"},
            True,
        ),
        (
            {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
            {"kms:ViaService": "S3.us-east-1.amazonaws.com"},
            False,
        ),
        ({"StringEquals": {"k": ["a", "b"]}}, {"k": "b"}, True),
        # several keys are AND-ed; a missing key fails a positive operator
        ({"StringEquals": {"a": "1", "b": "2"}}, {"a": "1"}, False),
        ({"StringEquals": {"a": "1"}, "StringLike": {"b": "x*"}}, {"a": "1", "b": "xy"}, True),
        # StringLike: * and ? only; [ is literal
        ({"StringLike": {"s3:prefix": ["raw/", "raw/*"]}}, {"s3:prefix": "raw/2026/"}, True),
        ({"StringLike": {"s3:prefix": ["raw/", "raw/*"]}}, {"s3:prefix": "raw-archive/"}, False),
        ({"StringLike": {"k": "a?c"}}, {"k": "abc"}, True),
        ({"StringLike": {"k": "a[b]c"}}, {"k": "abc"}, False),
        ({"StringLike": {"k": "a[b]c"}}, {"k": "a[b]c"}, True),
        # ArnLike: per component; a wildcard does not cross a colon
        (
            {"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111111111111:*"}},
            {"aws:SourceArn": ECS_TASK},
            True,
        ),
        (
            {"ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:111111111111:*"}},
            {"aws:SourceArn": "arn:aws:ecs:eu-west-1:111111111111:task/x/1"},
            False,
        ),
        (
            {"ArnLike": {"k": "arn:aws:ecs:*:111111111111:task/*"}},
            {"k": "arn:aws:ecs:us-east-1:111111111111:task/a/b"},
            True,
        ),
        ({"ArnLike": {"k": "arn:aws:ecs*"}}, {"k": "arn:aws:ecs:us-east-1:1:task/a"}, False),
        ({"ArnEquals": {"k": "arn:aws:s3:::b/*"}}, {"k": "arn:aws:s3:::b/key"}, True),
        # negated operators and IfExists on a missing key
        ({"StringNotEquals": {"k": "a"}}, {}, True),
        ({"StringNotEquals": {"k": "a"}}, {"k": "a"}, False),
        ({"StringEqualsIfExists": {"k": "a"}}, {}, True),
        ({"StringEqualsIfExists": {"k": "a"}}, {"k": "b"}, False),
        # Bool
        ({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "False"}, True),
        ({"Bool": {"aws:SecureTransport": "false"}}, {"aws:SecureTransport": "true"}, False),
        # multivalued context keys
        ({"ForAnyValue:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ["b", "a"]}, True),
        ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {"aws:TagKeys": ["b", "a"]}, False),
        ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a", "b"]}}, {"aws:TagKeys": ["b"]}, True),
        ({"ForAllValues:StringEquals": {"aws:TagKeys": ["a"]}}, {}, True),
        ({"StringEquals": {"k": "a"}}, {"k": ["b", "a"]}, True),
    ],
)
def test_condition_operator_semantics(condition, context, expected):
    assert conditions_hold(condition, context) is expected


def test_the_checker_denies_a_wrong_subject_on_the_irsa_trust(verified_templates):
    # GIVEN the IRSA trust statement the library renders
    stack = "LakehouseIam-DuckLakeIrsa"
    (role,) = [p for p in principals_of(verified_templates[stack], stack_name=stack)]
    assert role.trust is not None
    statements = allowing_statements(
        [role.trust.document],
        action="sts:AssumeRoleWithWebIdentity",
        resource=role.arn,
        principal=PROVIDER,
    )
    # THEN the right token is allowed and a token of another service account is not
    assert allows(statements, IRSA)
    assert not allows(statements, {**IRSA, f"{ISSUER}:sub": "system:serviceaccount:ducklake:x"})
    # and a statement for another provider does not apply at all
    assert not allowing_statements(
        [role.trust.document],
        action="sts:AssumeRoleWithWebIdentity",
        resource=role.arn,
        principal=PROVIDER.replace("PLACEHOLDER", "OTHER"),
    )


def test_the_checker_refuses_what_it_cannot_judge():
    with pytest.raises(UnsupportedConditionError):
        conditions_hold({"StringEquals": {"aws:PrincipalTag/team": "${aws:username}"}}, {})
    with pytest.raises(UnsupportedConditionError):
        conditions_hold({"NumericLessThan": {"aws:MultiFactorAuthAge": "3600"}}, {})
