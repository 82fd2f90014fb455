"""RisingWave Cloud: cross-account role for S3 staging and sinks.

Source: RisingWave Cloud's "IAM role assume" page
(https://docs.risingwave.com/cloud/iam-role-assume). The vendor's
bucket actions and three of its five object actions are kept (the two version actions
are never sent); their placement is corrected.
"""

from __future__ import annotations

from ...catalog import kms
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, Omission, aws_doc, engine, trace, vendor_page

OBJECT_ACTIONS: tuple[str, ...] = ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")
"""The vendor's object actions without the two version actions (see DEVIATIONS)."""
VENDOR_VERSION_ACTIONS: tuple[str, ...] = ("s3:DeleteObjectVersion", "s3:GetObjectVersion")
"""On the vendor page, never sent by RisingWave: not granted."""
BUCKET_ACTIONS: tuple[str, ...] = ("s3:GetBucketLocation", "s3:ListBucket")
S3_ACTIONS: tuple[str, ...] = tuple(sorted(OBJECT_ACTIONS + BUCKET_ACTIONS))

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="s3:GetBucketLocation under an s3:prefix condition",
        vendor=(
            "s3:ListBucket and s3:GetBucketLocation in one statement with "
            'Condition StringLike s3:prefix = "<prefix>/*"'
        ),
        ours=(
            "s3:ListBucket keeps the s3:prefix condition (prefix/ and prefix/*); "
            "s3:GetBucketLocation is in its own statement on the bucket ARN, unconditioned"
        ),
        why=(
            "The Service Authorization Reference lists s3:prefix only for ListBucket and "
            "ListBucketVersions. A GetBucketLocation request has no s3:prefix key, so a "
            "StringLike on it never matches and the call is denied "
            "(https://docs.aws.amazon.com/service-authorization/latest/reference/"
            "list_amazons3.html)."
        ),
        if_reverted=(
            "RisingWave cannot resolve the bucket region with the role: GetBucketLocation "
            "returns AccessDenied."
        ),
    ),
    Deviation(
        topic="listing the prefix itself",
        vendor='s3:prefix = "<prefix>/*"',
        ours='s3:prefix = ["<prefix>/", "<prefix>/*"]',
        why=(
            "StringLike's * also matches the empty string, so prefix/* already covers "
            "prefix/; listing prefix/ explicitly documents that listing the folder itself "
            "is intended and keeps readers from widening the pattern to fix a false alarm."
        ),
        if_reverted="Nothing breaks; the intent is less visible.",
    ),
    Deviation(
        topic="listing the prefix without its slash",
        vendor='s3:prefix = "<prefix>/*" only',
        ours=(
            's3:prefix also = "<prefix>" exactly (no wildcard), next to "<prefix>/" and '
            '"<prefix>/*"'
        ),
        why=(
            "RisingWave's file sinks validate the sink by listing s3.path as written "
            "(OpenDAL list of the path, risingwavelabs/risingwave src/connector/src/sink/"
            "file_sink/opendal_sink.rs), and the documented s3.path has no trailing slash; "
            "the recorded trace (traces/fixtures/opendal-risingwave-sink.json) sends "
            "prefix=<prefix>&delimiter=/."
        ),
        if_reverted=(
            "CREATE SINK fails its validation with AccessDenied on s3:ListBucket; the exact "
            "value also lists names (never content) of keys that start with the same "
            "characters, e.g. <prefix>-archive/."
        ),
    ),
    Deviation(
        topic="object version actions",
        vendor="s3:GetObjectVersion and s3:DeleteObjectVersion on bucket/prefix/*",
        ours="not granted",
        why=(
            "RisingWave never addresses an object version: OpenDAL sends versionId only "
            "when its S3 service is built with enable_versioning, which RisingWave's S3 "
            "source, file sink, staging writer and Iceberg FileIO never set, and the "
            "recorded OpenDAL traces send none. s3:DeleteObjectVersion deletes a version "
            "for good, which s3:DeleteObject on a versioned bucket cannot (it adds a delete "
            "marker): https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "DeletingObjectVersions.html."
        ),
        if_reverted=(
            "Nothing RisingWave does changes; its credentials can then read the older "
            "versions of every object under the prefix and destroy them permanently, "
            "defeating S3 Versioning as a recovery point."
        ),
    ),
    Deviation(
        topic="trust principal",
        vendor=(
            "Step 2 creates the role trusting 'Another AWS account' (the whole RisingWave "
            "account) before Step 3 narrows it"
        ),
        ours=(
            "The trust names only the exact workload-identity role ARN from the start, "
            "without an ExternalId condition (RisingWave's S3 paths never send one)"
        ),
        why=(
            "Trusting an account root lets every identity in that account that is allowed "
            "sts:AssumeRole assume the role "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "reference_policies_elements_principal.html)."
        ),
        if_reverted="Any role in the RisingWave account could assume the data role.",
    ),
)

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
_RW = "risingwavelabs/risingwave {}@448c6570b1b9d636736708340f61a85900c2b7d7"
_OPENDAL = "apache/opendal core/src/services/s3/{}@48c48b1a1d3821af0864adc878e3864019ee9755"
_SOURCE_TRACE = "traces/fixtures/opendal-risingwave-source.json"
_SINK_TRACE = "traces/fixtures/opendal-risingwave-sink.json"
_OPENDAL_SOURCE = "src/connector/src/source/filesystem/opendal_source/"

