"""Example stacks, one per scenario, and the registry that builds them all.

:data:`EXAMPLES` maps each stack ID to a factory that reads the stack's inputs from
context. ``app.py`` and the tests both go through :func:`build_example_stacks`, so a
stack registered here is synthesized, snapshotted and checked by cdk-nag
automatically.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk

from .boilstream_stack import BoilStreamExampleStack
from .ducklake_ecs_stack import DuckLakeEcsExampleStack
from .ducklake_eks_stacks import DuckLakeIrsaExampleStack, DuckLakePodIdentityExampleStack
from .qualytics_stack import QualyticsExampleStack
from .risingwave_stack import RisingWaveExampleStack
from .starrocks_stack import StarRocksExampleStack

CONTEXT_PREFIX = "lakehouse-iam:"


def context(app: cdk.App, key: str) -> str | None:
    """The ``lakehouse-iam:<key>`` context value; an empty string reads as ``None``."""
    value = app.node.try_get_context(CONTEXT_PREFIX + key)
    if value is None or value == "":
        return None
    return str(value)


def required_context(app: cdk.App, key: str) -> str:
    """Like :func:`context`, but a missing value is an error naming the key."""
    value = context(app, key)
    if value is None:
        raise ValueError(
            f"context {CONTEXT_PREFIX + key!r} is missing: set it in cdk.json or pass "
            f"-c {CONTEXT_PREFIX + key}=VALUE"
        )
    return value


def _risingwave(app: cdk.App, stack_id: str) -> cdk.Stack:
    return RisingWaveExampleStack(
        app,
        stack_id,
        workload_identity_role_arn=required_context(app, "risingwave:workloadIdentityRoleArn"),
        prefix=required_context(app, "risingwave:prefix"),
        bucket_name=context(app, "risingwave:bucketName"),
        external_id=context(app, "risingwave:externalId"),
        description="lakehouse-iam example: RisingWave Cloud cross-account S3 role",
    )


def _boilstream(app: cdk.App, stack_id: str) -> cdk.Stack:
    return BoilStreamExampleStack(
        app,
        stack_id,
        prefix=required_context(app, "boilstream:prefix"),
        bucket_name=context(app, "boilstream:bucketName"),
        kms_key_arn=context(app, "boilstream:kmsKeyArn"),
        existing_role_name=context(app, "boilstream:existingRoleName"),
        description="lakehouse-iam example: BoilStream levels 1, 2, 2b and 3",
    )


def _qualytics(app: cdk.App, stack_id: str) -> cdk.Stack:
    return QualyticsExampleStack(
        app,
        stack_id,
        dataplane_role_arn=required_context(app, "qualytics:dataplaneRoleArn"),
        source_root_path=required_context(app, "qualytics:sourceRootPath"),
        enrichment_root_path=required_context(app, "qualytics:enrichmentRootPath"),
        external_id=context(app, "qualytics:externalId"),
        bucket_name=context(app, "qualytics:bucketName"),
        kms_key_arn=context(app, "qualytics:kmsKeyArn"),
        description="lakehouse-iam example: Qualytics S3 datastores, IAM role and access key",
    )


def _starrocks(app: cdk.App, stack_id: str) -> cdk.Stack:
    def listed(key: str) -> list[str]:
        return [v.strip() for v in (context(app, key) or "").split(",") if v.strip()]

    glue_write = context(app, "starrocks:glueWrite") or "true"
    if glue_write not in ("true", "false"):
        raise ValueError(
            f"context {CONTEXT_PREFIX}starrocks:glueWrite={glue_write!r} is invalid: "
            "expected 'true' or 'false'"
        )
    return StarRocksExampleStack(
        app,
        stack_id,
        prefix=required_context(app, "starrocks:prefix"),
        bucket_name=context(app, "starrocks:bucketName"),
        extra_locations=listed("starrocks:extraLocations"),
        s3_access=context(app, "starrocks:s3Access") or "read_write",
        glue_database=context(app, "starrocks:glueDatabase"),
        glue_tables=listed("starrocks:glueTables"),
        glue_write=glue_write == "true",
        external_id=context(app, "starrocks:externalId"),
        catalog_type=context(app, "starrocks:catalogType") or "hive",
        description="lakehouse-iam example: StarRocks S3 and Glue in its three auth modes",
    )


def _ducklake_common(app: cdk.App, stack_id: str) -> dict[str, object]:
    """Inputs every DuckLake example shares (``lakehouse-iam:ducklake:*``)."""
    days = required_context(app, "ducklake:logRetentionDays")
    if not days.isdigit():
        raise ValueError(
            f"context {CONTEXT_PREFIX}ducklake:logRetentionDays={days!r} is invalid: "
            "expected a number of days such as 365"
        )
    return {
        "prefix": required_context(app, "ducklake:prefix"),
        "bucket_name": context(app, "ducklake:bucketName"),
        "config_secret_name": required_context(app, "ducklake:configSecretName"),
        "log_group_name": context(app, "ducklake:logGroupName") or f"/lakehouse-iam/{stack_id}",
        "log_retention_days": int(days),
    }


def _ducklake_ecs(app: cdk.App, stack_id: str) -> cdk.Stack:
    return DuckLakeEcsExampleStack(
        app,
        stack_id,
        image=required_context(app, "ducklake:image"),
        description="lakehouse-iam example: DuckLake Container on ECS/Fargate",
        **_ducklake_common(app, stack_id),  # type: ignore[arg-type]
    )


def _ducklake_irsa(app: cdk.App, stack_id: str) -> cdk.Stack:
    return DuckLakeIrsaExampleStack(
        app,
        stack_id,
        oidc_provider_arn=required_context(app, "ducklake:oidcProviderArn"),
        namespace=required_context(app, "ducklake:namespace"),
        service_account=required_context(app, "ducklake:serviceAccount"),
        description="lakehouse-iam example: DuckLake Container on EKS with IRSA",
        **_ducklake_common(app, stack_id),  # type: ignore[arg-type]
    )


def _ducklake_pod_identity(app: cdk.App, stack_id: str) -> cdk.Stack:
    create = context(app, "ducklake:createPodIdentityAssociation") or "true"
    if create not in ("true", "false"):
        raise ValueError(
            f"context {CONTEXT_PREFIX}ducklake:createPodIdentityAssociation={create!r} is "
            "invalid: expected 'true' or 'false'"
        )
    return DuckLakePodIdentityExampleStack(
        app,
        stack_id,
        cluster_name=required_context(app, "ducklake:clusterName"),
        namespace=required_context(app, "ducklake:namespace"),
        service_account=required_context(app, "ducklake:serviceAccount"),
        create_association=create == "true",
        description="lakehouse-iam example: DuckLake Container on EKS with Pod Identity",
        **_ducklake_common(app, stack_id),  # type: ignore[arg-type]
    )


EXAMPLES: dict[str, Callable[[cdk.App, str], cdk.Stack]] = {
    "LakehouseIam-DuckLakeEcs": _ducklake_ecs,
    "LakehouseIam-DuckLakeIrsa": _ducklake_irsa,
    "LakehouseIam-DuckLakePodIdentity": _ducklake_pod_identity,
    "LakehouseIam-RisingWave": _risingwave,
    "LakehouseIam-BoilStream": _boilstream,
    "LakehouseIam-Qualytics": _qualytics,
    "LakehouseIam-StarRocks": _starrocks,
}
"""Every example stack: stack ID -> factory(app, stack_id)."""


def build_example_stacks(app: cdk.App) -> dict[str, cdk.Stack]:
    """Create every example stack in ``app`` from its context; return them by stack ID."""
    return {stack_id: factory(app, stack_id) for stack_id, factory in EXAMPLES.items()}


__all__ = [
    "EXAMPLES",
    "BoilStreamExampleStack",
    "DuckLakeEcsExampleStack",
    "DuckLakeIrsaExampleStack",
    "DuckLakePodIdentityExampleStack",
    "QualyticsExampleStack",
    "RisingWaveExampleStack",
    "StarRocksExampleStack",
    "build_example_stacks",
]
