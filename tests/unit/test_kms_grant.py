"""SseKmsGrant: the KMS actions S3 needs, usable only through S3."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms

from lakehouse_iam import CrossAccountTrust, DataAccessRole, S3Location, SseKmsGrant
from tests.helpers import statement, template_of

KEY_ARN = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
VIA_S3 = {"Fn::Join": ["", ["s3.", {"Ref": "AWS::Region"}, ".amazonaws.com"]]}


def render(grant: SseKmsGrant):
    def build(stack: cdk.Stack) -> None:
        DataAccessRole(
            stack,
            "Role",
            trust=CrossAccountTrust(role_arn="arn:aws:iam::222222222222:role/v", external_id="xx"),
            grants=[grant],
        )

    return template_of(build)


def test_read_grants_decrypt_only_via_s3():
    s = statement(render(SseKmsGrant(key=KEY_ARN)), "SseKmsViaS3")
    assert s["Action"] == "kms:Decrypt"
    assert s["Resource"] == KEY_ARN
    assert s["Condition"] == {"StringEquals": {"kms:ViaService": VIA_S3}}


def test_write_grants_generate_data_key_and_decrypt_for_multipart():
    s = statement(render(SseKmsGrant(key=KEY_ARN, read=False, write=True)), "SseKmsViaS3")
    assert s["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]


def test_locations_narrow_the_encryption_context_to_bucket_and_objects():
    # GIVEN a location: S3 uses the object ARN as context, or the bucket ARN with Bucket Keys
    grant = SseKmsGrant(
        key=KEY_ARN.replace("us-east-1", "eu-west-1"),  # S3 uses a key of its own region
        locations=[S3Location(bucket="arn:aws:s3:::data-bucket", prefix="raw")],
        region="eu-west-1",
    )
    s = statement(render(grant), "SseKmsViaS3")
    assert s["Condition"] == {
        "StringEquals": {"kms:ViaService": "s3.eu-west-1.amazonaws.com"},
        "StringLike": {
            "kms:EncryptionContext:aws:s3:arn": [
                "arn:aws:s3:::data-bucket",
                "arn:aws:s3:::data-bucket/raw/*",
            ]
        },
    }


def test_ikey_is_accepted():
    def build(stack: cdk.Stack) -> None:
        key = kms.Key(stack, "Key", enable_key_rotation=True)
        DataAccessRole(
            stack,
            "Role",
            trust=CrossAccountTrust(role_arn="arn:aws:iam::222222222222:role/v", external_id="xx"),
            grants=[SseKmsGrant(key=key)],
        )

    s = statement(template_of(build), "SseKmsViaS3")
    assert s["Resource"] == {"Fn::GetAtt": ["Key961B73FD", "Arn"]}


@pytest.mark.parametrize(
    "key, fragment",
    [
        ("arn:aws:kms:us-east-1:111111111111:alias/my-key", "alias"),
        ("arn:aws:kms:us-east-1:111111111111:key/*", "KMS key ARN"),
        ("1234abcd-12ab-34cd-56ef-1234567890ab", "KMS key ARN"),
    ],
)
def test_bad_key_is_rejected(key, fragment):
    with pytest.raises(ValueError, match="key=") as error:
        SseKmsGrant(key=key)
    assert fragment in str(error.value)


def test_neither_read_nor_write_is_rejected():
    with pytest.raises(ValueError, match="read or write"):
        SseKmsGrant(key=KEY_ARN, read=False, write=False)
