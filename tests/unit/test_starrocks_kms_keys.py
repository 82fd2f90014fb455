"""StarRocks with a customer-managed SSE-KMS key per location (``kms_keys``)."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms

from lakehouse_iam import (
    S3Location,
    SseKmsKey,
    StarRocksInstanceProfileAccess,
    StarRocksPermissions,
)
from tests.unit.test_starrocks import bucket, statements, synth

KEY_A = "arn:aws:kms:eu-west-1:111111111111:key/aaaaaaaa-12ab-34cd-56ef-1234567890ab"
KEY_B = "arn:aws:kms:eu-west-1:111111111111:key/bbbbbbbb-12ab-34cd-56ef-1234567890ab"
RAW = S3Location(bucket="lake-a", prefix="raw/orders")
WHOLE = S3Location(bucket="lake-b")
VIA_S3 = {"kms:ViaService": "s3.eu-west-1.amazonaws.com"}
CONTEXT = "kms:EncryptionContext:aws:s3:arn"


def kms_statements(**kwargs: object) -> dict[str, dict]:
    props: dict = {"locations": [RAW, WHOLE], "s3_region": "eu-west-1", **kwargs}
    template, _ = synth(
        lambda s: StarRocksInstanceProfileAccess(
            s, "StarRocks", permissions=StarRocksPermissions(**props)
        )
    )
    return {sid: s for sid, s in statements(template).items() if sid.startswith("SseKms")}


def test_each_key_is_granted_only_through_s3_for_its_own_bucket():
    # GIVEN two buckets, each encrypted with its own key, read/write
    # WHEN StarRocks' role is synthesized
    found = kms_statements(
        s3_access="read_write",
        kms_keys=[
            SseKmsKey(key=KEY_A, locations=[RAW]),
            SseKmsKey(key=KEY_B, locations=[WHOLE]),
        ],
    )
    # THEN each key is usable only via S3 and only for its own bucket and prefix
    assert found == {
        "SseKmsLakeARawOrdersViaS3": {
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Condition": {
                "StringEquals": VIA_S3,
                "StringLike": {CONTEXT: [bucket("lake-a"), bucket("lake-a", "/raw/orders/*")]},
            },
            "Effect": "Allow",
            "Resource": KEY_A,
            "Sid": "SseKmsLakeARawOrdersViaS3",
        },
        "SseKmsLakeBViaS3": {
            "Action": ["kms:Decrypt", "kms:GenerateDataKey"],
            "Condition": {
                "StringEquals": VIA_S3,
                "StringLike": {CONTEXT: [bucket("lake-b"), bucket("lake-b", "/*")]},
            },
            "Effect": "Allow",
            "Resource": KEY_B,
            "Sid": "SseKmsLakeBViaS3",
        },
    }


def test_a_location_under_no_key_gets_no_kms_permission():
    # GIVEN only the first location is SSE-KMS, batch load
    found = kms_statements(kms_keys=[SseKmsKey(key=KEY_A, locations=[RAW])])
    # THEN one statement: Decrypt on its key, for lake-a/raw/orders only
    assert found == {
        "SseKmsLakeARawOrdersViaS3": {
            "Action": "kms:Decrypt",
            "Condition": {
                "StringEquals": VIA_S3,
                "StringLike": {CONTEXT: [bucket("lake-a"), bucket("lake-a", "/raw/orders/*")]},
            },
            "Effect": "Allow",
            "Resource": KEY_A,
            "Sid": "SseKmsLakeARawOrdersViaS3",
        }
    }


def test_the_single_key_form_is_unchanged():
    # GIVEN today's kms_key (one key for every location)
    found = kms_statements(kms_key=KEY_A)
    # THEN one statement, SseKmsViaS3, for both buckets
    assert list(found) == ["SseKmsViaS3"]
    assert found["SseKmsViaS3"]["Resource"] == KEY_A
    assert found["SseKmsViaS3"]["Condition"]["StringLike"][CONTEXT] == [
        bucket("lake-a"),
        bucket("lake-a", "/raw/orders/*"),
        bucket("lake-b"),
        bucket("lake-b", "/*"),
    ]


def test_an_ikey_per_bucket_and_unnamed_labels_get_indexed_sids():
    # GIVEN keys created in the stack, for buckets whose labels are equal
    app_locations = [S3Location(bucket="lake-a", prefix="x"), S3Location(bucket="lake-a-x")]

    def build(stack: cdk.Stack) -> None:
        keys = [kms.Key(stack, f"Key{i}") for i in range(2)]
        StarRocksInstanceProfileAccess(
            stack,
            "StarRocks",
            permissions=StarRocksPermissions(
                locations=app_locations,
                kms_keys=[
                    SseKmsKey(key=keys[0], locations=[app_locations[0]]),
                    SseKmsKey(key=keys[1], locations=[app_locations[1]]),
                ],
            ),
        )

    template, _ = synth(build)
    found = {sid: s for sid, s in statements(template).items() if sid.startswith("SseKms")}
    # THEN "lake-a/x" and "lake-a-x" both read LakeAX: the Sids take the key's position
    assert {sid: s["Resource"] for sid, s in found.items()} == {
        "SseKms1ViaS3": {
            "Fn::GetAtt": [next(k for k in template["Resources"] if k.startswith("Key0")), "Arn"]
        },
        "SseKms2ViaS3": {
            "Fn::GetAtt": [next(k for k in template["Resources"] if k.startswith("Key1")), "Arn"]
        },
    }


@pytest.mark.parametrize(
    ("props", "message"),
    [
        (
            {"kms_key": KEY_A, "kms_keys": [SseKmsKey(key=KEY_B, locations=[WHOLE])]},
            "kms_keys=.* no kms_keys together with kms_key",
        ),
        (
            {"kms_keys": [SseKmsKey(key=KEY_B, locations=[S3Location(bucket="elsewhere")])]},
            r"kms_keys\[0\]\.locations\[0\]='elsewhere' is invalid: expected one of locations",
        ),
        ({"kms_keys": [KEY_A]}, r"kms_keys\[0\]="),
    ],
)
def test_bad_kms_keys_name_the_property(props, message):
    with pytest.raises(ValueError, match=message):
        StarRocksPermissions(locations=[RAW, WHOLE], **props)


def test_sse_kms_key_needs_a_location_and_a_key_not_an_alias():
    with pytest.raises(ValueError, match=r"locations=\(\) is invalid: expected at least one"):
        SseKmsKey(key=KEY_A, locations=())
    with pytest.raises(ValueError, match="an alias cannot"):
        SseKmsKey(key="arn:aws:kms:eu-west-1:111111111111:alias/lake", locations=[RAW])
