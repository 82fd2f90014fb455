"""Standalone templates: the roles Snowflake assumes, in either step of its set-up.

``templates/snowflake-storage-integration.yaml`` (read-only or read-write),
``snowflake-external-volume.yaml`` (read-write) and ``snowflake-glue-catalog.yaml``.
Step 1: leave the user ARN empty (the role admits no one) and run the ``CreateSql``
output; step 2: update the stack with the user ARN (and ExternalId) ``DESC ...`` shows.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk

from ...templates import common, rules
from ...templates.scenario import (
    TemplateChoice,
    TemplateInputs,
    TemplateParameter,
    TemplateScenario,
)
from .access import SnowflakeGlueCatalogAccess, SnowflakeStorageAccess
from .catalog import GLUE_PAGE, STAGE_PAGE, VOLUME_PAGE, SnowflakeIntegration

_ACCESS = TemplateChoice(
    name="Access",
    values=("read-only", "read-write"),
    description=(
        "read-only: load from the stage / read externally managed Iceberg tables; "
        "read-write: also unload and purge / write Snowflake-managed Iceberg tables "
        "(s3:PutObject, s3:DeleteObject)."
    ),
)


def _user_arn(describe: str, field: str) -> TemplateParameter:
    return TemplateParameter(
        name="SnowflakeUserArn",
        rule=rules.IAM_USER_ARN,
        description=(
            f"Step 2: {field} from {describe}. Empty (step 1): the role admits no one yet."
        ),
        optional=True,
    )


def _storage(
    integration: SnowflakeIntegration, *, write: bool | None = None
) -> Callable[[cdk.Stack, TemplateInputs], None]:
    def build(stack: cdk.Stack, inputs: TemplateInputs) -> None:
        access = SnowflakeStorageAccess(
            stack,
            "Snowflake",
            bucket=inputs.bucket(stack, "BucketName"),
            prefix=inputs.value("Prefix"),
            integration=integration,
            write=write if write is not None else inputs.choice("Access") == "read-write",
            snowflake_user_arn=inputs.optional("SnowflakeUserArn"),
            external_id=inputs.value("ExternalId"),
            kms_key=inputs.optional("KmsKeyArn"),
        )
        cdk.CfnOutput(stack, "RoleArn", value=access.role_arn, description="STORAGE_AWS_ROLE_ARN")
        cdk.CfnOutput(stack, "CreateSql", value=access.create_sql(), description="Step 1")
        cdk.CfnOutput(stack, "DescribeSql", value=access.describe_sql(), description="Step 2")

    return build


def _external_id(what: str) -> TemplateParameter:
    return TemplateParameter(
        name="ExternalId",
        rule=rules.EXTERNAL_ID,
        description=(
            f"The {what}'s STORAGE_AWS_EXTERNAL_ID: choose it now (CreateSql passes it to "
            "Snowflake), or paste the one DESC shows in step 2."
        ),
    )


STORAGE_INTEGRATION = TemplateScenario(
    vendor="snowflake",
    mode="storage-integration",
    description=(f"lakehouse-iam: the role a Snowflake storage integration assumes ({STAGE_PAGE})"),
    parameters=(
        common.bucket("of the external stage"),
        common.prefix("snowflake/stage", "of the stage (STORAGE_ALLOWED_LOCATIONS)"),
        _external_id("storage integration"),
        _user_arn("DESC INTEGRATION", "STORAGE_AWS_IAM_USER_ARN"),
        common.kms_key(),
    ),
    choices=(_ACCESS,),
    build=_storage(SnowflakeIntegration.STORAGE_INTEGRATION),
)

EXTERNAL_VOLUME = TemplateScenario(
    vendor="snowflake",
    mode="external-volume",
    description=(
        "lakehouse-iam: the role a Snowflake external volume assumes, read/write for "
        f"Snowflake-managed Iceberg tables ({VOLUME_PAGE})"
    ),
    parameters=(
        common.bucket("of the external volume"),
        common.prefix("snowflake/iceberg", "of the volume (STORAGE_BASE_URL)"),
        _external_id("external volume"),
        _user_arn("DESC EXTERNAL VOLUME", "STORAGE_AWS_IAM_USER_ARN"),
        common.kms_key(),
    ),
    # Read/write only: ALLOW_WRITES and the ENCRYPTION clause sit in one SQL string, which
    # a template cannot vary by two inputs at once; a read-only volume (externally managed
    # tables) is SnowflakeStorageAccess(integration=EXTERNAL_VOLUME) without write.
    build=_storage(SnowflakeIntegration.EXTERNAL_VOLUME, write=True),
)


def _glue(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    access = SnowflakeGlueCatalogAccess(
        stack,
        "Snowflake",
        databases=[inputs.value("GlueDatabase")],
        glue_user_arn=inputs.optional("SnowflakeUserArn"),
        external_id=inputs.value("ExternalId"),
    )
    cdk.CfnOutput(stack, "RoleArn", value=access.role_arn, description="GLUE_AWS_ROLE_ARN")
    cdk.CfnOutput(stack, "CreateSql", value=access.create_sql(), description="Step 1")
    cdk.CfnOutput(stack, "DescribeSql", value=access.describe_sql(), description="Step 2")


GLUE_CATALOG = TemplateScenario(
    vendor="snowflake",
    mode="glue-catalog",
    description=(
        "lakehouse-iam: the role a Snowflake catalog integration for AWS Glue assumes "
        f"({GLUE_PAGE})"
    ),
    parameters=(
        TemplateParameter(
            name="GlueDatabase",
            rule=rules.GLUE_DATABASE,
            description="The Glue database (CATALOG_NAMESPACE) whose tables Snowflake reads.",
        ),
        TemplateParameter(
            name="ExternalId",
            rule=rules.EXTERNAL_ID,
            description=(
                "Step 2: GLUE_AWS_EXTERNAL_ID from DESC CATALOG INTEGRATION. In step 1 any "
                "placeholder (e.g. pending): the role admits no one while SnowflakeUserArn "
                "is empty."
            ),
            default="pending",
        ),
        _user_arn("DESC CATALOG INTEGRATION", "GLUE_AWS_IAM_USER_ARN"),
    ),
    build=_glue,
)
