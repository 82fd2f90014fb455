"""A compliant data bucket for example stacks, or an imported one."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..nag import acknowledge_findings


class ExampleDataBucket(Construct):
    """The bucket an example stack grants access to.

    With ``bucket_name`` the bucket is imported and nothing is created. Otherwise it
    creates a private, SSE-KMS-encrypted (rotating customer-managed key), versioned,
    TLS-only bucket with server access logs, retained on stack deletion, plus the
    SSE-S3 bucket that receives the access logs.

    :param bucket_name: import this existing bucket instead of creating one.
    """

    def __init__(self, scope: Construct, id: str, *, bucket_name: str | None = None) -> None:
        super().__init__(scope, id)
        self.key: kms.IKey | None = None
        if bucket_name:
            self.bucket: s3.IBucket = s3.Bucket.from_bucket_name(self, "Imported", bucket_name)
            return
        logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.key = kms.Key(
            self,
            "Key",
            enable_key_rotation=True,
            description="SSE-KMS key of the lakehouse-iam example data bucket",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            object_ownership=s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
            server_access_logs_bucket=logs,
            server_access_logs_prefix="data-bucket/",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        _acknowledge_bucket_findings(logs, self.bucket)


def _acknowledge_bucket_findings(logs: s3.Bucket, data: s3.Bucket) -> None:
    replication = (
        "Cross-region replication is a disaster-recovery decision that needs a second "
        "region and bucket the example cannot assume; enable it for production data."
    )
    sse_s3_only = (
        "S3 server access logs can only be delivered to a target bucket encrypted with "
        "SSE-S3; SSE-KMS default encryption is not supported for log target buckets."
    )
    packs = ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")
    acknowledge_findings(
        logs,
        {
            **{f"{pack}-S3BucketReplicationEnabled": replication for pack in packs},
            **{f"{pack}-S3DefaultEncryptionKMS": sse_s3_only for pack in packs},
        },
    )
    acknowledge_findings(
        data, {f"{pack}-S3BucketReplicationEnabled": replication for pack in packs}
    )
