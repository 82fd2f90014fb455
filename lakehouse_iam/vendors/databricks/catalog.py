"""Databricks Unity Catalog: the IAM role behind a storage credential (external locations).

Source: Databricks' "Create a storage credential for connecting to AWS S3" page
(https://docs.databricks.com/aws/en/connect/unity-catalog/cloud-storage/s3/s3-external-location-manual):
an IAM role trusted by Databricks' Unity Catalog master role with the credential's
external ID, self-assuming, with S3 read/write/delete on the bucket and optional SSE-KMS.
Unity Catalog is closed source: the page is the only description of its calls.
"""

from __future__ import annotations

from ...catalog import kms
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, Omission, aws_doc, vendor_page

PAGE = (
    "https://docs.databricks.com/aws/en/connect/unity-catalog/cloud-storage/s3/"
    "s3-external-location-manual"
)

MASTER_ROLES: dict[str, str] = {
    "aws": "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL",
    "aws-us-gov": (
        "arn:aws-us-gov:iam::044793339203:role/unity-catalog-prod-UCMasterRole-1QRFA8SGY15OJ"
    ),
}
"""Partition -> Databricks' published Unity Catalog master role (the page's trust policy)."""
GOVCLOUD_DOD_MASTER_ROLE = (
    "arn:aws-us-gov:iam::170661010020:role/unity-catalog-prod-UCMasterRole-1DI6DL6ZP26AS"
)
"""The master role of Databricks' GovCloud DoD shard: pass it as ``master_role_arn``."""

READ: tuple[str, ...] = ("s3:GetBucketLocation", "s3:GetObject", "s3:ListBucket")
"""Read-only external locations."""
WRITE: tuple[str, ...] = (
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:ListBucketMultipartUploads",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
)
"""Writing tables and files (the page's policy, with READ)."""
SELF_ASSUME: tuple[str, ...] = ("sts:AssumeRole",)

# -- file events (the page's optional "ManagedFileEvents" statements) ----------------------
FILE_EVENTS_PREFIX = "csms-"
"""The name prefix of the SNS topics and SQS queues Databricks creates for file events."""
FILE_EVENTS_BUCKET: tuple[str, ...] = ("s3:GetBucketNotification", "s3:PutBucketNotification")
FILE_EVENTS_SNS: tuple[str, ...] = (
    "sns:CreateTopic",
    "sns:DeleteTopic",
    "sns:GetTopicAttributes",
    "sns:ListSubscriptionsByTopic",
    "sns:Publish",
    "sns:SetTopicAttributes",
    "sns:Subscribe",
    "sns:TagResource",
    "sns:Unsubscribe",
)
FILE_EVENTS_SQS: tuple[str, ...] = (
    "sqs:ChangeMessageVisibility",
    "sqs:CreateQueue",
    "sqs:DeleteMessage",
    "sqs:DeleteQueue",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ListQueueTags",
    "sqs:PurgeQueue",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
    "sqs:SetQueueAttributes",
    "sqs:TagQueue",
)
FILE_EVENTS_LISTING: tuple[str, ...] = ("sns:ListTopics", "sqs:ListQueues")
"""On the page on csms-* ARNs; actions without a resource type never match a specific ARN,
so the page's policy never allows them and Databricks works without: not granted."""
"""On the role's own ARN: the page's third statement (the role is self-assuming)."""

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="S3 actions on the bucket and every object",
        vendor=(
            "the S3 actions on arn:aws:s3:::<BUCKET>/* and arn:aws:s3:::<BUCKET> in one "
            "statement, s3:ListBucket without a prefix condition"
        ),
        ours=(
            "object actions on bucket/prefix/* of each location, s3:ListBucket with "
            "s3:prefix = [prefix/, prefix/*], bucket-level actions unconditioned on the bucket"
        ),
        why=(
            "An external location is a path (s3://bucket/prefix); Unity Catalog reads and "
            "writes under it. Object actions are authorized per object ARN and s3:ListBucket "
            "can be confined with s3:prefix "
            "(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html)."
        ),
        if_reverted=(
            "The credential can read, overwrite and delete every object of the bucket, "
            "including paths no external location names."
        ),
    ),
    Deviation(
        topic="KMS actions",
        vendor="kms:Decrypt, kms:Encrypt and kms:GenerateDataKey* on the key, unconditioned",
        ours=(
            "kms:Decrypt (and kms:GenerateDataKey unless read_only) on the key, only through "
            "S3 (kms:ViaService) and for the locations' objects (kms:EncryptionContext:aws:s3:arn)"
        ),
        why=(
            "S3 asks KMS for GenerateDataKey to write and Decrypt to read an SSE-KMS object "
            "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html); "
            "it never calls kms:Encrypt for it, and GenerateDataKey* is a wildcard action that "
            "also covers GenerateDataKeyPair and WithoutPlaintext."
        ),
        if_reverted=(
            "The credential can encrypt arbitrary data with the key and use it outside S3."
        ),
    ),
    Deviation(
        topic="self-assumption",
        vendor=(
            "the role's own ARN as a principal of the trust policy, added after the role exists"
        ),
        ours=(
            "the account root with ArnEquals aws:PrincipalArn = the role's own ARN (built from "
            "role_name, AWS::Partition and AWS::AccountId) and the same sts:ExternalId"
        ),
        why=(
            "IAM resolves a role principal when the policy is saved, so a role cannot name "
            "its own ARN while CloudFormation creates it; the aws:PrincipalArn condition "
            "matches exactly that role "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html)."
        ),
        if_reverted="Creating the role in one deployment fails with an invalid principal.",
    ),
    Deviation(
        topic="file events: queues and topics of any region and account",
        vendor="arn:aws:sqs:*:*:csms-* and arn:aws:sns:*:*:csms-*",
        ours="arn:PARTITION:sqs:REGION:ACCOUNT:csms-* and the same for sns, the stack's own",
        why=(
            "Databricks creates the topic and queue for a bucket's events in your account, "
            "in the bucket's region (S3 event notifications go to a topic in the bucket's "
            "region: https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "ways-to-add-notification-config-to-bucket.html); * would also match other "
            "accounts' csms- queues whose policies admit the role."
        ),
        if_reverted="The role can send to, read from and delete csms- queues of any account.",
    ),
    Deviation(
        topic="file events: sqs:ListQueues and sns:ListTopics",
        vendor="sqs:ListQueues, sqs:ListQueueTags and sns:ListTopics on the csms-* ARNs",
        ours=(
            "sqs:ListQueueTags on the csms-* queues; sqs:ListQueues and sns:ListTopics not granted"
        ),
        why=(
            "sqs:ListQueues and sns:ListTopics have no resource type (Service Authorization "
            "Reference), so IAM matches them only against Resource *: on the page's csms-* "
            "ARNs they are never allowed, and Databricks works without them "
            "(https://docs.aws.amazon.com/service-authorization/latest/reference/"
            "list_amazonsqs.html)."
        ),
        if_reverted=(
            "Granting them on * would let the role list every queue and topic of the account."
        ),
    ),
    Deviation(
        topic="trust before the external ID is known",
        vendor=(
            "Step 1 trusts the master role with a placeholder ExternalId 0000 until the "
            "credential's external ID replaces it"
        ),
        ours="until external_id is set the trust admits no one (PendingTrust)",
        why=(
            "The master role serves every Databricks customer; an ExternalId anyone can guess "
            "is no confused-deputy guard (https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "id_roles_create_for-user_externalid.html)."
        ),
        if_reverted=(
            "Between the steps another Databricks customer who names your role ARN in a "
            "storage credential could reach the bucket if Unity Catalog ever sent 0000."
        ),
    ),
)

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
_STEP1 = "Step 1: Create an IAM role"

