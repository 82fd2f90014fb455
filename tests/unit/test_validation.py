"""Bad input fails at construction, clearly: one test per rule of ``PropsCheck``.

Each rule is tested on what it accepts and what it rejects; every rule passes an
unresolved CDK token through unchecked. The second half checks that each building block
and RisingWaveAccess report every problem at once, naming the construct path (constructs)
or the class (plain data objects), the property, the bad value and what is accepted.
"""

from __future__ import annotations

import inspect
import re
from types import SimpleNamespace
from typing import Any

import aws_cdk as cdk
import pytest

from lakehouse_iam import (
    CrossAccountTrust,
    DataAccessRole,
    DataAccessUser,
    Ec2InstanceTrust,
    EcsTaskTrust,
    RisingWaveAccess,
    RoleTrust,
    S3Grant,
    S3Location,
    SseKmsGrant,
)
from lakehouse_iam.validation import PropsCheck, iam_description, is_token
from tests.helpers import make_app

KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")


def problems(method: str, *args: Any, **kwargs: Any) -> list[str]:
    """Problems ``PropsCheck.<method>`` records for one value."""
    check = PropsCheck("Owner")
    getattr(check, method)(*args, **kwargs)
    return check.problems


def accepts(method: str, value: Any, **kwargs: Any) -> bool:
    return problems(method, "prop", value, **kwargs) == []


@pytest.fixture(scope="module")
def token() -> str:
    """An unresolved string token, as a user gets from ``Fn.ref`` or ``bucket.bucket_name``."""
    return cdk.Token.as_string(cdk.Fn.ref("SomeParameter"))


# -- message format -------------------------------------------------------------------


def test_problem_names_property_value_and_what_is_accepted():
    # GIVEN a check with one bad value WHEN it raises
    check = PropsCheck("S3Location")
    check.account_id("account", "1234")
    with pytest.raises(ValueError) as error:
        check.raise_if_any()
    # THEN the one line names owner, property, value (repr) and the accepted form
    assert str(error.value) == (
        "S3Location: invalid properties:\n"
        "  - account='1234' is invalid: expected a 12-digit AWS account ID"
    )


def test_several_problems_are_reported_in_one_error():
    check = PropsCheck("Owner")
    check.account_id("account", "x")
    check.external_id("external_id", "y")
    check.bucket_name("bucket", "Z")
    with pytest.raises(ValueError) as error:
        check.raise_if_any()
    lines = str(error.value).splitlines()
    assert lines[0] == "Owner: invalid properties:"
    assert [line.split("=")[0] for line in lines[1:]] == [
        "  - account",
        "  - external_id",
        "  - bucket",
    ]


def test_no_problem_no_error():
    PropsCheck("Owner").raise_if_any()


# -- account IDs ----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["123456789012", "000000000000"])
def test_account_id_accepts_12_digits(value):
    assert accepts("account_id", value)


@pytest.mark.parametrize(
    "value",
    [
        "12345678901",
        "1234567890123",
        "12345678901a",
        "123456789012\n",  # '$' alone would accept a trailing newline
        "\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662",  # \d
        None,
    ],
)
def test_account_id_rejects_anything_else(value):
    assert problems("account_id", "account", value) == [
        f"account={value!r} is invalid: expected a 12-digit AWS account ID"
    ]


@pytest.mark.parametrize(
    "value, quoted", [(123456789012, "'123456789012'"), (12345, "'000000012345'")]
)
def test_an_int_account_id_is_told_to_be_a_string(value, quoted):
    # GIVEN an account ID typed as a number (leading zeros already lost for 000000012345)
    # THEN the message says to pass the quoted 12-digit string
    (problem,) = problems("account_id", "account", value)
    assert f"pass {quoted}, not an int" in problem


# -- bucket names and ARNs ------------------------------------------------------------


@pytest.mark.parametrize("value", ["abc", "my-bucket", "a.b.c", "b" * 63, "1bucket9"])
def test_bucket_name_accepts_s3_naming_rules(value):
    assert accepts("bucket_name", value)


