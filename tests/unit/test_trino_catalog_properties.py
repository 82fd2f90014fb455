"""Trino's etc/catalog/*.properties, checked against Trino's own configuration classes.

The spec below is Trino's, not ours: each key is the ``@Config("...")`` name of a setter in
Trino's source at the cited commit (read there, committed here as literals), or, for
``connector.name``, the catalog-file key of Trino's connector docs:

* ``lib/trino-filesystem-manager/src/main/java/io/trino/filesystem/manager/FileSystemConfig.java``
  (trinodb/trino@98a33503af00549c16ace97de2f51163d39b0408): ``fs.native-s3.enabled``;
* ``lib/trino-filesystem-s3/src/main/java/io/trino/filesystem/s3/S3FileSystemConfig.java``
  (trinodb/trino@bd4613f81895946cb465a90fe98d3c72ce1af47a): ``s3.*``;
* ``plugin/trino-hive/src/main/java/io/trino/plugin/hive/metastore/glue/``
  ``GlueHiveMetastoreConfig.java`` (trinodb/trino@5eade6b9731f2d2ade5c0c83826f6eabe50ba575):
  ``hive.metastore.glue.*``;
* ``plugin/trino-hive/src/main/java/io/trino/plugin/hive/metastore/MetastoreTypeConfig.java``
  (trinodb/trino@710f987d2946b93a951ec710f7856012761dca5a): ``hive.metastore`` (Hive, Delta Lake);
* ``plugin/trino-iceberg/src/main/java/io/trino/plugin/iceberg/IcebergConfig.java``
  (trinodb/trino@58dbfb967a43707c8565670f75f0b4d60b303f06): ``iceberg.catalog.type``;
* https://trino.io/docs/current/connector/hive.html, .../iceberg.html, .../delta-lake.html:
  ``connector.name`` = ``hive``, ``iceberg``, ``delta_lake``.

The Glue properties apply to the Hive, Iceberg and Delta Lake connectors alike
(https://trino.io/docs/current/object-storage/metastores.html#aws-glue-catalog-configuration-properties).
"""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import (
    Ec2InstanceTrust,
    GlueCatalogGrant,
    IrsaTrust,
    PodIdentityTrust,
    RoleTrust,
    S3Location,
)
from lakehouse_iam.vendors.trino.access import TrinoAccess, TrinoPermissions
from tests.helpers import make_app

TRINO_KEYS = {
    # FileSystemConfig
    "fs.native-s3.enabled",
    # S3FileSystemConfig
    "s3.aws-access-key",
    "s3.aws-secret-key",
    "s3.endpoint",
    "s3.region",
    "s3.path-style-access",
    "s3.iam-role",
    "s3.role-session-name",
    "s3.external-id",
    "s3.sts.endpoint",
    "s3.sts.region",
    "s3.sse.type",
    "s3.sse.kms-key-id",
    "s3.streaming.part-size",
    "s3.requester-pays",
    "s3.max-connections",
    # GlueHiveMetastoreConfig
    "hive.metastore.glue.region",
    "hive.metastore.glue.endpoint-url",
    "hive.metastore.glue.pin-client-to-current-region",
    "hive.metastore.glue.max-connections",
    "hive.metastore.glue.max-error-retries",
    "hive.metastore.glue.default-warehouse-dir",
    "hive.metastore.glue.iam-role",
    "hive.metastore.glue.external-id",
    "hive.metastore.glue.aws-access-key",
    "hive.metastore.glue.aws-secret-key",
    "hive.metastore.glue.catalogid",
    "hive.metastore.glue.partitions-segments",
    # MetastoreTypeConfig, IcebergConfig, the connectors' catalog files
    "hive.metastore",
    "iceberg.catalog.type",
    "connector.name",
}

