"""Standalone templates: generated from the vendor scenarios, merged exactly, standalone."""

from __future__ import annotations

import json
import re

import pytest
import yaml

from lakehouse_iam.templates import rules, scenarios, to_yaml
from lakehouse_iam.templates.conditions import specialize
from lakehouse_iam.templates.merge import NO_VALUE, MergeConflict, Variant, merge
from lakehouse_iam.templates.synth import FEATURE_FLAGS
from lakehouse_iam.vendors import VENDORS
from tests.helpers import ROOT, cdk_json_context, run_cli
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


def test_a_changed_template_file_is_reported_stale(tmp_path, capsys, monkeypatch):
    # GIVEN the registry cut to two templates (the whole set is generated once, by the
    # staleness test above), a copy of both files with one edited, and one stray file
    from lakehouse_iam.templates import files

    kept = [
        s for s in scenarios() if s.name in ("risingwave-cross-account", "qualytics-source-role")
    ]
    assert len(kept) == 2
    monkeypatch.setattr(files, "scenarios", lambda: kept)
    for scenario in kept:
        name = files.file_name(scenario)
        (tmp_path / name).write_text((ROOT / "templates" / name).read_text())
    edited = tmp_path / "risingwave-cross-account.yaml"
    edited.write_text(edited.read_text().replace("s3:GetObject", "s3:GetObjectAcl"))
    (tmp_path / "stray.yaml").write_text("{}\n")
    # WHEN the CLI checks them (in this process; tests/test_template_cli.py runs the CLI
    # as a subprocess for exit codes and banners)
    status, _, err = run_cli(capsys, "template", "--all", "--output-dir", str(tmp_path), "--check")
    # THEN it exits 1 and names the edited and the stray file, and only those
    assert status == 1
    assert "risingwave-cross-account.yaml differs" in err
    assert "stray.yaml is no registered template" in err
    assert "qualytics-source-role" not in err


@pytest.mark.parametrize("name", sorted(TEMPLATES))
def test_a_template_is_standalone(name):
    text = (ROOT / "templates" / f"{name}.yaml").read_text()
    template = TEMPLATES[name]
    # GIVEN a committed template THEN it holds no CDK leftovers: no metadata, no bootstrap
    # rule or parameter, no asset, no custom resource (a Lambda function it cannot carry)
    assert "aws:cdk" not in text and "cdk-hnb659fds" not in text and "CDKMetadata" not in text
    # (Mappings: a value looked up by AWS::Partition, e.g. Snowflake's STORAGE_PROVIDER)
    allowed = {"Description", "Parameters", "Conditions", "Mappings", "Resources", "Outputs"}
    assert set(template) <= allowed
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


def test_a_setting_changes_the_template_and_a_bad_one_is_a_usage_error(capsys):
    run = ["template", "ducklake", "--mode", "irsa"]
    issuer = "https://oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
    # GIVEN another issuer WHEN generated THEN the trust keys use it
    status, out, err = run_cli(capsys, *run, "--oidc-issuer", issuer)
    assert status == 0, err
    assert "oidc.eks.eu-west-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF:sub" in out
    # AND a bad issuer, an unknown flag, a vendor without --mode are errors naming the fix
    status, _, err = run_cli(capsys, *run, "--oidc-issuer", "http://x")
    assert status == 2 and "--oidc-issuer='http://x' is invalid" in err
    status, _, err = run_cli(capsys, *run, "--colour", "red")
    assert status == 2 and "unknown setting --colour; settings: --oidc-issuer" in err
    status, _, err = run_cli(capsys, *run[:-2])
    assert status == 2 and "pass --mode (ecs, irsa, pod-identity)" in err


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
    "iam_user_arn": [
        "arn:aws:iam::123456789012:user/abc1-b-self1234",
        "arn:aws-us-gov:iam::123456789012:user/p/q/u",
        "arn:aws:iam::123456789012:role/r",
        "arn:aws:iam::123456789012:root",
        "arn:aws:iam::123456789012:user/é",
    ],
    "iam_role_name": ["databricks-unity-catalog", "a+=,.@_-", "a b", "a/b", "x" * 64, "x" * 65],
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
# Prefixes any S3 prefix may be but RisingWave's WITH (...) outputs refuse: '\\' (the S3
# source's match_pattern), '#', ' ' and '%' (the Iceberg warehouse.path URL).
RISINGWAVE_SQL_REFUSED = ["raw\\orders", "raw#1", "raw 1", "raw%41"]
SAMPLES["risingwave_prefix"] = [*SAMPLES["prefix"], *RISINGWAVE_SQL_REFUSED, 'a"b', "rawé"]
# Every rule a committed template's parameter uses: the validation's, and those a vendor
# narrows (rules.restricted).
PARAMETER_RULES = sorted(
    {p.rule.name: p.rule for s in scenarios() for p in s.parameters}.values(),
    key=lambda r: r.name,
)


@pytest.mark.parametrize(
    "rule", sorted({*rules.RULES, *PARAMETER_RULES}, key=lambda r: r.name), ids=lambda r: r.name
)
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


# -- every template parameter is the construct's rule ----------------------------------