@pytest.mark.parametrize(
    "value",
    [
        "ab",
        "b" * 64,
        "My-Bucket",
        "my_bucket",
        "-bucket",
        "bucket-",
        ".bucket",
        "a..b",
        "192.168.5.4",
        "bucket\n",
        "xn--bucket",
        "sthree-bucket",
        "amzn-s3-demo-bucket",
        "bucket-s3alias",
        "bucket--ol-s3",
        "bucket.mrap",
        "bucket--x-s3",
        "bucket--table-s3",
        "b*",
        "",
        None,
    ],
)
def test_bucket_name_rejects_what_s3_rejects_or_reserves(value):
    (problem,) = problems("bucket_name", "bucket", value)
    assert problem.startswith(f"bucket={value!r} is invalid: expected an S3 bucket name")


@pytest.mark.parametrize("partition", PARTITIONS)
def test_bucket_arn_accepts_every_partition(partition):
    assert accepts("bucket_arn", f"arn:{partition}:s3:::my-bucket")


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws-iso:s3:::my-bucket",  # not a partition this library supports
        "arn:aws:s3:::my-bucket/key",  # an object ARN
        "arn:aws:s3:::*",
        "arn:aws:s3:::my-*",
        "arn:aws:s3:::My_Bucket",  # the name inside is checked too
        "arn:aws:s3:us-east-1:123456789012:my-bucket",
        "arn:aws:s3:::my-bucket\n",
    ],
)
def test_bucket_arn_rejects_other_arns(value):
    assert problems("bucket_arn", "bucket", value)


def test_s3_bucket_takes_name_arn_or_bucket_object():
    bucket_like = SimpleNamespace(bucket_arn="arn", bucket_name="name")
    assert accepts("s3_bucket", "my-bucket")
    assert accepts("s3_bucket", "arn:aws-cn:s3:::my-bucket")
    assert accepts("s3_bucket", bucket_like)
    assert problems("s3_bucket", "bucket", 42) == [
        "bucket=42 is invalid: expected a bucket name, a bucket ARN or an s3.IBucket"
    ]
    assert problems("s3_bucket", "bucket", "arn:aws:s3:::a/b")


# -- role, KMS key, secret, OIDC provider and log group ARNs --------------------------


@pytest.mark.parametrize("partition", PARTITIONS)
@pytest.mark.parametrize("resource", ["role/vendor", "role/service-role/a/b/vendor+=,.@_-"])
def test_role_arn_accepts_every_partition_and_paths(partition, resource):
    assert accepts("role_arn", f"arn:{partition}:iam::123456789012:{resource}")


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::123456789012:root",  # an account root trusts every identity in it
        "arn:aws:iam::123456789012:role/*",
        "arn:aws:iam::123456789012:role/vendor-*",
        "arn:aws:iam::123456789012:user/vendor",
        "arn:aws:iam::12345678901:role/vendor",
        "arn:aws-iso:iam::123456789012:role/vendor",
        "arn:aws:iam::123456789012:role/" + "r" * 65,
        "arn:aws:iam::123456789012:role/v\u00e9ndor",
        "arn:aws:iam::123456789012:role/vendor\n",
        "123456789012",
    ],
)
def test_role_arn_rejects_roots_wildcards_and_other_arns(value):
    (problem,) = problems("role_arn", "role_arn", value)
    assert "expected an IAM role ARN" in problem and "aws, aws-cn, aws-us-gov" in problem


@pytest.mark.parametrize("partition", PARTITIONS)
@pytest.mark.parametrize("key", [KEY_ID, "mrk-1234abcd12ab34cd56ef1234567890ab"])
def test_kms_key_arn_accepts_key_arns_of_every_partition(partition, key):
    assert accepts("kms_key_arn", f"arn:{partition}:kms:us-east-1:123456789012:key/{key}")


def test_kms_key_arn_rejects_an_alias_saying_why():
    (problem,) = problems("kms_key_arn", "key", "arn:aws:kms:us-east-1:123456789012:alias/lake")
    assert "an alias cannot be used in an IAM policy resource" in problem


