"""The StarRocks example stack: Glue database and table, one identity per mode, safe outputs."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from lakehouse_iam.stacks import EXAMPLES
from lakehouse_iam.vendors.starrocks.stack import CREATED_DATABASE, CREATED_TABLE
from tests.helpers import as_list, make_app

STACK = "LakehouseIam-StarRocks"


@cache
def synth(**context: str) -> dict[str, Any]:
    app = make_app(**{f"lakehouse-iam:starrocks:{k}": v for k, v in context.items()})
    EXAMPLES[STACK](app, STACK)
    return app.synth().get_stack_by_name(STACK).template


def of_type(template: dict, kind: str) -> dict[str, dict]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == kind}


def glue_resources(template: dict) -> set[str]:
    found = set()
    for policy in of_type(template, "AWS::IAM::ManagedPolicy").values():
        for s in policy["Properties"]["PolicyDocument"]["Statement"]:
            for r in as_list(s["Resource"]):
                text = json.dumps(r)
                if ":glue:" in text:
                    found.add(text.rsplit(":", 1)[-1].rstrip('"]}'))
    return found


def test_created_glue_database_and_table_and_grants_on_exactly_them():
    template = synth()
    (database,) = of_type(template, "AWS::Glue::Database").values()
    assert database["Properties"]["DatabaseInput"]["Name"] == CREATED_DATABASE
    (table,) = of_type(template, "AWS::Glue::Table").values()
    assert table["Properties"]["DatabaseName"] == CREATED_DATABASE
    assert table["Properties"]["TableInput"]["Name"] == CREATED_TABLE
    assert glue_resources(template) == {
        "catalog",
        "database/*",
        "database/default",  # read by the Glue client for Hive when a catalog starts
        f"database/{CREATED_DATABASE}",
        f"table/{CREATED_DATABASE}/{CREATED_TABLE}",
    }


def test_imported_glue_names_create_nothing_and_scope_the_grant():
    template = synth(glueDatabase="sales", glueTables="orders, customers")
    assert not of_type(template, "AWS::Glue::Database")
    assert not of_type(template, "AWS::Glue::Table")
    assert glue_resources(template) == {
        "catalog",
        "database/*",
        "database/default",
        "database/sales",
        "table/sales/orders",
        "table/sales/customers",
    }


def test_imported_database_without_tables_grants_its_tables_only():
    template = synth(glueDatabase="sales", glueWrite="false", s3Access="batch_load")
    assert glue_resources(template) == {
        "catalog",
        "database/*",
        "database/default",
        "database/sales",
        "table/sales/*",
    }
    actions = {
        a
        for p in of_type(template, "AWS::IAM::ManagedPolicy").values()
        for s in p["Properties"]["PolicyDocument"]["Statement"]
        for a in as_list(s["Action"])
    }
    assert not {"glue:CreateTable", "s3:PutObject", "s3:DeleteObject"} & actions


def test_one_identity_per_mode():
    template = synth()
    roles = of_type(template, "AWS::IAM::Role")
    prefixes = ("AssumedRoleClusterRole", "AssumedRoleDataRole", "InstanceProfileInstanceRole")
    assert sorted(p for k in roles for p in prefixes if k.startswith(p)) == sorted(prefixes)
    assert len(roles) == 3
    assert len(of_type(template, "AWS::IAM::InstanceProfile")) == 2
    assert len(of_type(template, "AWS::IAM::User")) == 1


def test_outputs_are_ready_to_paste_and_never_hold_the_access_key():
    template = synth(externalId="starrocks-ext")
    outputs = template["Outputs"]
    for mode in ("InstanceProfile", "AssumedRole", "IamUser"):
        sql = json.dumps(outputs[f"{mode}CatalogSql"]["Value"])
        assert "CREATE EXTERNAL CATALOG glue_catalog" in sql
        assert '\\"hive.metastore.type\\" = \\"glue\\"' in sql
        assert "aws.s3.region" in sql and "aws.glue.region" in sql
    assumed = json.dumps(outputs["AssumedRoleCatalogSql"]["Value"])
    for key in ("aws.s3.iam_role_arn", "aws.glue.iam_role_arn"):
        assert key in assumed
    assert '\\"aws.glue.external_id\\" = \\"starrocks-ext\\"' in assumed
    (key_id,) = of_type(template, "AWS::IAM::AccessKey")
    (secret_id,) = of_type(template, "AWS::SecretsManager::Secret")
    everything = json.dumps(outputs)
    assert key_id not in everything and "SecretAccessKey" not in everything
    assert outputs["IamUserAccessKeySecretArn"]["Value"] == {"Ref": secret_id}
    assert json.dumps({"Ref": secret_id}) in json.dumps(outputs["IamUserCatalogSql"])


def test_bad_context_names_the_key():
    with pytest.raises(ValueError, match="starrocks:glueWrite='yes'"):
        synth(glueWrite="yes")
