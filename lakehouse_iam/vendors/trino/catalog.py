"""Trino: the Hive, Iceberg and Delta Lake connectors on the AWS Glue Data Catalog, with S3
through Trino's native S3 file system (``fs.native-s3.enabled=true``).

Trino's documentation lists the catalog properties for Glue
(https://trino.io/docs/current/object-storage/metastores.html#aws-glue-catalog-configuration-properties)
and S3 (https://trino.io/docs/current/object-storage/file-system-s3.html) but publishes no
IAM policy, so there is nothing to deviate from: every action below is derived from
Trino's own source at a cited commit (the Glue metastore, Iceberg's and Delta Lake's Glue
table operations, the native S3 file system), and Glue is scoped to catalog, database and
table as :mod:`lakehouse_iam.catalog.glue` renders it.
"""

from __future__ import annotations

from ...catalog import glue, kms
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, Omission, aws_doc, engine

PAGE = (
    "https://trino.io/docs/current/object-storage/metastores.html"
    "#aws-glue-catalog-configuration-properties"
)
"""Trino's Glue catalog properties page: the requirement (it has no IAM policy)."""
S3_PAGE = "https://trino.io/docs/current/object-storage/file-system-s3.html"
"""Trino's native S3 file system properties page."""

# -- S3 (native S3 file system) ---------------------------------------------------------
READ: tuple[str, ...] = ("s3:GetObject", "s3:ListBucket")
READ_WRITE: tuple[str, ...] = (
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:PutObject",
)
S3_ACCESS: dict[str, tuple[str, ...]] = {"read": READ, "read_write": READ_WRITE}
"""S3 access level -> exact actions."""

# -- Glue -----------------------------------------------------------------------------------
GLUE_NOT_SENT: tuple[str, ...] = ("glue:CreatePartition", "glue:GetTableVersions")
"""Actions of the shared Glue read/write sets Trino's Glue clients never send (left out
with ``GlueCatalogGrant(omit=...)``; see :data:`OMISSIONS`)."""

# -- catalog properties (etc/catalog/<name>.properties) --------------------------------------
CONNECTORS: dict[str, tuple[tuple[str, str], ...]] = {
    "hive": (("connector.name", "hive"), ("hive.metastore", "glue")),
    "iceberg": (("connector.name", "iceberg"), ("iceberg.catalog.type", "glue")),
    "delta_lake": (("connector.name", "delta_lake"), ("hive.metastore", "glue")),
}
"""Connector -> the properties that select it and the Glue catalog, in file order."""
NATIVE_S3: tuple[str, str] = ("fs.native-s3.enabled", "true")
"""Selects Trino's native S3 file system (the IAM here is derived from it)."""

DEVIATIONS: tuple[Deviation, ...] = ()
"""Trino documents no IAM policy to deviate from."""

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
_T = "trinodb/trino {}"
_HIVE_GLUE = "plugin/trino-hive/src/main/java/io/trino/plugin/hive/metastore/glue/"
_METASTORE = _T.format(
    _HIVE_GLUE + "GlueHiveMetastore.java@b3fe995fcb5454d17933240d7e39e67ee994ec6d"
)
_GLUE_CREDENTIALS = _T.format(
    _HIVE_GLUE + "GlueCredentialsProvider.java@3658b5fc0c8d858ab013a0211b5ff1764c790439"
)
_ICEBERG_GLUE = "plugin/trino-iceberg/src/main/java/io/trino/plugin/iceberg/catalog/glue/"
_ICEBERG_CATALOG = _T.format(
    _ICEBERG_GLUE + "TrinoGlueCatalog.java@2dc6b1f9d274005b70ed6cac44b9c839d7622d4c"
)
_ICEBERG_OPS = _T.format(
    _ICEBERG_GLUE + "GlueIcebergTableOperations.java@cf360127e0963e62dd7f1e102cdd2976654abdf2"
)
_DELTA_OPS = _T.format(
    "plugin/trino-delta-lake/src/main/java/io/trino/plugin/deltalake/metastore/glue/"
    "DeltaLakeGlueMetastoreTableOperations.java@653fce312bb80d7793e65a03ef52fe282b05b2d5"
)
_S3 = "lib/trino-filesystem-s3/src/main/java/io/trino/filesystem/s3/"
_S3_FS = _T.format(_S3 + "S3FileSystem.java@23fa0054bca4e7735baa5ba34ba893520e22c4a9")
_S3_INPUT = _T.format(_S3 + "S3InputFile.java@23fa0054bca4e7735baa5ba34ba893520e22c4a9")
_S3_OUTPUT = _T.format(_S3 + "S3OutputStream.java@9fd016f2c18669cb5664efe592a04ee089229944")
_S3_LOADER = _T.format(_S3 + "S3FileSystemLoader.java@fbc06048cf296987a31e4ac5999683a0f53c66e3")
_S3_AUTH = "https://docs.aws.amazon.com/AmazonS3/latest/API/"
_MPU = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions"