EVIDENCE: tuple[Need, ...] = (
    Need(
        actions=READ,
        why=(
            "Unity Catalog lists an external location's path, finds its bucket's region and "
            "reads tables and files under it"
        ),
        sources=(vendor_page(_STEP1, "the IAM policy's S3 statement"),),
    ),
    Need(
        actions=WRITE,
        why=(
            "writing managed and external tables and files (multipart uploads of large "
            "files, aborting failed ones) and deleting files of dropped or vacuumed tables"
        ),
        sources=(
            vendor_page(_STEP1, "the IAM policy's S3 statement"),
            aws_doc(
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions"
            ),
        ),
    ),
    Need(
        actions=SELF_ASSUME,
        why=(
            "the role must be self-assuming: Databricks validates a storage credential by "
            "having the role assume itself"
        ),
        sources=(vendor_page(_STEP1, "the IAM policy's sts:AssumeRole statement on the role"),),
    ),
    Need(
        actions=FILE_EVENTS_BUCKET + FILE_EVENTS_SNS + FILE_EVENTS_SQS,
        why=(
            "managed file events: Databricks adds an event notification to the bucket, "
            "creates a csms- SNS topic and SQS queue, subscribes the queue, reads and deletes "
            "its messages, and removes both when file events are turned off"
        ),
        sources=(vendor_page("(Optional) file events", "ManagedFileEvents statements"),),
        opt_in="file_events=True",
    ),
    *kms.SSE_KMS_EVIDENCE,
)
"""Why DatabricksStorageCredentialAccess grants each action."""

OMISSIONS: tuple[Omission, ...] = (
    Omission(
        actions=FILE_EVENTS_LISTING,
        why=(
            "no resource type: on the page's csms-* ARNs IAM never allows them, so managed "
            "file events work without them; on * they would list every queue and topic"
        ),
        sources=(
            vendor_page("(Optional) file events", "ManagedFileEventsListStatement"),
            aws_doc(
                "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsqs.html"
            ),
            aws_doc(
                "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonsns.html"
            ),
        ),
    ),
)
"""What the page lists that DatabricksStorageCredentialAccess does not grant."""
