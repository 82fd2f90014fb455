"""Snowflake: storage integrations, external volumes and the Glue catalog integration.

Sources (Snowflake's public documentation):

* "Option 1: Configuring a Snowflake storage integration to access Amazon S3"
  (https://docs.snowflake.com/en/user-guide/data-load-s3-config-storage-integration),
  the vendor page: external stages, loading (``COPY INTO <table>``) and unloading
  (``COPY INTO <location>``, ``PURGE``);
* "Configure an external volume for Amazon S3"
  (https://docs.snowflake.com/en/user-guide/tables-iceberg-configure-external-volume-s3):
  Apache Iceberg tables' data and metadata;
* "Configure a catalog integration for AWS Glue"
  (https://docs.snowflake.com/en/user-guide/tables-iceberg-configure-catalog-integration-glue):
  Iceberg tables whose catalog is the Glue Data Catalog (``CATALOG_SOURCE = GLUE``).

Snowflake is closed source and runs in Snowflake's AWS accounts: the pages are the only
description of its calls, so the call-table rows are ``low`` to ``medium`` confidence.
"""

from __future__ import annotations

from enum import Enum

from ...catalog import glue, kms
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, aws_doc, vendor_doc, vendor_page

STAGE_PAGE = "https://docs.snowflake.com/en/user-guide/data-load-s3-config-storage-integration"
VOLUME_PAGE = "https://docs.snowflake.com/en/user-guide/tables-iceberg-configure-external-volume-s3"
GLUE_PAGE = (
    "https://docs.snowflake.com/en/user-guide/tables-iceberg-configure-catalog-integration-glue"
)


class SnowflakeIntegration(Enum):
    """Which Snowflake object uses the role."""

    STORAGE_INTEGRATION = "storage-integration"
    """A storage integration (``CREATE STORAGE INTEGRATION``) for external stages."""
    EXTERNAL_VOLUME = "external-volume"
    """An external volume (``CREATE EXTERNAL VOLUME``) for Apache Iceberg tables."""


# -- S3 (both pages list the same read and write sets) -----------------------------------
READ: tuple[str, ...] = (
    "s3:GetBucketLocation",
    "s3:GetObject",
    "s3:GetObjectVersion",
    "s3:ListBucket",
)
"""Loading from a stage, reading Iceberg tables: the pages' required permissions."""
WRITE: tuple[str, ...] = ("s3:DeleteObject", "s3:PutObject")
"""Unloading and purging (stage), writing Snowflake-managed Iceberg tables (volume)."""
DELETE_VERSIONS: tuple[str, ...] = ("s3:DeleteObjectVersion",)
"""In the pages' JSON, opt-in here (``delete_object_versions=True``): see DEVIATIONS."""

# -- Glue (catalog integration page) ------------------------------------------------------
GLUE_READ: tuple[str, ...] = ("glue:GetTable", "glue:GetTables")
"""The catalog integration's "at a minimum" permissions, and all its JSON grants."""

