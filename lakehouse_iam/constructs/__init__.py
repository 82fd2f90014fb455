"""Reusable constructs and building blocks: grants, trusts, roles, vendor scenarios.

Names are imported on first use (PEP 562), so ``from lakehouse_iam import S3Grant``
loads only the S3 building blocks, not the ECS, EKS and Glue bindings of aws-cdk-lib
that the vendor constructs need (those Python modules take about a second to import).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

EXPORTS: dict[str, str] = {
    "AccessGrant": "grant",
    "BoilStreamAccess": "boilstream",
    "BoilStreamLevel": "boilstream",
    "BoilStreamVendingGrant": "boilstream",
    "CrossAccountTrust": "cross_account_trust",
    "DataAccessRole": "data_access_role",
    "DataAccessUser": "data_access_user",
    "DuckLakeRoles": "ducklake",
    "Ec2InstanceTrust": "ec2_instance_trust",
    "EcrPullGrant": "ecr_grant",
    "EcsTaskTrust": "ecs_task_trust",
    "GlueCatalogGrant": "glue_grant",
    "IrsaTrust": "irsa_trust",
    "LogsGrant": "logs_grant",
    "MarketplaceMeteringGrant": "marketplace_grant",
    "PodIdentityTrust": "pod_identity_trust",
    "QualyticsAuthentication": "qualytics",
    "QualyticsDatastore": "qualytics",
    "QualyticsDatastoreAccess": "qualytics",
    "RisingWaveRole": "risingwave",
    "RoleTrust": "role_trust",
    "S3Grant": "s3_grant",
    "S3Location": "s3_location",
    "SecretsGrant": "secrets_grant",
    "SseKmsGrant": "kms_grant",
    "StarRocksAssumedRole": "starrocks",
    "StarRocksIamUser": "starrocks",
    "StarRocksInstanceProfileRole": "starrocks",
    "StarRocksPermissions": "starrocks",
    "Trust": "trust",
    "grant_policy": "managed_policy",
    "qualytics_grants": "qualytics",
}
"""Public name -> module of this package that defines it."""

__all__ = sorted(EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{EXPORTS[name]}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(EXPORTS))


if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
    from .boilstream import BoilStreamAccess, BoilStreamLevel, BoilStreamVendingGrant
    from .cross_account_trust import CrossAccountTrust
    from .data_access_role import DataAccessRole
    from .data_access_user import DataAccessUser
    from .ducklake import DuckLakeRoles
    from .ec2_instance_trust import Ec2InstanceTrust
    from .ecr_grant import EcrPullGrant
    from .ecs_task_trust import EcsTaskTrust
    from .glue_grant import GlueCatalogGrant
    from .grant import AccessGrant
    from .irsa_trust import IrsaTrust
    from .kms_grant import SseKmsGrant
    from .logs_grant import LogsGrant
    from .managed_policy import grant_policy
    from .marketplace_grant import MarketplaceMeteringGrant
    from .pod_identity_trust import PodIdentityTrust
    from .qualytics import (
        QualyticsAuthentication,
        QualyticsDatastore,
        QualyticsDatastoreAccess,
        qualytics_grants,
    )
    from .risingwave import RisingWaveRole
    from .role_trust import RoleTrust
    from .s3_grant import S3Grant
    from .s3_location import S3Location
    from .secrets_grant import SecretsGrant
    from .starrocks import (
        StarRocksAssumedRole,
        StarRocksIamUser,
        StarRocksInstanceProfileRole,
        StarRocksPermissions,
    )
    from .trust import Trust
