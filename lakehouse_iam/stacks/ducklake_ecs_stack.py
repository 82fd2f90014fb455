"""Example: DuckLake Container on ECS/Fargate with a task role and a task execution role."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ecs as ecs
from constructs import Construct

from ..constructs.ducklake import DuckLakeRoles
from ..constructs.ecs_task_trust import EcsTaskTrust
from .data_bucket import ExampleDataBucket
from .ducklake_log_group import DuckLakeExampleLogGroup


class DuckLakeEcsExampleStack(cdk.Stack):
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
            trust=EcsTaskTrust(),
            bucket=data.bucket,
            prefix=prefix,
            kms_key=data.key,
            log_group=logs.log_group,
            config_secret=config_secret_name,
            image=image,
        )
        execution_role = self.ducklake.execution_role
        assert execution_role is not None
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
            logging=ecs.LogDrivers.aws_logs(stream_prefix="ducklake", log_group=logs.log_group),
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
