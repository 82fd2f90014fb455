"""Checks 1-4 on the standalone templates, each deployed with its probe table's values."""

from __future__ import annotations

import pytest

from verification.allowlist import Allowlist
from verification.checks import (
    cfn_lint_findings,
    cloudsplaining_findings,
    judge,
    parliament_findings,
)
from verification.policies import principals_of
from verification.probes import evaluate
from verification.template_checks import (
    instances,
    load_table,
    read_templates,
    table_path,
    template_probes,
    with_parameters,
)

TEMPLATES = read_templates()
INSTANCES = instances(TEMPLATES)


@pytest.fixture(scope="module")
def outcomes():
    probes = [p for n, t in sorted(TEMPLATES.items()) for p in template_probes(n, t, load_table(n))]
    return evaluate(probes)


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_template_has_a_probe_table_covering_every_role_of_every_instance(name):
    assert table_path(name).exists(), f"add verification/probes/templates/{name}.yaml"
    for instance in load_table(name)["instances"]:
        template = with_parameters(TEMPLATES[name], instance["parameters"])
        present = {p.path for p in principals_of(template, stack_name=name)}
        probed = {p["path"] for p in instance["principals"]}
        assert present <= probed, f"{name}@{instance['name']}: unprobed {sorted(present - probed)}"
    # AND the instances together switch every optional input on and off
    names = [set(i["parameters"]) for i in load_table(name)["instances"]]
    optional = {n for n, s in TEMPLATES[name]["Parameters"].items() if s.get("Default") == ""}
    assert optional <= set.union(*names), (
        f"{name}: no instance gives {optional - set.union(*names)}"
    )


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_template_probes_get_the_expected_decision(name, outcomes):
    mine = [o for o in outcomes if o.probe.id.split("@")[0] == name]
    assert mine
    assert [o.describe() for o in mine if not o.ok] == []


def test_every_template_has_deny_probes_and_trust_probes_with_and_without_external_id(outcomes):
    requests = [(o.probe.expect, o.probe.simulation["request"]) for o in outcomes]
    assert any(e == "deny" and not r["action"].startswith("sts:") for e, r in requests)
    external = {
        (e, r["contextVariables"].get("sts:ExternalId") is not None)
        for e, r in requests
        if r["action"] == "sts:AssumeRole"
        and r["principal"].startswith("arn:aws:iam::222222222222")
    }
    assert {("allow", True), ("allow", False), ("deny", False), ("deny", True)} <= external


def test_policy_checks_find_nothing_in_any_instance():
    allowlist = Allowlist.load()
    stacks = sorted(INSTANCES)
    for section, findings in (
        ("parliament", parliament_findings(INSTANCES)),
        ("cloudsplaining", cloudsplaining_findings(INSTANCES)),
    ):
        result = judge(section, findings, stacks, allowlist)
        assert result.unexpected == [], f"{section}: {result.unexpected}"


def test_cfn_lint_finds_nothing_in_the_templates(background_work):
    future = background_work.get("template_cfn_lint")
    findings = future.result() if future else cfn_lint_findings(TEMPLATES)
    # (the worker runs cfn_lint_findings_of_templates: the same call)
    assert findings == []


def test_cfn_lint_and_the_probes_can_fail():
    # GIVEN a template whose trust lost its ExternalId condition and a broken Ref
    import copy

    template = copy.deepcopy(TEMPLATES["qualytics-source-role"])
    role = template["Resources"]["QualyticsRoleRole"]["Properties"]
    role["AssumeRolePolicyDocument"]["Statement"][0].pop("Condition")
    role["ManagedPolicyArns"].append({"Ref": "NoSuchPolicy"})
    # THEN cfn-lint reports the Ref and the ExternalId probe of the table fails
    assert any("NoSuchPolicy" in f["message"] for f in cfn_lint_findings({"broken": template}))
    role["ManagedPolicyArns"].pop()
    table = load_table("qualytics-source-role")
    outcomes = evaluate(template_probes("broken", template, table))
    failed = [o for o in outcomes if not o.ok]
    assert failed and all("trust" in o.probe.id for o in failed)


def test_values_cloudformation_would_refuse_are_refused():
    with pytest.raises(ValueError, match="ExternalId='a b': AllowedPattern rejects it"):
        with_parameters(TEMPLATES["qualytics-source-role"], {"ExternalId": "a b"})
    with pytest.raises(ValueError, match="ExternalId: no such parameter"):
        with_parameters(TEMPLATES["risingwave-cross-account"], {"ExternalId": "tenant-4711"})
    with pytest.raises(ValueError, match="BucketName: required, no value"):
        with_parameters(TEMPLATES["risingwave-cross-account"], {})
