"""StarRocks: S3 batch load, S3 read/write and the AWS Glue Data Catalog.

Source: StarRocks' "AWS IAM policies" page
(https://docs.starrocks.io/docs/sql-reference/aws_iam_policies/), used with any of
StarRocks' three authentication methods (instance profile, assumed role, IAM user).
The S3 actions are kept as the vendor lists them; the Glue policy (23 actions on
``*``) is split into read and write sets on catalog, database and table ARNs (see
:mod:`lakehouse_iam.catalog.glue`).
"""

from __future__ import annotations

from ...catalog import glue, kms, s3a
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, Omission, aws_doc, engine, trace, vendor_page

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
    s3a.directory_key_deviation(
        engine="StarRocks' Hive-style catalogs",
        prefix="prefix",
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

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
# StarRocks' Hive, Hudi, Delta Lake and unified catalogs on Glue use its copy of awslabs'
# Glue Data Catalog client for Hive (HiveMetaClient -> AWSCatalogMetastoreClient); its
# Iceberg catalog uses Apache Iceberg's GlueCatalog (traced with pyiceberg's Glue catalog).
# The FE reaches S3 through Hadoop S3A, the BE through the AWS SDK for C++.
_SR = "StarRocks/starrocks fe/fe-core/src/main/java/com/starrocks/connector/hive/{}"
_HIVE_CLIENT = _SR.format("HiveMetaClient.java@009156587bca89e6a57599daff9f9d4c5e2c62c1")
_HIVE_COMMIT = _SR.format("HiveCommitter.java@039e00c8bfe474b3dda47335f388237c614d9d27")
_AWSLABS = (
    "awslabs/aws-glue-data-catalog-client-for-apache-hive-metastore {}"
    "@d885a996137b19df6a128cb950ebc43711374e83"
)
_AWSLABS_CLIENT = _AWSLABS.format(
    "aws-glue-datacatalog-hive3-client/src/main/java/com/amazonaws/glue/catalog/metastore/"
    "AWSCatalogMetastoreClient.java"
)
_S3A = s3a.S3A_FILESYSTEM
_S3A_ROLES = s3a.S3A_ASSUMED_ROLES
_BE_WRITE = (
    "StarRocks/starrocks be/src/io/s3_output_stream.cpp@02f6c00abe23ae8f9fda5b2a1508ac6ffa14b7c9"
)
_ICEBERG_TRACE = "traces/fixtures/pyiceberg-glue.json"
_S3 = "Batch load data from AWS S3; Read/write AWS S3"
_GLUE = "Integrate with AWS Glue"
_NO_CALLER = (
    "; no caller in StarRocks' Glue client at the cited commit, kept because the vendor "
    "page lists it and it reaches nothing its granted siblings do not"
)

EVIDENCE: tuple[Need, ...] = (
    # -- S3 ------------------------------------------------------------------------------
    Need(
        actions=("s3:ListBucket",),
        why="S3A lists partition and table directories; getFileStatus's LIST half",
        sources=(
            vendor_page(_S3),
            engine(_S3A, "innerListStatus, s3GetFileStatus"),
            trace(_ICEBERG_TRACE, "create table"),
        ),
    ),
    Need(
        actions=("s3:GetObject",),
        why=(
            "the BE reads data files; S3A HEADs a directory key with and without its slash "
            "(getFileStatus); Iceberg reads metadata and manifests"
        ),
        sources=(
            vendor_page(_S3),
            engine(_S3A, "s3GetFileStatus"),
            engine(_S3A_ROLES, "read access to path, path/ and path/*"),
            trace(_ICEBERG_TRACE, "scan, append"),
        ),
    ),
    Need(
        actions=("s3:PutObject",),
        why="INSERT writes data files (BE, single or multipart), S3A directory markers",
        sources=(
            vendor_page(_S3),
            engine(_BE_WRITE, "singlepart_upload, create_multipart_upload"),
            trace(_ICEBERG_TRACE, "create table, append"),
        ),
        opt_in='s3_access="read_write"',
    ),
    Need(
        actions=("s3:DeleteObject",),
        why="INSERT OVERWRITE removes earlier files; S3A deletes parent directory markers",
        sources=(vendor_page(_S3), engine(_HIVE_COMMIT, "prepareOverwritePartition")),
        opt_in='s3_access="read_write"',
    ),
    Need(
        actions=("s3:AbortMultipartUpload",),
        why="S3A aborts a multipart upload that fails (see DEVIATIONS)",
        sources=(
            engine(_S3A_ROLES, "Write Access Permissions"),
            aws_doc(
                "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html"
                "#mpuAndPermissions"
            ),
        ),
        opt_in='s3_access="read_write"',
    ),
    *kms.SSE_KMS_EVIDENCE,
    Need(
        actions=("sts:AssumeRole",),
        why="assumed-role mode: the instance profile's role assumes the data role",
        sources=(
            engine(
                "StarRocks/starrocks fe/fe-core/src/main/java/com/starrocks/credential/aws/"
                "AwsCloudCredential.java@5190cf5be205a4d5ae6152fc373abe8bb222ee8b",
                "getAssumeRoleCredentialsProvider",
            ),
            aws_doc(
                "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_permissions-to-switch.html"
            ),
        ),
    ),
    # -- Glue reads ----------------------------------------------------------------------
    Need(
        actions=("glue:GetDatabase",),
        why=(
            "every catalog call reads its database; the Hive client's constructor reads "
            "database 'default' (see DEVIATIONS)"
        ),
        sources=(
            vendor_page(_GLUE),
            engine(_AWSLABS_CLIENT + "#L284", "default database check"),
            trace(_ICEBERG_TRACE, "create table"),
        ),
    ),
    Need(
        actions=("glue:GetDatabases",),
        why="SHOW DATABASES (getAllDatabases)",
        sources=(
            vendor_page(_GLUE),
            engine(_HIVE_CLIENT, "getAllDatabaseNames"),
            trace(_ICEBERG_TRACE, "list namespaces"),
        ),
    ),
    Need(
        actions=("glue:GetTable", "glue:GetTables"),
        why="SELECT reads the table; SHOW TABLES lists them",
        sources=(
            vendor_page(_GLUE),
            engine(_HIVE_CLIENT, "getTable, getAllTableNames"),
            trace(_ICEBERG_TRACE, "load table, list tables"),
        ),
    ),
    Need(
        actions=("glue:GetPartition", "glue:GetPartitions", "glue:BatchGetPartition"),
        why="partition pruning lists partitions and reads the pruned ones",
        sources=(
            vendor_page(_GLUE),
            engine(_HIVE_CLIENT, "getPartitionKeys, getPartitionsByNames"),
        ),
    ),
    Need(
        actions=("glue:GetTableVersions",),
        why="listed by the vendor page (a read of the table's history)" + _NO_CALLER,
        sources=(vendor_page(_GLUE),),
    ),
    # -- Glue writes (GlueCatalogGrant(write=True)) ----------------------------------------
    Need(
        actions=("glue:CreateTable", "glue:DeleteTable", "glue:UpdateTable"),
        why="CREATE TABLE, DROP TABLE and the statistics update after INSERT",
        sources=(
            vendor_page(_GLUE),
            engine(_HIVE_CLIENT, "createTable, dropTable, alterTable"),
            trace(_ICEBERG_TRACE, "create table, append (commit), drop table"),
        ),
        opt_in="GlueCatalogGrant(write=True)",
    ),
    Need(
        actions=("glue:BatchCreatePartition", "glue:UpdatePartition", "glue:DeletePartition"),
        why="INSERT registers new partitions and updates existing ones; DROP TABLE drops them",
        sources=(
            vendor_page(_GLUE),
            engine(_HIVE_COMMIT, "prepareAddPartition, prepareAppendPartition"),
        ),
        opt_in="GlueCatalogGrant(write=True)",
    ),
    Need(
        actions=("glue:CreatePartition", "glue:BatchUpdatePartition"),
        why="listed by the vendor page (single and batch forms of granted writes)" + _NO_CALLER,
        sources=(vendor_page(_GLUE),),
        opt_in="GlueCatalogGrant(write=True)",
    ),
    Need(
        actions=glue.WRITE_DATABASES,
        why="CREATE DATABASE, ALTER DATABASE and DROP DATABASE",
        sources=(vendor_page(_GLUE),),
        opt_in="GlueCatalogGrant(manage_databases=True)",
    ),
    Need(
        actions=glue.READ_CONNECTIONS,
        why="only for the Glue connections you name",
        sources=(vendor_page(_GLUE),),
        opt_in="GlueCatalogGrant(connections=[...])",
    ),
)
"""Why StarRocks' identities get each action."""

OMISSIONS: tuple[Omission, ...] = (
    Omission(
        actions=glue.DEV_ENDPOINT_ACTIONS,
        why=(
            "Glue development endpoints are not part of the Data Catalog: no catalog read "
            "or write calls them (see DEVIATIONS)"
        ),
        sources=(
            vendor_page(_GLUE),
            aws_doc("https://docs.aws.amazon.com/glue/latest/dg/development.html"),
        ),
    ),
)
"""What the vendor page lists that StarRocks' identities do not get."""
