"""Example: BoilStream at every permission level, each as its own role."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from ..._private.physical_names import IAM_NAME_LIMITS, bounded_name
from ...constructs.ec2_instance_trust import Ec2InstanceTrust
from ...constructs.ecs_task_trust import EcsTaskTrust
from ...stacks.context import context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from .access import BoilStreamAccess
from .catalog import BoilStreamLevel


class BoilStreamExampleStack(cdk.Stack):
    """A data bucket (created or imported) and one BoilStream identity per level.

    * ``Ingest``: level 1 on ECS (task trust with ``aws:SourceAccount``/``aws:SourceArn``).
    * ``DuckLake``: level 2 on EC2 (instance profile).
    * ``Cluster``: level 2 plus level 2b cluster state, on ECS.
    * ``CredentialVending``: level 3 on ECS, with the ``ducklake-<bucket>-access`` role
      (``ducklake-<stack name>-access`` for a created bucket, whose generated name would
      make the role name longer than IAM's 64 characters).
    * ``IngestOnExistingRole`` (only with ``existing_role_name``): level 1 attached to a
      role you already have.

    Outputs each role ARN and the access role ARN.

    :param prefix: key prefix BoilStream stores data under.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param kms_key_arn: SSE-KMS key of an imported bucket. Default: the created
        bucket's key, or none for an imported bucket.
    :param existing_role_name: a role in this account to attach level 1 to. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        prefix: str,
        bucket_name: str | None = None,
        kms_key_arn: str | None = None,
        existing_role_name: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        kms_key = data.key or kms_key_arn
        common: dict[str, Any] = {"bucket": data.bucket, "prefix": prefix, "kms_key": kms_key}
        self.ingest = BoilStreamAccess(
            self, "Ingest", principal=EcsTaskTrust(), level=BoilStreamLevel.INGEST, **common
        )
        self.ducklake = BoilStreamAccess(
            self, "DuckLake", principal=Ec2InstanceTrust(), level=BoilStreamLevel.DUCKLAKE, **common
        )
        self.cluster = BoilStreamAccess(
            self,
            "Cluster",
            principal=EcsTaskTrust(),
            level=BoilStreamLevel.DUCKLAKE,
            cluster_mode=True,
            **common,
        )
        # A created bucket's name is generated at deploy time (up to 63 characters), too
        # long for ducklake-<bucket>-access within IAM's 64: name the access role after
        # the stack instead, and tell BoilStream that name (the DuckLakeAccessRoleName output).
        access_role_name = (
            None
            if bucket_name
            else bounded_name(
                "ducklake-", self.stack_name.lower(), "-access", max_length=IAM_NAME_LIMITS["role"]
            )
        )
        self.vending = BoilStreamAccess(
            self,
            "CredentialVending",
            principal=EcsTaskTrust(),
            level=BoilStreamLevel.CREDENTIAL_VENDING,
            access_role_name=access_role_name,
            **common,
        )
        for output_id, access in (
            ("IngestRoleArn", self.ingest),
            ("DuckLakeRoleArn", self.ducklake),
            ("ClusterRoleArn", self.cluster),
            ("CredentialVendingRoleArn", self.vending),
        ):
            cdk.CfnOutput(self, output_id, value=access.require_role().role_arn)
        cdk.CfnOutput(
            self,
            "DuckLakeAccessRoleArn",
            description="The ducklake-<bucket>-access role BoilStream vends credentials from",
            value=self.vending.require_access_role().role_arn,
        )
        if access_role_name is not None:
            cdk.CfnOutput(
                self,
                "DuckLakeAccessRoleName",
                description="The access role's name: configure BoilStream with it (the bucket's "
                "generated name is too long for ducklake-<bucket>-access)",
                value=access_role_name,
            )
        self.existing: BoilStreamAccess | None = None
        if existing_role_name:
            self.existing = BoilStreamAccess(
                self,
                "IngestOnExistingRole",
                principal=iam.Role.from_role_name(self, "ExistingRole", existing_role_name),
                level=BoilStreamLevel.INGEST,
                **common,
            )


def from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-BoilStream`` from its ``lakehouse-iam:boilstream:*`` context."""
    return BoilStreamExampleStack(
        app,
        stack_id,
        prefix=required_context(app, "boilstream:prefix"),
        bucket_name=context(app, "boilstream:bucketName"),
        kms_key_arn=context(app, "boilstream:kmsKeyArn"),
        existing_role_name=context(app, "boilstream:existingRoleName"),
        description="lakehouse-iam example: BoilStream levels 1, 2, 2b and 3",
    )
