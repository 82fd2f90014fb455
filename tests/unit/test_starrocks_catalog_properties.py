"""StarRocks' CREATE EXTERNAL CATALOG properties, checked against StarRocks' own spec.

The spec below is StarRocks', not ours: the property names are the constants of
``fe/fe-core/src/main/java/com/starrocks/credential/CloudConfigurationConstants.java``
(StarRocks/starrocks@17932f1f7d44ac023515ac4306d286a2208b7155), the metastore selector
of each catalog type is ``HiveConnector.HIVE_METASTORE_TYPE`` (Hive, Hudi and Delta Lake
catalogs), ``IcebergConnector.ICEBERG_CATALOG_TYPE`` and
``UnifiedConnector.UNIFIED_METASTORE_TYPE`` (whose SUPPORTED_METASTORE_TYPE is hive, glue),
and the credential sets per authentication method are those of StarRocks' "Authenticate
to AWS resources" page (https://docs.starrocks.io/docs/integrations/csp_auth/authenticate_to_aws_resources/)
and each catalog page's StorageCredentialParams / MetastoreParams for AWS Glue
(https://docs.starrocks.io/docs/data_source/catalog/hive_catalog/ and the Iceberg, Hudi,
Delta Lake and unified catalog pages).
"""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest

from lakehouse_iam import (
    GlueCatalogGrant,
    S3Location,
    StarRocksAssumedRoleAccess,
    StarRocksIamUserAccess,
    StarRocksInstanceProfileAccess,
    StarRocksPermissions,
)
from tests.helpers import make_app

# CloudConfigurationConstants: every AWS key StarRocks reads for S3 and Glue.
STARROCKS_AWS_KEYS = {
    f"aws.{service}.{name}"
    for service in ("s3", "glue")
    for name in (
        "use_aws_sdk_default_behavior",
        "use_instance_profile",
        "access_key",
        "secret_key",
        "session_token",
        "iam_role_arn",
        "external_id",
        "region",
        "endpoint",
    )
} | {"aws.s3.enable_path_style_access", "aws.s3.enable_ssl"}

# type -> the property that selects the metastore, set to "glue".
METASTORE_SELECTOR = {
    "hive": "hive.metastore.type",
    "hudi": "hive.metastore.type",
    "deltalake": "hive.metastore.type",
    "iceberg": "iceberg.catalog.type",
    "unified": "unified.metastore.type",
}

# Authentication method -> the keys StarRocks' docs require per service (besides region).
CREDENTIALS = {
    "instance_profile": {"use_instance_profile": "true"},
    "assumed_role": {"use_instance_profile": "true", "iam_role_arn": None, "external_id": None},
    "iam_user": {"use_instance_profile": "false", "access_key": None, "secret_key": None},
}


def build(mode: str) -> tuple[cdk.Stack, object]:
    app = make_app()
    stack = cdk.Stack(app, "Spec", env=cdk.Environment(account="111111111111", region="eu-west-1"))
    permissions = StarRocksPermissions(
        locations=[S3Location(bucket="lake", prefix="starrocks")],
        glue=GlueCatalogGrant(databases=["sales"]),
    )
    if mode == "instance_profile":
        return stack, StarRocksInstanceProfileAccess(stack, "S", permissions=permissions)
    if mode == "assumed_role":
        return stack, StarRocksAssumedRoleAccess(
            stack, "S", permissions=permissions, external_id="ext-1"
        )
    return stack, StarRocksIamUserAccess(stack, "S", permissions=permissions)


def parsed(stack: cdk.Stack, sql: str) -> tuple[str, dict[str, str]]:
    """The catalog name and its properties, tokens rendered as <token>."""
    resolved = stack.resolve(sql)
    if not isinstance(resolved, str):
        resolved = "".join(p if isinstance(p, str) else "<token>" for p in resolved["Fn::Join"][1])
    match = re.fullmatch(
        r'CREATE EXTERNAL CATALOG (\w+)\nPROPERTIES \(\n((?:    "[^"]+" = "[^"]*",?\n)+)\);',
        resolved,
    )
    assert match, resolved
    props = dict(re.findall(r'"([^"]+)" = "([^"]*)"', match[2]))
    return match[1], props


@pytest.mark.parametrize("catalog_type", sorted(METASTORE_SELECTOR))
@pytest.mark.parametrize("mode", sorted(CREDENTIALS))
def test_catalog_properties_are_starrocks_documented_keys(catalog_type, mode):
    # GIVEN a StarRocks identity with S3 and Glue, in one of the three modes
    stack, access = build(mode)
    # WHEN it renders CREATE EXTERNAL CATALOG for one catalog type
    name, props = parsed(
        stack, access.create_external_catalog_sql(catalog_name="lake", catalog_type=catalog_type)
    )
    # THEN the type and its own metastore selector come first, set to glue
    assert name == "lake"
    assert list(props)[:2] == ["type", METASTORE_SELECTOR[catalog_type]]
    assert props["type"] == catalog_type and props[METASTORE_SELECTOR[catalog_type]] == "glue"
    # AND every other key is one StarRocks reads, and no selector of another type appears
    rest = {k: v for k, v in props.items() if k not in ("type", METASTORE_SELECTOR[catalog_type])}
    assert set(rest) <= STARROCKS_AWS_KEYS, set(rest) - STARROCKS_AWS_KEYS
    # AND each service has exactly the credential set the docs give for this mode
    for service in ("s3", "glue"):
        keys = {k.split(".", 2)[2]: v for k, v in rest.items() if k.startswith(f"aws.{service}.")}
        expected = {**CREDENTIALS[mode], "region": None}
        assert set(keys) == set(expected), (service, keys)
        for key, value in expected.items():
            if value is not None:
                assert keys[key] == value, (service, key)


def test_the_spec_check_fails_on_an_undocumented_key():
    # GIVEN a statement with a key StarRocks does not read THEN the spec check sees it
    bad = (
        'CREATE EXTERNAL CATALOG lake\nPROPERTIES (\n    "type" = "hive",\n'
        '    "aws.s3.role_arn" = "x"\n);'
    )
    _, props = parsed(cdk.Stack(), bad)
    assert set(props) - {"type"} - STARROCKS_AWS_KEYS == {"aws.s3.role_arn"}
