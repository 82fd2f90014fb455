"""Example: RisingWave Cloud reads and writes a bucket prefix through a cross-account role."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from ...stacks.context import context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from .access import RisingWaveAccess


class RisingWaveExampleStack(cdk.Stack):
    """A data bucket (created or imported) and the role RisingWave Cloud assumes.

    Outputs the role ARN and both ready-to-paste ``WITH (...)`` fragments.

    :param workload_identity_role_arn: RisingWave Cloud's workload-identity role ARN.
    :param prefix: key prefix RisingWave writes under.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param external_id: optional ExternalId to require in the trust policy.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workload_identity_role_arn: str,
        prefix: str,
        bucket_name: str | None = None,
        external_id: str | None = None,
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
            external_id=external_id,
            kms_key=data.key,
        )
        cdk.CfnOutput(self, "RoleArn", value=self.risingwave.role_arn)
        for form, output_id in (
            ("assume_role", "SqlAssumeRole"),
            ("iam_role_arn", "SqlIamRoleArn"),
        ):
            cdk.CfnOutput(
                self,
                output_id,
                description=f"Paste into CREATE SINK/SOURCE ... WITH (...) (s3.{form} form)",
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
        external_id=context(app, "risingwave:externalId"),
        description="lakehouse-iam example: RisingWave Cloud cross-account S3 role",
    )
