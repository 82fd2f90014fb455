"""StarRocks: S3 batch load, S3 read/write and the AWS Glue Data Catalog.

Source: StarRocks' "AWS IAM policies" page
(https://docs.starrocks.io/docs/sql-reference/aws_iam_policies/), used with any of
StarRocks' three authentication methods (instance profile, assumed role, IAM user).
The S3 actions are kept as the vendor lists them; the Glue policy (23 actions on
``*``) is split into read and write sets on catalog, database and table ARNs (see
:mod:`lakehouse_iam.catalog.glue`).
"""

from __future__ import annotations

from ...catalog import glue
from ...catalog.deviation import Deviation

# -- S3 (vendor page: "Batch load data from AWS S3" and "Read/write AWS S3") ------------
BATCH_LOAD: tuple[str, ...] = ("s3:GetObject", "s3:ListBucket")
READ_WRITE: tuple[str, ...] = (
    "s3:AbortMultipartUpload",  # not on the vendor page: see DEVIATIONS
    "s3:DeleteObject",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:PutObject",
)
S3_ACCESS: dict[str, tuple[str, ...]] = {"batch_load": BATCH_LOAD, "read_write": READ_WRITE}
"""S3 access level -> exact actions."""

# -- Glue (vendor page: "Integrate with AWS Glue") ---------------------------------------
VENDOR_GLUE_ACTIONS: tuple[str, ...] = (
    "glue:BatchCreatePartition",
    "glue:BatchGetPartition",
    "glue:BatchUpdatePartition",
    "glue:CreateDatabase",
    "glue:CreatePartition",
    "glue:CreateTable",
    "glue:DeleteDatabase",
    "glue:DeletePartition",
    "glue:DeleteTable",
    "glue:GetConnection",
    "glue:GetConnections",
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetDevEndpoint",
    "glue:GetDevEndpoints",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:GetTable",
    "glue:GetTableVersions",
    "glue:GetTables",
    "glue:UpdateDatabase",
    "glue:UpdatePartition",
    "glue:UpdateTable",
)
"""The 23 actions the vendor page grants on ``*``, verbatim (sorted)."""

