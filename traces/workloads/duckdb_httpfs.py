"""DuckDB httpfs on S3: COPY to Parquet (one multipart), glob and hive-partitioned reads.

The part size is lowered (``s3_uploader_max_filesize`` / ``s3_uploader_max_parts_per_file``
give 5 MiB parts, S3's minimum) so one ~20 MB file takes the multipart path that large
exports take with the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import Context, Step
from .duckdb_common import client as client  # re-exported: this workload's client
from .duckdb_common import connect

NAME = "duckdb-httpfs"
NOTES = (
    "httpfs only (no DuckLake); SET threads = 1; s3_uploader_max_filesize = '50MB' and "
    "s3_uploader_max_parts_per_file = 10 for 5 MiB parts.",
)


def setup(ctx: Context) -> None:
    ctx.admin("s3").create_bucket(Bucket=ctx.bucket)


def steps(ctx: Context) -> list[Step]:
    state: dict[str, Any] = {}
    root = f"s3://{ctx.bucket}/{ctx.prefix}"

    def sql(statement: str) -> Callable[[], object]:
        return lambda: state["con"].execute(statement).fetchall()

    def start() -> object:
        con = connect(ctx, extensions=("httpfs",))
        con.execute("SET s3_uploader_max_filesize = '50MB'")
        con.execute("SET s3_uploader_max_parts_per_file = 10")
        state["con"] = con
        return None

    # md5 strings do not compress: ~20 MB of Parquet, four 5 MiB parts.
    big = (
        "SELECT range AS id, md5(range::VARCHAR) || md5((range + 1)::VARCHAR) AS payload "
        "FROM range(300000)"
    )
    return [
        Step("connect (no request)", start),
        Step(
            "COPY TO parquet (single PUT)",
            sql(f"COPY (SELECT range AS id FROM range(10)) TO '{root}/small/part-0.parquet'"),
        ),
        Step(
            "COPY TO parquet (multipart upload)",
            sql(f"COPY ({big}) TO '{root}/big/part-0.parquet' (COMPRESSION uncompressed)"),
        ),
        Step("read_parquet glob", sql(f"SELECT count(*) FROM read_parquet('{root}/*/*.parquet')")),
        Step(
            "COPY PARTITION_BY (hive write)",
            sql(
                "COPY (SELECT range AS id, range % 2 AS part FROM range(10)) "
                f"TO '{root}/hive' (FORMAT parquet, PARTITION_BY (part))"
            ),
        ),
        Step(
            "read_parquet hive_partitioning",
            sql(
                f"SELECT part, count(*) FROM read_parquet('{root}/hive/**/*.parquet', "
                "hive_partitioning = true) GROUP BY part"
            ),
        ),
    ]