# connector -> its selectors, set as Trino's docs give them.
SELECTORS = {
    "hive": {"connector.name": "hive", "hive.metastore": "glue"},
    "iceberg": {"connector.name": "iceberg", "iceberg.catalog.type": "glue"},
    "delta_lake": {"connector.name": "delta_lake", "hive.metastore": "glue"},
}
ROLE = "arn:aws:iam::111111111111:role/trino-nodes"
TRUSTS = {
    "irsa": IrsaTrust(
        oidc_provider="https://oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        namespace="trino",
        service_account="trino",
    ),
    "pod-identity": PodIdentityTrust(cluster_name="lake"),
    "instance-profile": Ec2InstanceTrust(),
    "assumed-role": RoleTrust(role=ROLE, external_id="ext-1"),
}


def build(mode: str) -> tuple[cdk.Stack, TrinoAccess]:
    stack = cdk.Stack(
        make_app(), "Spec", env=cdk.Environment(account="111111111111", region="eu-west-1")
    )
    permissions = TrinoPermissions(
        locations=[S3Location(bucket="lake", prefix="trino")],
        glue=GlueCatalogGrant(databases=["sales"], tables=["sales.orders"]),
    )
    return stack, TrinoAccess(stack, "T", permissions=permissions, trust=TRUSTS[mode])


def parsed(stack: cdk.Stack, text: str) -> dict[str, str]:
    """``key=value`` lines of a properties file, tokens rendered as <token>."""
    resolved = stack.resolve(text)
    if not isinstance(resolved, str):
        resolved = "".join(p if isinstance(p, str) else "<token>" for p in resolved["Fn::Join"][1])
    assert resolved.endswith("\n")
    pairs = [line.split("=", 1) for line in resolved.splitlines()]
    assert all(len(p) == 2 for p in pairs), resolved
    return dict(pairs)


@pytest.mark.parametrize("connector", sorted(SELECTORS))
@pytest.mark.parametrize("mode", sorted(TRUSTS))
def test_catalog_files_use_only_trinos_own_property_names(connector, mode):
    # GIVEN a Trino role in one run mode WHEN it renders one connector's catalog file
    stack, access = build(mode)
    props = parsed(stack, access.properties_file(connector))
    # THEN every key is one of Trino's configuration properties
    assert set(props) <= TRINO_KEYS, set(props) - TRINO_KEYS
    # AND the connector and Glue are selected first, then native S3
    assert list(props)[:2] == list(SELECTORS[connector])
    assert {k: props[k] for k in SELECTORS[connector]} == SELECTORS[connector]
    assert props["fs.native-s3.enabled"] == "true"
    assert props["hive.metastore.glue.region"] == props["s3.region"] == "eu-west-1"
    # AND only the assumed-role mode names a role (with its ExternalId) for both services
    credentials = {k: v for k, v in props.items() if k.endswith(("iam-role", "external-id"))}
    if mode == "assumed-role":
        assert credentials == {
            "hive.metastore.glue.iam-role": "<token>",
            "hive.metastore.glue.external-id": "ext-1",
            "s3.iam-role": "<token>",
            "s3.external-id": "ext-1",
        }
    else:
        assert credentials == {}


def test_the_role_in_the_assumed_role_file_is_the_data_role():
    stack, access = build("assumed-role")
    resolved = stack.resolve(access.properties_file("hive"))
    role = {"Fn::GetAtt": [stack.get_logical_id(access.role.node.default_child), "Arn"]}
    assert resolved["Fn::Join"][1].count(role) == 2


def test_a_catalog_id_is_rendered_for_another_accounts_catalog():
    stack = cdk.Stack(make_app(), "Spec")
    access = TrinoAccess(
        stack,
        "T",
        trust=Ec2InstanceTrust(),
        permissions=TrinoPermissions(
            locations=[S3Location(bucket="lake")],
            glue=GlueCatalogGrant(
                databases=["sales"], tables=["sales.orders"], account="222222222222"
            ),
        ),
    )
    assert parsed(stack, access.properties_file("iceberg"))["hive.metastore.glue.catalogid"] == (
        "222222222222"
    )


def test_the_spec_check_fails_on_a_key_trino_does_not_read():
    # GIVEN a file with a StarRocks-style key THEN the spec check sees it
    props = parsed(cdk.Stack(), "connector.name=hive\naws.s3.iam_role_arn=x\n")
    assert set(props) - TRINO_KEYS == {"aws.s3.iam_role_arn"}
