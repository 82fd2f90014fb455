"""Never wider than written: what the user wrote beside a token, in a Lazy or in a
CfnParameter cannot widen a policy; errors name the user's construct and prop.

Issue 21 ("What was seen" 1 and 2, "Build": tokens beside literals, values known at
synthesis, CfnParameters) and issue 22 ("What else was seen" 4). Each case names the
input it tries.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_ssm as ssm

from lakehouse_iam import (
    BoilStreamAccess,
    BoilStreamLevel,
    DataAccessRole,
    DuckLakeAccess,
    Ec2InstanceTrust,
    EcsTaskTrust,
    GlueCatalogGrant,
    LogsGrant,
    QualyticsDatastoreAccess,
    RisingWaveAccess,
    S3Grant,
    S3Location,
    SecretsGrant,
    SseKmsGrant,
    StarRocksAssumedRoleAccess,
    StarRocksPermissions,
    validation,
)
from lakehouse_iam._private.token_forms import BUCKET, LOG_GROUP, SECRET, token_form
from lakehouse_iam._private.user_props import Problem, PropsError, user_props
from lakehouse_iam.validation import PropsCheck
from lakehouse_iam.vendors.databricks.access import DatabricksStorageCredentialAccess
from lakehouse_iam.vendors.snowflake.access import SnowflakeStorageAccess
from lakehouse_iam.vendors.trino.access import TrinoAccess, TrinoPermissions
from tests.helpers import make_app

WORKLOAD = "arn:aws:iam::222222222222:role/risingwave-workload"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
US_EAST_KEY = f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}"


@pytest.fixture
def stack() -> cdk.Stack:
    return cdk.Stack(make_app(), "S")


def env_parameter(stack: cdk.Stack, **props: Any) -> str:
    """The value of a CfnParameter ``Env`` (allowed values prod and dev by default)."""
    props.setdefault("allowed_values", ["prod", "dev"])
    return cdk.CfnParameter(stack, "Env", **props).value_as_string


def error_of(build: Callable[[], object]) -> str:
    with pytest.raises(ValueError) as error:
        build()
    return str(error.value)


# -- 1. tokens beside literals -----------------------------------------------------------


def test_prefix_env_star_is_refused_naming_the_prop_and_the_segment(stack):
    # GIVEN env, a CfnParameter of allowed values prod and dev
    env = env_parameter(stack)
    # WHEN RisingWaveAccess gets prefix=f"{env}*" (it rendered lake-bucket/<Env>*/*)
    message = error_of(
        lambda: RisingWaveAccess(
            stack, "RW", workload_identity_role_arn=WORKLOAD, bucket="lake-bucket", prefix=f"{env}*"
        )
    )
    # THEN the error names the construct, the prop and the literal '*'
    assert message.startswith("RisingWaveAccess at S/RW: invalid properties:")
    assert "  - prefix=" in message
    assert "the literal text '*' beside a token holds '*'" in message


@pytest.mark.parametrize(
    ("case", "build", "prop", "segment"),
    [
        ("bucket=f'lake-{p}*'", lambda p: S3Location(bucket=f"lake-{p}*"), "bucket", "'*'"),
        (
            "prefix=f'raw/{p}/..'",
            lambda p: S3Location(bucket="lake-bucket", prefix=f"raw/{p}/.."),
            "prefix",
            "'/..'",
        ),
        (
            "key=f'arn:aws:kms:{p}:111111111111:key/*'",
            lambda p: SseKmsGrant(key=f"arn:aws:kms:{p}:111111111111:key/*"),
            "key",
            "':111111111111:key/*'",
        ),
        (
            "prefix=f'a//{p}'",
            lambda p: S3Location(bucket="lake-bucket", prefix=f"a//{p}"),
            "prefix",
            "'a//'",
        ),
        (
            "prefix=f'{p}?'",
            lambda p: S3Location(bucket="lake-bucket", prefix=f"{p}?"),
            "prefix",
            "'?'",
        ),
        (
            "prefix=f'home/${{aws:username}}/{p}'",
            lambda p: S3Location(bucket="lake-bucket", prefix=f"home/${{aws:username}}/{p}"),
            "prefix",
            "'${'",
        ),
        (
            "prefix=f'raw/..{p}'",
            lambda p: S3Location(bucket="lake-bucket", prefix=f"raw/..{p}"),
            "prefix",
            "'raw/..'",
        ),
        ("bucket=f'lake..{p}'", lambda p: S3Location(bucket=f"lake..{p}"), "bucket", "'..'"),
        ("bucket=f'Lake-{p}'", lambda p: S3Location(bucket=f"Lake-{p}"), "bucket", "'L'"),
        (
            "bucket=f'arn:aws:s3:::lake-{p}*'",
            lambda p: S3Location(bucket=f"arn:aws:s3:::lake-{p}*"),
            "bucket",
            "'*'",
        ),
        (
            "databases=[f'{p}*']",
            lambda p: GlueCatalogGrant(databases=[f"{p}*"]),
            "databases[0]",
            "'*'",
        ),
        (
            "databases=[f'{p}.db']",
            lambda p: GlueCatalogGrant(databases=[f"{p}.db"]),
            "databases[0]",
            "'.'",
        ),
        (
            "secret=f'lokryn/{p}*'",
            lambda p: SecretsGrant(secret=f"lokryn/{p}*"),
            "secret",
            "'*'",
        ),
        (
            "log_group=f'/ecs/{p}*'",
            lambda p: LogsGrant(log_group=f"/ecs/{p}*"),
            "log_group",
            "'*'",
        ),
        (
            "log_group=f'arn:aws:logs:us-east-1:111111111111:log-group:{p}?'",
            lambda p: LogsGrant(log_group=f"arn:aws:logs:us-east-1:111111111111:log-group:{p}?"),
            "log_group",
            "'?'",
        ),
    ],
    ids=lambda v: v if isinstance(v, str) and v[:1].isalpha() and "=" in v else "",
)
def test_a_bad_literal_beside_a_parameter_is_refused(stack, case, build, prop, segment):
    # GIVEN p, a CfnParameter with allowed values prod and dev
    p = env_parameter(stack)
    # WHEN the building block gets `case` THEN a ValueError names the prop and the segment
    message = error_of(lambda: build(p))
    assert f"  - {prop}=" in message, (case, message)
    assert segment in message, (case, message)


def test_valid_token_forms_keep_working(stack):
    # GIVEN tokens beside literals that follow the props' rules
    key_id = cdk.CfnParameter(stack, "KeyId", allowed_pattern="[0-9a-f-]{36}").value_as_string
    suffix = cdk.CfnParameter(stack, "Suffix", allowed_values=["a1", "b2"]).value_as_string
    kms_arn = f"arn:{cdk.Aws.PARTITION}:kms:{cdk.Aws.REGION}:{cdk.Aws.ACCOUNT_ID}:key/{key_id}"
    # WHEN they are built THEN nothing is refused
    SseKmsGrant(key=kms_arn)
    location = S3Location(bucket=f"lake-{suffix}", prefix=f"/raw/{suffix}/orders/")
    assert location.normalized_prefix == f"raw/{suffix}/orders"
    S3Location(bucket=f"arn:{cdk.Aws.PARTITION}:s3:::lake-{suffix}")
    GlueCatalogGrant(databases=[f"lake_{suffix}"])
    LogsGrant(log_group=f"arn:{cdk.Aws.PARTITION}:logs:us-east-1:111111111111:log-group:/ecs:*")
    SecretsGrant(secret=f"lokryn/{suffix}/config")


VALUE_RULES = {
    "account_id": {},
    "aws_region": {},
    "role": {},
    "role_arn": {},
    "iam_user_arn": {},
    "iam_name": {"max_length": 64},
    "sid": {},
    "external_id": {},
    "redshift_dbuser_arn": {},
    "s3_bucket": {},
    "bucket_name": {},
    "bucket_arn": {},
    "prefix": {},
    "kms_key": {},
    "kms_key_arn": {},
    "glue_name": {},
    "glue_connection_name": {},
    "log_group": {},
    "log_group_name": {},
    "log_group_arn": {},
    "secret": {},
    "secret_name": {},
    "secret_arn": {},
    "ecr_repository_arn": {},
    "ecr_image_uri": {},
    "eks_cluster_name": {},
    "k8s_namespace": {},
    "k8s_service_account": {},
    "oidc_provider_arn": {},
    "oidc_issuer_url": {},
}


def test_every_string_rule_is_listed_here():
    # A rule added to PropsCheck later must be added to VALUE_RULES (or to the rules that
    # take no string) so that the wildcard test below covers it.
    no_string = {
        "add",
        "raise_if_any",
        "keep_deferred",
        "boolean",
        "int_range",
        "one_of",
        "instance_of",
        "sequence_of",
        "exclusive",
        "required_together",
        "partition_of",
        "partitions",
        "actions",
        "action_list",
        "iam_description",  # free text: '*' is a character, not a wildcard
        "ecr_repository",  # a token is an ARN only (heads: 'arn:')
        "oidc_provider",
    }
    public = {n for n, m in vars(PropsCheck).items() if callable(m) and not n.startswith("_")}
    assert public - no_string == set(VALUE_RULES)


def test_every_pattern_a_rule_matches_has_its_literal_rule():
    # PropsCheck._match checks a token value's literal text with the LiteralRule of its
    # pattern; a pattern without one falls back to a generic rule: give it its own.
    source = Path(validation.__file__).read_text()
    used = set(re.findall(r"self\._match\(\s*\w+,\s*\w+,\s*(\w+)", source))
    assert used, "no PropsCheck._match call found"
    assert {name for name in used if getattr(validation, name) not in validation._LITERALS} == set()


@pytest.mark.parametrize("rule", sorted(VALUE_RULES))
@pytest.mark.parametrize("bad", ["*", "?", "${aws:username}"])
def test_every_rule_refuses_a_wildcard_beside_a_token(rule, bad):
    # GIVEN a token (a Region) with a wildcard or a policy variable written after it,
    # behind the head that makes a multi-form prop read it as an ARN or a name
    head = "arn:aws:x:" if rule in ("s3_bucket", "log_group", "secret") else ""
    value = f"{head}{cdk.Aws.REGION}{bad}"
    # WHEN the rule checks it THEN it is refused, naming the literal
    check = PropsCheck("Owner")
    getattr(check, rule)("p", value, **VALUE_RULES[rule])
    assert check.problems, (rule, value)
    assert repr(bad)[1:-1] in check.problems[0], check.problems


# -- 4. the head guard of token_forms.token_form -----------------------------------------


@pytest.mark.parametrize("spec", [BUCKET, SECRET, LOG_GROUP], ids=["bucket", "secret", "log"])
def test_ar_plus_a_token_is_not_read_as_a_name(spec):
    # GIVEN "ar" + a token: it may still become "arn:..." at deploy time
    value = f"ar{cdk.Aws.REGION}"
    # WHEN its form is asked THEN it has none (never "name"), and the reason says so
    result = token_form(value, spec)
    assert result.form is None
    assert "cannot tell which one this token is" in result.problem


@pytest.mark.parametrize(
    ("prop", "build"),
    [
        ("bucket", lambda v: S3Location(bucket=v)),
        ("secret", lambda v: SecretsGrant(secret=v)),
        ("log_group", lambda v: LogsGrant(log_group=v)),
    ],
)
def test_ar_plus_a_token_given_as_a_name_prop_is_refused(prop, build):
    # GIVEN bucket/secret/log_group = "ar" + a token WHEN built THEN a ValueError
    message = error_of(lambda: build(f"ar{cdk.Aws.REGION}"))
    assert f"  - {prop}='ar${{Token[" in message


def test_a_name_head_that_rules_out_arn_is_still_a_name():
    # GIVEN "lake-" + a token: no 'arn:' can follow WHEN its form is asked THEN a name
    assert token_form(f"lake-{cdk.Aws.REGION}", BUCKET).form == "name"


# -- 2. values known at synthesis ---------------------------------------------------------


@jsii.implements(cdk.IStableStringProducer)
class Produce:
    """A ``cdk.Lazy.string`` producer of a fixed value."""

    def __init__(self, value: str) -> None:
        self.value = value

    def produce(self, *_: object) -> str:
        return self.value


def lazy(value: str) -> str:
    return cdk.Lazy.string(Produce(value))


def synth_error(app: cdk.App) -> str:
    with pytest.raises(RuntimeError) as error:
        app.synth()
    return str(error.value)


def test_a_lazy_prefix_resolving_to_star_fails_synthesis():
    # GIVEN RisingWaveAccess with prefix=Lazy.string(...) that produces "*"
    app = make_app()
    stack = cdk.Stack(app, "S")
    RisingWaveAccess(
        stack, "RW", workload_identity_role_arn=WORKLOAD, bucket="lake-bucket", prefix=lazy("*")
    )
    # WHEN the app is synthesized THEN it fails, naming the construct, the prop and "*",
    # with the message a literal "*" gets
    message = synth_error(app)
    assert "RisingWaveAccess at S/RW (token values resolved at synthesis)" in message
    literal = error_of(
        lambda: RisingWaveAccess(
            cdk.Stack(make_app(), "S"),
            "RW",
            workload_identity_role_arn=WORKLOAD,
            bucket="lake-bucket",
            prefix="*",
        )
    )
    assert literal.splitlines()[1] in message
    # AND only once (the S3Location inside reports under RisingWaveAccess's name)
    assert message.count("prefix='*'") == 1


def test_a_lazy_glue_database_resolving_to_star_fails_synthesis():
    # GIVEN a GlueCatalogGrant whose database is Lazy.string(...) producing "*"
    app = make_app()
    stack = cdk.Stack(app, "S")
    DataAccessRole(
        stack,
        "Role",
        trust=Ec2InstanceTrust(),
        grants=[GlueCatalogGrant(databases=[lazy("*")])],
    )
    # WHEN synthesized THEN it fails naming the database prop and the value
    message = synth_error(app)
    assert "[S/Role] GlueCatalogGrant (token values resolved at synthesis)" in message
    assert "databases[0]='*' is invalid: expected a Glue database name" in message


def test_a_lazy_beside_a_parameter_is_checked_through_its_literal_parts():
    # GIVEN prefix = Lazy("*") + "/" + a CfnParameter: an Fn::Join at synthesis
    app = make_app()
    stack = cdk.Stack(app, "S")
    env = env_parameter(stack)
    DataAccessRole(
        stack,
        "Role",
        trust=Ec2InstanceTrust(),
        grants=[
            S3Grant(
                location=S3Location(bucket="lake-bucket", prefix=f"{lazy('*')}/{env}"),
                actions=["s3:GetObject"],
            )
        ],
    )
    # WHEN synthesized THEN the literal '*' the Lazy produced is refused
    message = synth_error(app)
    assert "the literal text '*/' beside a token holds '*'" in message


def test_valid_lazy_values_synthesize():
    # GIVEN Lazy values that resolve to valid names WHEN synthesized THEN no error
    app = make_app()
    stack = cdk.Stack(app, "S")
    RisingWaveAccess(
        stack, "RW", workload_identity_role_arn=WORKLOAD, bucket="lake-bucket", prefix=lazy("raw")
    )
    DataAccessRole(
        stack, "Role", trust=Ec2InstanceTrust(), grants=[GlueCatalogGrant(databases=[lazy("db")])]
    )
    app.synth()


# -- 3. CfnParameters ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("props", "said"),
    [
        ({"allowed_values": ["prod", "dev*"]}, "CfnParameter Env allows 'dev*'"),
        ({"allowed_values": None, "default": "x*"}, "CfnParameter Env defaults to 'x*'"),
        ({"allowed_values": None, "allowed_pattern": ".*"}, "AllowedPattern '.*' admits '*'"),
        ({"allowed_values": None, "allowed_pattern": "[a-z.]+"}, "admits '..'"),
        ({"allowed_values": None, "allowed_pattern": "[A-Za-z0-9-]+"}, "admits 'A'"),
    ],
    ids=["allowed-values", "default", "pattern-any", "pattern-dotdot", "pattern-upper"],
)
def test_a_parameter_that_may_hold_a_bad_name_is_refused(stack, props, said):
    # GIVEN a CfnParameter whose allowed values, default or pattern admit a bad bucket name
    p = env_parameter(stack, **props)
    # WHEN it is given as bucket=f"lake-{p}" THEN the error names the value it may hold
    message = error_of(lambda: S3Location(bucket=f"lake-{p}"))
    assert "  - bucket='lake-${Token[" in message
    assert said in message, message


def test_a_parameter_that_may_hold_a_wildcard_prefix_is_refused(stack):
    # GIVEN a parameter whose pattern admits "*", given as prefix=p
    p = env_parameter(stack, allowed_values=None, allowed_pattern="[a-z*]+")
    # WHEN built THEN refused
    message = error_of(lambda: S3Location(bucket="lake-bucket", prefix=p))
    assert "CfnParameter Env's AllowedPattern '[a-z*]+' admits '*', which makes it '*'" in message


def parameter_of(stack: cdk.Stack, name: str) -> dict[str, Any]:
    return cdk.assertions.Template.from_stack(stack).to_json()["Parameters"][name]


def test_a_narrow_parameter_is_accepted_and_left_as_written(stack):
    # GIVEN a parameter with a pattern that admits only good names
    p = env_parameter(stack, allowed_values=None, allowed_pattern="[a-z0-9]{1,10}")
    # WHEN it is given as bucket=f"lake-{p}" THEN accepted, and its pattern is unchanged
    S3Location(bucket=f"lake-{p}")
    assert parameter_of(stack, "Env")["AllowedPattern"] == "[a-z0-9]{1,10}"


def test_a_parameter_without_constraints_gets_the_prefix_pattern(stack):
    # GIVEN a CfnParameter with no AllowedPattern and no AllowedValues
    p = env_parameter(stack, allowed_values=None)
    # WHEN it is the prefix of a role's S3 grant
    RisingWaveAccess(
        stack, "RW", workload_identity_role_arn=WORKLOAD, bucket="lake-bucket", prefix=p
    )
    # THEN the rendered parameter carries an AllowedPattern that refuses what the prefix
    # rule refuses, and admits good prefixes
    parameter = parameter_of(stack, "Env")
    pattern = parameter["AllowedPattern"]
    assert "lakehouse-iam (RisingWaveAccess prefix)" in parameter["ConstraintDescription"]
    for bad in ["*", "raw/*", "?", "a/../b", "..", "a//b", "./a", "${aws:username}", "a\x01"]:
        assert re.fullmatch(pattern, bad) is None, bad
    for good in ["raw", "raw/orders", "a.b/c-d_e", "v1..2/x", "caf\u00e9"]:
        assert re.fullmatch(pattern, good) is not None, good


def test_a_parameter_beside_literals_gets_the_characters_of_the_prop(stack):
    # GIVEN an unconstrained parameter in bucket=f"lake-{p}"
    p = env_parameter(stack, allowed_values=None)
    S3Location(bucket=f"lake-{p}")
    # THEN its pattern admits bucket-name characters only, and no '..'
    pattern = parameter_of(stack, "Env")["AllowedPattern"]
    for bad in ["*", "?", "a..b", "A", "a/b", "a_b", ""]:
        assert re.fullmatch(pattern, bad) is None, bad
    assert re.fullmatch(pattern, "prod-1.eu") is not None


def test_a_bare_parameter_for_a_key_arn_gets_the_key_arn_pattern(stack):
    # GIVEN an unconstrained parameter given as an SSE-KMS key ARN
    p = env_parameter(stack, allowed_values=None)
    SseKmsGrant(key=p)
    # THEN the parameter admits exactly KMS key ARNs
    pattern = parameter_of(stack, "Env")["AllowedPattern"]
    assert re.fullmatch(pattern, US_EAST_KEY) is not None
    for bad in ["*", "arn:aws:kms:us-east-1:111111111111:key/*", f"{US_EAST_KEY}*"]:
        assert re.fullmatch(pattern, bad) is None, bad


def test_a_parameter_used_by_two_props_must_pass_both(stack):
    # GIVEN one unconstrained parameter as a bucket-name part and as a prefix
    p = env_parameter(stack, allowed_values=None)
    S3Location(bucket=f"lake-{p}", prefix=p)
    # THEN its pattern is the bucket-name pattern narrowed by the prefix pattern
    pattern = parameter_of(stack, "Env")["AllowedPattern"]
    assert re.fullmatch(pattern, "prod") is not None
    for bad in ["*", "a/b", "A", "a..b"]:
        assert re.fullmatch(pattern, bad) is None, bad


def test_an_imported_bucket_named_by_a_parameter_is_checked_through_it(stack):
    # GIVEN the README's form for a bucket known by a parameter: from_bucket_name(param),
    # with a parameter that allows "*"
    p = env_parameter(stack, allowed_values=["lake-bucket", "*"])
    bucket = s3.Bucket.from_bucket_name(stack, "Lake", p)
    # WHEN RisingWaveAccess gets it THEN refused, naming the value it may hold
    message = error_of(
        lambda: RisingWaveAccess(stack, "RW", workload_identity_role_arn=WORKLOAD, bucket=bucket)
    )
    assert "  - bucket=" in message
    assert "CfnParameter Env allows '*'" in message


def test_an_imported_bucket_of_an_unconstrained_parameter_gets_a_pattern(stack):
    # GIVEN from_bucket_name(param) with a parameter of no pattern and no allowed values
    p = env_parameter(stack, allowed_values=None)
    S3Location(bucket=s3.Bucket.from_bucket_name(stack, "Lake", p), prefix="raw")
    # THEN the parameter admits bucket names only
    pattern = parameter_of(stack, "Env")["AllowedPattern"]
    assert re.fullmatch(pattern, "lake-bucket") is not None
    for bad in ["*", "lake*", "a..b", "Lake"]:
        assert re.fullmatch(pattern, bad) is None, bad


def test_an_imported_key_of_an_unconstrained_parameter_gets_the_key_arn_pattern(stack):
    # GIVEN kms.Key.from_key_arn(param) with a parameter of no pattern
    p = env_parameter(stack, allowed_values=None)
    SseKmsGrant(key=kms.Key.from_key_arn(stack, "Key", p))
    # THEN the parameter admits KMS key ARNs only
    pattern = parameter_of(stack, "Env")["AllowedPattern"]
    assert re.fullmatch(pattern, US_EAST_KEY) is not None
    assert re.fullmatch(pattern, "arn:aws:kms:us-east-1:111111111111:key/*") is None


def test_an_ssm_parameter_value_gets_no_pattern(stack):
    # GIVEN a prefix read from SSM (a CfnParameter of an SSM parameter type): CloudFormation
    # would check a pattern against the SSM key, never the value
    value = ssm.StringParameter.value_for_string_parameter(stack, "/lake/prefix")
    # WHEN it is the prefix THEN it is accepted and no pattern is set on its parameter
    S3Location(bucket="lake-bucket", prefix=f"raw/{value}")
    parameters = cdk.assertions.Template.from_stack(stack).to_json()["Parameters"]
    ssm_parameters = [p for p in parameters.values() if "/lake/prefix" in str(p)]
    assert ssm_parameters and all("AllowedPattern" not in p for p in ssm_parameters)
    # AND its literal text is still checked
    message = error_of(lambda: S3Location(bucket="lake-bucket", prefix=f"{value}*"))
    assert "the literal text '*' beside a token holds '*'" in message


def test_template_parameters_are_not_changed():
    # GIVEN the standalone templates' parameters (each has its own AllowedPattern)
    from lakehouse_iam.templates import generate, scenario_of

    template = generate(scenario_of("risingwave", "cross-account"))
    # THEN no parameter got a pattern from lakehouse-iam's constructs
    for name, spec in template["Parameters"].items():
        assert "lakehouse-iam (" not in str(spec.get("ConstraintDescription", "")), name


# -- 6. errors name the user's construct and prop ----------------------------------------


def eu_stack() -> cdk.Stack:
    return cdk.Stack(
        make_app(), "S", env=cdk.Environment(account="111111111111", region="eu-west-1")
    )


VENDORS: list[tuple[str, str, Callable[[cdk.Stack], object]]] = [
    (
        "RisingWaveAccess at S/V",
        "kms_key",
        lambda s: RisingWaveAccess(
            s, "V", workload_identity_role_arn=WORKLOAD, bucket="lake-bucket", kms_key=US_EAST_KEY
        ),
    ),
    (
        "QualyticsDatastoreAccess at S/V",
        "kms_key",
        lambda s: QualyticsDatastoreAccess(
            s,
            "V",
            bucket="lake-bucket",
            dataplane_role_arn="arn:aws:iam::222222222222:role/qualytics",
            kms_key=US_EAST_KEY,
        ),
    ),
    (
        "BoilStreamAccess at S/V",
        "kms_key",
        lambda s: BoilStreamAccess(
            s,
            "V",
            principal=EcsTaskTrust(),
            bucket="lake-bucket",
            level=BoilStreamLevel.DUCKLAKE,
            kms_key=US_EAST_KEY,
        ),
    ),
    (
        "DuckLakeAccess at S/V",
        "kms_key",
        lambda s: DuckLakeAccess(
            s,
            "V",
            trust=EcsTaskTrust(),
            bucket="lake-bucket",
            log_group="/ecs/ducklake",
            kms_key=US_EAST_KEY,
        ),
    ),
    (
        "StarRocksAssumedRoleAccess at S/V",
        "permissions.kms_key",
        lambda s: StarRocksAssumedRoleAccess(
            s,
            "V",
            permissions=StarRocksPermissions(
                locations=[S3Location(bucket="lake-bucket", prefix="starrocks")],
                kms_key=US_EAST_KEY,
            ),
        ),
    ),
    (
        "SnowflakeStorageAccess at S/V",
        "kms_key",
        lambda s: SnowflakeStorageAccess(s, "V", bucket="lake-bucket", kms_key=US_EAST_KEY),
    ),
    (
        "DatabricksStorageCredentialAccess at S/V",
        "kms_key",
        lambda s: DatabricksStorageCredentialAccess(
            s,
            "V",
            role_name="databricks-uc",
            locations=[S3Location(bucket="lake-bucket", prefix="databricks")],
            kms_key=US_EAST_KEY,
        ),
    ),
    (
        "TrinoAccess at S/V",
        "permissions.kms_key",
        lambda s: TrinoAccess(
            s,
            "V",
            trust=Ec2InstanceTrust(),
            permissions=TrinoPermissions(
                locations=[S3Location(bucket="lake-bucket", prefix="trino")],
                glue=GlueCatalogGrant(databases=["sales"], tables=["sales.orders"]),
                kms_key=US_EAST_KEY,
            ),
        ),
    ),
]


@pytest.mark.parametrize(
    ("owner", "prop", "build"), VENDORS, ids=[v[0].split()[0] for v in VENDORS]
)
def test_a_grant_error_inside_a_vendor_names_the_users_construct_and_prop(owner, prop, build):
    # GIVEN a stack in eu-west-1 and a vendor construct given a us-east-1 SSE-KMS key
    # WHEN it is built (the SseKmsGrant inside refuses the key)
    message = error_of(lambda: build(eu_stack()))
    # THEN the error names the user's construct, its path and the user's prop
    assert message.startswith(f"{owner}: invalid properties:\n  - {prop}="), message
    assert "SseKmsGrant" not in message
    assert "  - key=" not in message


def test_an_unmapped_building_block_prop_keeps_its_block_name(stack):
    # GIVEN a construct building from user props, and a building block refusing a prop the
    # construct has no name for
    def build() -> None:
        with user_props(stack, "Vendor", {"S3Location.bucket": "lake"}):
            raise PropsError("S3Grant", "S3Grant", [Problem("actions", "x", "y")])

    # WHEN it raises THEN the prop is qualified with its block's name, under the construct
    message = error_of(build)
    assert message.startswith("Vendor at S: invalid properties:\n  - S3Grant.actions='x'")


def test_a_bucket_of_another_region_names_the_vendor_prop():
    # GIVEN an s3.IBucket imported in us-east-1 and a eu-west-1 key, in RisingWaveAccess
    stack = eu_stack()
    bucket = s3.Bucket.from_bucket_attributes(
        stack, "B", bucket_name="lake-bucket", region="us-east-1"
    )
    key = f"arn:aws:kms:eu-west-1:111111111111:key/{KEY_ID}"
    message = error_of(
        lambda: RisingWaveAccess(
            stack, "RW", workload_identity_role_arn=WORKLOAD, bucket=bucket, kms_key=key
        )
    )
    # THEN the error names RisingWaveAccess and its props, never the grant's
    assert message.startswith("RisingWaveAccess at S/RW: invalid properties:"), message
    assert "SseKmsGrant" not in message


@pytest.mark.parametrize(
    ("owner", "prop", "build"),
    [
        (
            "DuckLakeAccess at S/V",
            "execution_role_name",
            lambda s: DuckLakeAccess(
                s,
                "V",
                trust=EcsTaskTrust(),
                bucket="lake-bucket",
                log_group="/ecs/ducklake",
                execution_role_name="e" * 65,
            ),
        ),
        (
            "DuckLakeAccess at S/V",
            "task_role_name",
            lambda s: DuckLakeAccess(
                s,
                "V",
                trust=EcsTaskTrust(),
                bucket="lake-bucket",
                log_group="/ecs/ducklake",
                task_role_name="t" * 65,
            ),
        ),
        (
            "StarRocksAssumedRoleAccess at S/V",
            "cluster_role_name",
            lambda s: StarRocksAssumedRoleAccess(
                s,
                "V",
                permissions=StarRocksPermissions(
                    locations=[S3Location(bucket="lake-bucket", prefix="starrocks")]
                ),
                cluster_role_name="c" * 65,
            ),
        ),
    ],
    ids=["ducklake-execution", "ducklake-task", "starrocks-cluster"],
)
def test_a_role_name_of_one_of_two_roles_names_its_own_prop(stack, owner, prop, build):
    # GIVEN a vendor construct that creates two roles, one named too long (65 characters)
    # WHEN it is built THEN the error names the user's prop of that role
    message = error_of(lambda: build(stack))
    assert message.startswith(f"{owner}: invalid properties:\n  - {prop}="), message