@pytest.mark.parametrize(
    "value",
    [
        KEY_ID,  # a bare key ID names no region or account
        "arn:aws:kms:us-east-1:123456789012:key/*",
        "arn:aws:kms:us-east-1:123456789012:key/1234ABCD-12AB-34CD-56EF-1234567890AB",
        "arn:aws:s3:::bucket",
        "arn:aws-iso:kms:us-east-1:123456789012:key/" + KEY_ID,
    ],
)
def test_kms_key_arn_rejects_other_values(value):
    assert problems("kms_key_arn", "key", value)


def test_kms_key_takes_a_key_object_but_not_an_alias_object():
    key_arn = f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}"
    assert accepts("kms_key", SimpleNamespace(key_arn=key_arn))
    # an imported key's literal ARN is checked as the string would be
    assert not accepts("kms_key", SimpleNamespace(key_arn="arn:aws:kms:us-east-1:1:alias/x"))
    (problem,) = problems("kms_key", "key", SimpleNamespace(key_arn="arn", alias_name="alias/x"))
    assert "not a kms.Alias" in problem
    assert problems("kms_key", "key", 1) == [
        "key=1 is invalid: expected a KMS key ARN or a kms.IKey"
    ]


@pytest.mark.parametrize("partition", PARTITIONS)
def test_secret_arn_accepts_every_partition(partition):
    arn = f"arn:{partition}:secretsmanager:us-east-1:123456789012:secret:lokryn/app-AbCdEf"
    assert accepts("secret_arn", arn)