def test_each_template_parameter_pattern_is_the_rule_of_its_construct_prop():
    # GIVEN every committed template WHEN its parameters are read THEN each String
    # parameter's AllowedPattern is the pattern of the rule the scenario declares (the
    # optional ones wrapped in (?:...)?, for the empty value) and its ConstraintDescription
    # the rule's message: one definition for both sides
    for scenario in scenarios():
        parameters = TEMPLATES[scenario.name]["Parameters"]
        for p in scenario.parameters:
            spec = parameters[p.name]
            pattern = f"(?:{p.rule.pattern})?" if p.optional else p.rule.pattern
            assert spec["AllowedPattern"] == pattern, (scenario.name, p.name)
            assert spec["ConstraintDescription"].endswith(p.rule.description), p.name
        # AND every parameter of the template is one the scenario declares (or a choice)
        declared = {p.name for p in scenario.parameters} | {c.name for c in scenario.choices}
        assert set(parameters) == declared, scenario.name


def _literal_inputs(scenario, values, choices):
    from lakehouse_iam.templates.scenario import TemplateInputs

    return TemplateInputs(
        values=values,
        choices=choices,
        settings={setting.name: setting.default for setting in scenario.settings},
    )


def _valid_value(parameter):
    return next(
        v
        for v in SAMPLES[parameter.rule.name]
        if parameter.rule.accepts(v) and len(v) <= (parameter.max_length or 10**6)
    )


def _construct_refusal(scenario, values, choices):
    """The construct's ValueError for these literal parameter values, or None."""
    import aws_cdk as cdk

    app = cdk.App(context=cdk_json_context())
    stack = cdk.Stack(app, "Literal")
    try:
        scenario.build(stack, _literal_inputs(scenario, values, choices))
    except ValueError as error:
        return str(error)
    return None


@pytest.mark.parametrize("scenario", scenarios(), ids=lambda s: s.name)
def test_a_value_each_template_parameter_accepts_is_accepted_by_the_construct(scenario):
    # GIVEN a template parameter and sample values its AllowedPattern accepts (plus the
    # prefixes RisingWave's SQL outputs refuse)
    import itertools

    valid = {p.name: _valid_value(p) for p in scenario.parameters}
    combos = [
        dict(zip([c.name for c in scenario.choices], values, strict=True))
        for values in itertools.product(*(c.values for c in scenario.choices))
    ]
    widened = []
    for p in scenario.parameters:
        candidates = [*SAMPLES[p.rule.name]]
        if p.rule.name in ("prefix", "risingwave_prefix"):
            candidates += RISINGWAVE_SQL_REFUSED
        limit = p.max_length or p.rule.max_length or 10**6
        for value in dict.fromkeys(candidates):
            if not (p.rule.accepts(value) and len(value) <= limit):
                continue
            # WHEN the scenario's constructs are built with that literal value
            for choices in combos:
                refusal = _construct_refusal(scenario, {**valid, p.name: value}, choices)
                # THEN the construct accepts it too: CloudFormation would deploy it
                if refusal is not None:
                    widened.append((p.name, value, choices, refusal))
    assert widened == []


@pytest.mark.parametrize("prefix", RISINGWAVE_SQL_REFUSED)
def test_the_risingwave_template_refuses_every_prefix_its_sql_outputs_refuse(prefix):
    from lakehouse_iam.vendors.risingwave.stack import SQL_OUTPUTS

    scenario = next(s for s in scenarios() if s.name == "risingwave-cross-account")
    pattern = TEMPLATES["risingwave-cross-account"]["Parameters"]["Prefix"]["AllowedPattern"]
    # GIVEN the committed template's Prefix pattern THEN CloudFormation refuses the prefix
    assert re.fullmatch(pattern, prefix, flags=re.ASCII) is None
    # AND the construct, built with it, refuses it in a WITH (...) output the template has
    valid = {p.name: _valid_value(p) for p in scenario.parameters}
    refusal = _construct_refusal(scenario, {**valid, "Prefix": prefix}, {})
    assert refusal is not None and f"prefix={prefix!r}" in refusal
    assert {form for form, _, _ in SQL_OUTPUTS} >= {"source", "iceberg"}


def test_no_template_description_names_a_logical_id():
    # GIVEN every committed template WHEN the description of each role, user and policy
    # is read (with each parameter as the console shows it, ${Name})
    def readable(value):
        if isinstance(value, str):
            return value
        if "Ref" in value:
            return "${" + value["Ref"] + "}"
        if "Fn::Join" in value:
            sep, parts = value["Fn::Join"]
            return sep.join(readable(p) for p in parts)
        if "Fn::If" in value:
            return " | ".join(readable(v) for v in value["Fn::If"][1:])
        raise AssertionError(value)

    found = {}
    for name, template in TEMPLATES.items():
        logical_ids = set(template["Resources"]) | {f"{p}Parameter" for p in template["Parameters"]}
        for logical_id, resource in template["Resources"].items():
            properties = resource.get("Properties", {})
            description = properties.get("Description")
            if description is None:
                continue
            text = readable(description)
            # THEN none names a logical ID or an import's construct ID (BucketNameParameter)
            words = set(re.findall(r"[A-Za-z0-9]+", text))
            if words & logical_ids or re.search(r"[a-z]Parameter\b", text):
                found[f"{name}/{logical_id}"] = text
    assert found == {}
