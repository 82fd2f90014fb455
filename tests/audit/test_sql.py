"""``--emit-sql``: the query parses as Trino (Athena's engine) and, run by DuckDB over the
fixture records in a table of the documented schema, returns exactly the records the
streaming audit attributes to the app's principals."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from lakehouse_iam.audit import emit_sql, read_records
from lakehouse_iam.audit.principals import Principals, read_stack_resources
from lakehouse_iam.audit.run import parse_time

from .conftest import LAKE_EXPORT, LOOKUP_EVENTS, STACK_RESOURCES, TRAIL

duckdb = pytest.importorskip("duckdb")

INPUTS = [TRAIL, LOOKUP_EVENTS, LAKE_EXPORT]
_IDENTITY = (
    "STRUCT(type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, "
    "invokedby VARCHAR, accesskeyid VARCHAR, username VARCHAR, sessioncontext STRUCT("
    "attributes STRUCT(mfaauthenticated VARCHAR, creationdate VARCHAR), sessionissuer STRUCT("
    "type VARCHAR, principalid VARCHAR, arn VARCHAR, accountid VARCHAR, username VARCHAR)))"
)
COLUMNS = {
    # https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html (Athena)
    # and .../awscloudtrail/latest/userguide/query-supported-event-schemas.html (Lake):
    # the same names; Lake's eventtime is a timestamp.
    "eventversion": "VARCHAR",
    "useridentity": _IDENTITY,
    "eventtime": "VARCHAR",
    "eventsource": "VARCHAR",
    "eventname": "VARCHAR",
    "awsregion": "VARCHAR",
    "sourceipaddress": "VARCHAR",
    "useragent": "VARCHAR",
    "errorcode": "VARCHAR",
    "errormessage": "VARCHAR",
    "requestparameters": "VARCHAR",
    "responseelements": "VARCHAR",
    "requestid": "VARCHAR",
    "eventid": "VARCHAR",
    "resources": "STRUCT(arn VARCHAR, accountid VARCHAR, type VARCHAR)[]",
    "eventtype": "VARCHAR",
    "readonly": "VARCHAR",
    "recipientaccountid": "VARCHAR",
}


JSON_STRING_COLUMNS = {
    "requestparameters": "requestParameters",
    "responseelements": "responseElements",
}


def _lower(value):
    if isinstance(value, dict):
        return {k.lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def load_table(connection, tmp_path: Path, *, lake: bool) -> None:
    rows = tmp_path / "rows.jsonl"
    with rows.open("w") as out:
        for record in read_records(INPUTS):
            row = {k.lower(): _lower(v) for k, v in record.items() if k.lower() in COLUMNS}
            for column, field in JSON_STRING_COLUMNS.items():
                row[column] = json.dumps(record.get(field))
            if lake:
                row["eventtime"] = record["eventTime"].replace("T", " ").replace("Z", "")
            out.write(json.dumps(row) + "\n")
    columns = dict(COLUMNS, eventtime="TIMESTAMP" if lake else "VARCHAR")
    spec = ", ".join(f"'{name}': '{kind}'" for name, kind in columns.items())
    connection.execute(
        f"CREATE TABLE trail AS SELECT * FROM read_json('{rows}', "
        f"format = 'newline_delimited', columns = {{{spec}}})"
    )


def attributed(cdk_out: Path, since: str | None, until: str | None) -> set[str]:
    principals = Principals(cdk_out, read_stack_resources(STACK_RESOURCES))
    return {
        r["eventID"]
        for r in read_records(INPUTS)
        if principals.match(r) is not None
        and (since is None or r["eventTime"] >= since)
        and (until is None or r["eventTime"] < until)
    }


WINDOWS = [(None, None), ("2026-11-02T10:01:00Z", "2026-11-02T11:40:03Z")]


@pytest.mark.parametrize("dialect", ["athena", "cloudtrail-lake"])
@pytest.mark.parametrize(("since", "until"), WINDOWS)
def test_the_query_returns_exactly_the_attributed_records(cdk_out, tmp_path, dialect, since, until):
    # GIVEN the fixture records in a table of the engine's schema
    connection = duckdb.connect()
    load_table(connection, tmp_path, lake=dialect == "cloudtrail-lake")
    principals = Principals(cdk_out, read_stack_resources(STACK_RESOURCES))
    # WHEN the emitted query runs over it
    sql = emit_sql(principals.all, dialect=dialect, table="trail", since=since, until=until)
    selected = {row[0] for row in connection.execute(f"SELECT eventid FROM ({sql})").fetchall()}
    # THEN it selects exactly what the streaming audit attributes (and not nothing)
    expected = attributed(cdk_out, since, until)
    assert selected == expected
    total = connection.execute("SELECT count(*) FROM trail").fetchone()[0]
    assert 0 < len(expected) < total


def test_a_name_with_an_underscore_matches_only_itself(tmp_path):
    # '_' is a LIKE wildcard: the query escapes it
    connection = duckdb.connect()
    connection.execute(
        "CREATE TABLE t (useridentity STRUCT(type VARCHAR, arn VARCHAR, "
        "sessioncontext STRUCT(sessionissuer STRUCT(arn VARCHAR))), eventtime VARCHAR)"
    )
    for name in ("etl_role", "etlXrole"):
        connection.execute(
            "INSERT INTO t VALUES ({'type': 'AssumedRole', 'arn': NULL, "
            "'sessioncontext': {'sessionissuer': {'arn': ?}}}, '2026-11-02T10:00:00Z')",
            [f"arn:aws:iam::111122223333:role/{name}"],
        )

    class Role:
        kind, name, stack, path = "role", "etl_role", "S", "P"

    sql = emit_sql([Role()], dialect="athena", table="t")  # type: ignore[list-item]
    rows = connection.execute(
        f"SELECT useridentity.sessioncontext.sessionissuer.arn FROM ({sql})"
    ).fetchall()
    assert rows == [("arn:aws:iam::111122223333:role/etl_role",)]


@pytest.mark.parametrize("dialect", ["athena", "cloudtrail-lake"])
def test_the_query_parses_as_trino(cdk_out, dialect):
    sqlglot = pytest.importorskip("sqlglot")
    principals = Principals(cdk_out, read_stack_resources(STACK_RESOURCES))
    sql = emit_sql(principals.all, dialect=dialect, since=parse_time("2026-11-01"))
    (statement,) = sqlglot.parse(sql, read="trino")
    assert statement is not None and statement.key == "select"
