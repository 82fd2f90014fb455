"""Standalone templates: Trino's role in each run mode.

``templates/trino-irsa.yaml``, ``trino-pod-identity.yaml``, ``trino-instance-profile.yaml``
and ``trino-assumed-role.yaml``. Glue access covers every table of the one database given
(``all_tables=True``: a table list cannot be a parameter), which also lets Trino create
tables there when ``GlueWrite`` is ``true``. The IRSA issuer is a setting
(``--oidc-issuer``), not a parameter: see :mod:`lakehouse_iam.vendors.ducklake.template`.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
from aws_cdk import aws_iam as iam

from ...constructs.data_access_role import DataAccessRole
from ...constructs.ec2_instance_trust import Ec2InstanceTrust
from ...constructs.glue_grant import GlueCatalogGrant
from ...constructs.irsa_trust import IrsaTrust
from ...constructs.pod_identity_trust import PodIdentityTrust
from ...constructs.role_trust import RoleTrust
from ...constructs.s3_location import S3Location
from ...templates import common, rules
from ...templates.scenario import (
    TemplateChoice,
    TemplateInputs,
    TemplateParameter,
    TemplateScenario,
)
from . import catalog
from .access import TrinoAccess, TrinoPermissions, TrinoTrust


def _access(stack: cdk.Stack, inputs: TemplateInputs, trust: TrinoTrust) -> TrinoAccess:
    database = inputs.value("GlueDatabase")
    access = TrinoAccess(
        stack,
        "Trino",
        trust=trust,
        permissions=TrinoPermissions(
            locations=[
                S3Location(bucket=inputs.bucket(stack, "BucketName"), prefix=inputs.value("Prefix"))
            ],
            s3_access=inputs.choice("S3Access"),
            kms_key=inputs.optional("KmsKeyArn"),
            glue=GlueCatalogGrant(databases=[database], write=inputs.choice("GlueWrite") == "true"),
            all_tables=True,
        ),
    )
    cdk.CfnOutput(stack, "RoleArn", value=access.role_arn)
    cdk.CfnOutput(
        stack,
        "HiveCatalog",
        description="etc/catalog/<name>.properties for the Hive connector (Iceberg and "
        "Delta Lake: connector.name=iceberg + iceberg.catalog.type=glue, or "
        "connector.name=delta_lake)",
        value=access.properties_file("hive"),
    )
    return access


def _irsa(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    access = _access(
        stack,
        inputs,
        IrsaTrust(
            oidc_provider=inputs.setting("oidc-issuer"),
            namespace=inputs.value("Namespace"),
            service_account=inputs.value("ServiceAccount"),
        ),
    )
    cdk.CfnOutput(
        stack,
        "ServiceAccountManifest",
        description="kubectl apply -f - (JSON is valid YAML)",
        value=access.service_account_manifest(),
    )


def _pod_identity(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    _access(
        stack,
        inputs,
        PodIdentityTrust(
            cluster_name=inputs.value("ClusterName"),
            namespace=inputs.value("Namespace"),
            service_account=inputs.value("ServiceAccount"),
            create_association=inputs.choice("CreateAssociation") == "true",
        ),
    )


def _instance_profile(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    access = _access(stack, inputs, Ec2InstanceTrust())
    profile = access.instance_profile
    assert profile is not None  # Ec2InstanceTrust creates it
    cdk.CfnOutput(
        stack,
        "InstanceProfileName",
        description="Launch Trino's coordinator and workers with this profile",
        value=profile.instance_profile_name,
    )


def _assumed_role(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    cluster = DataAccessRole(
        stack,
        "ClusterRole",
        trust=Ec2InstanceTrust(),
        description="Trino cluster instance role: may only assume the Trino data role",
    )
    _access(
        stack,
        inputs,
        RoleTrust(role=cluster.role, external_id=inputs.optional("ExternalId")),
    )
    profile = cluster.trust_binding
    assert isinstance(profile, iam.InstanceProfile)  # Ec2InstanceTrust's binding
    cdk.CfnOutput(stack, "ClusterRoleArn", value=cluster.role_arn)
    cdk.CfnOutput(
        stack,
        "ClusterInstanceProfileName",
        description="Launch Trino with this profile (it assumes RoleArn)",
        value=profile.instance_profile_name,
    )


_SHARED = (
    common.bucket("Trino's tables live in"),
    common.prefix("trino", "Trino's tables live under"),
    common.kms_key(),
    TemplateParameter(
        name="GlueDatabase",
        rule=rules.GLUE_DATABASE,
        description=(
            "Glue Data Catalog database (Trino schema) Trino may use: every table in it, "
            "including tables Trino creates when GlueWrite is true."
        ),
    ),
)
_CHOICES = (
    TemplateChoice(
        name="S3Access",
        values=("read_write", "read"),
        description="read_write (Get, Put, Delete objects, abort uploads) or read.",
    ),
    TemplateChoice(
        name="GlueWrite",
        values=("true", "false"),
        description="Also grant the Glue table, partition and column-statistics write set.",
    ),
)
_K8S = (
    common.k8s_namespace("the Trino pods", default="trino"),
    common.k8s_service_account("the Trino pods", default="trino"),
)


def _scenario(
    mode: str,
    what: str,
    build: Callable[[cdk.Stack, TemplateInputs], None],
    *extra: TemplateParameter,
    choices: tuple[TemplateChoice, ...] = (),
    irsa: bool = False,
) -> TemplateScenario:
    return TemplateScenario(
        vendor="trino",
        mode=mode,
        description=f"lakehouse-iam: Trino on AWS Glue and S3, {what} ({catalog.PAGE})",
        parameters=(*_SHARED, *extra),
        choices=(*_CHOICES, *choices),
        settings=(common.OIDC_ISSUER,) if irsa else (),
        build=build,
    )


IRSA = _scenario("irsa", "EKS IAM roles for service accounts", _irsa, *_K8S, irsa=True)
POD_IDENTITY = _scenario(
    "pod-identity",
    "EKS Pod Identity",
    _pod_identity,
    common.EKS_CLUSTER_NAME,
    *_K8S,
    choices=(common.CREATE_POD_IDENTITY_ASSOCIATION,),
)
INSTANCE_PROFILE = _scenario("instance-profile", "EC2 instance profile", _instance_profile)
ASSUMED_ROLE = _scenario(
    "assumed-role",
    "assumed role (cluster role -> data role)",
    _assumed_role,
    common.external_id("Trino (s3.external-id, hive.metastore.glue.external-id)"),
)
