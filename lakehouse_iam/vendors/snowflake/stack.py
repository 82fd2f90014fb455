"""Example: Snowflake's external stages, an Iceberg external volume and a Glue catalog
integration, in step 1 (roles that admit no one) or step 2 (trusting Snowflake)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from ...stacks.context import context, list_context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from .access import SnowflakeGlueCatalogAccess, SnowflakeStorageAccess
from .catalog import SnowflakeIntegration


class SnowflakeExampleStack(cdk.Stack):
    """A data bucket (created or imported) and four Snowflake roles.

    ``Stage`` (storage integration, read-only: loading), ``Unload`` (storage integration,
    read/write: unloading and purging), ``Volume`` (external volume, read/write,
    SSE-KMS: Snowflake-managed Iceberg tables) and ``Glue`` (catalog integration for AWS
    Glue). Outputs per role: ``<Id>RoleArn``, ``<Id>CreateSql``, ``<Id>DescribeSql`` and
    ``<Id>NextStep``.

    :param prefix: the key prefix; the stage, unload and volume use ``<prefix>/stage``,
        ``<prefix>/unload`` and ``<prefix>/iceberg``.
    :param glue_databases: the Glue databases of the catalog integration.
    :param snowflake_user_arn: ``STORAGE_AWS_IAM_USER_ARN`` (step 2). Default: step 1.
    :param external_ids: the ExternalId of ``Stage``, ``Unload`` and ``Volume``, by ID.
    :param glue_user_arn: ``GLUE_AWS_IAM_USER_ARN`` (step 2). Default: step 1.
    :param glue_external_id: ``GLUE_AWS_EXTERNAL_ID``. Default: none.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        prefix: str,
        glue_databases: list[str],
        external_ids: dict[str, str | None],
        snowflake_user_arn: str | None = None,
        glue_user_arn: str | None = None,
        glue_external_id: str | None = None,
        bucket_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        storage = SnowflakeIntegration.STORAGE_INTEGRATION
        volume = SnowflakeIntegration.EXTERNAL_VOLUME
        self.storage: dict[str, SnowflakeStorageAccess] = {}
        for role_id, integration, write, where, kms_key in (
            ("Stage", storage, False, "stage", None),
            ("Unload", storage, True, "unload", None),
            ("Volume", volume, True, "iceberg", data.key),
        ):
            access = SnowflakeStorageAccess(
                self,
                role_id,
                bucket=data.bucket,
                prefix=f"{prefix}/{where}",
                integration=integration,
                write=write,
                snowflake_user_arn=snowflake_user_arn,
                external_id=external_ids.get(role_id),
                kms_key=kms_key,
            )
            self.storage[role_id] = access
            name = f"lakehouse_{where}"
            cdk.CfnOutput(self, f"{role_id}RoleArn", value=access.role_arn)
            cdk.CfnOutput(self, f"{role_id}CreateSql", value=access.create_sql(name=name))
            cdk.CfnOutput(self, f"{role_id}DescribeSql", value=access.describe_sql(name=name))
            cdk.CfnOutput(self, f"{role_id}NextStep", value=access.next_step(name=name))
        self.glue = SnowflakeGlueCatalogAccess(
            self,
            "Glue",
            databases=glue_databases,
            glue_user_arn=glue_user_arn,
            external_id=glue_external_id,
        )
        cdk.CfnOutput(self, "GlueRoleArn", value=self.glue.role_arn)
        cdk.CfnOutput(self, "GlueCreateSql", value=self.glue.create_sql())
        cdk.CfnOutput(self, "GlueDescribeSql", value=self.glue.describe_sql())


def from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-Snowflake`` from its ``lakehouse-iam:snowflake:*`` context."""
    return SnowflakeExampleStack(
        app,
        stack_id,
        prefix=required_context(app, "snowflake:prefix"),
        glue_databases=list_context(app, "snowflake:glueDatabases"),
        snowflake_user_arn=context(app, "snowflake:userArn"),
        external_ids={
            "Stage": context(app, "snowflake:stageExternalId"),
            "Unload": context(app, "snowflake:unloadExternalId"),
            "Volume": context(app, "snowflake:volumeExternalId"),
        },
        glue_user_arn=context(app, "snowflake:glueUserArn"),
        glue_external_id=context(app, "snowflake:glueExternalId"),
        bucket_name=context(app, "snowflake:bucketName"),
        description="lakehouse-iam example: Snowflake storage integration, external volume, Glue",
    )
