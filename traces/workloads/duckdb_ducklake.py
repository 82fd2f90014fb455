"""DuckLake on S3: the table lifecycle DuckLake Container and BoilStream run.

DuckDB with the PyPI ``ducklake`` and ``httpfs`` extensions; the catalog is a local
DuckDB file and ``DATA_PATH`` is ``s3://<bucket>/<prefix>/``, so every S3 request is a
data-file request. Maintenance follows the DuckLake documentation's functions
(``ducklake_merge_adjacent_files``, ``ducklake_expire_snapshots``,
``ducklake_cleanup_old_files``, ``ducklake_delete_orphaned_files``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .base import Context, Step
from .duckdb_common import client as client  # re-exported: this workload's client
from .duckdb_common import connect

NAME = "duckdb-ducklake"
NOTES = (
    "DuckLake catalog in a local DuckDB file, DATA_PATH s3://${bucket}/${prefix}/; "
    "SET threads = 1 for a stable request order.",
)


def setup(ctx: Context) -> None:
    ctx.admin("s3").create_bucket(Bucket=ctx.bucket)


def steps(ctx: Context) -> list[Step]:
    state: dict[str, Any] = {}
    catalog = ctx.workdir / "catalog.ducklake"

    def sql(statement: str) -> Callable[[], object]:
        return lambda: state["con"].execute(statement).fetchall()

    def attach() -> object:
        state["con"] = connect(ctx)
        return (
            state["con"]
            .execute(
                f"ATTACH 'ducklake:{catalog}' AS lake (DATA_PATH 's3://{ctx.bucket}/{ctx.prefix}/')"
            )
            .fetchall()
        )

    def orphaned() -> object:
        # A file no snapshot references, as a crashed writer leaves behind.
        with ctx.pause():
            ctx.admin("s3").put_object(
                Bucket=ctx.bucket, Key=f"{ctx.prefix}/main/events/orphan.parquet", Body=b"x"
            )
        return sql("CALL ducklake_delete_orphaned_files('lake', cleanup_all => true)")()

    return [
        Step("ATTACH (DATA_PATH on S3)", attach),
        Step("CREATE TABLE", sql("CREATE TABLE lake.events (id INTEGER, name VARCHAR)")),
        Step(
            "INSERT (first data file)",
            sql("INSERT INTO lake.events SELECT i, 'a' || i FROM range(100) r(i)"),
        ),
        Step(
            "INSERT (second data file)",
            sql("INSERT INTO lake.events SELECT i, 'b' || i FROM range(100, 200) r(i)"),
        ),
        Step(
            "INSERT (third data file)",
            sql("INSERT INTO lake.events SELECT i, 'c' || i FROM range(200, 300) r(i)"),
        ),
        Step(
            "merge_adjacent_files (compaction)", sql("CALL ducklake_merge_adjacent_files('lake')")
        ),
        Step("SELECT", sql("SELECT count(*) FROM lake.events")),
        Step("UPDATE", sql("UPDATE lake.events SET name = 'x' WHERE id < 10")),
        Step("DELETE", sql("DELETE FROM lake.events WHERE id >= 290")),
        Step(
            "expire_snapshots", sql("CALL ducklake_expire_snapshots('lake', older_than => now())")
        ),
        Step(
            "cleanup_old_files", sql("CALL ducklake_cleanup_old_files('lake', cleanup_all => true)")
        ),
        Step("delete_orphaned_files", orphaned),
        Step("SELECT (after maintenance)", sql("SELECT count(*) FROM lake.events")),
    ]
