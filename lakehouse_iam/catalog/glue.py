"""AWS Glue Data Catalog actions: read vs write, and the ARNs each one is authorized against.

From the Service Authorization Reference for AWS Glue
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html)
and "Specifying AWS Glue resource ARNs"
(https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html):

* Data Catalog resources form a tree: ``catalog`` > ``database/DB`` > ``table/DB/TABLE``
  (and ``userDefinedFunction/DB/NAME``); ``connection/NAME`` hangs off the catalog.
* An action on a resource needs permission on the resource *and every ancestor*: a
  table or partition action needs the catalog, the database and the table ARN.
  Partitions and table versions have no ARN of their own; they are authorized on
  their table.
* A delete needs its descendants too: ``glue:DeleteDatabase`` needs every table and
  user-defined function of the database (``table/DB/*``, ``userDefinedFunction/DB/*``).
* ``glue:GetDatabases`` lists the catalog: it needs the catalog and the databases it may
  return (``database/*`` to list them all). ``glue:GetTables`` returns only the tables
  the caller may read, so it works with exact table ARNs.

The Reference calls the account's default catalog ``rootcatalog``
(``arn:PARTITION:glue:REGION:ACCOUNT:catalog``); its ``catalog`` resource type is a
federated child catalog (``catalog/NAME``), optional for every action here.
:data:`SAR_REQUIRED` keeps the Reference's own type names so tests can compare them.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .deviation import Deviation

SERVICE_AUTHORIZATION_REFERENCE = (
    "https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsglue.html"
)
RESOURCE_ARNS_GUIDE = (
    "https://docs.aws.amazon.com/glue/latest/dg/glue-specifying-resource-arns.html"
)


class GlueArn(Enum):
    """One kind of Glue ARN a statement lists, rendered per granted database/table."""

    CATALOG = "catalog"
    """``catalog``: the account's Data Catalog (the Reference's ``rootcatalog``)."""
    DATABASE = "database/DB"
    """``database/DB`` for each granted database."""
    ALL_DATABASES = "database/*"
    """``database/*``: every database a catalog listing may return."""
    TABLE = "table/DB/TABLE"
    """``table/DB/TABLE`` for each granted table, or ``table/DB/*`` when a granted
    database has no table list."""
    DATABASE_TABLES = "table/DB/*"
    """``table/DB/*``: every table of a granted database (descendants of a delete)."""
    DATABASE_FUNCTIONS = "userDefinedFunction/DB/*"
    """``userDefinedFunction/DB/*``: every function of a granted database."""
    CONNECTION = "connection/NAME"
    """``connection/NAME`` for each granted connection."""


@dataclass(frozen=True)
class GlueScope:
    """The exact set of ARNs an action is authorized against; one statement per scope."""

    name: str
    arns: tuple[GlueArn, ...]


DATABASE_LISTING = GlueScope("DatabaseList", (GlueArn.CATALOG, GlueArn.ALL_DATABASES))
DATABASES = GlueScope("Databases", (GlueArn.CATALOG, GlueArn.DATABASE))
TABLES = GlueScope("Tables", (GlueArn.CATALOG, GlueArn.DATABASE, GlueArn.TABLE))
DATABASE_TREES = GlueScope(
    "DatabaseTrees",
    (GlueArn.CATALOG, GlueArn.DATABASE, GlueArn.DATABASE_TABLES, GlueArn.DATABASE_FUNCTIONS),
)
CONNECTIONS = GlueScope("Connections", (GlueArn.CATALOG, GlueArn.CONNECTION))

SCOPES: tuple[GlueScope, ...] = (DATABASE_LISTING, DATABASES, TABLES, DATABASE_TREES, CONNECTIONS)
"""Every scope, in statement order."""


class Access(Enum):
    """Whether an action only reads the catalog or changes it."""

    READ = "Read"
    WRITE = "Write"


@dataclass(frozen=True)
class GlueAction:
    """One Glue Data Catalog action: its access level, scope and the Reference's types."""

    name: str
    access: Access
    scope: GlueScope
    sar_required: tuple[str, ...]
    """Resource types the Reference marks required (``*``), in its own names."""
    column_statistics: bool = False
    """A column-statistics action: outside the read and write sets, granted only with
    :data:`READ_COLUMN_STATISTICS` / :data:`WRITE_COLUMN_STATISTICS`."""


_CAT_DB = ("database", "rootcatalog")
_CAT_DB_TABLE = ("database", "rootcatalog", "table")


def _action(
    name: str,
    access: Access,
    scope: GlueScope,
    required: tuple[str, ...],
    *,
    column_statistics: bool = False,
) -> GlueAction:
    return GlueAction(
        name=name,
        access=access,
        scope=scope,
        sar_required=required,
        column_statistics=column_statistics,
    )


_R, _W = Access.READ, Access.WRITE

ACTIONS: dict[str, GlueAction] = {
    a.name: a
    for a in (
        # Catalog listing: the catalog plus every database the listing can return.
        _action("glue:GetDatabases", _R, DATABASE_LISTING, _CAT_DB),
        # Database actions: the catalog and the database.
        _action("glue:GetDatabase", _R, DATABASES, _CAT_DB),
        _action("glue:CreateDatabase", _W, DATABASES, _CAT_DB),
        _action("glue:UpdateDatabase", _W, DATABASES, _CAT_DB),
        # A delete also needs every descendant of the database.
        _action(
            "glue:DeleteDatabase",
            _W,
            DATABASE_TREES,
            ("database", "rootcatalog", "table", "userdefinedfunction"),
        ),
        # Table, table-version and partition actions: catalog, database and table.
        _action("glue:GetTable", _R, TABLES, _CAT_DB_TABLE),
        _action("glue:GetTables", _R, TABLES, _CAT_DB_TABLE),
        _action("glue:GetTableVersions", _R, TABLES, _CAT_DB_TABLE),
        _action("glue:GetPartition", _R, TABLES, _CAT_DB_TABLE),
        _action("glue:GetPartitions", _R, TABLES, _CAT_DB_TABLE),
        _action("glue:BatchGetPartition", _R, TABLES, _CAT_DB_TABLE),
        _action("glue:CreateTable", _W, TABLES, _CAT_DB_TABLE),
        _action("glue:UpdateTable", _W, TABLES, _CAT_DB_TABLE),
        _action("glue:DeleteTable", _W, TABLES, _CAT_DB_TABLE),
        _action("glue:CreatePartition", _W, TABLES, _CAT_DB_TABLE),
        _action("glue:BatchCreatePartition", _W, TABLES, _CAT_DB_TABLE),
        _action("glue:UpdatePartition", _W, TABLES, _CAT_DB_TABLE),
        _action("glue:BatchUpdatePartition", _W, TABLES, _CAT_DB_TABLE),
        _action("glue:DeletePartition", _W, TABLES, _CAT_DB_TABLE),
        # Column statistics of a table or of its partitions: authorized on the table.
        *(
            _action(name, level, TABLES, _CAT_DB_TABLE, column_statistics=True)
            for name, level in (
                ("glue:GetColumnStatisticsForTable", _R),
                ("glue:GetColumnStatisticsForPartition", _R),
                ("glue:UpdateColumnStatisticsForTable", _W),
                ("glue:UpdateColumnStatisticsForPartition", _W),
                ("glue:DeleteColumnStatisticsForTable", _W),
                ("glue:DeleteColumnStatisticsForPartition", _W),
            )
        ),
        # Connection actions: the catalog and the connection.
        _action("glue:GetConnection", _R, CONNECTIONS, ("connection", "rootcatalog")),
        _action("glue:GetConnections", _R, CONNECTIONS, ("connection", "rootcatalog")),
    )
}
"""Every Data Catalog action this library grants, by name."""


def _names(access: Access, *scopes: GlueScope, column_statistics: bool = False) -> tuple[str, ...]:
    return tuple(
        sorted(
            n
            for n, a in ACTIONS.items()
            if a.access is access and a.scope in scopes and a.column_statistics is column_statistics
        )
    )


# Access sets: named, exact action sets a grant combines.
READ_DATABASES: tuple[str, ...] = _names(Access.READ, DATABASE_LISTING, DATABASES)
"""List the catalog's databases and read the granted ones."""
READ_TABLES: tuple[str, ...] = _names(Access.READ, TABLES)
"""Read tables, table versions and partitions."""
READ: tuple[str, ...] = tuple(sorted(READ_DATABASES + READ_TABLES))
"""The read set (connections excluded: they are granted only by name)."""
WRITE_TABLES: tuple[str, ...] = _names(Access.WRITE, TABLES)
"""Create, update and delete tables and partitions."""
WRITE_DATABASES: tuple[str, ...] = _names(Access.WRITE, DATABASES, DATABASE_TREES)
"""Create, update and delete the granted databases themselves."""
WRITE: tuple[str, ...] = tuple(sorted(WRITE_TABLES + WRITE_DATABASES))
"""The write set."""
READ_CONNECTIONS: tuple[str, ...] = _names(Access.READ, CONNECTIONS)
"""Read named connections (their properties can hold credentials)."""
READ_COLUMN_STATISTICS: tuple[str, ...] = _names(Access.READ, TABLES, column_statistics=True)
"""Read the column statistics of tables and partitions (query planning)."""
WRITE_COLUMN_STATISTICS: tuple[str, ...] = _names(Access.WRITE, TABLES, column_statistics=True)
"""Update and delete the column statistics of tables and partitions (after a write)."""

HIVE_DEFAULT_DATABASE = "default"
"""The database the AWS Glue Data Catalog client for Apache Hive Metastore reads when it
is created: its ``AWSCatalogMetastoreClient`` constructor calls ``getDatabase("default")``
(``createDefaultDatabase``), so every Hive-compatible engine on Glue (Hive, Spark, and
StarRocks' Hive, Hudi, Delta Lake and unified catalogs, which embed a copy of the
client) needs ``glue:GetDatabase`` on it, even when no query touches it
(awslabs/aws-glue-data-catalog-client-for-apache-hive-metastore issues 12, 67 and 68)."""
HIVE_DEFAULT_DATABASE_ACTIONS: tuple[str, ...] = ("glue:GetDatabase",)
"""What the client needs on ``default``: reading its definition, nothing else."""

DEV_ENDPOINT_ACTIONS: tuple[str, ...] = ("glue:GetDevEndpoint", "glue:GetDevEndpoints")
"""Deprecated development-endpoint actions: never granted (see :data:`DEVIATIONS`)."""

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="Glue development endpoints",
        vendor="glue:GetDevEndpoint and glue:GetDevEndpoints on *",
        ours="not granted",
        why=(
            "Development endpoints serve Glue 0.9/1.0 Spark jobs; the console for them was "
            "removed on 2023-03-31 and AWS recommends interactive sessions instead "
            "(https://docs.aws.amazon.com/glue/latest/dg/development.html). They are not "
            "part of the Data Catalog: reading databases, tables and partitions never calls "
            "them. glue:GetDevEndpoints has no resource-level permission and would need "
            "Resource *, revealing every endpoint's network settings and public keys "
            f"({SERVICE_AUTHORIZATION_REFERENCE})."
        ),
        if_reverted=(
            "Nothing in the catalog works better; the role can enumerate every development "
            "endpoint of the account and region, and cdk-nag reports the Resource *."
        ),
    ),
)
