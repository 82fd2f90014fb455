"""Example: StarRocks loads from and writes to S3 and uses the Glue Data Catalog, in each
of its three authentication modes (instance profile, assumed role, IAM user)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_glue as glue
from constructs import Construct

from ...constructs.glue_grant import GlueCatalogGrant
from ...constructs.s3_location import S3Location
from ...stacks.context import context, flag_context, list_context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from .access import (
    StarRocksAssumedRoleAccess,
    StarRocksIamUserAccess,
    StarRocksInstanceProfileAccess,
    StarRocksPermissions,
)

CREATED_DATABASE = "lakehouse_iam_starrocks"
"""Name of the Glue database the stack creates when none is imported."""
CREATED_TABLE = "events"
"""Name of the Glue table the stack creates in it."""


class StarRocksExampleStack(cdk.Stack):
    """A data bucket, a Glue database and table, and one StarRocks identity per mode.

    Every mode gets the same permissions: S3 ``s3_access`` on ``bucket/prefix`` (plus
    any ``extra_locations``), SSE-KMS for a created bucket, and Glue read (plus the
    table write set when ``glue_write``) on the database and its listed tables.
    Outputs per mode: a ready-to-paste ``CREATE EXTERNAL CATALOG`` statement and the
    ``aws.s3.*`` properties for ``LOAD``/``FILES()``; the IAM user's key stays in its
    secret, and only the secret's ARN is output.

    :param prefix: key prefix StarRocks uses in the data bucket.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param extra_locations: more ``bucket`` or ``bucket/prefix`` locations. Default: none.
    :param s3_access: ``batch_load`` or ``read_write``. Default: ``read_write``.
    :param glue_database: import this Glue database instead of creating
        ``lakehouse_iam_starrocks`` with table ``events``. Default: create.
    :param glue_tables: tables of an imported database to confine access to.
        Default: every table of an imported database; ``events`` of a created one.
    :param glue_write: grant the Glue table/partition write set. Default: ``True``.
    :param external_id: ExternalId the assumed-role mode requires. Default: none.
    :param catalog_type: StarRocks external catalog type. Default: ``hive``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        prefix: str,
        bucket_name: str | None = None,
        extra_locations: Sequence[str] = (),
        s3_access: str = "read_write",
        glue_database: str | None = None,
        glue_tables: Sequence[str] = (),
        glue_write: bool = True,
        external_id: str | None = None,
        catalog_type: str = "hive",
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        location = S3Location(bucket=data.bucket, prefix=prefix)
        extras = [_location(spec) for spec in extra_locations]

        if glue_database is None:
            database = _create_glue_database(self, location)
            tables = [f"{database}.{CREATED_TABLE}"]
        else:
            database = glue_database
            tables = [f"{database}.{t}" for t in glue_tables]

        permissions = StarRocksPermissions(
            locations=[location, *extras],
            s3_access=s3_access,
            kms_key=data.key,
            glue=GlueCatalogGrant(databases=[database], tables=tables, write=glue_write),
        )
        self.instance_profile = StarRocksInstanceProfileAccess(
            self, "InstanceProfile", permissions=permissions
        )
        self.assumed_role = StarRocksAssumedRoleAccess(
            self, "AssumedRole", permissions=permissions, external_id=external_id
        )
        self.iam_user = StarRocksIamUserAccess(self, "IamUser", permissions=permissions)

        cdk.CfnOutput(self, "InstanceProfileRoleArn", value=self.instance_profile.role_arn)
        cdk.CfnOutput(
            self,
            "InstanceProfileName",
            description="Launch the StarRocks FE and BE/CN instances with this profile",
            value=self.instance_profile.instance_profile.instance_profile_name,
        )
        cdk.CfnOutput(self, "AssumedRoleDataRoleArn", value=self.assumed_role.role_arn)
        cdk.CfnOutput(self, "AssumedRoleClusterRoleArn", value=self.assumed_role.cluster_role_arn)
        cluster_profile = self.assumed_role.instance_profile
        assert cluster_profile is not None  # the cluster role is created here
        cdk.CfnOutput(
            self,
            "AssumedRoleClusterInstanceProfileName",
            description="Launch the StarRocks instances with this profile (assumed-role mode)",
            value=cluster_profile.instance_profile_name,
        )
        cdk.CfnOutput(
            self,
            "IamUserAccessKeySecretArn",
            description="aws secretsmanager get-secret-value --secret-id <this ARN>",
            value=self.iam_user.secret_arn,
        )
        for mode, access in (
            ("InstanceProfile", self.instance_profile),
            ("AssumedRole", self.assumed_role),
            ("IamUser", self.iam_user),
        ):
            cdk.CfnOutput(
                self,
                f"{mode}CatalogSql",
                description=f"Paste into StarRocks ({mode} mode)",
                value=access.create_external_catalog_sql(
                    catalog_name="glue_catalog", catalog_type=catalog_type
                ),
            )
            cdk.CfnOutput(
                self,
                f"{mode}S3Properties",
                description=f"aws.s3.* for LOAD ... WITH BROKER (...) or FILES(...) ({mode} mode)",
                value=access.properties_sql(services=("s3",)),
            )


