"""Qualytics: S3 permissions of a source (read-only) and an enrichment (read-write) datastore.

Source: Qualytics' "Amazon S3 Permissions" page
(https://userguide.qualytics.io/source-datastore/datastore/dfs/amazon-s3/permissions/).
Its per-action tables are right about the resource of each action; its example JSON puts every
action on both the bucket and the ``bucket/*`` ARN. This module keeps the tables (the
requirement) and the library renders each action on its own resource only.
"""

from __future__ import annotations

from enum import Enum

from ...catalog import kms, s3a
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, aws_doc, doc, engine, vendor_page

SAR_S3 = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html"
GLOSSARY = "https://userguide.qualytics.io/glossary/"
"""Qualytics' user guide glossary ("Connectors"): Qualytics is built on Apache Spark."""


class QualyticsDatastore(Enum):
    """The two kinds of S3 datastore Qualytics connects to."""

    SOURCE = "source"
    """Read-only: discover, profile and scan files."""
    ENRICHMENT = "enrichment"
    """Read-write: Qualytics writes anomaly records, scan results and metadata."""


class QualyticsAuthentication(Enum):
    """The authentication modes of the Qualytics S3 connection form."""

    IAM_ROLE = "iam_role"
    """A target role the Qualytics dataplane assumes (temporary credentials)."""
    ACCESS_KEY = "access_key"
    """An IAM user's long-term access key pasted into the form."""


BUCKET = "bucket"
OBJECT = "object"

# The vendor's tables, action -> the resource the table names for it.
SOURCE_PERMISSIONS: dict[str, str] = {
    "s3:ListBucket": BUCKET,  # discover files
    "s3:GetBucketLocation": BUCKET,  # resolve the bucket region
    "s3:GetObject": OBJECT,  # read files during profile and scan
    "s3:ListBucketMultipartUploads": BUCKET,  # see in-progress uploads when listing
}
ENRICHMENT_PERMISSIONS: dict[str, str] = {
    **SOURCE_PERMISSIONS,
    "s3:PutObject": OBJECT,  # write anomaly records, scan results, metadata
    "s3:DeleteObject": OBJECT,  # remove superseded enrichment files
    "s3:ListMultipartUploadParts": OBJECT,  # list parts of an in-progress upload
    "s3:AbortMultipartUpload": OBJECT,  # clean up incomplete uploads
}

PERMISSIONS: dict[QualyticsDatastore, dict[str, str]] = {
    QualyticsDatastore.SOURCE: SOURCE_PERMISSIONS,
    QualyticsDatastore.ENRICHMENT: ENRICHMENT_PERMISSIONS,
}
S3_ACTIONS: dict[QualyticsDatastore, tuple[str, ...]] = {
    kind: tuple(sorted(table)) for kind, table in PERMISSIONS.items()
}
"""Exact S3 actions per datastore kind."""

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="every action on both the bucket and bucket/* ARNs",
        vendor=(
            'example policies list all actions on ["arn:aws:s3:::BUCKET", "arn:aws:s3:::BUCKET/*"]'
        ),
        ours=(
            "as the vendor's own tables say: s3:ListBucket on the bucket ARN (with an "
            "s3:prefix condition under a Root Path), s3:GetBucketLocation and "
            "s3:ListBucketMultipartUploads on the bucket ARN unconditioned, object actions "
            "on bucket/root-path/* only"
        ),
        why=(
            "S3 authorizes each action against one resource type; the other ARN never "
            "matches, and object actions on the bucket ARN prevent confining the grant to "
            f"the Root Path ({SAR_S3})."
        ),
        if_reverted=(
            "Nothing breaks at the whole-bucket level; the policy claims grants AWS never "
            "applies and cannot be confined to the Root Path."
        ),
    ),
    Deviation(
        topic="Root Path scoping",
        vendor="the example policies grant the whole bucket even when a Root Path is used",
        ours=(
            "with a Root Path, object actions are on bucket/root-path/* and s3:ListBucket "
            "is conditioned on s3:prefix = [root-path/, root-path/*]; s3:GetBucketLocation "
            "and s3:ListBucketMultipartUploads stay unconditioned"
        ),
        why=(
            "Only ListBucket and ListBucketVersions carry the s3:prefix key; putting the "
            f"other bucket-level actions under it would deny them ({SAR_S3})."
        ),
        if_reverted="Qualytics can read (enrichment: overwrite and delete) the whole bucket.",
    ),
    s3a.directory_key_deviation(
        engine=f"Apache Spark (Qualytics is built on it: {GLOSSARY})",
        prefix="root-path",
        if_reverted=(
            "A datastore whose Root Path is set fails with AccessDenied (403) on the HEAD "
            "of bucket/root-path when Spark resolves the Root Path as a directory."
        ),
    ),
    Deviation(
        topic="SSE-KMS for enrichment writes",
        vendor="kms:Decrypt for reads and kms:GenerateDataKey for writes, scoped to the key",
        ours=(
            "source: kms:Decrypt; enrichment: kms:Decrypt and kms:GenerateDataKey; on the "
            "key ARN only, with kms:ViaService = s3.REGION.amazonaws.com and the S3 "
            "encryption context of the bucket/root path"
        ),
        why=(
            "A multipart upload (used for large writes) needs kms:Decrypt as well: S3 "
            "decrypts the data key to complete it "
            "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/UsingKMSEncryption.html)."
        ),
        if_reverted=(
            "Large enrichment writes fail at CompleteMultipartUpload with AccessDenied "
            "on kms:Decrypt; without the via-S3 condition the identity can use the key "
            "directly."
        ),
    ),
    Deviation(
        topic="access key user permissions",
        vendor="the S3 permissions sit on the IAM user behind the access key",
        ours=(
            "the user holds no policy; it is in a group that carries one customer-managed "
            "policy per grant; the key's secret goes straight into a KMS-encrypted "
            "Secrets Manager secret and appears in no output"
        ),
        why=(
            "NIST 800-53, HIPAA and PCI checks reject policies attached to users "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html)."
        ),
        if_reverted="cdk-nag's IAMUserNoPolicies findings; the secret must be handled by hand.",
    ),
)

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
# Qualytics' dataplane is closed source and sends its requests from Qualytics' account: its
# page is the evidence for each action, kept on its own resource. What its engine adds is
# known from the engine: its glossary says it is built on Apache Spark, and Spark reads S3
# through Hadoop S3A.
_MPU = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions"
_SOURCE = "Source Datastore Permissions"
_ENRICHMENT = "Enrichment Datastore Permissions"