# -- Partition-dependent names in Snowflake's SQL ------------------------------------------
STORAGE_PROVIDERS: dict[str, tuple[str, str]] = {
    "aws": ("S3", "s3"),
    "aws-us-gov": ("S3GOV", "s3gov"),
    "aws-cn": ("S3CHINA", "s3china"),
}
"""AWS partition -> (``STORAGE_PROVIDER``, URL scheme) Snowflake expects for its buckets
(CREATE STORAGE INTEGRATION and CREATE EXTERNAL VOLUME reference pages)."""

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="s3:GetBucketLocation under an s3:prefix condition",
        vendor=(
            "s3:ListBucket and s3:GetBucketLocation in one statement with Condition "
            'StringLike s3:prefix = ["<prefix>/*"] (storage integration) or ["*"] '
            "(external volume)"
        ),
        ours=(
            "s3:ListBucket keeps an s3:prefix condition; s3:GetBucketLocation is in its own "
            "statement on the bucket ARN, unconditioned"
        ),
        why=(
            "The Service Authorization Reference lists s3:prefix only for ListBucket and "
            "ListBucketVersions. A GetBucketLocation request carries no s3:prefix key, so "
            "StringLike on it never matches and the call is denied "
            "(https://docs.aws.amazon.com/service-authorization/latest/reference/"
            "list_amazons3.html). Both pages list s3:GetBucketLocation as required."
        ),
        if_reverted=(
            "With a prefix condition, Snowflake cannot resolve the bucket's region with the "
            "role: GetBucketLocation returns AccessDenied."
        ),
    ),
    Deviation(
        topic="listing the whole bucket (external volume)",
        vendor='the external volume page\'s JSON: s3:ListBucket with s3:prefix = ["*"]',
        ours=(
            's3:ListBucket with s3:prefix = ["<prefix>/", "<prefix>/*"]: the '
            "STORAGE_BASE_URL's path and below"
        ),
        why=(
            "Snowflake reads and writes an external volume's tables under its "
            "STORAGE_BASE_URL (the page: tables' data and metadata live in BASE_LOCATION "
            "directories under it), so listing other prefixes is not needed; "
            '"*" lets the role list every key name of the bucket.'
        ),
        if_reverted=(
            "Nothing Snowflake does under STORAGE_BASE_URL changes; the role can list the key "
            "names of the whole bucket, including other workloads' objects."
        ),
    ),
    Deviation(
        topic="s3:DeleteObjectVersion",
        vendor=(
            "s3:DeleteObjectVersion in both pages' read/write JSON (the storage integration "
            "page's list of required permissions names only s3:PutObject and s3:DeleteObject "
            "for unloading and purging)"
        ),
        ours="granted only with delete_object_versions=True (and write=True)",
        why=(
            "s3:DeleteObjectVersion removes an object version for good, while s3:DeleteObject "
            "on a versioned bucket only adds a delete marker "
            "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html); "
            "the external volume page itself asks for bucket versioning to support data "
            "recovery, which a role that can delete versions defeats."
        ),
        if_reverted=(
            "Snowflake's credentials can permanently delete older versions of every object "
            "under the prefix. If Snowflake ever deletes a specific version (the pages do not "
            "say it does), set delete_object_versions=True."
        ),
    ),
    Deviation(
        topic="trust before DESC INTEGRATION",
        vendor=(
            "Step 2 creates the role trusting 'Another AWS account' with your own account ID "
            "and a dummy ExternalId (0000) until step 5 replaces it"
        ),
        ours=(
            "until snowflake_user_arn is set the trust admits no one (PendingTrust: an "
            "impossible condition); then exactly the Snowflake IAM user with its ExternalId"
        ),
        why=(
            "Between the two steps the vendor's trust lets any identity of your own account "
            "that may call sts:AssumeRole assume the role by sending ExternalId 0000 "
            "(https://docs.aws.amazon.com/IAM/latest/UserGuide/"
            "reference_policies_elements_principal.html)."
        ),
        if_reverted=(
            "Any role or user of your account with sts:AssumeRole on * can read (and with "
            "write, change) the stage until the trust is edited."
        ),
    ),
    Deviation(
        topic="Glue tables of every database, in every region",
        vendor=(
            "glue:GetTable and glue:GetTables on arn:aws:glue:*:<account>:table/*/*, the "
            "catalog and database/<database-name>"
        ),
        ours=(
            "the same two actions on the catalog, database/DB and table/DB/TABLE (table/DB/* "
            "without a table list) of the named databases, in the catalog's region only"
        ),
        why=(
            "Glue authorizes a table action on the catalog, the database and the table "
            f"({glue.RESOURCE_ARNS_GUIDE}); table/*/* also matches every table of every "
            "other database, and region * every other region's catalog (the database ARN "
            "already confines GetTables, but not GetTable)."
        ),
        if_reverted=(
            "Snowflake's Glue role can read the definitions (schema, location, parameters) of "
            "every table in the account's catalogs, in every region."
        ),
    ),
)

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
_STEP1 = "Step 1: Configure access permissions for the S3 bucket"
_VOLUME_STEP1 = "Step 1: Create an IAM policy that grants access to your S3 location"

EVIDENCE: tuple[Need, ...] = (
    Need(
        actions=("s3:GetBucketLocation", "s3:GetObject", "s3:GetObjectVersion", "s3:ListBucket"),
        why=(
            "Snowflake lists a stage's or external volume's location and reads its files "
            "(COPY INTO <table>, LIST @stage, Iceberg data and metadata); both pages list "
            "these four as required to access files in the folder and its sub-folders"
        ),
        sources=(
            vendor_page(_STEP1, "the permissions required to access files in the folder"),
            vendor_doc(VOLUME_PAGE, _VOLUME_STEP1),
        ),
    ),
    Need(
        actions=("s3:DeleteObject", "s3:PutObject"),
        why=(
            "unloading (COPY INTO <location>), PURGE = TRUE after a load, and writing and "
            "removing the files of Snowflake-managed Iceberg tables (ALLOW_WRITES = TRUE)"
        ),
        sources=(
            vendor_page(_STEP1, "required only to unload files or purge them after loading"),
            vendor_doc(VOLUME_PAGE, _VOLUME_STEP1),
        ),
        opt_in="write=True",
    ),
    Need(
        actions=DELETE_VERSIONS,
        why="in both pages' read/write JSON; opt-in because it defeats versioning (DEVIATIONS)",
        sources=(
            vendor_page(_STEP1, "policy JSON"),
            aws_doc(
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html"
            ),
        ),
        opt_in="delete_object_versions=True",
    ),
    Need(
        actions=GLUE_READ,
        why=(
            "a Glue catalog integration reads the Iceberg tables' definitions (their current "
            "metadata location) from the Data Catalog"
        ),
        sources=(
            vendor_doc(
                GLUE_PAGE, "Step 1: Configure access permissions for the AWS Glue Data Catalog"
            ),
        ),
    ),
    *kms.SSE_KMS_EVIDENCE,
)
"""Why the Snowflake constructs grant each action."""
