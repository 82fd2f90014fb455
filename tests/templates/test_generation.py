"""Standalone templates: generated from the vendor scenarios, merged exactly, standalone."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import pytest
import yaml

from lakehouse_iam.templates import rules, scenarios, to_yaml
from lakehouse_iam.templates.conditions import specialize
from lakehouse_iam.templates.merge import NO_VALUE, MergeConflict, Variant, merge
from lakehouse_iam.templates.synth import FEATURE_FLAGS
from lakehouse_iam.vendors import VENDORS
from tests.helpers import ROOT, cdk_json_context
from verification.template_checks import read_templates

TEMPLATES = read_templates()


def test_every_registered_scenario_has_a_committed_template_and_nothing_else_is_there():
    # GIVEN the registry WHEN the templates folder is listed THEN they name the same set
    assert sorted(s.name for s in scenarios()) == sorted(TEMPLATES)
    # AND every vendor ships at least one template
    assert all(v.templates for v in VENDORS)


def test_the_committed_templates_are_not_stale(background_work):
    # GIVEN the committed templates WHEN every scenario is generated again (in the
    # background worker, tests/conftest.py) THEN each file is byte for byte the same
    future = background_work.get("template_staleness")
    if future is None:
        from lakehouse_iam.templates.files import check_all

        stale = check_all(ROOT / "templates")
    else:
        stale = future.result()
    assert stale == [], "\n".join(stale) + "\nrun `make templates`"


def test_a_changed_template_file_is_reported_stale(tmp_path):
    # GIVEN a copy of the templates with one edited file and one stray file
    for path in (ROOT / "templates").glob("*.yaml"):
        (tmp_path / path.name).write_text(path.read_text())
    edited = tmp_path / "risingwave-cross-account.yaml"
    edited.write_text(edited.read_text().replace("s3:GetObject", "s3:GetObjectAcl"))
    (tmp_path / "stray.yaml").write_text("{}\n")
    # WHEN the CLI checks them THEN it exits 1 and names both
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "lakehouse_iam",
            "template",
            "--all",
            "--output-dir",
            str(tmp_path),
            "--check",
        ],
        capture_output=True,
        text=True,
    )
    assert out.returncode == 1
    assert "risingwave-cross-account.yaml differs" in out.stderr
    assert "stray.yaml is no registered template" in out.stderr


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_template_is_standalone(name):
    text = (ROOT / "templates" / f"{name}.yaml").read_text()
    template = TEMPLATES[name]
    # GIVEN a committed template THEN it holds no CDK leftovers: no metadata, no bootstrap
    # rule or parameter, no asset, no custom resource (a Lambda function it cannot carry)
    assert "aws:cdk" not in text and "cdk-hnb659fds" not in text and "CDKMetadata" not in text
    assert set(template) <= {"Description", "Parameters", "Conditions", "Resources", "Outputs"}
    assert "BootstrapVersion" not in template["Parameters"]
    types = {r["Type"] for r in template["Resources"].values()}
    assert not any(t.startswith("Custom::") or t == "AWS::Lambda::Function" for t in types)
    # AND every input is a parameter with a description, and a String one has a pattern
    for spec in template["Parameters"].values():
        assert spec["Description"]
        assert "AllowedPattern" in spec or "AllowedValues" in spec
    # AND the file is the YAML of the template (a reader and our writer agree)
    assert to_yaml(template, header="x").split("\n", 1)[1] in text


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_every_trust_keeps_its_confused_deputy_guard_for_every_input(name):
    # GIVEN a template WHEN deployed with every optional input empty THEN each trust
    # statement still has a condition, or trusts an exact role ARN, or EC2 (which sends
    # no source keys: the instance profile is the guard)
    template = TEMPLATES[name]
    empty = {n: "" for n, s in template["Parameters"].items() if s.get("Default") == ""}
    concrete = specialize(template, empty)
    for logical_id, resource in concrete["Resources"].items():
        if resource["Type"] != "AWS::IAM::Role":
            continue
        for statement in resource["Properties"]["AssumeRolePolicyDocument"]["Statement"]:
            principal = statement["Principal"]
            service = principal.get("Service")
            if service == "ec2.amazonaws.com" or "AWS" in principal:
                continue
            assert statement.get("Condition"), f"{name}/{logical_id} trusts {principal} bare"


def test_an_external_id_given_is_required_and_an_empty_one_adds_no_condition():
    template = TEMPLATES["qualytics-source-role"]
    # GIVEN the Qualytics template WHEN ExternalId is given THEN the trust requires it
    given = specialize(template, {"ExternalId": "acme-qualytics"})
    (statement,) = given["Resources"]["QualyticsRoleRole"]["Properties"][
        "AssumeRolePolicyDocument"
    ]["Statement"]
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}}
    # AND without it the statement has no Condition key at all (not an empty one)
    (bare,) = specialize(template, {"ExternalId": ""})["Resources"]["QualyticsRoleRole"][
        "Properties"
    ]["AssumeRolePolicyDocument"]["Statement"]
    assert "Condition" not in bare
    # AND the KMS policy exists only with a key
    assert "QualyticsRoleSseKms" not in specialize(template, {"KmsKeyArn": ""})["Resources"]


def test_the_risingwave_template_has_no_external_id_and_escapes_the_prefix():
    template = TEMPLATES["risingwave-cross-account"]
    # GIVEN RisingWave, which never sends an ExternalId THEN the template asks for none
    assert "ExternalId" not in template["Parameters"]
    (statement,) = template["Resources"]["RisingWaveDataAccessRole"]["Properties"][
        "AssumeRolePolicyDocument"
    ]["Statement"]
    assert "Condition" not in statement
    # AND each WITH (...) output doubles a quote of the prefix, as SQL literals need
    escaped = {"Fn::Join": ["''", {"Fn::Split": ["'", {"Ref": "Prefix"}]}]}
    for output in ("SqlAssumeRole", "SqlSource", "SqlIamRoleArn"):
        assert escaped in template["Outputs"][output]["Value"]["Fn::Join"][1], output


def test_the_irsa_trust_names_the_issuer_in_its_condition_keys():
    # iam-simulate ignores the OIDC :sub/:aud keys (docs/verification.md, "Evaluator gaps"):
    # check them here.
    template = TEMPLATES["ducklake-irsa"]
    (statement,) = template["Resources"]["DuckLakeTaskRoleRole"]["Properties"][
        "AssumeRolePolicyDocument"
    ]["Statement"]
    issuer = "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
    equals = statement["Condition"]["StringEquals"]
    assert equals[f"{issuer}:aud"] == "sts.amazonaws.com"
    assert equals[f"{issuer}:sub"] == {
        "Fn::Join": [
            "",
            ["system:serviceaccount:", {"Ref": "Namespace"}, ":", {"Ref": "ServiceAccount"}],
        ]
    }


def test_a_setting_changes_the_template_and_a_bad_one_is_a_usage_error():
    run = [sys.executable, "-m", "lakehouse_iam", "template", "ducklake", "--mode", "irsa"]
    issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
    # GIVEN another issuer WHEN generated THEN the trust keys use it
    out = subprocess.run([*run, "--oidc-issuer", issuer], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub" in out.stdout
    # AND a bad issuer, an unknown flag, a vendor without --mode are errors naming the fix
    bad = subprocess.run([*run, "--oidc-issuer", "http://x"], capture_output=True, text=True)
    assert bad.returncode == 2 and "--oidc-issuer='http://x' is invalid" in bad.stderr
    unknown = subprocess.run([*run, "--colour", "red"], capture_output=True, text=True)
    assert (
        unknown.returncode == 2
        and "--colour='red' is invalid: expected one of --oidc-issuer" in (unknown.stderr)
    )
    modes = subprocess.run(run[:-2], capture_output=True, text=True)
    assert modes.returncode == 2 and "pass --mode (ecs, irsa, pod-identity)" in modes.stderr


def test_generation_uses_the_projects_feature_flags():
    context = cdk_json_context()
    assert {k: context[k] for k in FEATURE_FLAGS} == FEATURE_FLAGS


# -- the merge --------------------------------------------------------------------------


def _template(statement_condition=None, policies=("A",)):
    trust = {"Effect": "Allow", "Principal": {"AWS": "r"}}
    if statement_condition is not None:
        trust["Condition"] = statement_condition
    resources = {
        "Role": {
            "Type": "AWS::IAM::Role",
            "Properties": {
                "AssumeRolePolicyDocument": {"Statement": [trust]},
                "ManagedPolicyArns": [{"Ref": p} for p in policies],
            },
        }
    }
    for p in policies:
        resources[p] = {"Type": "AWS::IAM::ManagedPolicy", "Properties": {"Name": p}}
    return {"Resources": resources}


def test_what_an_input_adds_becomes_conditional_and_the_rest_stays_as_it_is():
    condition = {"StringEquals": {"sts:ExternalId": "x"}}
    base = _template(condition, ("A", "B"))
    # GIVEN a variant without the condition (HasX false) and one without policy B (HasB false)
    merged = merge(
        base,
        [
            Variant(_template(None, ("A", "B")), "HasX", False),
            Variant(_template(condition), "HasB", False),
        ],
    )
    role = merged["Resources"]["Role"]["Properties"]
    # THEN the condition is Fn::If with NoValue, policy B and its ARN are conditional
    assert role["AssumeRolePolicyDocument"]["Statement"][0]["Condition"] == {
        "Fn::If": ["HasX", condition, NO_VALUE]
    }
    assert role["ManagedPolicyArns"] == [{"Ref": "A"}, {"Fn::If": ["HasB", {"Ref": "B"}, NO_VALUE]}]
    assert merged["Resources"]["B"]["Condition"] == "HasB"
    assert "Condition" not in merged["Resources"]["A"]


def test_two_inputs_changing_the_same_value_are_a_conflict():
    # GIVEN two variants that each change the same principal
    base = _template()
    one, two = _template(), _template()
    one["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0][
        "Principal"
    ] = "p1"
    two["Resources"]["Role"]["Properties"]["AssumeRolePolicyDocument"]["Statement"][0][
        "Principal"
    ] = "p2"
    # THEN the merge refuses to guess their combination
    with pytest.raises(MergeConflict, match="Principal differs in the variants of HasOne, HasTwo"):
        merge(base, [Variant(one, "HasOne", False), Variant(two, "HasTwo", False)])


def _two_inputs(outputs):
    """A scenario with optional inputs A and B whose outputs ``outputs(a, b)`` names."""
    import aws_cdk as cdk

    from lakehouse_iam.templates.scenario import TemplateParameter, TemplateScenario

    def build(stack, inputs):
        cdk.CfnWaitConditionHandle(stack, "Handle")
        for name, value in outputs(inputs.optional("A"), inputs.optional("B")).items():
            cdk.CfnOutput(stack, name, value=value)

    optional = [
        TemplateParameter(name=n, rule=rules.EXTERNAL_ID, description=n, optional=True)
        for n in "AB"
    ]
    return TemplateScenario(
        vendor="test", mode="two-inputs", description="t", parameters=tuple(optional), build=build
    )


def test_a_value_that_depends_on_two_inputs_stops_generation():
    from lakehouse_iam.templates.generate import generate

    # GIVEN an output whose value depends on both inputs
    scenario = _two_inputs(lambda a, b: {"Mode": ("a" if a else "-") + ("b" if b else "-")})
    # THEN the merge refuses to guess the value of the combination
    with pytest.raises(
        MergeConflict, match=r"Outputs\.Mode\.Value differs in the variants of HasA, HasB"
    ):
        generate(scenario)


def test_a_merge_that_does_not_reproduce_the_combination_fails_generation():
    from lakehouse_iam.templates.generate import generate
    from lakehouse_iam.templates.synth import TemplateError

    # GIVEN an output that exists only when both inputs are left out: each input alone
    # merges cleanly, the combination is what the merge cannot see
    scenario = _two_inputs(lambda a, b: {} if a or b else {"Neither": "x"})
    # THEN the check against the all-inputs-changed synthesis catches it
    with pytest.raises(TemplateError, match="does not reproduce the variant"):
        generate(scenario)


# -- parameters mirror the construct validation -------------------------------------------

SAMPLES = {
    "bucket_name": [
        "lake-data",
        "a.b-c",
        "ab",
        "Lake",
        "a..b",
        "192.168.0.1",
        "xn--lake",
        "lake-s3alias",
        "-lake",
        "l" * 63,
        "l" * 64,
    ],
    "prefix": [
        "raw",
        "raw/orders",
        "a.b/c",
        "a//b",
        "a/./b",
        "..",
        "a*",
        "a?b",
        "a${x}",
        "raw\x01",
        "x" * 1000,
        "x" * 1001,
    ],
    "role_arn": [
        "arn:aws:iam::123456789012:role/r",
        "arn:aws-cn:iam::123456789012:role/p/q/r",
        "arn:aws:iam::123456789012:user/u",
        "arn:aws:iam::12345678901:role/r",
        "arn:aws:iam::123456789012:role/é",
        "arn:aws:iam::123456789012:root",
    ],
    "external_id": ["ab", "tenant-4711", "a", "a b", "x" * 1224, "x" * 1225, "é-é"],
    "kms_key_arn": [
        "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        "arn:aws:kms:us-east-1:123456789012:key/mrk-" + "a" * 32,
        "arn:aws:kms:us-east-1:123456789012:alias/lake",
        "key/1234",
    ],
    "glue_database": ["analytics", "a_b-c", "Analytics", "a*", ""],
    "secret_name": ["lokryn/ducklake/config", "a:b", "a*"],
    "log_group_name": ["/ecs/ducklake", "a:b", "a*"],
    "ecr_repository_arn": [
        "arn:aws:ecr:us-east-1:709825985650:repository/lokryn/ducklake",
        "arn:aws:ecr:us-east-1:709825985650:repository/Lokryn",
        "arn:aws:ecr:us-east-1:709825985650:repository/a:tag",
    ],
    "eks_cluster_name": ["analytics", "a_b-C1", "-a", "a" * 101],
    "k8s_namespace": ["ducklake", "a-b", "A", "a_b", "a" * 64],
    "k8s_service_account": ["ducklake", "a.b-c", "A", "a..b", "a" * 254],
    "oidc_issuer_url": ["https://oidc.eks.us-east-1.amazonaws.com/id/ABC", "http://x", "https://"],
}


@pytest.mark.parametrize("rule", rules.RULES, ids=lambda r: r.name)
def test_a_parameter_pattern_accepts_exactly_what_the_construct_accepts(rule):
    # GIVEN valid and invalid values of the rule WHEN judged by the AllowedPattern (as
    # Java reads it) and by the construct's PropsCheck THEN both agree on every value
    values = SAMPLES[rule.name]
    verdicts = {v: (rule.accepts(v), rule.construct_accepts(v)) for v in values}
    assert all(a == b for a, b in verdicts.values()), verdicts
    # AND the samples contain both outcomes, so the agreement means something
    assert {a for a, _ in verdicts.values()} == {True, False}
    # AND the description is the construct's own message
    assert rule.description


def test_the_pattern_comparison_can_fail():
    # GIVEN a rule whose pattern forgets the bucket rules a regex cannot see at a glance
    from dataclasses import replace

    loose = replace(rules.BUCKET_NAME, pattern="[a-z0-9.-]{3,63}")
    # THEN the comparison finds values the construct rejects and the pattern accepts
    assert [v for v in SAMPLES["bucket_name"] if loose.accepts(v) != loose.construct_accepts(v)]


def test_the_prefix_rule_is_stricter_only_where_a_pattern_must_be():
    # Brackets are refused (pairing is not regular) and the normal form is required.
    assert rules.PREFIX.construct_accepts("a/(b)") and not rules.PREFIX.accepts("a/(b)")
    assert rules.PREFIX.construct_accepts("/raw/") and not rules.PREFIX.accepts("/raw/")
    assert "no brackets" in rules.PREFIX.description


def test_the_yaml_writer_round_trips_awkward_strings():
    data = {
        "A": ["0123", "true", "a: b", "- x", "#c", "é", "", {"Fn::If": ["C", [], {}]}],
        "k:": 1,
        "B": {"null": None, "x y": False},
    }
    assert yaml.safe_load(to_yaml(data)) == data
    assert json.loads(json.dumps(yaml.safe_load(to_yaml(data)))) == data
    assert re.search(r"^  - \"0123\"$", to_yaml(data), re.M)