EVIDENCE: tuple[Need, ...] = (
    Need(
        actions=("s3:ListBucket",),
        why="discover the files under the Root Path",
        sources=(vendor_page(_SOURCE), vendor_page(_ENRICHMENT)),
    ),
    Need(
        actions=("s3:GetBucketLocation",),
        why="resolve the bucket's Region before connecting",
        sources=(vendor_page(_SOURCE), vendor_page(_ENRICHMENT)),
    ),
    Need(
        actions=("s3:GetObject",),
        why="read file contents during profile and scan; read enrichment files back",
        sources=(vendor_page(_SOURCE), vendor_page(_ENRICHMENT)),
    ),
    Need(
        actions=("s3:GetObject", "s3:ListBucket"),
        why=(
            "with a Root Path: Spark resolves it through Hadoop S3A, whose getFileStatus "
            "HEADs the key bucket/root-path (no trailing slash) before root-path/ and "
            "fails on a 403; S3 answers 404 only when the caller may list the key "
            "(s3:prefix = root-path)"
        ),
        sources=(
            doc(GLOSSARY, "Connectors: Qualytics is built on Apache Spark"),
            doc(s3a.S3A_DOC, "Spark and Hadoop reach S3 through the s3a:// connector"),
            engine(s3a.S3A_FILESYSTEM, "getFileStatus, s3GetFileStatus"),
            engine(s3a.S3A_ASSUMED_ROLES, "read access to path, path/ and path/*"),
        ),
    ),
    Need(
        actions=("s3:ListBucketMultipartUploads",),
        why="see in-progress multipart uploads when listing, and track its own writes",
        sources=(vendor_page(_SOURCE), vendor_page(_ENRICHMENT)),
    ),
    Need(
        actions=("s3:PutObject",),
        why="write anomaly records, scan results and metadata (enrichment)",
        sources=(vendor_page(_ENRICHMENT), aws_doc(_MPU, "multipart parts need s3:PutObject")),
    ),
    Need(
        actions=("s3:DeleteObject",),
        why="remove superseded enrichment files",
        sources=(vendor_page(_ENRICHMENT),),
    ),
    Need(
        actions=("s3:ListMultipartUploadParts", "s3:AbortMultipartUpload"),
        why="resume or clean up its own incomplete multipart uploads (enrichment)",
        sources=(vendor_page(_ENRICHMENT), aws_doc(_MPU)),
    ),
    *kms.SSE_KMS_EVIDENCE,
)
"""Why Qualytics' roles and users get each action."""
