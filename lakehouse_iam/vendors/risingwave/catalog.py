"""RisingWave Cloud: cross-account role for S3 staging and sinks.

Source: RisingWave Cloud's "IAM role assume" page
(https://docs.risingwave.com/cloud/iam-role-assume). The vendor's
object and bucket actions are kept; only their placement is corrected.
"""

from __future__ import annotations

from ...catalog.deviation import Deviation

OBJECT_ACTIONS: tuple[str, ...] = (
    "s3:DeleteObject",
    "s3:DeleteObjectVersion",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:PutObject",
)
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
