"""Example: a Databricks Unity Catalog storage credential role for two external locations."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from ...constructs.s3_location import S3Location
from ...stacks.context import context, flag_context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from .access import DatabricksStorageCredentialAccess


class DatabricksExampleStack(cdk.Stack):
    """A data bucket (created or imported) and the storage credential's role, with two
    external locations (``<prefix>/tables`` and ``<prefix>/files``) and the bucket's key.

    Outputs: ``RoleArn``, ``MasterRoleArn``, ``CredentialSql``, ``LocationSql1`` and
    ``LocationSql2``.

    :param role_name: the role's physical name.
    :param prefix: the key prefix of the external locations.
    :param external_id: the storage credential's external ID (step 2). Default: step 1.
    :param file_events: grant managed file events. Default: ``False``.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        role_name: str,
        prefix: str,
        external_id: str | None = None,
        file_events: bool = False,
        bucket_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        self.credential = DatabricksStorageCredentialAccess(
            self,
            "UnityCatalog",
            role_name=role_name,
            locations=[
                S3Location(bucket=data.bucket, prefix=f"{prefix}/tables"),
                S3Location(bucket=data.bucket, prefix=f"{prefix}/files"),
            ],
            external_id=external_id,
            kms_key=data.key,
            file_events=file_events,
        )
        cdk.CfnOutput(self, "RoleArn", value=self.credential.role_arn)
        cdk.CfnOutput(self, "MasterRoleArn", value=self.credential.master_role_arn)
        cdk.CfnOutput(
            self, "CredentialSql", value=self.credential.create_credential_sql(name="lakehouse")
        )
        for i in range(2):
            cdk.CfnOutput(
                self,
                f"LocationSql{i + 1}",
                value=self.credential.create_location_sql(credential="lakehouse", index=i),
            )


def from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-Databricks`` from its ``lakehouse-iam:databricks:*`` context."""
    return DatabricksExampleStack(
        app,
        stack_id,
        role_name=required_context(app, "databricks:roleName"),
        prefix=required_context(app, "databricks:prefix"),
        external_id=context(app, "databricks:externalId"),
        file_events=flag_context(app, "databricks:fileEvents", default=False),
        bucket_name=context(app, "databricks:bucketName"),
        description="lakehouse-iam example: Databricks Unity Catalog storage credential role",
    )
