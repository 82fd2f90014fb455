"""S3Grant renders each action on the resource AWS authorizes it against."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from lakehouse_iam import S3Grant, S3Location
from lakehouse_iam.catalog.s3 import S3_ACTION_SCOPES, S3Scope
from tests.helpers import as_list, statement, template_of

PARTITION = {"Ref": "AWS::Partition"}


def arn(suffix: str) -> dict:
    return {"Fn::Join": ["", ["arn:", PARTITION, f":s3:::{suffix}"]]}


def render(location: S3Location, actions, **kwargs):
    def build(stack: cdk.Stack) -> None:
        from lakehouse_iam import CrossAccountTrust, DataAccessRole

        DataAccessRole(
            stack,
            "Role",
            trust=CrossAccountTrust(
                role_arn="arn:aws:iam::222222222222:role/vendor", external_id="ext-123"
            ),
            grants=[S3Grant(location=location, actions=actions, **kwargs)],
        )

    return template_of(build)


def test_prefixed_location_splits_objects_listing_and_bucket_statements():
    # GIVEN a bucket name with a prefix and read + list + multipart actions
    location = S3Location(bucket="data-bucket", prefix="raw/orders")
    # WHEN rendered
    template = render(location, S3Grant.READ + S3Grant.LIST + S3Grant.MULTIPART)
    # THEN object actions sit on bucket/prefix/*
    objects = statement(template, "S3DataBucketRawOrdersObjects")
    assert objects["Action"] == [
        "s3:AbortMultipartUpload",
        "s3:GetObject",
        "s3:ListMultipartUploadParts",
    ]
    assert objects["Resource"] == arn("data-bucket/raw/orders/*")
    assert "Condition" not in objects
    # AND ListBucket is confined to the prefix and everything under it
    listing = statement(template, "S3DataBucketRawOrdersList")
    assert listing["Action"] == "s3:ListBucket"
    assert listing["Resource"] == arn("data-bucket")
    assert listing["Condition"] == {"StringLike": {"s3:prefix": ["raw/orders/", "raw/orders/*"]}}
    # AND GetBucketLocation / ListBucketMultipartUploads have no s3:prefix condition
    bucket = statement(template, "S3DataBucketRawOrdersBucket")
    assert bucket["Action"] == ["s3:GetBucketLocation", "s3:ListBucketMultipartUploads"]
    assert bucket["Resource"] == arn("data-bucket")
    assert "Condition" not in bucket


def test_whole_bucket_location_lists_without_condition():
    # GIVEN a location without prefix
    template = render(S3Location(bucket="data-bucket"), S3Grant.LIST + S3Grant.WRITE)
    # THEN listing is unconditioned and objects cover the bucket
    assert "Condition" not in statement(template, "S3DataBucketList")
    assert statement(template, "S3DataBucketObjects")["Resource"] == arn("data-bucket/*")


def test_no_bucket_level_action_is_ever_under_a_prefix_condition():
    # GIVEN every known S3 action on a prefixed location
    template = render(S3Location(bucket="b-1", prefix="p"), list(S3_ACTION_SCOPES))
    # THEN only LISTING-scope actions carry s3:prefix
    listing = statement(template, "S3B1PList")
    assert set(as_list(listing["Action"])) == {
        a for a, scope in S3_ACTION_SCOPES.items() if scope is S3Scope.LISTING
    }
    assert "Condition" not in statement(template, "S3B1PBucket")
    assert "Condition" not in statement(template, "S3B1PObjects")


@pytest.mark.parametrize("prefix", ["/raw/orders/", "raw/orders/", "raw/orders"])
def test_prefix_is_normalised(prefix):
    assert S3Location(bucket="data-bucket", prefix=prefix).normalized_prefix == "raw/orders"


def test_bucket_arn_and_ibucket_are_accepted():
    # GIVEN a bucket ARN and an imported IBucket
    by_arn = S3Location(bucket="arn:aws-cn:s3:::cn-bucket", prefix="x")
    template = render(by_arn, S3Grant.READ)
    # THEN the ARN is used verbatim (its partition included)
    assert statement(template, "S3CnBucketXObjects")["Resource"] == "arn:aws-cn:s3:::cn-bucket/x/*"

    def build(stack: cdk.Stack) -> None:
        from lakehouse_iam import CrossAccountTrust, DataAccessRole

        bucket = s3.Bucket(stack, "Lake")
        DataAccessRole(
            stack,
            "Role",
            trust=CrossAccountTrust(role_arn="arn:aws:iam::222222222222:role/v", external_id="xx"),
            grants=[S3Grant(location=S3Location(bucket=bucket, prefix="p"), actions=S3Grant.READ)],
        )

    template = template_of(build)
    resource = statement(template, "S3LakePObjects")["Resource"]
    assert resource["Fn::Join"][1][1] == "/p/*"


@pytest.mark.parametrize(
    "actions, fragment",
    [
        (["s3:*"], "wildcards are never granted"),
        (["s3:Get*"], "wildcards are never granted"),
        (["s3:GetObjekt"], "one of"),
        (["glue:GetTable"], "one of"),
        ([], "non-empty"),
        ("s3:GetObject", "non-empty sequence"),
    ],
)
def test_bad_actions_are_rejected(actions, fragment):
    with pytest.raises(ValueError, match="S3Grant") as error:
        S3Grant(location=S3Location(bucket="data-bucket"), actions=actions)
    assert fragment in str(error.value)
    assert "actions" in str(error.value)


def test_actions_are_sorted_and_deduplicated():
    grant = S3Grant(
        location=S3Location(bucket="data-bucket"),
        actions=["s3:PutObject", "s3:GetObject", "s3:PutObject"],
    )
    assert grant.actions == ("s3:GetObject", "s3:PutObject")


def test_token_bucket_needs_an_explicit_name():
    # GIVEN a bucket name built from a token (its literal start says it is a name)
    token = "lake-" + cdk.Token.as_string(cdk.Fn.ref("BucketParam"))
    # WHEN no name is given THEN the error says to give one
    with pytest.raises(ValueError, match="name"):
        S3Grant(location=S3Location(bucket=token), actions=S3Grant.READ)
    # AND with a name the grant is accepted unvalidated
    assert S3Grant(location=S3Location(bucket=token), actions=S3Grant.READ, name="Lake").sid == (
        "Lake"
    )
