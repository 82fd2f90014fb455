"""How the report renders CloudFormation values and names resource scopes."""

from __future__ import annotations

import pytest

from lakehouse_iam.report.intrinsics import IntrinsicRenderer, readable_names
from lakehouse_iam.report.scope import describe

BUCKET_ARN = {"Fn::GetAtt": ["DataBucketE6B0FAA8", "Arn"]}
RESOURCES = {
    "DataBucketE6B0FAA8": {"Type": "AWS::S3::Bucket"},
    "DataKey5F086070": {"Type": "AWS::KMS::Key"},
    "QueueABCDEF12": {"Type": "AWS::SQS::Queue"},
}


def test_cdk_hash_suffix_is_dropped_only_when_the_short_name_stays_unique():
    names = readable_names(["DataBucketE6B0FAA8", "LogsAAAAAAAA", "LogsBBBBBBBB", "Plain", "Key"])
    assert names["DataBucketE6B0FAA8"] == "DataBucket"
    # GIVEN two IDs that would both shorten to "Logs" THEN both keep their full ID
    assert (names["LogsAAAAAAAA"], names["LogsBBBBBBBB"]) == ("LogsAAAAAAAA", "LogsBBBBBBBB")
    assert names["Plain"] == "Plain"
    # AND an ID that would collide with another full ID keeps its hash
    assert readable_names(["Key", "KeyDEADBEEF"])["KeyDEADBEEF"] == "KeyDEADBEEF"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        ({"Fn::Join": ["", [BUCKET_ARN, "/raw/*"]]}, "<DataBucket.Arn>/raw/*"),
        ({"Fn::GetAtt": "DataBucketE6B0FAA8.Arn"}, "<DataBucket.Arn>"),
        ({"Ref": "AWS::Region"}, "<AWS::Region>"),
        (
            {"Fn::Sub": "arn:${AWS::Partition}:s3:::${Name}/${DataBucketE6B0FAA8.Arn}/${!Lit}"},
            "arn:<AWS::Partition>:s3:::<Name>/<DataBucket.Arn>/${Lit}",
        ),
        ({"Fn::Sub": ["${B}/x", {"B": {"Ref": "DataBucketE6B0FAA8"}}]}, "<DataBucket>/x"),
        ({"Fn::ImportValue": "Shared:BucketArn"}, "<import Shared:BucketArn>"),
        ({"Fn::If": ["IsProd", "a", "b"]}, "<if IsProd: a | b>"),
        ({"Fn::Unknown": [1]}, '{"Fn::Unknown":[1]}'),
        (True, "true"),
    ],
)
def test_intrinsics_render_as_readable_text(value, text):
    renderer = IntrinsicRenderer(readable_names(RESOURCES))
    assert renderer.render(value) == text


@pytest.mark.parametrize(
    ("raw", "scope"),
    [
        ("*", "any resource"),
        (BUCKET_ARN, "bucket"),
        ({"Fn::Join": ["", [BUCKET_ARN, "/raw/orders/*"]]}, "objects under raw/orders/"),
        ({"Fn::Join": ["", [BUCKET_ARN, "/*"]]}, "every object in the bucket"),
        ({"Fn::GetAtt": ["DataKey5F086070", "Arn"]}, "KMS key"),
        ({"Fn::GetAtt": ["QueueABCDEF12", "Arn"]}, "SQS Queue"),
        ("arn:aws:s3:::lake", "bucket"),
        ("arn:aws:s3:::lake/raw/*", "objects under raw/"),
        ("arn:aws:kms:us-east-1:111111111111:key/abc", "KMS key"),
        ("arn:<AWS::Partition>:glue:<AWS::Region>:<AWS::AccountId>:catalog", "Glue Data Catalog"),
        ("arn:aws:glue:us-east-1:111111111111:database/sales", "Glue database sales"),
        ("arn:aws:glue:us-east-1:111111111111:database/*", "every Glue database"),
        ("arn:aws:glue:us-east-1:111111111111:table/sales/orders", "Glue table sales.orders"),
        ("arn:aws:glue:us-east-1:111111111111:table/sales/*", "every Glue table in sales"),
        ("arn:aws:secretsmanager:us-east-1:111111111111:secret:app-AbCdEf", "secret"),
        ("arn:aws:logs:us-east-1:111111111111:log-group:/app:*", "log group"),
        ("arn:aws:iam::111111111111:role/reader", "IAM role"),
    ],
)
def test_scope_says_what_a_resource_covers(raw, scope):
    rendered = IntrinsicRenderer(readable_names(RESOURCES)).render(raw)
    assert describe(raw, rendered, RESOURCES) == scope