# -- Catalog properties StarRocks reads --------------------------------------------------
METASTORE_TYPE_KEY: dict[str, str] = {
    "hive": "hive.metastore.type",
    "hudi": "hive.metastore.type",
    "deltalake": "hive.metastore.type",
    "iceberg": "iceberg.catalog.type",
    "unified": "unified.metastore.type",
}
"""External catalog ``type`` -> the property that selects Glue as its metastore."""

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="Glue actions on Resource *",
        vendor="23 Glue actions, reads and writes together, on Resource *",
        ours=(
            "a read set (GetDatabase(s), GetTable(s), GetTableVersions, GetPartition(s), "
            "BatchGetPartition) and an opt-in write set (table and partition writes; "
            "database create/update/delete separately), each action on exactly the "
            "catalog, database/DB and table/DB/TABLE ARNs the Service Authorization "
            "Reference requires for it, for the named databases and tables only"
        ),
        why=(
            "Glue Data Catalog actions support resource-level permissions: an action needs "
            "the resource and all its ancestors, and a delete all descendants "
            f"({glue.RESOURCE_ARNS_GUIDE}; {glue.SERVICE_AUTHORIZATION_REFERENCE}). On * "
            "the vendor policy lets StarRocks read, rewrite and delete every database and "
            "table of the account's catalog, including those of other workloads."
        ),
        if_reverted=(
            "StarRocks (or anyone holding its credentials) can drop any database in the "
            "account's Data Catalog; cdk-nag reports the Resource *."
        ),
    ),
    Deviation(
        topic="glue:DeleteDatabase and glue:CreateDatabase",
        vendor="granted with every other Glue action on *",
        ours=(
            "only with manage_databases=True, on the named databases (DeleteDatabase also "
            "on their table/DB/* and userDefinedFunction/DB/* descendants)"
        ),
        why=(
            "Querying and loading never create or drop databases; a delete needs "
            "permission on every descendant, so granting it widens the table scope to "
            f"table/DB/* ({glue.RESOURCE_ARNS_GUIDE})."
        ),
        if_reverted="CREATE DATABASE / DROP DATABASE work on any database of the catalog.",
    ),
    Deviation(
        topic="glue:GetConnection(s)",
        vendor="glue:GetConnection and glue:GetConnections on *",
        ours="granted only for the connection names you pass, on connection/NAME",
        why=(
            "Reading Hive/Iceberg metadata from the Data Catalog does not use Glue "
            "connections; a connection's properties can hold JDBC user names and passwords, "
            "which GetConnections returns unless the caller asks to hide them "
            "(https://docs.aws.amazon.com/glue/latest/webapi/API_GetConnections.html)."
        ),
        if_reverted="StarRocks can read every connection's properties, passwords included.",
    ),
    Deviation(
        topic="Glue database default",
        vendor="covered by glue:GetDatabase on *, with every other database",
        ours=(
            "glue:GetDatabase on the catalog and database/default only (no table of it, no "
            "write), unless hive_default_database=False"
        ),
        why=(
            "StarRocks' Hive, Hudi, Delta Lake and unified catalogs embed the AWS Glue Data "
            "Catalog client for Apache Hive Metastore, whose constructor reads database "
            "'default' (awslabs/aws-glue-data-catalog-client-for-apache-hive-metastore "
            "issues 12, 67 and 68); scoping Glue to the named databases alone would deny it."
        ),
        if_reverted=(
            "Dropping it: CREATE EXTERNAL CATALOG of type hive, hudi, deltalake or unified "
            "fails with AccessDenied on glue:GetDatabase for database default."
        ),
    ),
    Deviation(
        topic="the prefix as a directory key",
        vendor="bucket/* (every object) and s3:ListBucket on the whole bucket",
        ours=(
            "besides bucket/prefix/*, s3:GetObject on the one key bucket/prefix and "
            "s3:ListBucket with s3:prefix = prefix exactly (next to prefix/ and prefix/*)"
        ),
        why=(
            "Hadoop S3A, used by StarRocks' Hive-style catalogs for S3 paths, resolves a "
            "directory with a HEAD on the key without its trailing slash before prefix/ "
            "(S3AFileSystem.getFileStatus); S3 answers a missing key with 404 only when the "
            "caller may also list it (https://docs.aws.amazon.com/AmazonS3/latest/API/"
            "API_HeadObject.html). Hadoop's assumed-roles guide grants path, path/ and "
            "path/* for the same reason (https://hadoop.apache.org/docs/stable/hadoop-aws/"
            "tools/hadoop-aws/assumed_roles.html)."
        ),
        if_reverted=(
            "A database or table whose location is the granted prefix itself fails with "
            "AccessDenied (403) on the HEAD of bucket/prefix."
        ),
    ),
    Deviation(
        topic="s3:AbortMultipartUpload",
        vendor="not listed for read/write",
        ours="granted with read_write, on bucket/prefix/* only",
        why=(
            "StarRocks' FE writes Hive, Hudi and Iceberg files through Hadoop S3A, which "
            "uploads a file past fs.s3a.multipart.threshold in parts and aborts the upload "
            "when a part or the completion fails; Hadoop's assumed-roles guide lists "
            "s3:AbortMultipartUpload among the write permissions "
            "(https://hadoop.apache.org/docs/stable/hadoop-aws/tools/hadoop-aws/"
            "assumed_roles.html). The action only ends an upload in progress under the "
            "granted prefix (https://docs.aws.amazon.com/AmazonS3/latest/userguide/"
            "mpuoverview.html#mpuAndPermissions)."
        ),
        if_reverted=(
            "A failed large write leaves its uploaded parts in the bucket, billed as storage, "
            "until a lifecycle rule (AbortIncompleteMultipartUpload) removes them; S3A logs "
            "the AccessDenied of the abort."
        ),
    ),
    *glue.DEVIATIONS,
)