EVIDENCE: tuple[Need, ...] = (
    # -- S3 ------------------------------------------------------------------------------
    Need(
        actions=("s3:ListBucket",),
        why=(
            "listFiles/directoryExists list a directory (ListObjectsV2, prefix dir/); S3 "
            "answers the HEAD of a missing file with 404 instead of 403 only with it"
        ),
        sources=(
            engine(_S3_FS, "listFiles, directoryExists, deleteDirectory"),
            aws_doc(_S3_AUTH + "API_HeadObject.html"),
        ),
    ),
    Need(
        actions=("s3:GetObject",),
        why="reads data and metadata files (GetObject) and their length or existence (HeadObject)",
        sources=(engine(_S3_INPUT, "newGetObjectRequest, headObject, exists"),),
    ),
    Need(
        actions=("s3:PutObject",),
        why="writes a file (PutObject), or in parts past s3.streaming.part-size (multipart)",
        sources=(engine(_S3_OUTPUT, "flushBuffer, uploadPage, finishUpload"), aws_doc(_MPU)),
        opt_in='s3_access="read_write"',
    ),
    Need(
        actions=("s3:DeleteObject",),
        why=(
            "deleteFile (DeleteObject) and deleteFiles/deleteDirectory (DeleteObjects, each "
            "key authorized as s3:DeleteObject): DROP TABLE, INSERT OVERWRITE, expired "
            "snapshots and orphan files"
        ),
        sources=(
            engine(_S3_FS, "deleteFile, deleteFiles, deleteDirectory"),
            aws_doc(_S3_AUTH + "API_DeleteObjects.html"),
        ),
        opt_in='s3_access="read_write"',
    ),
    Need(
        actions=("s3:AbortMultipartUpload",),
        why="the output stream aborts its multipart upload when a part or the completion fails",
        sources=(engine(_S3_OUTPUT, "close, abortUpload, abortUploadSuppressed"), aws_doc(_MPU)),
        opt_in='s3_access="read_write"',
    ),
    *kms.SSE_KMS_EVIDENCE,
    Need(
        actions=("sts:AssumeRole",),
        why=(
            "assumed-role mode: the cluster role assumes the data role (s3.iam-role / "
            "hive.metastore.glue.iam-role, with s3.external-id / hive.metastore.glue.external-id)"
        ),
        sources=(
            engine(_S3_LOADER, "StsAssumeRoleCredentialsProvider roleArn/externalId"),
            engine(_GLUE_CREDENTIALS, "STSAssumeRoleSessionCredentialsProvider"),
        ),
    ),
    # -- Glue reads ----------------------------------------------------------------------
    Need(
        actions=("glue:GetDatabases",),
        why="SHOW SCHEMAS (Hive/Delta getAllDatabases; Iceberg listNamespaces)",
        sources=(
            engine(_METASTORE, "getDatabasesInternal"),
            engine(_ICEBERG_CATALOG, "listNamespaces"),
        ),
    ),
    Need(
        actions=("glue:GetDatabase",),
        why="every schema lookup (USE, CREATE TABLE's default location, SHOW TABLES)",
        sources=(
            engine(_METASTORE, "getDatabaseInternal"),
            engine(_ICEBERG_CATALOG, "loadNamespaceMetadata"),
        ),
    ),
    Need(
        actions=("glue:GetTable", "glue:GetTables"),
        why="SELECT reads the table (and Iceberg/Delta commits re-read it); SHOW TABLES lists",
        sources=(
            engine(_METASTORE, "getTableInternal, getTablesInternal"),
            engine(_ICEBERG_OPS, "getTable"),
            engine(_DELTA_OPS, "commitToExistingTable"),
        ),
    ),
    Need(
        actions=("glue:GetPartitions", "glue:BatchGetPartition", "glue:GetPartition"),
        why="Hive partition pruning lists, then reads the pruned partitions; DROP PARTITION",
        sources=(engine(_METASTORE, "getPartitionNames, batchGetPartition, getPartition"),),
    ),
    Need(
        actions=glue.READ_COLUMN_STATISTICS,
        why="Hive table and partition column statistics for the cost-based optimizer",
        sources=(
            engine(
                _METASTORE,
                "getTableColumnStatisticsInternal, getPartitionColumnStatisticsInternal",
            ),
        ),
    ),
    # -- Glue writes (GlueCatalogGrant(write=True)) ----------------------------------------
    Need(
        actions=("glue:CreateTable", "glue:DeleteTable", "glue:UpdateTable"),
        why=(
            "CREATE TABLE, DROP TABLE, ALTER TABLE and statistics; Iceberg's and Delta "
            "Lake's commits (UpdateTable with the new metadata location or version)"
        ),
        sources=(
            engine(_METASTORE, "createTable, dropTable, updateTable, updateBasicTableStatistics"),
            engine(_ICEBERG_OPS, "commitNewTable, commitToExistingTable"),
            engine(_DELTA_OPS, "commitToExistingTable"),
        ),
        opt_in="GlueCatalogGrant(write=True)",
    ),
    Need(
        actions=(
            "glue:BatchCreatePartition",
            "glue:BatchUpdatePartition",
            "glue:DeletePartition",
            "glue:UpdatePartition",
        ),
        why=(
            "Hive INSERT registers new partitions and updates the statistics of existing "
            "ones; ALTER/DROP PARTITION"
        ),
        sources=(
            engine(
                _METASTORE,
                "addPartitions, batchUpdatePartitionStatistics, alterPartition, dropPartition",
            ),
        ),
        opt_in="GlueCatalogGrant(write=True)",
    ),
    Need(
        actions=glue.WRITE_COLUMN_STATISTICS,
        why="Hive INSERT and ANALYZE write (and replace) table and partition column statistics",
        sources=(
            engine(_METASTORE, "updateTableStatistics, createUpdatePartitionStatisticsTasks"),
        ),
        opt_in="GlueCatalogGrant(write=True)",
    ),
    Need(
        actions=glue.WRITE_DATABASES,
        why="CREATE SCHEMA, ALTER SCHEMA ... RENAME (Hive) and DROP SCHEMA",
        sources=(
            engine(_METASTORE, "createDatabase, renameDatabase, dropDatabase"),
            engine(_ICEBERG_CATALOG, "createNamespace, dropNamespace"),
        ),
        opt_in="GlueCatalogGrant(manage_databases=True)",
    ),
)
"""Why Trino's roles get each action."""

