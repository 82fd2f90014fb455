"""RisingWaveAccess: the vendor's actions, correctly placed, trusting one exact role."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import RisingWaveAccess
from lakehouse_iam.vendors.risingwave import catalog as catalog
from tests.helpers import (
    all_statements,
    as_list,
    make_app,
    statement,
    template_of,
    trust_statements,
)

WORKLOAD = "arn:aws:iam::222222222222:role/risingwave-workload-identity"
BUCKET_ARN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::lake-bucket"]]}
DBUSER = "arn:aws:redshift:eu-west-1:111111111111:dbuser:analytics/risingwave"


def render(**kwargs):
    props = {"workload_identity_role_arn": WORKLOAD, "bucket": "lake-bucket", "prefix": "rw"}
    props.update(kwargs)
    holder = {}

    def build(stack: cdk.Stack) -> None:
        holder["role"] = RisingWaveAccess(stack, "RisingWave", **props)

    return template_of(build), holder["role"]


def clause(access: RisingWaveAccess, form: str, region: str | None = "eu-west-1") -> str:
    """``sql_with_clause`` resolved, the role ARN token shown as ``<role>``."""
    resolved = cdk.Stack.of(access).resolve(access.sql_with_clause(form=form, region=region))
    if isinstance(resolved, str):
        return resolved
    return "".join(p if isinstance(p, str) else "<role>" for p in resolved["Fn::Join"][1])


# Written out, not read from the catalog: adding an action to the catalog must fail a test.
RISINGWAVE_S3_ACTIONS = {
    "s3:DeleteObject",
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:PutObject",
}


def test_object_actions_on_prefix_objects():
    template, _ = render()
    s = statement(template, "S3DataObjects")
    assert s["Action"] == ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    assert s["Resource"] == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::lake-bucket/rw/*"]]
    }


def test_list_bucket_conditioned_on_prefix_and_get_bucket_location_unconditioned():
    # GIVEN the vendor page's deviation: GetBucketLocation under s3:prefix is denied by AWS
    template, _ = render()
    listing = statement(template, "S3DataList")
    # ... and the bare prefix: RisingWave's sinks validate by listing s3.path as written
    assert listing == {
        "Action": "s3:ListBucket",
        "Condition": {"StringLike": {"s3:prefix": ["rw", "rw/", "rw/*"]}},
        "Effect": "Allow",
        "Resource": BUCKET_ARN,
        "Sid": "S3DataList",
    }
    location = statement(template, "S3DataBucket")
    assert location == {
        "Action": "s3:GetBucketLocation",
        "Effect": "Allow",
        "Resource": BUCKET_ARN,
        "Sid": "S3DataBucket",
    }


def test_exactly_the_catalog_actions_and_nothing_else():
    template, _ = render()
    granted = {a for s in all_statements(template) for a in as_list(s["Action"])}
    assert granted == RISINGWAVE_S3_ACTIONS


def test_trust_is_the_exact_workload_identity_role():
    template, _ = render()
    assert trust_statements(template) == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": WORKLOAD}}
    ]


@pytest.mark.parametrize("external_id", ["rw-project-7", "", "x"])
def test_an_external_id_is_refused_because_risingwave_never_sends_one(external_id):
    # GIVEN any ExternalId, even a well-formed one WHEN the role is built
    app = make_app()
    stack = cdk.Stack(app, "Test")
    with pytest.raises(ValueError) as error:
        RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn=WORKLOAD,
            bucket="lake-bucket",
            external_id=external_id,
        )
    # THEN the error names the property, the value and why nothing but None is accepted
    message = str(error.value)
    assert message.startswith("RisingWaveAccess at Test/RisingWave: invalid properties:\n")
    assert f"external_id={external_id!r} is invalid: expected None: " in message
    for reason in (
        "S3 source, file sink, Snowflake/Redshift staging and Iceberg connector never send "
        "sts:ExternalId",
        "could never be assumed",
        "the exact workload-identity role ARN is the guard",
        "aws.credentials.role.external_id (Kinesis, MSK, DynamoDB)",
    ):
        assert reason in message
    # AND no role was created
    assert not [c for c in stack.node.find_all() if isinstance(c, cdk.CfnResource)]


def test_kms_key_adds_read_write_via_s3():
    key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    template, _ = render(kms_key=key)
    s = statement(template, "SseKmsViaS3")
    assert s["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert s["Resource"] == key


def test_bad_workload_identity_is_rejected():
    with pytest.raises(ValueError, match="role_arn="):
        render(workload_identity_role_arn="arn:aws:iam::222222222222:root")


# -- sql_with_clause ---------------------------------------------------------------------


def test_sink_form_names_the_bucket_region_path_and_role():
    _, access = render()
    assert clause(access, "sink") == (
        "s3.bucket_name = 'lake-bucket', s3.region_name = 'eu-west-1', s3.path = 'rw', "
        "s3.assume_role = '<role>', enable_config_load = 'true'"
    )


def test_source_form_matches_only_under_the_prefix():
    _, access = render(prefix="/streams/rw/")
    assert clause(access, "source") == (
        "s3.bucket_name = 'lake-bucket', s3.region_name = 'eu-west-1', "
        "match_pattern = 'streams/rw/*', s3.assume_role = '<role>', enable_config_load = 'true'"
    )


def test_iceberg_form_sets_the_warehouse_under_the_prefix():
    _, access = render()
    text = clause(access, "iceberg")
    assert text == (
        "warehouse.path = 's3://lake-bucket/rw', s3.region = 'eu-west-1', "
        "s3.iam_role_arn = '<role>', enable_config_load = 'true'"
    )
    # AND no catalog type: the built-in storage catalog ignores s3.iam_role_arn
    assert "catalog.type" not in text


def test_the_default_form_is_the_sink_and_the_old_names_are_aliases():
    _, access = render()
    assert clause(access, "assume_role") == clause(access, "sink")
    assert clause(access, "iam_role_arn") == clause(access, "iceberg")
    resolve = cdk.Stack.of(access).resolve
    assert resolve(access.sql_with_clause(region="eu-west-1")) == resolve(
        access.sql_with_clause(form="sink", region="eu-west-1")
    )


def test_the_region_defaults_to_the_stacks():
    _, access = render()
    resolved = cdk.Stack.of(access).resolve(access.sql_with_clause(form="source"))
    assert {"Ref": "AWS::Region"} in resolved["Fn::Join"][1]


@pytest.mark.parametrize("form", ["sink", "source", "iceberg"])
def test_no_form_points_outside_the_prefix(form):
    # GIVEN a prefix WHEN any form is rendered THEN every location option is under it
    _, access = render(prefix="streams/rw")
    text = clause(access, form)
    for option in ("s3.path = '", "match_pattern = '", "warehouse.path = 's3://lake-bucket/"):
        if option in text:
            value = text.split(option, 1)[1].split("'", 1)[0]
            assert value.startswith("streams/rw"), (option, value)
    assert any(o in text for o in ("s3.path", "match_pattern", "warehouse.path"))


def test_whole_bucket_forms_have_no_prefix_option():
    _, access = render(prefix=None)
    assert clause(access, "sink") == (
        "s3.bucket_name = 'lake-bucket', s3.region_name = 'eu-west-1', "
        "s3.assume_role = '<role>', enable_config_load = 'true'"
    )
    assert clause(access, "source") == clause(access, "sink")
    assert clause(access, "iceberg") == (
        "warehouse.path = 's3://lake-bucket', s3.region = 'eu-west-1', "
        "s3.iam_role_arn = '<role>', enable_config_load = 'true'"
    )


def test_a_quote_in_the_prefix_is_doubled():
    _, access = render(prefix="o'brien/rw")
    assert "s3.path = 'o''brien/rw'" in clause(access, "sink")
    assert "match_pattern = 'o''brien/rw/*'" in clause(access, "source")
    assert "warehouse.path = 's3://lake-bucket/o''brien/rw'" in clause(access, "iceberg")


def test_a_prefix_parameter_is_escaped_by_cloudformation():
    # GIVEN the prefix as a template parameter (a token) WHEN rendered THEN the quote
    # doubling is CloudFormation's: Fn::Join "''" over Fn::Split "'"
    def build(stack: cdk.Stack) -> None:
        prefix = cdk.CfnParameter(stack, "Prefix").value_as_string
        access = RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn=WORKLOAD,
            bucket="lake-bucket",
            prefix=prefix,
        )
        parts = stack.resolve(access.sql_with_clause(form="sink"))["Fn::Join"][1]
        assert {"Fn::Join": ["''", {"Fn::Split": ["'", {"Ref": "Prefix"}]}]} in parts

    template_of(build)


@pytest.mark.parametrize("prefix", ["logs/[2026]", "a{b}", "back\\slash"])
def test_source_form_refuses_a_prefix_the_glob_would_misread(prefix):
    _, access = render(prefix=prefix)
    with pytest.raises(ValueError) as error:
        access.sql_with_clause(form="source")
    message = str(error.value)
    assert message.startswith("RisingWaveAccess at Test/RisingWave: sql_with_clause: invalid")
    assert f"prefix={prefix!r} is invalid: expected a prefix without '['" in message
    # AND the other forms still render it
    assert "s3.path" in clause(access, "sink")


@pytest.mark.parametrize("prefix", ["with space", "a#b", "100%", "caf\u00e9"])
def test_iceberg_form_refuses_a_prefix_a_url_would_change(prefix):
    _, access = render(prefix=prefix)
    with pytest.raises(ValueError, match=r"for form='iceberg': warehouse.path is parsed as a URL"):
        access.sql_with_clause(form="iceberg")
    assert "match_pattern" in clause(access, "source")


def test_a_bad_form_is_refused_with_the_accepted_ones():
    _, access = render()
    with pytest.raises(ValueError) as error:
        access.sql_with_clause(form="access_key")
    assert (
        "form='access_key' is invalid: expected one of 'sink', 'source', 'iceberg', "
        "'assume_role', 'iam_role_arn'"
    ) in str(error.value)


# -- the Redshift COPY trust -------------------------------------------------------------


def test_redshift_is_trusted_only_for_the_named_database_users():
    # GIVEN the Redshift sink's database user WHEN the role is built
    template, _ = render(redshift_database_users=[DBUSER])
    # THEN RisingWave's trust is unchanged and Redshift (provisioned and Serverless) may
    # assume the role only with that user's ARN as sts:ExternalId
    assert trust_statements(template) == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": WORKLOAD}},
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": [DBUSER]}},
            "Effect": "Allow",
            "Principal": {
                "Service": ["redshift-serverless.amazonaws.com", "redshift.amazonaws.com"]
            },
        },
    ]
    # AND the permissions are the same as without Redshift
    granted = {a for s in all_statements(template) for a in as_list(s["Action"])}
    assert granted == RISINGWAVE_S3_ACTIONS


@pytest.mark.parametrize(
    ("users", "expected"),
    [
        ([], "redshift_database_users=[] is invalid: expected at least one"),
        (DBUSER, "redshift_database_users='arn:aws:redshift:"),
        (
            ["arn:aws:redshift:eu-west-1:111111111111:cluster:analytics"],
            "redshift_database_users[0]='arn:aws:redshift:eu-west-1:111111111111:cluster:",
        ),
        (
            [DBUSER, "arn:aws:redshift:eu-west-1:111111111111:dbuser:analytics/*"],
            "redshift_database_users[1]='arn:aws:redshift:eu-west-1:111111111111:dbuser:",
        ),
    ],
)
def test_bad_database_users_are_refused(users, expected):
    with pytest.raises(ValueError) as error:
        render(redshift_database_users=users)
    assert expected in str(error.value)


def test_database_users_may_be_tokens():
    def build(stack: cdk.Stack) -> None:
        users = cdk.CfnParameter(stack, "Users", type="CommaDelimitedList").value_as_list
        RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn=WORKLOAD,
            bucket="lake-bucket",
            redshift_database_users=users,
        )

    (_, redshift) = trust_statements(template_of(build))
    assert redshift["Condition"] == {"StringEquals": {"sts:ExternalId": {"Ref": "Users"}}}
