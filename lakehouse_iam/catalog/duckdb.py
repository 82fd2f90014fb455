"""What DuckDB (httpfs) and its DuckLake extension send to S3: evidence shared by the
engines that embed them (BoilStream, DuckLake Container).

Recorded with duckdb 1.4.4, httpfs and ducklake 1.4.4.20260205 against moto
(``traces/fixtures/duckdb-ducklake.json``, ``traces/fixtures/duckdb-httpfs.json``,
re-recorded by ``make traces``); the replay maps each request to the authorization
request AWS makes and evaluates it against the example stacks' roles.
"""

from __future__ import annotations

from .evidence import Need, aws_doc, trace

DUCKLAKE_TRACE = "traces/fixtures/duckdb-ducklake.json"
HTTPFS_TRACE = "traces/fixtures/duckdb-httpfs.json"
_S3_API = "https://docs.aws.amazon.com/AmazonS3/latest/API/"

WRITE = Need(
    actions=("s3:PutObject",),
    why=(
        "DuckLake INSERT/UPDATE/compaction and httpfs COPY write Parquet files: a PutObject, "
        "or CreateMultipartUpload/UploadPart/CompleteMultipartUpload past the part size "
        "(all authorized as s3:PutObject)"
    ),
    sources=(
        trace(DUCKLAKE_TRACE, "INSERT, UPDATE, DELETE, merge_adjacent_files"),
        trace(HTTPFS_TRACE, "COPY, COPY PARTITION_BY, one multipart write"),
        aws_doc(
            "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html"
            "#mpuAndPermissions",
            "multipart operations need s3:PutObject",
        ),
    ),
)
READ = Need(
    actions=("s3:GetObject",),
    why="SELECT, compaction and orphan detection HEAD and GET (ranged) the Parquet files",
    sources=(
        trace(DUCKLAKE_TRACE, "SELECT, merge_adjacent_files, delete_orphaned_files"),
        trace(HTTPFS_TRACE, "read_parquet glob, read_parquet hive_partitioning"),
        aws_doc(_S3_API + "API_HeadObject.html", "HEAD needs s3:GetObject"),
    ),
)
LIST = Need(
    actions=("s3:ListBucket",),
    why=(
        "globbed and hive-partitioned reads, and DuckLake's delete_orphaned_files, list "
        "the data path (ListObjectsV2 with a prefix under the granted one)"
    ),
    sources=(
        trace(HTTPFS_TRACE, "read_parquet glob, COPY PARTITION_BY"),
        trace(DUCKLAKE_TRACE, "delete_orphaned_files"),
        aws_doc(_S3_API + "API_ListObjectsV2.html", "needs s3:ListBucket"),
    ),
)
DELETE = Need(
    actions=("s3:DeleteObject",),
    why=(
        "DuckLake's cleanup_old_files and delete_orphaned_files delete the files that "
        "compaction and DELETE left unreferenced"
    ),
    sources=(trace(DUCKLAKE_TRACE, "cleanup_old_files, delete_orphaned_files"),),
)

S3_EVIDENCE: tuple[Need, ...] = (LIST, READ, WRITE, DELETE)
"""DuckDB/DuckLake's S3 needs, in the order a workload meets them."""
