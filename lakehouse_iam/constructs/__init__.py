"""Reusable constructs and building blocks: grants, trusts, roles, vendor scenarios."""

from .cross_account_trust import CrossAccountTrust
from .data_access_role import DataAccessRole
from .grant import AccessGrant
from .kms_grant import SseKmsGrant
from .risingwave import RisingWaveRole
from .s3_grant import S3Grant
from .s3_location import S3Location
from .trust import Trust

__all__ = [
    "AccessGrant",
    "CrossAccountTrust",
    "DataAccessRole",
    "RisingWaveRole",
    "S3Grant",
    "S3Location",
    "SseKmsGrant",
    "Trust",
]
