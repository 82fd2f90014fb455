"""Reusable constructs and building blocks: grants, trusts, roles, vendor scenarios."""

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

__all__ = [
    "AccessGrant",
    "BoilStreamAccess",
    "BoilStreamLevel",
    "BoilStreamVendingGrant",
    "CrossAccountTrust",
    "DataAccessRole",
    "DataAccessUser",
    "DuckLakeRoles",
    "Ec2InstanceTrust",
    "EcrPullGrant",
    "EcsTaskTrust",
    "GlueCatalogGrant",
    "IrsaTrust",
    "LogsGrant",
    "MarketplaceMeteringGrant",
    "PodIdentityTrust",
    "QualyticsAuthentication",
    "QualyticsDatastore",
    "QualyticsDatastoreAccess",
    "RisingWaveRole",
    "RoleTrust",
    "S3Grant",
    "S3Location",
    "SecretsGrant",
    "SseKmsGrant",
    "StarRocksAssumedRole",
    "StarRocksIamUser",
    "StarRocksInstanceProfileRole",
    "StarRocksPermissions",
    "Trust",
    "grant_policy",
    "qualytics_grants",
]
