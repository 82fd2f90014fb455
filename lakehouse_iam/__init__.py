"""lakehouse-iam: exactly the AWS IAM each lakehouse engine needs, as CDK constructs.

Import the building blocks and vendor constructs from here::

    from lakehouse_iam import RisingWaveRole, DataAccessRole, S3Grant, S3Location
"""

from .constructs import (
    AccessGrant,
    BoilStreamAccess,
    BoilStreamLevel,
    BoilStreamVendingGrant,
    CrossAccountTrust,
    DataAccessRole,
    DataAccessUser,
    DuckLakeRoles,
    Ec2InstanceTrust,
    EcrPullGrant,
    EcsTaskTrust,
    GlueCatalogGrant,
    IrsaTrust,
    LogsGrant,
    MarketplaceMeteringGrant,
    PodIdentityTrust,
    QualyticsAuthentication,
    QualyticsDatastore,
    QualyticsDatastoreAccess,
    RisingWaveRole,
    RoleTrust,
    S3Grant,
    S3Location,
    SecretsGrant,
    SseKmsGrant,
    StarRocksAssumedRole,
    StarRocksIamUser,
    StarRocksInstanceProfileRole,
    StarRocksPermissions,
    Trust,
)
from .nag import acknowledge, add_compliance_checks

__version__ = "0.1.0"

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
    "acknowledge",
    "add_compliance_checks",
]
