"""DuckLake Container: the container's role and the ECS task execution role."""

from __future__ import annotations

from typing import TYPE_CHECKING

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..._private.modes import require
from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props, user_props
from ...constructs.data_access_role import DataAccessRole
from ...constructs.ecr_grant import EcrPullGrant, ecr_repository_of_image
from ...constructs.ecs_task_trust import EcsTaskTrust
from ...constructs.grant import AccessGrant
from ...constructs.irsa_trust import IrsaTrust
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.logs_grant import LogsGrant
from ...constructs.marketplace_grant import MarketplaceMeteringGrant
from ...constructs.pod_identity_trust import PodIdentityTrust
from ...constructs.s3_grant import S3Grant
from ...constructs.s3_location import S3Location
from ...constructs.secrets_grant import SecretsGrant
from ...validation import PropsCheck
from . import catalog

if TYPE_CHECKING:
    from aws_cdk import aws_ecr as ecr
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_secretsmanager as secretsmanager

RUN_MODES = {EcsTaskTrust: "ecs", IrsaTrust: "irsa", PodIdentityTrust: "pod-identity"}
"""The three ways to run the container, by the trust that selects them."""


# The props of the building blocks, by the names DuckLakeAccess's caller gave them.
_USER_PROPS = {
    "S3Location.bucket": "bucket",
    "S3Location.prefix": "prefix",
    "SseKmsGrant.key": "kms_key",
    "SseKmsGrant.locations": "bucket",
    "SecretsGrant.secret": "config_secret",
    "SecretsGrant.kms_key": "config_secret_kms_key",
    "LogsGrant.log_group": "log_group",
    "EcrPullGrant.repository": "image",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
}
_TASK_ROLE_PROPS = {
    "DataAccessRole.role_name": "task_role_name",
    "DataAccessRole.role_name + '-' + grant name": "task_role_name",
}
_EXECUTION_ROLE_PROPS = {
    "DataAccessRole.role_name": "execution_role_name",
    "DataAccessRole.role_name + '-' + grant name": "execution_role_name",
}


