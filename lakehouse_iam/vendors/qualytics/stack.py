"""Example: Qualytics source and enrichment datastores, in both authentication modes."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from constructs import Construct

from ...stacks.context import context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from .access import QualyticsDatastoreAccess
from .catalog import QualyticsAuthentication, QualyticsDatastore


class QualyticsExampleStack(cdk.Stack):
    """A data bucket (created or imported) and four Qualytics identities.

    ``SourceRole`` / ``EnrichmentRole`` (IAM role mode, recommended) and
    ``SourceAccessKey`` / ``EnrichmentAccessKey`` (access key mode). For each, the
    outputs are what the Qualytics connection form asks for: ``<Id>Uri``,
    ``<Id>RootPath`` and ``<Id>RoleArn`` or ``<Id>AccessKeySecretArn`` (the ARN only;
    read the key from Secrets Manager, it is never an output).

    :param dataplane_role_arn: the Qualytics dataplane (base) role ARN.
    :param source_root_path: Root Path of the source datastore.
    :param enrichment_root_path: Root Path of the enrichment datastore.
    :param external_id: ExternalId the dataplane must send. Default: none.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param kms_key_arn: SSE-KMS key of an imported bucket. Default: the created
        bucket's key, or none for an imported bucket.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        dataplane_role_arn: str,
        source_root_path: str,
        enrichment_root_path: str,
        external_id: str | None = None,
        bucket_name: str | None = None,
        kms_key_arn: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        kms_key = data.key or kms_key_arn
        self.datastores: dict[str, QualyticsDatastoreAccess] = {}
        for datastore, root_path in (
            (QualyticsDatastore.SOURCE, source_root_path),
            (QualyticsDatastore.ENRICHMENT, enrichment_root_path),
        ):
            kind = datastore.value.capitalize()
            self.datastores[f"{kind}Role"] = QualyticsDatastoreAccess(
                self,
                f"{kind}Role",
                bucket=data.bucket,
                root_path=root_path,
                datastore=datastore,
                dataplane_role_arn=dataplane_role_arn,
                external_id=external_id,
                kms_key=kms_key,
            )
            self.datastores[f"{kind}AccessKey"] = QualyticsDatastoreAccess(
                self,
                f"{kind}AccessKey",
                bucket=data.bucket,
                root_path=root_path,
                datastore=datastore,
                authentication=QualyticsAuthentication.ACCESS_KEY,
                kms_key=kms_key,
            )
        for output_id, access in self.datastores.items():
            cdk.CfnOutput(self, f"{output_id}Uri", value=access.uri)
            cdk.CfnOutput(self, f"{output_id}RootPath", value=access.root_path)
            if access.role_arn is not None:
                cdk.CfnOutput(self, f"{output_id}RoleArn", value=access.role_arn)
            if access.secret_arn is not None:
                cdk.CfnOutput(
                    self,
                    f"{output_id}AccessKeySecretArn",
                    description="Secrets Manager secret with accessKeyId and secretAccessKey",
                    value=access.secret_arn,
                )


def from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-Qualytics`` from its ``lakehouse-iam:qualytics:*`` context."""
    return QualyticsExampleStack(
        app,
        stack_id,
        dataplane_role_arn=required_context(app, "qualytics:dataplaneRoleArn"),
        source_root_path=required_context(app, "qualytics:sourceRootPath"),
        enrichment_root_path=required_context(app, "qualytics:enrichmentRootPath"),
        external_id=context(app, "qualytics:externalId"),
        bucket_name=context(app, "qualytics:bucketName"),
        kms_key_arn=context(app, "qualytics:kmsKeyArn"),
        description="lakehouse-iam example: Qualytics S3 datastores, IAM role and access key",
    )
