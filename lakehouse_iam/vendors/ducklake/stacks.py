"""Examples: DuckLake Container on ECS/Fargate, and on an existing EKS cluster with IRSA or
EKS Pod Identity.

No cluster is created: the IRSA stack imports the cluster's IAM OIDC provider by ARN,
the Pod Identity stack names the cluster. Every stack has the same data bucket and the
same KMS-encrypted log group (:class:`DuckLakeExampleLogGroup`).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from ...constructs.ecs_task_trust import EcsTaskTrust
from ...constructs.irsa_trust import IrsaTrust
from ...constructs.pod_identity_trust import PodIdentityTrust
from ...stacks.context import CONTEXT_PREFIX, flag_context, required_context
from ...stacks.context import context as context_value
from ...stacks.data_bucket import ExampleDataBucket
from .access import DuckLakeAccess
from .catalog import DEFAULT_CONFIG_SECRET_NAME
from .log_group import DuckLakeExampleLogGroup


class _DuckLakeExampleStack(cdk.Stack):
    """The data bucket and the container's log group every DuckLake example shares, and
    the construct wired to them."""

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        log_group_name: str,
        log_retention_days: int,
        bucket_name: str | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        self.data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        self.logs = DuckLakeExampleLogGroup(
            self, "Logs", log_group_name=log_group_name, retention_days=log_retention_days
        )

    def _ducklake(
        self, *, trust: Any, prefix: str, config_secret_name: str, **kwargs: Any
    ) -> DuckLakeAccess:
        """``DuckLakeAccess`` on this stack's bucket, key and log group."""
        return DuckLakeAccess(
            self,
            "DuckLake",
            trust=trust,
            bucket=self.data.bucket,
            prefix=prefix,
            kms_key=self.data.key,
            log_group=self.logs.log_group,
            config_secret=config_secret_name,
            **kwargs,
        )


class DuckLakeEcsExampleStack(_DuckLakeExampleStack):
    """A data bucket, the container's log group, both roles and a Fargate task definition.

    The task definition uses the two roles as they are: they are passed with
    ``without_policy_updates()``, so aws-cdk's automatic grants (the awslogs driver's
    ``grantWrite``, image pull) add no inline policy; the execution role's managed
    policies already hold exactly what the agent needs.

    Outputs the task role, execution role and task definition ARNs.

    :param image: the DuckLake Container image URI (the AWS Marketplace ECR URI).
    :param prefix: key prefix DuckLake writes under.
    :param log_group_name: the container's log group.
    :param log_retention_days: retention of that log group.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param config_secret_name: the configuration secret. Default: ``lokryn/ducklake/config``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        image: str,
        prefix: str,
        log_group_name: str,
        log_retention_days: int,
        bucket_name: str | None = None,
        config_secret_name: str = DEFAULT_CONFIG_SECRET_NAME,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            id,
            log_group_name=log_group_name,
            log_retention_days=log_retention_days,
            bucket_name=bucket_name,
            **kwargs,
        )
        # Imported here: aws_ecs is a large module that only this example needs.
        from aws_cdk import aws_ecs as ecs

        self.ducklake = self._ducklake(
            trust=EcsTaskTrust(), prefix=prefix, config_secret_name=config_secret_name, image=image
        )
        execution_role = self.ducklake.require_execution_role()
        self.task_definition = ecs.FargateTaskDefinition(
            self,
            "TaskDefinition",
            cpu=1024,
            memory_limit_mib=4096,
            task_role=self.ducklake.task_role.role.without_policy_updates(),
            execution_role=execution_role.role.without_policy_updates(),
        )
        container = self.task_definition.add_container(
            "DuckLake",
            container_name="ducklake",
            image=ecs.ContainerImage.from_registry(image),
            essential=True,
            logging=ecs.LogDrivers.aws_logs(
                stream_prefix="ducklake", log_group=self.logs.log_group
            ),
        )
        # from_registry() cannot see the pull permissions; the execution role's ImagePull
        # policy grants them on the image's repository.
        cdk.Annotations.of(container).acknowledge_warning(
            "@aws-cdk/aws-ecs:ecrImageRequiresPolicy",
            "The execution role carries the ImagePull managed policy (ECR pull on this "
            "image's repository ARN, ecr:GetAuthorizationToken on '*').",
        )
        cdk.CfnOutput(self, "TaskRoleArn", value=self.ducklake.task_role_arn)
        cdk.CfnOutput(self, "ExecutionRoleArn", value=execution_role.role_arn)
        cdk.CfnOutput(self, "TaskDefinitionArn", value=self.task_definition.task_definition_arn)


class DuckLakeIrsaExampleStack(_DuckLakeExampleStack):
    """The container's role for one service account, trusted through the cluster's OIDC provider.

    Outputs the role ARN and the ready-to-apply ServiceAccount manifest
    (``kubectl apply -f -``).

    :param oidc_provider_arn: the cluster's IAM OIDC provider ARN.
    :param namespace: the pod's namespace.
    :param service_account: the pod's service account.
    :param prefix: key prefix DuckLake writes under.
    :param log_group_name: the log group the container writes to.
    :param log_retention_days: retention of that log group.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param config_secret_name: the configuration secret. Default: ``lokryn/ducklake/config``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        oidc_provider_arn: str,
        namespace: str,
        service_account: str,
        prefix: str,
        log_group_name: str,
        log_retention_days: int,
        bucket_name: str | None = None,
        config_secret_name: str = DEFAULT_CONFIG_SECRET_NAME,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            id,
            log_group_name=log_group_name,
            log_retention_days=log_retention_days,
            bucket_name=bucket_name,
            **kwargs,
        )
        provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            self, "OidcProvider", oidc_provider_arn
        )
        self.ducklake = self._ducklake(
            trust=IrsaTrust(
                oidc_provider=provider, namespace=namespace, service_account=service_account
            ),
            prefix=prefix,
            config_secret_name=config_secret_name,
        )
        cdk.CfnOutput(self, "RoleArn", value=self.ducklake.task_role_arn)
        cdk.CfnOutput(
            self,
            "ServiceAccountManifest",
            description="kubectl apply -f - (JSON is valid YAML)",
            value=self.ducklake.service_account_manifest(),
        )


