"""AWS Glue Data Catalog access on named databases and tables, never on ``*``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from constructs import Construct

from .._private.stack_facts import stack_facts
from ..catalog import glue as glue_catalog
from ..catalog.glue import GlueArn, GlueScope
from ..validation import PropsCheck, is_token
from .grant import AccessGrant, allow


@dataclass(frozen=True, kw_only=True)
class GlueCatalogGrant(AccessGrant):
    """Glue Data Catalog read (and optionally write) on named databases and tables.

    Every action gets exactly the ARNs the Service Authorization Reference checks it
    against (see :mod:`lakehouse_iam.catalog.glue`), one statement per scope:

    * ``<Sid>ReadDatabaseList``: ``glue:GetDatabases`` on the catalog and
      ``database/*`` (a listing is checked against every database it can return);
    * ``<Sid>ReadDatabases`` / ``<Sid>WriteDatabases``: the catalog and
      ``database/DB`` of each granted database;
    * ``<Sid>ReadTables`` / ``<Sid>WriteTables``: the catalog, the databases and
      ``table/DB/TABLE`` for the listed tables (``table/DB/*`` for a database without
      a table list); partitions and table versions are authorized on their table;
    * ``<Sid>WriteDatabaseTrees``: ``glue:DeleteDatabase`` on the catalog, the database
      and its descendants ``table/DB/*`` and ``userDefinedFunction/DB/*``;
    * ``<Sid>ReadConnections``: ``glue:GetConnection(s)`` on ``connection/NAME``;
    * ``<Sid>ReadHiveDefaultDatabase`` (``hive_default_database=True``): only
      ``glue:GetDatabase`` on the catalog and ``database/default``, which the AWS Glue
      Data Catalog client for Hive reads when it starts (see
      :data:`lakehouse_iam.catalog.glue.HIVE_DEFAULT_DATABASE`).

    No Glue action is ever granted on ``*``.

    Example::

        GlueCatalogGrant(databases=["sales"], tables=["sales.orders"], write=True)

    :param databases: Glue database names (lowercase). At least one.
    :param tables: ``"database.table"`` names (literal strings, not tokens) that confine
        table access in their database. Default: every table of each granted database
        (``table/DB/*``).
    :param write: also grant the table and partition write set (create, update and
        delete tables and partitions). Default: ``False`` (read only).
    :param manage_databases: also grant create, update and delete of the granted
        databases themselves. Deleting a database needs ``table/DB/*``, so it cannot be
        combined with ``tables``. Default: ``False``.
    :param list_databases: grant ``glue:GetDatabases`` (``SHOW DATABASES``) on the
        catalog and ``database/*``; it returns the definitions, not the tables, of every
        database. Default: ``True``.
    :param connections: Glue connection names to read. Default: none (no connection
        action is granted).
    :param hive_default_database: let a Hive-compatible Glue client start: read the
        definition of database ``default`` (``glue:GetDatabase`` only; no table of it, no
        write). Default: ``False``.
    :param column_statistics: also read the column statistics of the granted tables and
        their partitions (``glue:GetColumnStatisticsFor{Table,Partition}``) and, with
        ``write``, update and delete them. Default: ``False``.
    :param omit: exact actions of the sets above to leave out, for an engine whose source
        never sends them (say which in its catalog's evidence). Default: none.
    :param read_actions: exactly these read actions instead of the whole read set, for
        an engine whose vendor documents fewer (Snowflake's Glue catalog integration
        calls only ``glue:GetTable`` and ``glue:GetTables``): a non-empty subset of
        ``glue:GetDatabase`` and :data:`~lakehouse_iam.catalog.glue.READ_TABLES`.
        ``list_databases`` still decides ``glue:GetDatabases``. Default: ``glue:GetDatabase``
        and every table read action.
    :param account: the account that owns the Data Catalog. Default: the stack's.
    :param region: the catalog's region. Default: the stack's.
    :param name: stable alphanumeric name of the policy and Sid prefix.
        Default: ``GlueCatalog``.
    """

    READ = glue_catalog.READ
    WRITE = glue_catalog.WRITE

    databases: Sequence[str]
    tables: Sequence[str] = ()
    write: bool = False
    manage_databases: bool = False
    list_databases: bool = True
    connections: Sequence[str] = ()
    hive_default_database: bool = False
    column_statistics: bool = False
    omit: Sequence[str] = ()
    read_actions: Sequence[str] | None = None
    account: str | None = None
    region: str | None = None
    name: str = field(default="GlueCatalog")

    def __post_init__(self) -> None:
        check = PropsCheck("GlueCatalogGrant")
        if isinstance(self.databases, str) or not self.databases:
            check.add("databases", self.databases, "a non-empty sequence of Glue database names")
        else:
            for i, db in enumerate(self.databases):
                check.glue_name(f"databases[{i}]", db, kind="database")
        tables: dict[str, list[str]] = {}
        if isinstance(self.tables, str):
            check.add("tables", self.tables, "a sequence of 'database.table' names")
        else:
            for i, qualified in enumerate(self.tables):
                parsed = _split_table(qualified)
                if parsed is None:
                    check.add(f"tables[{i}]", qualified, "'database.table' (one '.')")
                    continue
                db, table = parsed
                check.glue_name(f"tables[{i}] database", db, kind="database")
                check.glue_name(f"tables[{i}] table", table, kind="table")
                if not isinstance(self.databases, str) and db not in self.databases:
                    check.add(f"tables[{i}]", qualified, "a table of one of the granted databases")
                tables.setdefault(db, []).append(table)
        if self.manage_databases and self.tables:
            check.add(
                "manage_databases",
                True,
                "False when tables are listed: glue:DeleteDatabase needs table/DB/*, "
                "every table of the database, which would undo the table list",
            )
        if isinstance(self.connections, str):
            check.add("connections", self.connections, "a sequence of Glue connection names")
        else:
            for i, conn in enumerate(self.connections):
                check.glue_connection_name(f"connections[{i}]", conn)
        check.boolean("hive_default_database", self.hive_default_database)
        check.boolean("column_statistics", self.column_statistics)
        if isinstance(self.omit, str):
            check.add("omit", self.omit, "a sequence of exact Glue actions")
        else:
            for i, action in enumerate(self.omit):
                if action not in glue_catalog.ACTIONS or action == "glue:GetDatabase":
                    check.add(
                        f"omit[{i}]",
                        action,
                        "a Glue Data Catalog action of this grant other than glue:GetDatabase",
                    )
        if self.read_actions is not None:
            readable = ("glue:GetDatabase", *glue_catalog.READ_TABLES)
            check.action_list("read_actions", self.read_actions, readable, service="Glue read")
        if self.account is not None:
            check.account_id("account", self.account)
        if self.region is not None:
            check.aws_region("region", self.region)
        check.sid("name", self.name)
        check.raise_if_any()
        check.keep_deferred(self)
        object.__setattr__(self, "databases", tuple(dict.fromkeys(self.databases)))
        object.__setattr__(self, "tables", tuple(dict.fromkeys(self.tables)))
        object.__setattr__(self, "connections", tuple(dict.fromkeys(self.connections)))
        object.__setattr__(self, "omit", tuple(sorted(set(self.omit))))
        if self.read_actions is not None:
            object.__setattr__(self, "read_actions", tuple(sorted(set(self.read_actions))))

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and the prefix of its Sids."""
        return self.name

    @property
    def description(self) -> str:
        """The managed policy's description."""
        level = "read-write" if self.write or self.manage_databases else "read-only"
        return f"Glue Data Catalog {level} access to {', '.join(self.databases)}"[:1000]

    @property
    def actions(self) -> tuple[str, ...]:
        """The exact Glue actions granted, sorted."""
        if self.read_actions is not None:
            chosen = set(self.read_actions)
        else:
            chosen = {"glue:GetDatabase", *glue_catalog.READ_TABLES}
        if self.list_databases:
            chosen.add("glue:GetDatabases")
        if self.write:
            chosen |= set(glue_catalog.WRITE_TABLES)
        if self.manage_databases:
            chosen |= set(glue_catalog.WRITE_DATABASES)
        if self.connections:
            chosen |= set(glue_catalog.READ_CONNECTIONS)
        if self.column_statistics:
            chosen |= set(glue_catalog.READ_COLUMN_STATISTICS)
            if self.write:
                chosen |= set(glue_catalog.WRITE_COLUMN_STATISTICS)
        return tuple(sorted(chosen - set(self.omit)))

    def tables_of(self, database: str) -> tuple[str, ...]:
        """The listed tables of ``database``; empty when all its tables are granted."""
        # Every entry was validated as exactly one "database.table" in __post_init__.
        pairs = (qualified.split(".") for qualified in self.tables)
        return tuple(table for db, table in pairs if db == database)

    # -- ARNs ----------------------------------------------------------------------------
    def _base(self, scope: Construct) -> str:
        """``arn:PARTITION:glue:REGION:ACCOUNT``: the start of every Glue ARN of the grant."""
        stack = stack_facts(scope)
        region = self.region or stack.region
        return f"arn:{stack.partition}:glue:{region}:{self.account or stack.account}"

    def arns(self, scope: Construct, kind: GlueArn) -> list[str]:
        """The ARNs of one kind, rendered for the granted databases, tables, connections."""
        base = self._base(scope)
        if kind is GlueArn.CATALOG:
            return [f"{base}:catalog"]
        if kind is GlueArn.ALL_DATABASES:
            return [f"{base}:database/*"]
        if kind is GlueArn.DATABASE:
            return [f"{base}:database/{db}" for db in self.databases]
        if kind is GlueArn.TABLE:
            return [
                f"{base}:table/{db}/{table}"
                for db in self.databases
                for table in (self.tables_of(db) or ("*",))
            ]
        if kind is GlueArn.DATABASE_TABLES:
            return [f"{base}:table/{db}/*" for db in self.databases]
        if kind is GlueArn.DATABASE_FUNCTIONS:
            return [f"{base}:userDefinedFunction/{db}/*" for db in self.databases]
        if kind is GlueArn.CONNECTION:
            return [f"{base}:connection/{conn}" for conn in self.connections]
        raise AssertionError(kind)  # pragma: no cover - every GlueArn is handled above

    def resources_of(self, scope: Construct, glue_scope: GlueScope) -> list[str]:
        """Every ARN a statement of ``glue_scope`` lists, in the scope's order."""
        return [arn for kind in glue_scope.arns for arn in self.arns(scope, kind)]

    def _groups(self) -> list[tuple[glue_catalog.Access, GlueScope, list[str]]]:
        groups = []
        for access in glue_catalog.Access:
            for glue_scope in glue_catalog.SCOPES:
                actions = [
                    a
                    for a in self.actions
                    if glue_catalog.ACTIONS[a].access is access
                    and glue_catalog.ACTIONS[a].scope is glue_scope
                ]
                if actions:
                    groups.append((access, glue_scope, actions))
        return groups

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        statements = [
            allow(
                f"{self.sid}{access.value}{glue_scope.name}",
                actions,
                self.resources_of(scope, glue_scope),
            )
            for access, glue_scope, actions in self._groups()
        ]
        if self.hive_default_database and glue_catalog.HIVE_DEFAULT_DATABASE not in self.databases:
            base = self._base(scope)
            statements.append(
                allow(
                    f"{self.sid}ReadHiveDefaultDatabase",
                    glue_catalog.HIVE_DEFAULT_DATABASE_ACTIONS,
                    [f"{base}:catalog", f"{base}:database/{glue_catalog.HIVE_DEFAULT_DATABASE}"],
                )
            )
        return statements

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        found: dict[str, tuple[GlueArn, list[str]]] = {}
        for _, glue_scope, actions in self._groups():
            for kind in glue_scope.arns:
                for arn in self.arns(scope, kind):
                    if "*" in arn:
                        found.setdefault(arn, (kind, []))[1].extend(actions)
        return {
            arn: _wildcard_reason(kind, ", ".join(sorted(actions)))
            for arn, (kind, actions) in found.items()
        }


def _split_table(qualified: object) -> tuple[str, str] | None:
    if not isinstance(qualified, str) or is_token(qualified) or qualified.count(".") != 1:
        return None
    db, table = qualified.split(".")
    return db, table


def _wildcard_reason(kind: GlueArn, actions: str) -> str:
    if kind is GlueArn.ALL_DATABASES:
        return (
            "glue:GetDatabases lists the Data Catalog and is authorized against every "
            "database it can return (Service Authorization Reference: database required), "
            "so SHOW DATABASES needs database/*; only GetDatabases is granted on it and it "
            "returns database definitions, never tables or data."
        )
    if kind is GlueArn.DATABASE_FUNCTIONS:
        return (
            "glue:DeleteDatabase needs permission on every descendant of the database "
            "(Specifying AWS Glue resource ARNs), so its user-defined functions are covered "
            "with userDefinedFunction/DB/*; only DeleteDatabase is granted on it, for the "
            "named database only."
        )
    return (
        "Every table of the named database is granted (no table list, or DeleteDatabase, "
        "which needs all descendants), so table/DB/* is the narrowest ARN; partitions and "
        f"table versions are authorized on their table. Granted on it exactly: {actions}."
    )
