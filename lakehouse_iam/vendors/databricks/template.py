"""Standalone template: the role of a Databricks Unity Catalog storage credential.

``templates/databricks-storage-credential.yaml``. Step 1: leave ``ExternalId`` empty (the
role admits no one), create the storage credential with the ``CredentialSql`` output;
step 2: update the stack with the credential's external ID.
"""

from __future__ import annotations

from dataclasses import replace

import aws_cdk as cdk

from ...constructs.s3_location import S3Location
from ...templates import common, rules
from ...templates.scenario import (
    TemplateInputs,
    TemplateParameter,
    TemplateScenario,
    TemplateSetting,
)
from .access import DatabricksStorageCredentialAccess
from .catalog import PAGE


def _build(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    access = DatabricksStorageCredentialAccess(
        stack,
        "Databricks",
        role_name=inputs.setting("role-name"),
        locations=[
            S3Location(bucket=inputs.bucket(stack, "BucketName"), prefix=inputs.value("Prefix"))
        ],
        external_id=inputs.optional("ExternalId"),
        kms_key=inputs.optional("KmsKeyArn"),
    )
    cdk.CfnOutput(stack, "RoleArn", value=access.role_arn, description="AWS_IAM_ROLE")
    cdk.CfnOutput(
        stack,
        "MasterRoleArn",
        value=access.master_role_arn,
        description="Databricks' Unity Catalog master role the role trusts in step 2",
    )
    cdk.CfnOutput(
        stack, "CredentialSql", value=access.create_credential_sql(), description="Step 1"
    )
    cdk.CfnOutput(stack, "LocationSql", value=access.create_location_sql(), description="Step 2")


STORAGE_CREDENTIAL = TemplateScenario(
    vendor="databricks",
    mode="storage-credential",
    description=(
        "lakehouse-iam: the self-assuming role of a Databricks Unity Catalog storage "
        f"credential ({PAGE})"
    ),
    parameters=(
        common.bucket("of the external location"),
        common.prefix("databricks", "of the external location"),
        TemplateParameter(
            name="ExternalId",
            # The ID stands twice in the trust (the master role's and the role's own
            # statement): at most 512 characters keeps it within IAM's 2,048 (Databricks'
            # external IDs are 36-character UUIDs).
            rule=replace(rules.EXTERNAL_ID, max_length=512),
            description=(
                "Step 2: the storage credential's external ID from Databricks. Empty (step 1): "
                "the role admits no one yet."
            ),
            optional=True,
        ),
        common.kms_key(),
    ),
    settings=(
        TemplateSetting(
            name="role-name",
            rule=rules.IAM_ROLE_NAME,
            description=(
                "The role's physical name: its own ARN in its trust policy (self-assumption) "
                "is built from it, so it is fixed when the template is generated."
            ),
            default="databricks-unity-catalog",
        ),
    ),
    build=_build,
)
