"""Standalone templates: the role a Qualytics S3 datastore connection assumes.

``templates/qualytics-source-role.yaml`` and ``qualytics-enrichment-role.yaml``. Only
the IAM role mode has a template: the access-key mode creates an IAM user with a
long-term key, a KMS key and a secret per stack, which a template rolled out to many
accounts would multiply; create those deliberately with the construct
(:class:`~lakehouse_iam.QualyticsDatastoreAccess`, ``authentication=ACCESS_KEY``).
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk

from ...templates import common, rules
from ...templates.scenario import TemplateInputs, TemplateParameter, TemplateScenario
from .access import QualyticsDatastoreAccess
from .catalog import QualyticsDatastore


def _builder(datastore: QualyticsDatastore) -> Callable[[cdk.Stack, TemplateInputs], None]:
    def build(stack: cdk.Stack, inputs: TemplateInputs) -> None:
        access = QualyticsDatastoreAccess(
            stack,
            "Qualytics",
            bucket=inputs.bucket(stack, "BucketName"),
            root_path=inputs.value("RootPath"),
            datastore=datastore,
            dataplane_role_arn=inputs.value("DataplaneRoleArn"),
            external_id=inputs.optional("ExternalId"),
            kms_key=inputs.optional("KmsKeyArn"),
        )
        assert access.role_arn is not None  # IAM role mode
        # Named after the Qualytics connection form's fields.
        cdk.CfnOutput(stack, "FormRoleArn", value=access.role_arn, description="Role ARN")
        cdk.CfnOutput(stack, "FormUri", value=access.uri, description="URI")
        cdk.CfnOutput(stack, "FormRootPath", value=access.root_path, description="Root Path")

    return build


def _scenario(datastore: QualyticsDatastore, root: str, what: str) -> TemplateScenario:
    return TemplateScenario(
        vendor="qualytics",
        mode=f"{datastore.value}-role",
        description=(
            f"lakehouse-iam: the role a Qualytics {datastore.value} datastore ({what}) assumes "
            "(https://userguide.qualytics.io/source-datastore/datastore/dfs/amazon-s3/permissions/)"
        ),
        parameters=(
            common.bucket(f"of the {datastore.value} datastore (the form's URI s3://BUCKET)"),
            common.prefix(root, "of the datastore (the form's Root Path)", name="RootPath"),
            TemplateParameter(
                name="DataplaneRoleArn",
                rule=rules.ROLE_ARN,
                description=(
                    "The Qualytics dataplane (base) role ARN: the only principal the role trusts."
                ),
            ),
            common.external_id("the Qualytics dataplane"),
            common.kms_key(),
        ),
        build=_builder(datastore),
    )


SOURCE_ROLE = _scenario(QualyticsDatastore.SOURCE, "raw", "read-only")
ENRICHMENT_ROLE = _scenario(QualyticsDatastore.ENRICHMENT, "qualytics/enrichment", "read-write")
