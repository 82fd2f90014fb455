"""An IAM authorization request, and the AWS documentation the mapping rules cite.

Two mappings produce :class:`AuthorizationRequest` s: ``traces/mapping.py`` from a recorded
HTTP request (test tooling) and :mod:`lakehouse_iam.audit.mapping` from a CloudTrail
record. Both cite the sections in :data:`DOCS`, kept here once.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

DOCS: dict[str, tuple[str, str]] = {
    "s3-actions": (
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html",
        "Actions, resources, and condition keys for Amazon S3",
    ),
    "s3-api-permissions": (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/using-with-s3-policy-actions.html",
        "Required permissions for Amazon S3 API operations",
    ),
    "s3-condition-keys": (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/amazon-s3-policy-keys.html",
        "Bucket policy examples using condition keys",
    ),
    "head-object": (
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_HeadObject.html",
        "HeadObject: Permissions",
    ),
    "mpu-permissions": (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions",
        "Multipart upload API and permissions",
    ),
    "create-mpu": (
        "https://docs.aws.amazon.com/AmazonS3/latest/API/API_CreateMultipartUpload.html",
        "CreateMultipartUpload: Permissions / Encryption",
    ),
    "sse-kms": (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html",
        "Using server-side encryption with AWS KMS keys (SSE-KMS)",
    ),
    "bucket-keys": (
        "https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-key.html",
        "Reducing the cost of SSE-KMS with Amazon S3 Bucket Keys (changes to the encryption "
        "context)",
    ),
    "kms-via-service": (
        "https://docs.aws.amazon.com/kms/latest/developerguide/conditions-kms.html#conditions-kms-via-service",
        "AWS KMS condition keys: kms:ViaService",
    ),
    "glue-arns": (
        "https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html",
        "Specifying AWS Glue resource ARNs: Data Catalog ARNs",
    ),
    "glue-actions": (
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html",
        "Actions, resources, and condition keys for AWS Glue",
    ),
    "sts-get-caller-identity": (
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
        "GetCallerIdentity: no permissions are required",
    ),
    "sts-assume-role": (
        "https://docs.aws.amazon.com/STS/latest/APIReference/API_AssumeRole.html",
        "AssumeRole: Permissions",
    ),
    "secrets": (
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html",
        "Actions, resources, and condition keys for AWS Secrets Manager",
    ),
    "ecr": (
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html",
        "Actions, resources, and condition keys for Amazon Elastic Container Registry",
    ),
    "logs": (
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazoncloudwatchlogs.html",
        "Actions, resources, and condition keys for Amazon CloudWatch Logs",
    ),
    "metering": (
        "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsmarketplacemeteringservice.html",
        "Actions, resources, and condition keys for AWS Marketplace Metering Service",
    ),
    "cloudtrail-record": (
        "https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html",
        "CloudTrail record contents",
    ),
    "access-denied": (
        "https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html",
        "Troubleshoot access denied error messages",
    ),
}
"""Documentation the rules follow: key -> (URL, section title)."""


@dataclass(frozen=True)
class AuthorizationRequest:
    """One request IAM evaluates: an action on a resource with condition keys."""

    action: str
    resource: str
    context: Mapping[str, str] = field(default_factory=dict)
    rule: str = ""
    """The mapping rule (function name) that produced it."""
    doc: str = ""
    """Key of :data:`DOCS` the rule follows."""
    inferred: bool = False
    """From a documented effect whose exact request shape AWS does not document."""