class DuckLakePodIdentityExampleStack(_DuckLakeExampleStack):
    """The container's role for EKS Pod Identity, and its association with the service account.

    Outputs the role ARN and, when created, the association ARN.

    :param cluster_name: the existing EKS cluster (with the Pod Identity Agent add-on).
    :param namespace: the pod's namespace.
    :param service_account: the pod's service account.
    :param prefix: key prefix DuckLake writes under.
    :param log_group_name: the log group the container writes to.
    :param log_retention_days: retention of that log group.
    :param create_association: create the Pod Identity association. Default: ``True``.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param config_secret_name: the configuration secret. Default: ``lokryn/ducklake/config``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        cluster_name: str,
        namespace: str,
        service_account: str,
        prefix: str,
        log_group_name: str,
        log_retention_days: int,
        create_association: bool = True,
        bucket_name: str | None = None,
        config_secret_name: str = DEFAULT_CONFIG_SECRET_NAME,
        **kwargs: Any,
    ) -> None:
        super().__init__(
            scope,
            id,
            log_group_name=log_group_name,
            log_retention_days=log_retention_days,
            bucket_name=bucket_name,
            **kwargs,
        )
        self.ducklake = self._ducklake(
            trust=PodIdentityTrust(
                cluster_name=cluster_name,
                namespace=namespace,
                service_account=service_account,
                create_association=create_association,
            ),
            prefix=prefix,
            config_secret_name=config_secret_name,
        )
        cdk.CfnOutput(self, "RoleArn", value=self.ducklake.task_role_arn)
        association = self.ducklake.task_role.trust_binding
        if association is not None:
            cdk.CfnOutput(
                self,
                "PodIdentityAssociationArn",
                value=association.attr_association_arn,  # type: ignore[attr-defined]
            )


def _common(app: cdk.App, stack_id: str) -> dict[str, Any]:
    """Inputs every DuckLake example shares (``lakehouse-iam:ducklake:*``)."""
    days = required_context(app, "ducklake:logRetentionDays")
    if not days.isdigit():
        raise ValueError(
            f"context {CONTEXT_PREFIX}ducklake:logRetentionDays={days!r} is invalid: "
            "expected a number of days such as 365"
        )
    return {
        "prefix": required_context(app, "ducklake:prefix"),
        "bucket_name": context_value(app, "ducklake:bucketName"),
        "config_secret_name": required_context(app, "ducklake:configSecretName"),
        "log_group_name": context_value(app, "ducklake:logGroupName")
        or f"/lakehouse-iam/{stack_id}",
        "log_retention_days": int(days),
    }


def ecs_from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-DuckLakeEcs`` from its ``lakehouse-iam:ducklake:*`` context."""
    return DuckLakeEcsExampleStack(
        app,
        stack_id,
        image=required_context(app, "ducklake:image"),
        description="lakehouse-iam example: DuckLake Container on ECS/Fargate",
        **_common(app, stack_id),
    )


def irsa_from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-DuckLakeIrsa`` from its ``lakehouse-iam:ducklake:*`` context."""
    return DuckLakeIrsaExampleStack(
        app,
        stack_id,
        oidc_provider_arn=required_context(app, "ducklake:oidcProviderArn"),
        namespace=required_context(app, "ducklake:namespace"),
        service_account=required_context(app, "ducklake:serviceAccount"),
        description="lakehouse-iam example: DuckLake Container on EKS with IRSA",
        **_common(app, stack_id),
    )


def pod_identity_from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-DuckLakePodIdentity`` from its ``lakehouse-iam:ducklake:*`` context."""
    return DuckLakePodIdentityExampleStack(
        app,
        stack_id,
        cluster_name=required_context(app, "ducklake:clusterName"),
        namespace=required_context(app, "ducklake:namespace"),
        service_account=required_context(app, "ducklake:serviceAccount"),
        create_association=flag_context(app, "ducklake:createPodIdentityAssociation", default=True),
        description="lakehouse-iam example: DuckLake Container on EKS with Pod Identity",
        **_common(app, stack_id),
    )
