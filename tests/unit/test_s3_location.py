"""S3Location accepts names, ARNs and buckets, and rejects what would widen a grant."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import S3Location


@pytest.mark.parametrize(
    "bucket",
    [
        "ab",  # too short
        "Upper-Case",
        "has_underscore",
        "-leading-dash",
        "trailing-dash-",
        "double..dot",
        "192.168.1.1",
        "a" * 64,
        "arn:aws:s3:::bucket/with-key",
        "arn:aws:s3:::*",
        "arn:aws-xx:s3:::bucket",
        "",
    ],
)
def test_bad_bucket_is_rejected_naming_the_property(bucket):
    with pytest.raises(ValueError) as error:
        S3Location(bucket=bucket)
    message = str(error.value)
    assert "S3Location" in message and "bucket=" in message and repr(bucket) in message


@pytest.mark.parametrize(
    "prefix", ["*", "raw/*", "raw?", "a/../b", "./a", "a//b", "/", "", "tab\there", "x" * 1001]
)
def test_prefix_that_would_widen_or_confuse_is_rejected(prefix):
    with pytest.raises(ValueError, match="prefix="):
        S3Location(bucket="data-bucket", prefix=prefix)


def test_all_problems_are_reported_together():
    with pytest.raises(ValueError) as error:
        S3Location(bucket="Bad_Bucket", prefix="a/*")
    assert "bucket=" in str(error.value) and "prefix=" in str(error.value)


def test_tokens_pass_through_unvalidated():
    # GIVEN tokens whose form is known: a name built from a token, and a token prefix
    token = cdk.Token.as_string(cdk.Fn.ref("Param"))
    location = S3Location(bucket=f"lake-{token}", prefix=token)
    # THEN the prefix is kept as is and the bucket is taken as a name
    assert location.normalized_prefix == token
    assert location.bucket_name() == f"lake-{token}"


def test_a_token_whose_form_is_unknown_is_rejected_with_the_construct_form_to_pass():
    # GIVEN a CfnParameter-like token: a bucket name or a bucket ARN, nothing tells
    token = cdk.Token.as_string(cdk.Fn.ref("Param"))
    # WHEN it is the bucket THEN the error names the s3.IBucket forms instead of guessing
    with pytest.raises(ValueError, match=r"s3\.Bucket\.from_bucket_name\(scope, id, value\)"):
        S3Location(bucket=token)


def test_listing_prefixes_cover_the_prefix_and_everything_under_it():
    assert S3Location(bucket="data-bucket", prefix="/raw/").list_prefixes() == ["raw/", "raw/*"]
    assert S3Location(bucket="data-bucket").list_prefixes() is None


def test_uri():
    assert S3Location(bucket="data-bucket", prefix="raw").uri() == "s3://data-bucket/raw/"
    assert S3Location(bucket="arn:aws:s3:::data-bucket").uri() == "s3://data-bucket"


def test_a_description_names_a_parameter_bucket_by_its_value_never_its_import_id():
    from aws_cdk import aws_s3 as s3

    from lakehouse_iam import RisingWaveAccess
    from tests.helpers import template_of

    def build(stack: cdk.Stack) -> None:
        # GIVEN a bucket whose name is a CfnParameter, imported as the README shows
        name = cdk.CfnParameter(stack, "LakeBucketName").value_as_string
        bucket = s3.Bucket.from_bucket_name(stack, "ImportedLake", name)
        RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn="arn:aws:iam::222222222222:role/rw",
            bucket=bucket,
            prefix="risingwave",
        )

    template = template_of(build)
    # THEN the role's and the policy's descriptions read the bucket's name as deployed
    (role,) = template.find_resources("AWS::IAM::Role").values()
    (policy,) = template.find_resources("AWS::IAM::ManagedPolicy").values()
    expected = ["", [None, {"Ref": "LakeBucketName"}, "/risingwave"]]
    for description, lead in (
        (role["Properties"]["Description"], "RisingWave Cloud access to "),
        (policy["Properties"]["Description"], "S3 access to "),
    ):
        expected[1][0] = lead
        assert description == {"Fn::Join": expected}
        # AND never the import's construct ID
        assert "ImportedLake" not in str(description)


def test_a_description_of_a_bucket_given_otherwise_is_unchanged():
    # A managed policy's description cannot change without replacing the policy.
    from aws_cdk import aws_s3 as s3

    stack = cdk.Stack(cdk.App(), "S")
    owned = s3.Bucket(stack, "LakeBucket")
    named = s3.Bucket.from_bucket_name(stack, "Named", "lake-data")
    assert S3Location(bucket=owned, prefix="raw").described() == "LakeBucket/raw"
    assert S3Location(bucket=named, prefix="raw").described() == "Named/raw"
    assert S3Location(bucket="lake-data", prefix="raw").described() == "lake-data/raw"
