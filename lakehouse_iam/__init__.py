"""lakehouse-iam: exactly the AWS IAM each lakehouse engine needs, as CDK constructs.

Import the building blocks and vendor constructs from here::

    from lakehouse_iam import RisingWaveRole, DataAccessRole, S3Grant, S3Location

Names load on first use, so importing one construct does not import every vendor's
aws-cdk-lib modules.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .constructs import EXPORTS as _CONSTRUCTS

__version__ = "0.1.0"

_EXPORTS: dict[str, str] = {
    **{
        name: ".constructs"
        for name in _CONSTRUCTS
        if name not in ("grant_policy", "qualytics_grants")
    },
    "acknowledge": ".nag",
    "add_compliance_checks": ".nag",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name], __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_EXPORTS))


if TYPE_CHECKING:  # the same names, eagerly, for type checkers and IDEs
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