OMISSIONS: tuple[Omission, ...] = (
    Omission(
        actions=GLUE_NOT_SENT,
        why=(
            "in the shared Glue read/write sets, but no Trino Glue client sends them: "
            "partitions are created in batches (BatchCreatePartition) and table versions "
            "are never read"
        ),
        sources=(engine(_METASTORE, "addPartitions"), engine(_ICEBERG_OPS, "getTable")),
    ),
    Omission(
        actions=(
            "glue:CreateUserDefinedFunction",
            "glue:DeleteUserDefinedFunction",
            "glue:GetUserDefinedFunction",
            "glue:GetUserDefinedFunctions",
            "glue:UpdateUserDefinedFunction",
        ),
        why=(
            "SQL routines stored in Glue (CREATE FUNCTION in a schema) are not part of "
            "querying Hive, Iceberg or Delta Lake tables; listing them catches "
            "AccessDeniedException and returns none"
        ),
        sources=(engine(_METASTORE, "getFunctionsByPatternInternal, createFunction"),),
    ),
    Omission(
        actions=glue.READ_CONNECTIONS,
        why="Trino's Glue metastore and catalogs never read Glue connections",
        sources=(
            engine(_METASTORE, "GlueHiveMetastore"),
            aws_doc("https://docs.aws.amazon.com/glue/latest/webapi/API_GetConnections.html"),
        ),
    ),
)
"""What Trino's roles do not get, and why the engine works without it."""