EVIDENCE: tuple[Need, ...] = (
    Need(
        actions=("s3:ListBucket",),
        why=(
            "the S3 source lists the directory of match_pattern (recursively); the file sink "
            "validates by listing s3.path as written; the Redshift sink lists its manifests"
        ),
        sources=(
            trace(_SOURCE_TRACE, "list_splits (match_pattern directory), list (recursive)"),
            trace(_SINK_TRACE, "validate lists s3.path, with and without a trailing slash"),
            engine(_RW.format(_OPENDAL_SOURCE + "opendal_enumerator.rs"), "list"),
        ),
    ),
    Need(
        actions=("s3:GetObject",),
        why="the source stats (HEAD) and reads each listed file; Iceberg reads its metadata",
        sources=(
            trace(_SOURCE_TRACE, "read (range from split offset 0)"),
            trace(_SINK_TRACE, "OpenDAL stat file (HeadObject)"),
            engine(_RW.format(_OPENDAL_SOURCE + "opendal_reader.rs"), "reader"),
        ),
    ),
    Need(
        actions=("s3:PutObject",),
        why=(
            "the file sink, the Snowflake/Redshift staging writer and the Iceberg sink write "
            "files: PutObject, or a multipart upload past OpenDAL's chunk size"
        ),
        sources=(
            trace(_SINK_TRACE, "write JSON file (PutObject), write Parquet file (multipart)"),
            engine(_RW.format("src/connector/src/sink/file_sink/opendal_sink.rs"), "writer"),
            engine(_OPENDAL.format("core.rs"), "s3_put_object, multipart"),
        ),
    ),
    Need(
        actions=("s3:DeleteObject",),
        why=(
            "the Redshift sink deletes its staged files after COPY; Iceberg maintenance "
            "removes superseded files"
        ),
        sources=(
            trace(_SINK_TRACE, "OpenDAL delete file"),
            engine(
                _RW.format("src/connector/src/sink/snowflake_redshift/redshift.rs"),
                "delete_iter",
            ),
        ),
    ),
    Need(
        actions=("s3:GetBucketLocation",),
        why=(
            "listed by the vendor page; RisingWave's own connectors take s3.region_name and "
            "do not call it, so it stays only for RisingWave Cloud's closed-source side "
            "(it reveals the bucket's Region, nothing else)"
        ),
        sources=(vendor_page("Step 1: Create an IAM policy"),),
    ),
    *kms.SSE_KMS_EVIDENCE,
)
"""Why RisingWaveAccess grants each action."""

OMISSIONS: tuple[Omission, ...] = (
    Omission(
        actions=VENDOR_VERSION_ACTIONS,
        why=(
            "RisingWave never sends a versionId (OpenDAL only does with enable_versioning, "
            "which RisingWave never sets); the actions would only let its credentials read "
            "and permanently delete older versions"
        ),
        sources=(
            trace(_SINK_TRACE, "no request carries versionId"),
            trace(_SOURCE_TRACE, "no request carries versionId"),
            engine(_OPENDAL.format("backend.rs"), "enable_versioning"),
            aws_doc(
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html"
            ),
        ),
    ),
)
"""What the vendor page lists that RisingWaveAccess does not grant."""
