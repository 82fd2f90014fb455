"""Amazon S3 actions: which resource each one is authorized against.

From the Service Authorization Reference for Amazon S3
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html):
an action is checked either against an *object* ARN (``arn:aws:s3:::bucket/key``)
or against the *bucket* ARN. Only ``s3:ListBucket`` and ``s3:ListBucketVersions``
carry the ``s3:prefix`` condition key; any other bucket-level action put under an
``s3:prefix`` condition is denied, because the key is absent from its request.
"""

from __future__ import annotations

from enum import Enum


class S3Scope(Enum):
    """What an S3 action is authorized against."""

    OBJECT = "object"
    """An object ARN: ``bucket/prefix/*``."""
    LISTING = "listing"
    """The bucket ARN, narrowed to a prefix with the ``s3:prefix`` condition key."""
    BUCKET = "bucket"
    """The bucket ARN, with no ``s3:prefix`` key in the request context."""


S3_ACTION_SCOPES: dict[str, S3Scope] = {
    # Object-level actions.
    "s3:AbortMultipartUpload": S3Scope.OBJECT,
    "s3:DeleteObject": S3Scope.OBJECT,
    "s3:DeleteObjectTagging": S3Scope.OBJECT,
    "s3:DeleteObjectVersion": S3Scope.OBJECT,
    "s3:GetObject": S3Scope.OBJECT,
    "s3:GetObjectAcl": S3Scope.OBJECT,
    "s3:GetObjectAttributes": S3Scope.OBJECT,
    "s3:GetObjectTagging": S3Scope.OBJECT,
    "s3:GetObjectVersion": S3Scope.OBJECT,
    "s3:GetObjectVersionAttributes": S3Scope.OBJECT,
    "s3:ListMultipartUploadParts": S3Scope.OBJECT,
    "s3:PutObject": S3Scope.OBJECT,
    "s3:PutObjectAcl": S3Scope.OBJECT,
    "s3:PutObjectTagging": S3Scope.OBJECT,
    "s3:RestoreObject": S3Scope.OBJECT,
    # Bucket-level actions that support s3:prefix.
    "s3:ListBucket": S3Scope.LISTING,
    "s3:ListBucketVersions": S3Scope.LISTING,
    # Bucket-level actions without s3:prefix support.
    "s3:GetBucketLocation": S3Scope.BUCKET,
    "s3:GetBucketVersioning": S3Scope.BUCKET,
    "s3:GetEncryptionConfiguration": S3Scope.BUCKET,
    "s3:ListBucketMultipartUploads": S3Scope.BUCKET,
}

# Access levels: named, exact action sets a caller can combine.
LIST: tuple[str, ...] = ("s3:GetBucketLocation", "s3:ListBucket")
READ: tuple[str, ...] = ("s3:GetObject",)
WRITE: tuple[str, ...] = ("s3:PutObject",)
DELETE: tuple[str, ...] = ("s3:DeleteObject",)
MULTIPART: tuple[str, ...] = (
    "s3:AbortMultipartUpload",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
)


def scope_of(action: str) -> S3Scope:
    """The resource scope of an S3 action; ``KeyError`` for an unknown action."""
    return S3_ACTION_SCOPES[action]
