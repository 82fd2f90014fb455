"""Standalone templates: DuckLake Container's roles on ECS, EKS IRSA and EKS Pod Identity.

``templates/ducklake-ecs.yaml``, ``ducklake-irsa.yaml`` and ``ducklake-pod-identity.yaml``.
The templates create IAM only: the log group and the configuration secret are named by
parameters and must exist (or be created by the service that runs the container).

The IRSA issuer is a setting (``--oidc-issuer``), not a parameter: it is part of the
trust policy's condition *keys* (``<issuer>:sub``), and CloudFormation cannot compute an
object key from a parameter (``cdk.CfnJson`` would, with a Lambda-backed custom resource
a standalone template cannot carry). Generate one template per cluster; for StackSets
across accounts prefer the Pod Identity template, whose inputs are all parameters.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr

from ...constructs.ecs_task_trust import EcsTaskTrust
from ...constructs.irsa_trust import IrsaTrust
from ...constructs.pod_identity_trust import PodIdentityTrust
from ...templates import common, rules
from ...templates.scenario import (
    TemplateInputs,
    TemplateParameter,
    TemplateScenario,
)
from .access import DuckLakeAccess
from .catalog import DEFAULT_CONFIG_SECRET_NAME

_SHARED = (
    common.bucket("DuckLake reads and writes"),
    common.prefix("ducklake", "DuckLake reads and writes under"),
    common.kms_key(),
    TemplateParameter(
        name="LogGroupName",
        rule=rules.LOG_GROUP_NAME,
        description="The container's CloudWatch Logs log group (existing).",
        default="/ecs/ducklake",
    ),
    TemplateParameter(
        name="ConfigSecretName",
        rule=rules.SECRET_NAME,
        description="Name of the Secrets Manager secret holding DuckLake's configuration.",
        default=DEFAULT_CONFIG_SECRET_NAME,
    ),
)
_NAMESPACE = common.k8s_namespace("the DuckLake pod", default="ducklake")
_SERVICE_ACCOUNT = common.k8s_service_account("the DuckLake pod", default="ducklake")
OIDC_ISSUER = common.OIDC_ISSUER


def _access(
    stack: cdk.Stack, inputs: TemplateInputs, trust: object, **kwargs: object
) -> DuckLakeAccess:
    access = DuckLakeAccess(
        stack,
        "DuckLake",
        trust=trust,  # type: ignore[arg-type]
        bucket=inputs.bucket(stack, "BucketName"),
        prefix=inputs.value("Prefix"),
        kms_key=inputs.optional("KmsKeyArn"),
        log_group=inputs.log_group(stack, "LogGroupName"),
        config_secret=inputs.secret(stack, "ConfigSecretName"),
        **kwargs,  # type: ignore[arg-type]
    )
    cdk.CfnOutput(stack, "TaskRoleArn", value=access.task_role_arn)
    return access


def _ecs(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    repository_arn = inputs.optional("ImageRepositoryArn")
    # An IRepository, not the ARN string: the construct cannot tell whether a token
    # string is an ECR repository, so it grants image pull only for a repository object.
    image = None
    if repository_arn is not None:
        image = ecr.Repository.from_repository_attributes(
            stack,
            "ImageRepository",
            repository_arn=repository_arn,
            # Only the ARN goes into the policy; an imported repository needs a name too.
            repository_name=cdk.Fn.select(1, cdk.Fn.split(":repository/", repository_arn)),
        )
    access = _access(stack, inputs, EcsTaskTrust(), image=image)
    cdk.CfnOutput(stack, "ExecutionRoleArn", value=access.require_execution_role().role_arn)


def _builder(
    make_trust: Callable[[TemplateInputs], object],
) -> Callable[[cdk.Stack, TemplateInputs], None]:
    def build(stack: cdk.Stack, inputs: TemplateInputs) -> None:
        _access(stack, inputs, make_trust(inputs))

    return build


def _irsa_trust(inputs: TemplateInputs) -> IrsaTrust:
    return IrsaTrust(
        oidc_provider=inputs.setting("oidc-issuer"),
        namespace=inputs.value("Namespace"),
        service_account=inputs.value("ServiceAccount"),
    )


def _pod_identity_trust(inputs: TemplateInputs) -> PodIdentityTrust:
    return PodIdentityTrust(
        cluster_name=inputs.value("ClusterName"),
        namespace=inputs.value("Namespace"),
        service_account=inputs.value("ServiceAccount"),
        create_association=inputs.choice("CreateAssociation") == "true",
    )


_PAGE = "DuckLake Container documentation (Lokryn), 'IAM Permissions'"

ECS = TemplateScenario(
    vendor="ducklake",
    mode="ecs",
    description=(
        f"lakehouse-iam: DuckLake Container on ECS/Fargate, task and execution roles ({_PAGE})"
    ),
    parameters=(
        *_SHARED,
        TemplateParameter(
            name="ImageRepositoryArn",
            rule=rules.ECR_REPOSITORY_ARN,
            description=(
                "ECR repository of the DuckLake Container image (the execution role may pull "
                "from it). Empty: the image is not in ECR and no pull permission is granted."
            ),
            optional=True,
        ),
    ),
    build=_ecs,
)
IRSA = TemplateScenario(
    vendor="ducklake",
    mode="irsa",
    description=(
        f"lakehouse-iam: DuckLake Container on EKS with IAM roles for service accounts ({_PAGE})"
    ),
    parameters=(*_SHARED, _NAMESPACE, _SERVICE_ACCOUNT),
    settings=(OIDC_ISSUER,),
    build=_builder(_irsa_trust),
)
POD_IDENTITY = TemplateScenario(
    vendor="ducklake",
    mode="pod-identity",
    description=f"lakehouse-iam: DuckLake Container on EKS with Pod Identity ({_PAGE})",
    parameters=(
        *_SHARED,
        common.EKS_CLUSTER_NAME,
        _NAMESPACE,
        _SERVICE_ACCOUNT,
    ),
    choices=(common.CREATE_POD_IDENTITY_ASSOCIATION,),
    build=_builder(_pod_identity_trust),
)
