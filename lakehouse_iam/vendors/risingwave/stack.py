"""Example: RisingWave Cloud reads and writes a bucket prefix through a cross-account role."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from ...stacks.context import context, list_context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from .access import RisingWaveAccess

SQL_OUTPUTS = (
    ("sink", "SqlAssumeRole", "CREATE SINK (S3 file sink, Snowflake/Redshift S3 staging)"),
    ("source", "SqlSource", "CREATE SOURCE / CREATE TABLE (S3 source)"),
    ("iceberg", "SqlIamRoleArn", "CREATE SINK/SOURCE (Iceberg, with your catalog's options)"),
)
"""(form, output logical ID, where to paste it) of each ``WITH (...)`` output."""


class RisingWaveExampleStack(cdk.Stack):
    """A data bucket (created or imported) and the role RisingWave Cloud assumes.

    Outputs the role ARN and one ready-to-paste ``WITH (...)`` fragment per form of
    :meth:`RisingWaveAccess.sql_with_clause`.

    :param workload_identity_role_arn: RisingWave Cloud's workload-identity role ARN.
    :param prefix: key prefix RisingWave writes under.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param redshift_database_users: also trust Redshift for these database users (the
        Redshift sink's COPY). Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workload_identity_role_arn: str,
        prefix: str,
        bucket_name: str | None = None,
        redshift_database_users: Sequence[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        self.risingwave = RisingWaveAccess(
            self,
            "RisingWave",
            workload_identity_role_arn=workload_identity_role_arn,
            bucket=data.bucket,
            prefix=prefix,
            kms_key=data.key,
            redshift_database_users=redshift_database_users,
        )
        cdk.CfnOutput(self, "RoleArn", value=self.risingwave.role_arn)
        for form, output_id, where in SQL_OUTPUTS:
            cdk.CfnOutput(
                self,
                output_id,
                description=f"Paste into {where} ... WITH (...)",
                value=self.risingwave.sql_with_clause(form=form),
            )


def from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-RisingWave`` from its ``lakehouse-iam:risingwave:*`` context."""
    return RisingWaveExampleStack(
        app,
        stack_id,
        workload_identity_role_arn=required_context(app, "risingwave:workloadIdentityRoleArn"),
        prefix=required_context(app, "risingwave:prefix"),
        bucket_name=context(app, "risingwave:bucketName"),
        redshift_database_users=list_context(app, "risingwave:redshiftDatabaseUsers") or None,
        description="lakehouse-iam example: RisingWave Cloud cross-account S3 role",
    )
