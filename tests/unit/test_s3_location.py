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