def _location(spec: str) -> S3Location:
    bucket, _, prefix = spec.strip().partition("/")
    return S3Location(bucket=bucket, prefix=prefix or None)


def _create_glue_database(stack: cdk.Stack, location: S3Location) -> str:
    """A Glue database and a Parquet table over ``location``; returns the database name."""
    database = glue.CfnDatabase(
        stack,
        "GlueDatabase",
        catalog_id=stack.account,
        database_input=glue.CfnDatabase.DatabaseInputProperty(
            name=CREATED_DATABASE,
            description="lakehouse-iam example database for StarRocks",
            # StarRocks' Hive catalog places a CREATE TABLE without LOCATION under the
            # database location (HiveMetastoreOperations.getDefaultLocation) and fails
            # when the database has none.
            location_uri=f"{location.uri().rstrip('/')}/{CREATED_DATABASE}",
        ),
    )
    table = glue.CfnTable(
        stack,
        "GlueTable",
        catalog_id=stack.account,
        database_name=CREATED_DATABASE,
        table_input=glue.CfnTable.TableInputProperty(
            name=CREATED_TABLE,
            table_type="EXTERNAL_TABLE",
            parameters={"classification": "parquet"},
            partition_keys=[glue.CfnTable.ColumnProperty(name="dt", type="string")],
            storage_descriptor=glue.CfnTable.StorageDescriptorProperty(
                location=f"{location.uri().rstrip('/')}/{CREATED_TABLE}/",
                input_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                output_format="org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                serde_info=glue.CfnTable.SerdeInfoProperty(
                    serialization_library=(
                        "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"
                    )
                ),
                columns=[
                    glue.CfnTable.ColumnProperty(name="event_id", type="string"),
                    glue.CfnTable.ColumnProperty(name="event_time", type="timestamp"),
                    glue.CfnTable.ColumnProperty(name="payload", type="string"),
                ],
            ),
        ),
    )
    table.node.add_dependency(database)
    return CREATED_DATABASE


def from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-StarRocks`` from its ``lakehouse-iam:starrocks:*`` context."""
    return StarRocksExampleStack(
        app,
        stack_id,
        prefix=required_context(app, "starrocks:prefix"),
        bucket_name=context(app, "starrocks:bucketName"),
        extra_locations=list_context(app, "starrocks:extraLocations"),
        s3_access=context(app, "starrocks:s3Access") or "read_write",
        glue_database=context(app, "starrocks:glueDatabase"),
        glue_tables=list_context(app, "starrocks:glueTables"),
        glue_write=flag_context(app, "starrocks:glueWrite", default=True),
        external_id=context(app, "starrocks:externalId"),
        catalog_type=context(app, "starrocks:catalogType") or "hive",
        description="lakehouse-iam example: StarRocks S3 and Glue in its three auth modes",
    )