@jsii.implements(iam.IGrantable)
class DuckLakeAccess(Construct):
    """The IAM DuckLake Container needs, in one of three run modes chosen by ``trust``.

    * ``EcsTaskTrust()`` - ECS/Fargate: a **task role** (the container's identity) and a
      separate **task execution role** (what the ECS agent uses to pull the image, create
      the awslogs log stream and inject secrets);
    * ``IrsaTrust(oidc_provider=..., namespace=..., service_account=...)`` - EKS IAM roles
      for service accounts: the task role only;
    * ``PodIdentityTrust(cluster_name=..., namespace=..., service_account=...)`` - EKS Pod
      Identity: the task role only (optionally with its association).

    Task role grants (action lists in :mod:`lakehouse_iam.vendors.ducklake.catalog`):

    * S3 (``S3Data``): GetObject, PutObject, DeleteObject on
      ``bucket/prefix/*``; ListBucket (under ``s3:prefix`` when a prefix is set) and
      GetBucketLocation on the bucket. ``s3:PutObjectAcl`` only with
      ``put_object_acl=True``;
    * SSE-KMS (``SseKms``) when ``kms_key`` is given;
    * config secret (``ConfigSecret``): DescribeSecret, GetResourcePolicy,
      GetSecretValue, ListSecretVersionIds on the secret's ARN
      (``...:secret:lokryn/ducklake/config-??????``); BatchGetSecretValue and ListSecrets
      on ``*`` (no resource-level permission);
    * container logs (``ContainerLogs``): CreateLogGroup, CreateLogStream,
      DescribeLogStreams, PutLogEvents on the log group; DescribeLogGroups on ``*``;
    * Marketplace (``MarketplaceMetering``): RegisterUsage, MeterUsage on ``*``.

    Execution role grants (ECS only): ``ImagePull`` (ECR pull from the image's
    repository, ``ecr:GetAuthorizationToken`` on ``*``) when ``image`` is an ECR image,
    ``AwsLogs`` (CreateLogStream, PutLogEvents on the log group) and, with
    ``inject_config_secret=True``, ``InjectedSecret`` (GetSecretValue on the secret).
    No ECR action ever sits on the task role and no S3 action on the execution role.

    Example::

        ducklake = DuckLakeAccess(
            stack,
            "DuckLake",
            trust=EcsTaskTrust(),
            bucket=lake_bucket,
            prefix="ducklake",
            log_group=log_group,  # a name, an ARN or a logs.ILogGroup
            image=repository,  # an ecr.IRepository, a repository ARN or an image URI
        )
        task_definition = ecs.FargateTaskDefinition(
            stack, "Task", task_role=ducklake.task_role.role,
            execution_role=ducklake.require_execution_role().role,
        )

    :param trust: ``EcsTaskTrust``, ``IrsaTrust`` or ``PodIdentityTrust``.
    :param bucket: the data bucket (name, ARN or ``s3.IBucket``).
    :param prefix: key prefix the container may use. Default: the whole bucket.
    :param log_group: the container's log group (name, ARN or ``logs.ILogGroup``); the
        awslogs driver writes to it on ECS.
    :param kms_key: the bucket's SSE-KMS key. Default: none.
    :param put_object_acl: also grant ``s3:PutObjectAcl`` (only useful on buckets with
        ACLs enabled). Default: ``False``.
    :param config_secret: the configuration secret: name, ARN or
        ``secretsmanager.ISecret``. Default: ``lokryn/ducklake/config``.
    :param config_secret_kms_key: customer-managed key of the secret. Default: none
        (``aws/secretsmanager``).
    :param image: ECS only - the container image: an ECR image URI, an ECR repository ARN
        or an ``ecr.IRepository`` (the execution role may pull from that repository), or
        a non-ECR image URI (no ECR permission). Default: none (no ECR permission).
    :param inject_config_secret: ECS only - the task definition injects the secret
        (container ``secrets``), so the execution role reads it. Default: ``False``.
    :param task_role_name: physical name of the task role. Default: generated.
    :param execution_role_name: physical name of the execution role. Default: generated.
    :param permissions_boundary: boundary for both roles. Default: none.
    """

    @builds_from_user_props("DuckLakeAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        trust: EcsTaskTrust | IrsaTrust | PodIdentityTrust,
        bucket: str | s3.IBucket,
        log_group: str | logs.ILogGroup,
        prefix: str | None = None,
        kms_key: str | kms.IKey | None = None,
        put_object_acl: bool = False,
        config_secret: str | secretsmanager.ISecret = catalog.DEFAULT_CONFIG_SECRET_NAME,
        config_secret_kms_key: str | kms.IKey | None = None,
        image: str | ecr.IRepository | None = None,
        inject_config_secret: bool = False,
        task_role_name: str | None = None,
        execution_role_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("DuckLakeAccess", at=self)
        check.s3_bucket("bucket", bucket)
        check.log_group("log_group", log_group)
        check.secret("config_secret", config_secret)
        for prop, key in (("kms_key", kms_key), ("config_secret_kms_key", config_secret_kms_key)):
            if key is not None:
                check.kms_key(prop, key)
        check.partitions(
            stack_facts(self),
            {
                "bucket": bucket,
                "log_group": log_group,
                "config_secret": config_secret,
                "kms_key": kms_key,
                "config_secret_kms_key": config_secret_kms_key,
                "image": image,
            },
        )
        mode = RUN_MODES.get(type(trust))
        if mode is None:
            check.add("trust", trust, "an EcsTaskTrust, IrsaTrust or PodIdentityTrust")
        elif mode != "ecs":
            for prop, value, unset in (
                ("image", image, None),
                ("inject_config_secret", inject_config_secret, False),
                ("execution_role_name", execution_role_name, None),
            ):
                if value != unset:
                    check.add(
                        prop,
                        value,
                        "not set: only ECS has a task execution role (on EKS the node pulls "
                        "the image and the pod's role reads the secret)",
                    )
        repository = None if image is None else ecr_repository_of_image(check, "image", image)
        check.raise_if_any()
        assert mode is not None  # an unknown trust was reported above
        self._run_mode: str = mode
        self._trust = trust
        self._location = S3Location(bucket=bucket, prefix=prefix)
        self._secret = config_secret
        self._log_group = log_group

        s3_actions = [*catalog.S3_OBJECT_ACTIONS, *catalog.S3_BUCKET_ACTIONS]
        if put_object_acl:
            s3_actions.append(catalog.S3_PUT_OBJECT_ACL)
        task_grants: list[AccessGrant] = [
            S3Grant(location=self._location, actions=s3_actions, name="S3Data"),
        ]
        if kms_key is not None:
            task_grants.append(
                SseKmsGrant(key=kms_key, read=True, write=True, locations=[self._location])
            )
        task_grants += [
            SecretsGrant(
                secret=config_secret,
                actions=catalog.CONFIG_SECRET_ACTIONS + catalog.CONFIG_SECRET_NO_RESOURCE_ACTIONS,
                kms_key=config_secret_kms_key,
                name="ConfigSecret",
            ),
            LogsGrant(
                log_group=log_group,
                actions=catalog.CONTAINER_LOG_ACTIONS + catalog.CONTAINER_LOG_NO_RESOURCE_ACTIONS,
                name="ContainerLogs",
            ),
            MarketplaceMeteringGrant(actions=catalog.MARKETPLACE_ACTIONS),
        ]
        with user_props(self, "DuckLakeAccess", _TASK_ROLE_PROPS):
            self._task_role = DataAccessRole(
                self,
                "TaskRole",
                trust=trust,
                grants=task_grants,
                role_name=task_role_name,
                description="DuckLake Container: the container's own AWS access",
                permissions_boundary=permissions_boundary,
            )

        self._execution_role: DataAccessRole | None = None
        if mode == "ecs":
            execution_grants: list[AccessGrant] = []
            if repository is not None:
                execution_grants.append(EcrPullGrant(repository=repository, name="ImagePull"))
            execution_grants.append(
                LogsGrant(
                    log_group=log_group, actions=catalog.EXECUTION_LOG_ACTIONS, name="AwsLogs"
                )
            )
            if inject_config_secret:
                execution_grants.append(
                    SecretsGrant(
                        secret=config_secret,
                        actions=catalog.EXECUTION_SECRET_ACTIONS,
                        kms_key=config_secret_kms_key,
                        name="InjectedSecret",
                    )
                )
            with user_props(self, "DuckLakeAccess", _EXECUTION_ROLE_PROPS):
                self._execution_role = DataAccessRole(
                    self,
                    "ExecutionRole",
                    trust=trust,
                    grants=execution_grants,
                    role_name=execution_role_name,
                    description="DuckLake Container: ECS task execution (image pull, awslogs)",
                    permissions_boundary=permissions_boundary,
                )

    @property
    def run_mode(self) -> str:
        """``"ecs"``, ``"irsa"`` or ``"pod-identity"``."""
        return self._run_mode

    @property
    def task_role(self) -> DataAccessRole:
        """The container's role: the ECS task role, or the pod's role on EKS."""
        return self._task_role

    @property
    def task_role_arn(self) -> str:
        """The task role's ARN (the container's own identity)."""
        return self._task_role.role_arn

    @property
    def execution_role(self) -> DataAccessRole | None:
        """The ECS task execution role; ``None`` on EKS."""
        return self._execution_role

    def require_execution_role(self) -> DataAccessRole:
        """:attr:`execution_role`, typed as present.

        Example::

            execution_role=ducklake.require_execution_role().role.without_policy_updates()

        :raises ValueError: on EKS (``trust`` an ``IrsaTrust`` or ``PodIdentityTrust``).
        """
        return require(
            self._execution_role,
            at=self,
            owner="DuckLakeAccess",
            name="execution_role",
            needs="trust=EcsTaskTrust(...)",
            has=f"run_mode={self._run_mode!r}",
        )

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The task role (``iam.IGrantable``)."""
        return self._task_role.grant_principal

    @property
    def location(self) -> S3Location:
        """The bucket and prefix the container may use."""
        return self._location

    def service_account_manifest(self, *, output_format: str = "json") -> str:
        """IRSA only: the Kubernetes ServiceAccount annotated with the task role ARN.

        :param output_format: ``"json"`` (one line, valid YAML too; fits a stack output)
            or ``"yaml"``. Apply with ``kubectl apply -f -``.
        :raises ValueError: in another run mode, or for an unknown ``output_format``.
        """
        if not isinstance(self._trust, IrsaTrust):
            raise ValueError(
                f"DuckLakeAccess at {self.node.path}: service_account_manifest() is for the "
                f"IRSA run mode; this one is {self._run_mode!r}"
            )
        return self._trust.service_account_manifest(self.task_role_arn, output_format=output_format)


DuckLakeRoles = DuckLakeAccess
"""Deprecated alias of :class:`DuckLakeAccess` (the name before 0.2.0)."""
