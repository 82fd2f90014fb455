"""The public API of lakehouse-iam, listed once.

Every name here is re-exported explicitly (``from .x import Y as Y``), so ``mypy --strict``
and pyright treat it as exported. Import the names from :mod:`lakehouse_iam` (which
loads this module on first use); anything not listed here (``lakehouse_iam._private``,
module-level helpers of the vendor folders) may change in any release, see CHANGELOG.md.
"""

from __future__ import annotations

# Shared building blocks: grants, trusts and the role and user that carry them.
from .constructs.cross_account_trust import CrossAccountTrust as CrossAccountTrust
from .constructs.data_access_role import DataAccessRole as DataAccessRole
from .constructs.data_access_user import DataAccessUser as DataAccessUser
from .constructs.ec2_instance_trust import Ec2InstanceTrust as Ec2InstanceTrust
from .constructs.ecr_grant import EcrPullGrant as EcrPullGrant
from .constructs.ecs_task_trust import EcsTaskTrust as EcsTaskTrust
from .constructs.glue_grant import GlueCatalogGrant as GlueCatalogGrant
from .constructs.grant import AccessGrant as AccessGrant
from .constructs.irsa_trust import IrsaTrust as IrsaTrust
from .constructs.kms_grant import SseKmsGrant as SseKmsGrant
from .constructs.kms_grant import SseKmsKey as SseKmsKey
from .constructs.logs_grant import LogsGrant as LogsGrant
from .constructs.marketplace_grant import MarketplaceMeteringGrant as MarketplaceMeteringGrant
from .constructs.pod_identity_trust import PodIdentityTrust as PodIdentityTrust
from .constructs.role_trust import RoleTrust as RoleTrust
from .constructs.s3_grant import S3Grant as S3Grant
from .constructs.s3_location import S3Location as S3Location
from .constructs.secrets_grant import SecretsGrant as SecretsGrant
from .constructs.trust import Trust as Trust

# cdk-nag wiring and IAM quotas.
from .nag import acknowledge as acknowledge
from .nag import add_compliance_checks as add_compliance_checks
from .quotas import QuotaError as QuotaError

# Vendor scenario constructs: <Vendor>[<Mode>]Access (CONTRIBUTING.md, "Naming").
from .vendors.boilstream.access import BoilStreamAccess as BoilStreamAccess
from .vendors.boilstream.access import BoilStreamVendingGrant as BoilStreamVendingGrant
from .vendors.boilstream.catalog import BoilStreamLevel as BoilStreamLevel
from .vendors.databricks.access import (
    DatabricksStorageCredentialAccess as DatabricksStorageCredentialAccess,
)
from .vendors.ducklake.access import DuckLakeAccess as DuckLakeAccess
from .vendors.qualytics.access import QualyticsDatastoreAccess as QualyticsDatastoreAccess
from .vendors.qualytics.catalog import QualyticsAuthentication as QualyticsAuthentication
from .vendors.qualytics.catalog import QualyticsDatastore as QualyticsDatastore
from .vendors.risingwave.access import RisingWaveAccess as RisingWaveAccess
from .vendors.snowflake.access import SnowflakeGlueCatalogAccess as SnowflakeGlueCatalogAccess
from .vendors.snowflake.access import SnowflakeStorageAccess as SnowflakeStorageAccess
from .vendors.snowflake.catalog import SnowflakeIntegration as SnowflakeIntegration
from .vendors.starrocks.access import StarRocksAssumedRoleAccess as StarRocksAssumedRoleAccess
from .vendors.starrocks.access import StarRocksIamUserAccess as StarRocksIamUserAccess
from .vendors.starrocks.access import (
    StarRocksInstanceProfileAccess as StarRocksInstanceProfileAccess,
)
from .vendors.starrocks.access import StarRocksPermissions as StarRocksPermissions
from .vendors.trino.access import TrinoAccess as TrinoAccess
from .vendors.trino.access import TrinoPermissions as TrinoPermissions

# isort: split
# Deprecated aliases: the names before 0.2.0; they will be removed in 1.0 (CHANGELOG.md).
from .vendors.ducklake.access import DuckLakeRoles as DuckLakeRoles
from .vendors.risingwave.access import RisingWaveRole as RisingWaveRole
from .vendors.starrocks.access import StarRocksAssumedRole as StarRocksAssumedRole
from .vendors.starrocks.access import StarRocksIamUser as StarRocksIamUser
from .vendors.starrocks.access import StarRocksInstanceProfileRole as StarRocksInstanceProfileRole
