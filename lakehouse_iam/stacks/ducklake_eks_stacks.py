"""Examples: DuckLake Container on an existing EKS cluster, with IRSA or EKS Pod Identity.

No cluster is created: the IRSA stack imports the cluster's IAM OIDC provider by ARN,
the Pod Identity stack names the cluster.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from ..constructs.ducklake import DuckLakeRoles
from ..constructs.irsa_trust import IrsaTrust
from ..constructs.pod_identity_trust import PodIdentityTrust
from .data_bucket import ExampleDataBucket
from .ducklake_log_group import DuckLakeExampleLogGroup


class DuckLakeIrsaExampleStack(cdk.Stack):
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
        config_secret_name: str = "lokryn/ducklake/config",
        **kwargs: object,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        logs = DuckLakeExampleLogGroup(
            self, "Logs", log_group_name=log_group_name, retention_days=log_retention_days
        )
        provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            self, "OidcProvider", oidc_provider_arn
        )
        self.ducklake = DuckLakeRoles(
            self,
            "DuckLake",
            trust=IrsaTrust(
                oidc_provider=provider, namespace=namespace, service_account=service_account
            ),
            bucket=data.bucket,
            prefix=prefix,
            kms_key=data.key,
            log_group=logs.log_group,
            config_secret=config_secret_name,
        )
        cdk.CfnOutput(self, "RoleArn", value=self.ducklake.task_role_arn)
        cdk.CfnOutput(
            self,
            "ServiceAccountManifest",
            description="kubectl apply -f - (JSON is valid YAML)",
            value=self.ducklake.service_account_manifest(),
        )


class DuckLakePodIdentityExampleStack(cdk.Stack):
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
        config_secret_name: str = "lokryn/ducklake/config",
        **kwargs: object,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        logs = DuckLakeExampleLogGroup(
            self, "Logs", log_group_name=log_group_name, retention_days=log_retention_days
        )
        self.ducklake = DuckLakeRoles(
            self,
            "DuckLake",
            trust=PodIdentityTrust(
                cluster_name=cluster_name,
                namespace=namespace,
                service_account=service_account,
                create_association=create_association,
            ),
            bucket=data.bucket,
            prefix=prefix,
            kms_key=data.key,
            log_group=logs.log_group,
            config_secret=config_secret_name,
        )
        cdk.CfnOutput(self, "RoleArn", value=self.ducklake.task_role_arn)
        association = self.ducklake.task_role.node.try_find_child("PodIdentityAssociation")
        if association is not None:
            cdk.CfnOutput(
                self,
                "PodIdentityAssociationArn",
                value=association.attr_association_arn,  # type: ignore[attr-defined]
            )
