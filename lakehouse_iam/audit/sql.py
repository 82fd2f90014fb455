"""The query that selects only the library principals' records, for Athena or CloudTrail Lake.

A large trail is filtered where it lives: the query keeps the records whose role
(``userIdentity.sessionContext.sessionIssuer.arn``) or IAM user (``userIdentity.arn``)
is one of the app's, by the same rule as the streaming audit (the ARN's last path segment
is the deployed name), in the window. Its rows, exported as JSON Lines (Athena
``UNLOAD ... WITH (format = 'JSON')``, CloudTrail Lake's query results), feed
``--events`` unchanged.

* Athena: the CloudTrail table of
  https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html
  (``eventtime`` is an ISO 8601 string, so the window compares strings).
* CloudTrail Lake: the event data store schema of
  https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-supported-event-schemas.html
  (``eventtime`` is a timestamp); the table is the event data store ID.
"""

from __future__ import annotations

from collections.abc import Sequence

from .principals import LibraryPrincipal

__all__ = ["DIALECTS", "emit_sql"]

DIALECTS = ("athena", "cloudtrail-lake")
DEFAULT_TABLES = {"athena": "cloudtrail_logs", "cloudtrail-lake": "EVENT_DATA_STORE_ID"}


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _ends_with(column: str, name: str) -> str:
    # IAM names may hold '_' (a LIKE wildcard); escape it, and the escape character.
    escaped = name.replace("\\", "\\\\").replace("_", "\\_").replace("%", "\\%")
    return f"{column} LIKE {_literal('%/' + escaped)} ESCAPE '\\'"


def emit_sql(
    principals: Sequence[LibraryPrincipal],
    *,
    dialect: str,
    table: str | None = None,
    since: str | None = None,
    until: str | None = None,
) -> str:
    """The query for ``dialect`` (``athena`` or ``cloudtrail-lake``).

    Example::

        from lakehouse_iam.audit.principals import Principals, read_stack_resources

        principals = Principals("cdk.out", read_stack_resources(["resources.json"]))
        print(emit_sql(principals.all, dialect="athena", since="2026-11-01T00:00:00Z"))

    :param since: / :param until: CloudTrail ``eventTime`` strings
        (``2026-11-02T10:00:00Z``, :func:`~lakehouse_iam.audit.run.parse_time`).
    :raises ValueError: for an unknown dialect.
    """
    if dialect not in DIALECTS:
        raise ValueError(f"dialect {dialect!r}: expected one of {', '.join(DIALECTS)}")
    table = table or DEFAULT_TABLES[dialect]
    roles = sorted({p.name for p in principals if p.kind == "role" and p.name})
    users = sorted({p.name for p in principals if p.kind == "user" and p.name})
    unnamed = sorted(f"{p.stack}/{p.path}" for p in principals if not p.name)
    who: list[str] = []
    if roles:
        matches = "\n       OR ".join(
            _ends_with("useridentity.sessioncontext.sessionissuer.arn", r) for r in roles
        )
        who.append(f"(useridentity.type = 'AssumedRole' AND (\n       {matches}))")
    if users:
        matches = "\n       OR ".join(_ends_with("useridentity.arn", u) for u in users)
        who.append(f"(useridentity.type = 'IAMUser' AND (\n       {matches}))")
    conditions = ["(" + "\n    OR ".join(who) + ")" if who else "FALSE"]
    for bound, operator in ((since, ">="), (until, "<")):
        if bound is None:
            continue
        if dialect == "athena":
            conditions.append(f"eventtime {operator} {_literal(bound)}")
        else:
            stamp = bound.replace("T", " ").removesuffix("Z")
            conditions.append(f"eventtime {operator} TIMESTAMP {_literal(stamp)}")
    header = [f"-- lakehouse-iam audit: records of the app's principals ({dialect})"]
    header += [f"-- not matched (deployed name unknown): {name}" for name in unnamed]
    return (
        "\n".join(header) + f"\nSELECT *\nFROM {table}\nWHERE " + "\n  AND ".join(conditions) + "\n"
    )
