"""Standalone templates: StarRocks' instance-profile and assumed-role modes.

``templates/starrocks-instance-profile.yaml`` and ``starrocks-assumed-role.yaml``. The
IAM-user mode has no template: it creates a long-term access key, a KMS key and a secret
per stack, which a template rolled out to many accounts would multiply; create it
deliberately with :class:`~lakehouse_iam.StarRocksIamUserAccess`. Glue access covers
every table of the one database given (the construct's table list must be literal
strings, not parameters).
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk

from ...constructs.glue_grant import GlueCatalogGrant
from ...constructs.s3_location import S3Location
from ...templates import common, rules
from ...templates.scenario import (
    TemplateChoice,
    TemplateInputs,
    TemplateParameter,
    TemplateScenario,
)
from .access import StarRocksAssumedRoleAccess, StarRocksInstanceProfileAccess, StarRocksPermissions


def _permissions(stack: cdk.Stack, inputs: TemplateInputs) -> StarRocksPermissions:
    database = inputs.optional("GlueDatabase")
    return StarRocksPermissions(
        locations=[
            S3Location(bucket=inputs.bucket(stack, "BucketName"), prefix=inputs.value("Prefix"))
        ],
        s3_access=inputs.choice("S3Access"),
        kms_key=inputs.optional("KmsKeyArn"),
        glue=(
            GlueCatalogGrant(databases=[database], write=inputs.choice("GlueWrite") == "true")
            if database is not None
            else None
        ),
    )


def _instance_profile(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    access = StarRocksInstanceProfileAccess(
        stack, "StarRocks", permissions=_permissions(stack, inputs)
    )
    cdk.CfnOutput(stack, "RoleArn", value=access.role_arn)
    cdk.CfnOutput(
        stack,
        "InstanceProfileName",
        description="Launch the StarRocks FE and BE/CN instances with this profile",
        value=access.instance_profile.instance_profile_name,
    )


def _assumed_role(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    access = StarRocksAssumedRoleAccess(
        stack,
        "StarRocks",
        permissions=_permissions(stack, inputs),
        external_id=inputs.optional("ExternalId"),
    )
    profile = access.instance_profile
    assert profile is not None  # the cluster role is created here
    cdk.CfnOutput(stack, "DataRoleArn", value=access.role_arn, description="aws.s3.iam_role_arn")
    cdk.CfnOutput(stack, "ClusterRoleArn", value=access.cluster_role_arn)
    cdk.CfnOutput(
        stack,
        "ClusterInstanceProfileName",
        description="Launch the StarRocks instances with this profile",
        value=profile.instance_profile_name,
    )


_SHARED = (
    common.bucket("StarRocks loads from and writes to"),
    common.prefix("starrocks", "StarRocks uses"),
    common.kms_key(),
    TemplateParameter(
        name="GlueDatabase",
        rule=rules.GLUE_DATABASE,
        description=(
            "Glue Data Catalog database StarRocks may use (every table in it). Empty: no "
            "Glue permission (S3 batch load and FILES() only)."
        ),
        optional=True,
    ),
)
_CHOICES = (
    TemplateChoice(
        name="S3Access",
        values=("read_write", "batch_load"),
        description="read_write (Get, Put, Delete objects) or batch_load (Get objects only).",
    ),
    TemplateChoice(
        name="GlueWrite",
        values=("true", "false"),
        description="Also grant the Glue table and partition write set (with GlueDatabase).",
    ),
)
_PAGE = "https://docs.starrocks.io/docs/sql-reference/aws_iam_policies/"


def _scenario(
    mode: str,
    what: str,
    build: Callable[[cdk.Stack, TemplateInputs], None],
    *extra: TemplateParameter,
) -> TemplateScenario:
    return TemplateScenario(
        vendor="starrocks",
        mode=mode,
        description=f"lakehouse-iam: StarRocks S3 and Glue access, {what} ({_PAGE})",
        parameters=(*_SHARED, *extra),
        choices=_CHOICES,
        build=build,
    )


INSTANCE_PROFILE = _scenario("instance-profile", "instance-profile mode", _instance_profile)
ASSUMED_ROLE = _scenario(
    "assumed-role",
    "assumed-role mode (cluster role -> data role)",
    _assumed_role,
    common.external_id("StarRocks (aws.s3.external_id)"),
)
