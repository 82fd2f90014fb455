"""pyiceberg's Glue catalog: an Iceberg table ``events`` in ``lakehouse_iam_starrocks``.

The names are those of the StarRocks example stack (Glue database
``lakehouse_iam_starrocks``, table ``events``, data under the stack's prefix), so the
replay maps every Glue request 1:1; a request on any other database or table is kept as
sent. Table data and metadata go through pyiceberg's default FileIO (pyarrow's S3
filesystem, the AWS C++ SDK).
"""

from __future__ import annotations

from typing import Any

from .base import ACCESS_KEY, REGION, SECRET_KEY, Context, Step, version

NAME = "pyiceberg-glue"
DATABASE = "lakehouse_iam_starrocks"
TABLE = "events"
NOTES = (
    f"Glue database {DATABASE} created by the administrator with LocationUri "
    "s3://${bucket}/${prefix}; the workload creates, appends to, scans and drops table "
    f"{TABLE} at s3://${{bucket}}/${{prefix}}/{TABLE}.",
)


def client() -> str:
    return f"pyiceberg {version('pyiceberg')} (glue), pyarrow {version('pyarrow')}"


def setup(ctx: Context) -> None:
    ctx.admin("s3").create_bucket(Bucket=ctx.bucket)
    ctx.admin("glue").create_database(
        DatabaseInput={"Name": DATABASE, "LocationUri": f"s3://{ctx.bucket}/{ctx.prefix}"}
    )


def _pyarrow() -> Any:
    import pyarrow  # type: ignore[import-untyped]

    return pyarrow


def steps(ctx: Context) -> list[Step]:
    state: dict[str, Any] = {}
    identifier = f"{DATABASE}.{TABLE}"

    def load_catalog() -> object:
        from pyiceberg.catalog import load_catalog

        state["catalog"] = load_catalog(
            "glue",
            **{
                "type": "glue",
                "glue.endpoint": ctx.endpoint,
                "glue.region": REGION,
                "glue.access-key-id": ACCESS_KEY,
                "glue.secret-access-key": SECRET_KEY,
                "s3.endpoint": ctx.endpoint,
                "s3.region": REGION,
                "s3.access-key-id": ACCESS_KEY,
                "s3.secret-access-key": SECRET_KEY,
            },
        )
        return None

    def create_table() -> object:
        pa = _pyarrow()

        schema = pa.schema([("id", pa.int64()), ("name", pa.string())])
        location = f"s3://{ctx.bucket}/{ctx.prefix}/{TABLE}"
        return state["catalog"].create_table(identifier, schema=schema, location=location)

    def append() -> object:
        pa = _pyarrow()

        table = state["catalog"].load_table(identifier)
        table.append(pa.table({"id": [1, 2, 3], "name": ["a", "b", "c"]}))
        return None

    def scan() -> object:
        return state["catalog"].load_table(identifier).scan().to_arrow().num_rows

    return [
        Step("load catalog", load_catalog),
        Step("list namespaces", lambda: state["catalog"].list_namespaces()),
        Step("list tables", lambda: state["catalog"].list_tables(DATABASE)),
        Step("create table", create_table),
        Step("load table", lambda: state["catalog"].load_table(identifier)),
        Step("append (commit: glue UpdateTable)", append),
        Step("scan", scan),
        Step("drop table", lambda: state["catalog"].drop_table(identifier)),
    ]