@pytest.mark.parametrize(
    "value",
    [
        # the DuckLake vendor page's ARN: 'secret:secret:' matches no secret
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:secret:lokryn/ducklake/config",
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:lokryn/*",
        "arn:aws:secretsmanager:us-east-1:1234:secret:app",
    ],
)
def test_secret_arn_rejects_malformed_and_wildcard_arns(value):
    assert problems("secret_arn", "secret", value)


@pytest.mark.parametrize("partition", PARTITIONS)
def test_oidc_provider_arn_accepts_every_partition(partition):
    arn = (
        f"arn:{partition}:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/AB12"
    )
    assert accepts("oidc_provider_arn", arn)


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:iam::123456789012:oidc-provider/*",
        "arn:aws:iam::123456789012:role/oidc",
        "oidc.eks.us-east-1.amazonaws.com/id/AB12",
    ],
)
def test_oidc_provider_arn_rejects_other_values(value):
    assert problems("oidc_provider_arn", "provider", value)


@pytest.mark.parametrize("partition", PARTITIONS)
@pytest.mark.parametrize("suffix", ["", ":*"])
def test_log_group_arn_accepts_every_partition(partition, suffix):
    arn = f"arn:{partition}:logs:us-east-1:123456789012:log-group:/ecs/ducklake{suffix}"
    assert accepts("log_group_arn", arn)


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:logs:us-east-1:123456789012:log-group:*",
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/*",
        "arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app:log-stream:x",
        "/ecs/app",
    ],
)
def test_log_group_arn_rejects_wildcards_and_names(value):
    assert problems("log_group_arn", "log_group", value)


# -- ExternalId and IAM names ---------------------------------------------------------


@pytest.mark.parametrize("value", ["ab", "x" * 1224, "tenant_4711+=,.@:/-"])
def test_external_id_accepts_2_to_1224_allowed_characters(value):
    assert accepts("external_id", value)


@pytest.mark.parametrize("value", ["a", "x" * 1225, "has space", "t\u00e9nant", "tenant\n", 4711])
def test_external_id_rejects_length_and_charset(value):
    assert problems("external_id", "external_id", value) == [
        f"external_id={value!r} is invalid: expected 2-1224 characters of letters, "
        "digits and +=,.@:/-"
    ]


# -- Redshift database users ----------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:redshift:us-east-1:123456789012:dbuser:analytics/risingwave",
        "arn:aws-cn:redshift:cn-north-1:123456789012:dbuser:c-1/rw_sink.user@corp",
        "arn:aws:redshift:eu-west-1:123456789012:dbuser:"
        "serverless-123456789012-0a1b2c3d-4e5f-6789-abcd-ef0123456789/rw",
    ],
)
def test_redshift_dbuser_arn_accepts_provisioned_and_serverless_users(value):
    assert accepts("redshift_dbuser_arn", value)


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:redshift:us-east-1:123456789012:cluster:analytics",
        "arn:aws:redshift:us-east-1:123456789012:dbuser:analytics/*",
        "arn:aws:redshift:us-east-1:123456789012:dbuser:Analytics/rw",
        "arn:aws:redshift:us-east-1:12345678901:dbuser:analytics/rw",
        "arn:aws:redshift:us-east-1:123456789012:dbuser:analytics/r$w",
        "arn:aws-iso:redshift:us-east-1:123456789012:dbuser:analytics/rw",
        "arn:aws:redshift:us-east-1:123456789012:dbuser:analytics/rw\n",
    ],
)
def test_redshift_dbuser_arn_rejects_other_arns_wildcards_and_odd_users(value):
    assert problems("redshift_dbuser_arn", "users[0]", value) == [
        f"users[0]={value!r} is invalid: expected a Redshift database user ARN such as "
        "arn:aws:redshift:us-east-1:123456789012:dbuser:my-cluster/risingwave (partition one "
        "of aws, aws-cn, aws-us-gov; the user of letters, digits and _+=,.@-, as "
        "sts:ExternalId carries it)"
    ]


@pytest.mark.parametrize(
    ("kind", "max_length"),
    [("role", 64), ("user", 64), ("group", 128), ("policy", 128), ("instance profile", 128)],
)
def test_iam_name_length_and_charset(kind, max_length):
    # GIVEN the IAM quota for this kind of name (role and user 64, the others 128)
    assert accepts("iam_name", "a" * max_length, max_length=max_length), kind
    assert accepts("iam_name", "Name_+=,.@-1", max_length=max_length)
    for bad in ("a" * (max_length + 1), "", "has space", "sl/ash", "n\u00e4me", "name\n"):
        assert problems("iam_name", "name", bad, max_length=max_length) == [
            f"name={bad!r} is invalid: expected 1-{max_length} characters of letters, "
            "digits and +=,.@_-"
        ]


def test_sid_is_alphanumeric():
    assert accepts("sid", "S3Data2")
    for bad in ("S3-Data", "", "S3 Data", "Sid\n"):
        assert problems("sid", "name", bad)


# -- prefixes: normalised, never a pattern --------------------------------------------


@pytest.mark.parametrize(
    ("value", "normal"),
    [
        ("raw/orders", "raw/orders"),
        ("/raw/orders/", "raw/orders"),
        ("raw/orders/", "raw/orders"),
        ("///raw///", "raw"),
        ("raw/2024-01-01/part=1", "raw/2024-01-01/part=1"),
        ("daten/\u00fcbersicht", "daten/\u00fcbersicht"),  # S3 keys are UTF-8
        ("runs/(2024)/[eu]", "runs/(2024)/[eu]"),  # brackets in pairs
        (None, None),
    ],
)
def test_prefix_drops_leading_and_trailing_slashes(value, normal):
    check = PropsCheck("Owner")
    assert check.prefix("prefix", value) == normal
    assert check.problems == []


@pytest.mark.parametrize(
    "value",
    [
        "*",
        "raw/*",
        "raw?",
        "..",
        "a/../b",
        "./a",
        "a//b",
        "/",
        "",
        "tab\there",
        "nul\x00",
        "del\x7f",
        "new\nline",
        "home/${aws:username}",  # IAM expands policy variables in resources and s3:prefix
        "runs/(2024",  # unbalanced: aws-cdk-lib rejects the cdk-nag acknowledgment ID
        "runs/2024)",
        "runs/[eu)",
        "x" * 1001,
        42,
    ],
)
def test_prefix_rejects_patterns_dots_control_characters_and_variables(value):
    check = PropsCheck("Owner")
    assert check.prefix("prefix", value) is None
    (problem,) = check.problems
    assert problem.startswith(f"prefix={value!r} is invalid: expected an S3 key prefix")


# -- Kubernetes, Glue, region ---------------------------------------------------------


@pytest.mark.parametrize("value", ["ducklake", "a", "team-1", "n" * 63])
def test_k8s_namespace_is_a_dns1123_label(value):
    assert accepts("k8s_namespace", value)


@pytest.mark.parametrize("value", ["Ducklake", "-a", "a-", "a.b", "n" * 64, "a_b", "ns\n", ""])
def test_k8s_namespace_rejects_non_labels(value):
    assert problems("k8s_namespace", "namespace", value)


@pytest.mark.parametrize("value", ["ducklake", "a.b-c.d", "s" * 253])
def test_k8s_service_account_is_a_dns1123_subdomain(value):
    assert accepts("k8s_service_account", value)


@pytest.mark.parametrize("value", ["Sa", "a..b", ".a", "a.", "s" * 254, "sa\n", "a_b", ""])
def test_k8s_service_account_rejects_non_subdomains(value):
    assert problems("k8s_service_account", "service_account", value)


@pytest.mark.parametrize("kind", ["database", "table"])
def test_glue_names_are_lowercase_without_pattern_characters(kind):
    assert accepts("glue_name", "sales_2024-eu", kind=kind)
    assert accepts("glue_name", "g" * 255, kind=kind)
    for bad in ("Sales", "sales*", "sal?s", "db/table", "g" * 256, "", "db\n", "db.t"):
        (problem,) = problems("glue_name", "database", bad, kind=kind)
        assert f"expected a Glue {kind} name" in problem


def test_glue_connection_name():
    assert accepts("glue_connection_name", "jdbc.Conn_1+=@-")
    for bad in ("conn*", "a/b", "", "c" * 256):
        assert problems("glue_connection_name", "connection", bad)


@pytest.mark.parametrize("value", ["us-east-1", "cn-north-1", "us-gov-west-1", "eu-central-2"])
def test_aws_region_accepts_region_codes(value):
    assert accepts("aws_region", value)


@pytest.mark.parametrize("value", ["us-east", "US-EAST-1", "useast1", "us-east-1\n", "*"])
def test_aws_region_rejects_other_values(value):
    assert problems("aws_region", "region", value)


def test_iam_description_is_latin1_printable_up_to_1000_characters():
    assert accepts("iam_description", "Daten f\u00fcr Analytics\n\tline 2")
    assert accepts("iam_description", "d" * 1000)
    for bad in ("d" * 1001, "\u65e5\u672c", "bell\x07", 7):
        (problem,) = problems("iam_description", "description", bad)
        assert "IAM's pattern for a role description" in problem


def test_iam_description_helper_makes_any_text_acceptable():
    text = iam_description("access to lake/\u65e5\u672c/" + "x" * 2000)
    assert text.startswith("access to lake/??/") and len(text) == 1000
    assert accepts("iam_description", text)


# -- actions --------------------------------------------------------------------------


def test_actions_must_be_exact_and_known():
    known = ["s3:GetObject", "s3:PutObject"]
    assert problems("actions", "actions", ["s3:GetObject"], known) == []
    assert problems("actions", "actions", ["s3:Get*", "s3:GetObjec?", "s3:Nope", 7], known) == [
        "actions='s3:Get*' is invalid: expected an exact IAM action; wildcards are never granted",
        "actions='s3:GetObjec?' is invalid: expected an exact IAM action; wildcards are never "
        "granted",
        "actions='s3:Nope' is invalid: expected one of s3:GetObject, s3:PutObject",
        "actions=7 is invalid: expected an exact IAM action string such as 's3:GetObject'",
    ]


@pytest.mark.parametrize("value", ["s3:GetObject", [], (), None, {"s3:GetObject": 1}])
def test_action_list_must_be_a_non_empty_list_tuple_or_set(value):
    assert problems("action_list", "actions", value, ["s3:GetObject"], service="S3") == [
        f"actions={value!r} is invalid: expected a non-empty sequence of S3 actions"
    ]


def test_action_list_checks_each_action():
    known = ["s3:GetObject"]
    assert problems("action_list", "actions", ("s3:GetObject",), known, service="S3") == []
    assert problems("action_list", "actions", {"s3:*"}, known, service="S3") == [
        "actions='s3:*' is invalid: expected an exact IAM action; wildcards are never granted"
    ]


# -- types and related props ----------------------------------------------------------


def test_boolean_rejects_truthy_strings():
    assert accepts("boolean", False)
    assert problems("boolean", "require_external_id", "false") == [
        "require_external_id='false' is invalid: expected True or False"
    ]


def test_int_range_rejects_bools_strings_and_out_of_range():
    assert accepts("int_range", 10, low=10, high=20)
    for bad in (9, 21, "10", True, 10.0):
        assert problems("int_range", "quota", bad, low=10, high=20) == [
            f"quota={bad!r} is invalid: expected an integer from 10 to 20"
        ]


def test_one_of_lists_the_choices():
    assert accepts("one_of", "a", choices=("a", "b"))
    assert problems("one_of", "form", "c", ("a", "b")) == [
        "form='c' is invalid: expected one of 'a', 'b'"
    ]


def test_sequence_of_names_each_bad_item():
    assert problems("sequence_of", "grants", [1, "x"], int, "int") == [
        "grants[1]='x' is invalid: expected int"
    ]
    assert problems("sequence_of", "grants", "abc", str, "str") == [
        "grants='abc' is invalid: expected a list of str"
    ]


def test_exclusive_props():
    check = PropsCheck("Owner")
    check.exclusive({"a": None, "b": 2}, why="pick one")
    assert check.problems == []
    check.exclusive({"a": 1, "b": 2}, why="pick one")
    assert check.problems == [
        "a and b={'a': 1, 'b': 2} is invalid: expected at most one of a, b: pick one"
    ]


def test_required_together_props():
    check = PropsCheck("Owner")
    check.required_together({"a": None, "b": None}, why="both or neither")
    check.required_together({"a": 1, "b": 2}, why="both or neither")
    assert check.problems == []
    check.required_together({"a": 1, "b": None}, why="both or neither")
    assert check.problems == [
        "a={'a': 1} is invalid: expected a, b together (b missing): both or neither"
    ]


# -- tokens pass through every rule ---------------------------------------------------

NOT_VALUE_RULES = frozenset(
    {
        "partitions",
        "add",
        "raise_if_any",
        "actions",
        "action_list",
        "boolean",
        "int_range",
        "one_of",
        "instance_of",
        "sequence_of",
        "exclusive",
        "required_together",
        "keep_deferred",
    }
)
"""Public PropsCheck methods that do not take one string value (tested above)."""
RULE_KWARGS: dict[str, dict[str, Any]] = {
    "iam_name": {"max_length": 64},
    "partition_of": {"partition": "aws-cn", "region": "cn-north-1"},
}
TOKEN_FORM_RULES = frozenset(
    {"s3_bucket", "secret", "log_group", "ecr_repository", "oidc_provider"}
)
"""Rules of props that take several string forms (a name or an ARN, ...): a token is
accepted only when its form can be told (tests/unit/test_token_forms.py)."""
# Every other public method is a value rule, including ones appended to PropsCheck
# later: each must accept tokens.
VALUE_RULES = sorted(
    name
    for name, member in vars(PropsCheck).items()
    if callable(member)
    and not name.startswith("_")
    and name not in NOT_VALUE_RULES | TOKEN_FORM_RULES
)


@pytest.mark.parametrize("rule", VALUE_RULES)
def test_an_unresolved_token_alone_is_accepted(token, rule):
    kwargs = RULE_KWARGS.get(rule, {})
    parameters = list(inspect.signature(getattr(PropsCheck, rule)).parameters.values())
    required = [
        p.name
        for p in parameters[3:]  # after self, prop, value
        if p.default is p.empty and p.name not in kwargs and p.kind is not p.VAR_KEYWORD
    ]
    if required:
        pytest.skip(f"PropsCheck.{rule} also needs {required}; add them to RULE_KWARGS")
    # GIVEN a token alone (the literal text beside a token is checked:
    # tests/unit/test_never_wider.py)
    assert is_token(token)
    assert problems(rule, "prop", token, **kwargs) == []


def test_a_token_prefix_is_returned_without_its_outer_slashes(token):
    assert PropsCheck("Owner").prefix("prefix", f"/{token}/") == token


# -- every building block reports all problems, naming itself -------------------------

ROLE = "arn:aws:iam::222222222222:role/vendor"
KEY = f"arn:aws:kms:us-east-1:111111111111:key/{KEY_ID}"


def error_of(build) -> str:
    with pytest.raises(ValueError) as error:
        build()
    return str(error.value)


def assert_reports(message: str, owner: str, *props: str) -> None:
    assert message.startswith(f"{owner}: invalid properties:\n"), message
    reported = [re.match(r"  - (.+?)=", line).group(1) for line in message.splitlines()[1:]]
    assert reported == list(props), message


DATA_OBJECTS = [
    (
        lambda: S3Location(bucket="Bad_Bucket", prefix="raw/*"),
        "S3Location",
        ("bucket", "prefix"),
    ),
    (
        lambda: S3Grant(location="bucket", actions="s3:GetObject", name="bad-name"),
        "S3Grant",
        ("location", "actions", "name"),
    ),
    (
        lambda: S3Grant(location=S3Location(bucket="data"), actions=["s3:*", "s3:Nope"]),
        "S3Grant",
        ("actions", "actions"),
    ),
    (
        lambda: SseKmsGrant(
            key="arn:aws:kms:us-east-1:111111111111:alias/lake",
            read="yes",
            write=False,
            name="Sse-Kms",
            locations=["s3://data"],
            region="eu-west-1a",
        ),
        "SseKmsGrant",
        ("key", "read", "name", "locations[0]", "region"),
    ),
    (lambda: SseKmsGrant(key=KEY, read=False), "SseKmsGrant", ("read/write",)),
    (
        lambda: CrossAccountTrust(role_arn="arn:aws:iam::222222222222:root", external_id="x"),
        "CrossAccountTrust",
        ("role_arn", "external_id"),
    ),
    (lambda: CrossAccountTrust(role_arn=ROLE), "CrossAccountTrust", ("external_id",)),
    (
        lambda: CrossAccountTrust(role_arn=ROLE, require_external_id="no"),
        "CrossAccountTrust",
        ("require_external_id", "external_id"),
    ),
    (
        lambda: EcsTaskTrust(account="1234", region="mars-1", confused_deputy_protection=1),
        "EcsTaskTrust",
        ("account", "region", "confused_deputy_protection"),
    ),
    (
        lambda: EcsTaskTrust(account="111111111111", confused_deputy_protection=False),
        "EcsTaskTrust",
        ("account/region and confused_deputy_protection",),
    ),
    (
        lambda: Ec2InstanceTrust(instance_profile_name="has space"),
        "Ec2InstanceTrust",
        ("instance_profile_name",),
    ),
    (
        lambda: RoleTrust(role="arn:aws:iam::111111111111:role/*", external_id="x", grant_assume=0),
        "RoleTrust",
        ("role", "external_id", "grant_assume"),
    ),
]


@pytest.mark.parametrize(("build", "owner", "props"), DATA_OBJECTS)
def test_data_objects_name_their_class_and_every_bad_prop(build, owner, props):
    assert_reports(error_of(build), owner, *props)


@pytest.fixture
def stack() -> cdk.Stack:
    return cdk.Stack(make_app(), "Stack")


def iam_resources(stack: cdk.Stack) -> list[str]:
    """CloudFormation IAM resources created in ``stack`` so far (none after a bad prop)."""
    return [
        c.cfn_resource_type
        for c in stack.node.find_all()
        if isinstance(c, cdk.CfnResource) and c.cfn_resource_type.startswith("AWS::IAM::")
    ]


def test_data_access_role_names_its_path_and_every_bad_prop(stack):
    message = error_of(
        lambda: DataAccessRole(
            stack,
            "Role",
            trust="ecs",
            grants=[S3Grant(location=S3Location(bucket="data"), actions=S3Grant.READ), "x"],
            role_name="bad name",
            description=7,
            permissions_boundary="arn:aws:iam::aws:policy/Boundary",
            max_session_duration=cdk.Duration.hours(13),
            managed_policy_quota="10",
            trust_policy_quota=1024,
        )
    )
    assert_reports(
        message,
        "DataAccessRole at Stack/Role",
        "trust",
        "grants[1]",
        "role_name",
        "description",
        "permissions_boundary",
        "max_session_duration",
        "managed_policy_quota",
        "trust_policy_quota",
    )
    assert "max_session_duration='46800 seconds'" in message
    assert iam_resources(stack) == []


def test_data_access_role_rejects_a_policy_name_over_128_characters(stack):
    long_name = "N" * 70
    message = error_of(
        lambda: DataAccessRole(
            stack,
            "Role",
            trust=Ec2InstanceTrust(),
            role_name="r" * 64,
            grants=[
                S3Grant(location=S3Location(bucket="data"), actions=S3Grant.READ, name=long_name)
            ],
        )
    )
    assert "role_name + '-' + grant name=" in message and "1-128 characters" in message


def test_data_access_user_names_its_path_and_every_bad_prop(stack):
    message = error_of(
        lambda: DataAccessUser(
            stack,
            "User",
            grants="S3Grant",
            user_name="u" * 65,
            group_name="bad/group",
            create_access_key=False,
            secret_key=SimpleNamespace(key_arn="arn", alias_name="alias/x"),
        )
    )
    assert_reports(
        message,
        "DataAccessUser at Stack/User",
        "grants",
        "user_name",
        "group_name",
        "secret_key",
        "secret_key and create_access_key",
    )
    assert iam_resources(stack) == []


def test_data_access_user_secret_key_needs_an_access_key(stack):
    key = SimpleNamespace(key_arn="arn")
    message = error_of(
        lambda: DataAccessUser(stack, "User", grants=[], create_access_key=False, secret_key=key)
    )
    assert "expected at most one of secret_key, create_access_key=False" in message


def test_risingwave_role_names_its_path_and_every_bad_prop(stack):
    message = error_of(
        lambda: RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn="arn:aws:iam::222222222222:root",
            bucket="arn:aws:s3:::data/raw",
            prefix="../raw",
            external_id="!",
            kms_key="arn:aws:kms:us-east-1:111111111111:alias/lake",
            role_name="x" * 65,
            permissions_boundary=42,
            redshift_database_users=["arn:aws:redshift:us-east-1:1:dbuser:c/u"],
        )
    )
    assert_reports(
        message,
        "RisingWaveAccess at Stack/RisingWave",
        "workload_identity_role_arn",
        "bucket",
        "prefix",
        "external_id",
        "kms_key",
        "role_name",
        "permissions_boundary",
        "redshift_database_users[0]",
    )
    assert iam_resources(stack) == []


def test_risingwave_sql_with_clause_checks_its_arguments(stack):
    role = RisingWaveAccess(stack, "RisingWave", workload_identity_role_arn=ROLE, bucket="data")
    assert_reports(
        error_of(lambda: role.sql_with_clause(form="access_key", region="us-east")),
        "RisingWaveAccess at Stack/RisingWave: sql_with_clause",
        "form",
        "region",
    )


def test_constructs_accept_tokens_for_every_string_prop(stack, token):
    # GIVEN tokens for every string prop WHEN the constructs are built THEN nothing raises
    key = cdk.Token.as_string(cdk.Fn.ref("KeyArn"))
    RisingWaveAccess(
        stack,
        "RisingWave",
        workload_identity_role_arn=token,
        bucket=f"lake-{token}",  # a name: a token alone could be a name or an ARN
        prefix=token,
        kms_key=key,
        role_name=token,
        redshift_database_users=[token],
    )
    DataAccessRole(
        stack,
        "Role",
        trust=RoleTrust(role=token, external_id=token),
        role_name=token,
        grants=[
            S3Grant(
                location=S3Location(bucket=f"arn:aws:s3:::{token}"), actions=S3Grant.LIST, name="S3"
            ),
            SseKmsGrant(key=key, region=cdk.Aws.REGION),
        ],
    )
    DataAccessRole(
        stack,
        "Ecs",
        trust=EcsTaskTrust(account=cdk.Aws.ACCOUNT_ID, region=cdk.Aws.REGION),
    )
    DataAccessUser(stack, "User", grants=[], user_name=token, group_name=token)
    assert iam_resources(stack).count("AWS::IAM::Role") == 3
