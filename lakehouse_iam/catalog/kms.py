"""AWS KMS actions S3 needs for SSE-KMS objects.

S3 calls KMS on the caller's behalf: ``kms:Decrypt`` to read an object,
``kms:GenerateDataKey`` to write one, and ``kms:Decrypt`` again to complete a
multipart upload (S3 decrypts the data key to assemble the parts):
https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html
"""

from __future__ import annotations

from .evidence import Need, aws_doc

READ: tuple[str, ...] = ("kms:Decrypt",)
WRITE: tuple[str, ...] = ("kms:Decrypt", "kms:GenerateDataKey")

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
_SSE_KMS = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html"
_MPU = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions"

DECRYPT_EVIDENCE = Need(
    actions=("kms:Decrypt",),
    why=(
        "S3 decrypts the data key of every SSE-KMS object the engine reads, and of a "
        "multipart upload it completes, on the caller's behalf (through S3 only)"
    ),
    sources=(
        aws_doc(_SSE_KMS, "Permissions: kms:Decrypt to read an SSE-KMS object"),
        aws_doc(_MPU, "multipart upload with SSE-KMS needs kms:Decrypt"),
    ),
    opt_in="kms_key=...",
)
GENERATE_DATA_KEY_EVIDENCE = Need(
    actions=("kms:GenerateDataKey",),
    why="S3 generates a data key for every SSE-KMS object the engine writes",
    sources=(aws_doc(_SSE_KMS, "Permissions: kms:GenerateDataKey to upload an object"),),
    opt_in="kms_key=...",
)
SSE_KMS_EVIDENCE: tuple[Need, ...] = (DECRYPT_EVIDENCE, GENERATE_DATA_KEY_EVIDENCE)
"""Why a bucket's customer-managed key is granted with ``SseKmsGrant``."""
