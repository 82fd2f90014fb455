"""Databricks Unity Catalog: the self-assuming IAM role behind a storage credential."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from ..._private.partition_map import by_partition
from ..._private.sql import sql_escaped
from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props
from ...constructs.composite_trust import CompositeTrust
from ...constructs.cross_account_trust import CrossAccountTrust
from ...constructs.data_access_role import DataAccessRole
from ...constructs.grant import AccessGrant, allow
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.pending_trust import PendingTrust
from ...constructs.s3_grant import S3Grant
from ...constructs.s3_location import S3Location
from ...constructs.self_assume import SelfAssumeGrant, SelfAssumeTrust
from ...constructs.trust import Trust
from ...validation import PropsCheck, iam_description, is_token
from . import catalog

_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_-]{0,254}$")


@dataclass(frozen=True, kw_only=True)
class DatabricksFileEventsGrant(AccessGrant):
    """Managed file events (the page's optional ``ManagedFileEvents`` statements):
    bucket notifications on the locations' buckets, and the ``csms-`` SNS topics and SQS
    queues Databricks creates, in the stack's account and region only.

    ``sqs:ListQueues`` and ``sns:ListTopics`` are not granted: they have no resource type,
    so on the page's ``csms-*`` ARNs they were never allowed (see the deviations).

    :param locations: the external locations (their buckets get the notification).
    :param name: stable alphanumeric name for the policy. Default: ``DatabricksFileEvents``.
    """

    locations: Sequence[S3Location]
    name: str = "DatabricksFileEvents"

    def __post_init__(self) -> None:
        check = PropsCheck("DatabricksFileEventsGrant")
        check.sequence_of("locations", self.locations, S3Location, "S3Location")
        check.sid("name", self.name)
        check.raise_if_any()
        object.__setattr__(self, "locations", tuple(self.locations))

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and the prefix of its Sids."""
        return self.name

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "Databricks managed file events: bucket notifications, csms- topics and queues"

    def _arn(self, scope: Construct, service: str) -> str:
        facts = stack_facts(scope)
        prefix = catalog.FILE_EVENTS_PREFIX
        return f"arn:{facts.partition}:{service}:{facts.region}:{facts.account}:{prefix}*"

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        buckets = list(dict.fromkeys(loc.bucket_arn(scope) for loc in self.locations))
        return [
            allow(f"{self.sid}Buckets", catalog.FILE_EVENTS_BUCKET, buckets),
            allow(f"{self.sid}Topics", catalog.FILE_EVENTS_SNS, [self._arn(scope, "sns")]),
            allow(f"{self.sid}Queues", catalog.FILE_EVENTS_SQS, [self._arn(scope, "sqs")]),
        ]

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        reason = (
            "Databricks names the SNS topic and SQS queue of a bucket's file events itself, "
            f"always with the prefix {catalog.FILE_EVENTS_PREFIX} (the page's ManagedFileEvents "
            "statements); {kind}/{prefix}* in the stack's account and region is the narrowest "
            "ARN covering them, and only the page's exact {service} actions are granted on it."
        )
        return {
            self._arn(scope, service): reason.format(
                kind="topic" if service == "sns" else "queue",
                prefix=catalog.FILE_EVENTS_PREFIX,
                service=service.upper(),
            )
            for service in ("sns", "sqs")
        }


_USER_PROPS = {
    "S3Location.bucket": "locations",
    "S3Location.prefix": "locations",
    "S3Grant.location": "locations",
    "SseKmsGrant.key": "kms_key",
    "SseKmsGrant.locations": "locations",
    "CrossAccountTrust.role_arn": "master_role_arn",
    "CrossAccountTrust.external_id": "external_id",
    "SelfAssumeTrust.role_name": "role_name",
    "SelfAssumeTrust.external_id": "external_id",
    "PendingTrust.external_id": "external_id",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
}


@jsii.implements(iam.IGrantable)
class DatabricksStorageCredentialAccess(Construct):
    """The IAM role of a Unity Catalog storage credential, for one or more external
    locations.

    Grants, per location, the page's S3 actions on ``bucket/prefix/*`` (object actions),
    ``s3:ListBucket`` conditioned on the prefix, and the bucket-level actions on the
    bucket; ``sts:AssumeRole`` on the role itself; with ``kms_key``, SSE-KMS through S3.
    ``read_only=True`` keeps ``s3:GetObject``, ``s3:ListBucket`` and
    ``s3:GetBucketLocation`` (read-only external locations).

    Trust, in Databricks' two steps:

    1. Without ``external_id`` the role admits no one (:class:`PendingTrust`). Deploy it
       and create the storage credential with :meth:`create_credential_sql` (or Catalog
       Explorer) and the role ARN; Databricks shows the credential's external ID.
    2. Set ``external_id`` and deploy again: the role trusts Databricks' Unity Catalog
       master role and itself (:class:`SelfAssumeTrust`), both only with that
       ``sts:ExternalId``. Then create the external locations
       (:meth:`create_location_sql`).

    The role's own ARN is built from the literal ``role_name`` (required), the stack's
    ``AWS::Partition`` and ``AWS::AccountId``, so its trust and policy name it without a
    circular reference to the role.

    Example::

        uc = DatabricksStorageCredentialAccess(
            stack,
            "UnityCatalog",
            role_name="databricks-uc-lake",
            locations=[S3Location(bucket=lake_bucket, prefix="databricks")],
            # step 2: external_id="<the storage credential's external ID>",
        )
        cdk.CfnOutput(stack, "CredentialSql", value=uc.create_credential_sql(name="lake"))

    :param role_name: the role's physical name (1-64 characters of ``[\\w+=,.@-]``).
    :param locations: the external locations' buckets and prefixes. At least one.
    :param external_id: the storage credential's external ID (step 2). Default: none,
        the role admits no one yet.
    :param read_only: read-only external locations. Default: ``False``.
    :param kms_key: the buckets' SSE-KMS key. Default: none.
    :param master_role_arn: Databricks' Unity Catalog master role. Default: the published
        role of the stack's partition (commercial or GovCloud); for the GovCloud DoD shard
        pass :data:`~.catalog.GOVCLOUD_DOD_MASTER_ROLE`. Required in a stack whose
        partition synthesis does not know (an env-agnostic stack) only if it is not the
        commercial one.
    :param file_events: also grant what managed file events need
        (:class:`DatabricksFileEventsGrant`). Default: ``False``.
    :param permissions_boundary: a permissions boundary. Default: none.
    """

    @builds_from_user_props("DatabricksStorageCredentialAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        role_name: str,
        locations: Sequence[S3Location],
        external_id: str | None = None,
        read_only: bool = False,
        kms_key: str | kms.IKey | None = None,
        master_role_arn: str | None = None,
        file_events: bool = False,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("DatabricksStorageCredentialAccess", at=self)
        if is_token(role_name):
            check.add(
                "role_name",
                role_name,
                "a literal name: the role's own ARN in its trust policy is built from it",
            )
        else:
            check.iam_name("role_name", role_name, max_length=64)
        if isinstance(locations, str) or not locations:
            check.add("locations", locations, "a non-empty sequence of S3Location")
        else:
            check.sequence_of("locations", locations, S3Location, "S3Location")
        if external_id is not None:
            check.external_id("external_id", external_id)
        check.boolean("read_only", read_only)
        check.boolean("file_events", file_events)
        if kms_key is not None:
            check.kms_key("kms_key", kms_key)
        facts = stack_facts(self)
        known = facts.known_partition
        if master_role_arn is None and known is not None and known not in catalog.MASTER_ROLES:
            check.add(
                "master_role_arn",
                None,
                f"Databricks' Unity Catalog master role ARN for partition {known} "
                "(Databricks publishes none here)",
            )
        elif master_role_arn is not None:
            check.role_arn("master_role_arn", master_role_arn)
        if permissions_boundary is not None and not hasattr(
            permissions_boundary, "managed_policy_arn"
        ):
            check.add("permissions_boundary", permissions_boundary, "an iam.IManagedPolicy")
        check.partitions(facts, {"kms_key": kms_key, "master_role_arn": master_role_arn})
        check.raise_if_any()
        self._role_name = role_name
        self._locations = tuple(locations)
        self._pending = external_id is None
        self._read_only = read_only
        self._master_role_arn = master_role_arn
        self._master: str | iam.IRole | None = None
        actions = catalog.READ if read_only else catalog.READ + catalog.WRITE
        grants: list[AccessGrant] = [
            S3Grant(
                location=location,
                actions=actions,
                name="DatabricksS3" if i == 0 else f"DatabricksS3Location{i + 1}",
            )
            for i, location in enumerate(self._locations)
        ]
        grants.append(SelfAssumeGrant(role_name=role_name))
        if file_events:
            grants.append(DatabricksFileEventsGrant(locations=self._locations))
        if kms_key is not None:
            grants.append(
                SseKmsGrant(key=kms_key, read=True, write=not read_only, locations=self._locations)
            )
        trust: Trust
        if external_id is None:
            trust = PendingTrust()
        else:
            trust = CompositeTrust(
                trusts=(
                    CrossAccountTrust(role_arn=self._master_role(), external_id=external_id),
                    SelfAssumeTrust(role_name=role_name, external_id=external_id),
                )
            )
        self._data_access_role = DataAccessRole(
            self,
            "DataAccess",
            trust=trust,
            grants=grants,
            role_name=role_name,
            description=iam_description(
                "Databricks Unity Catalog storage credential for "
                + ", ".join(loc.described() or "S3" for loc in self._locations)
            ),
            permissions_boundary=permissions_boundary,
        )

    def _master_role(self) -> str | iam.IRole:
        """``master_role_arn``, or the published master role of the stack's partition:
        literal when synthesis knows the partition, else a ``Fn::FindInMap`` on
        ``AWS::Partition`` (a partition without one fails the deployment). Looked up once,
        on first use (the step-2 trust, :attr:`master_role_arn`)."""
        if self._master is None:
            if self._master_role_arn is not None:
                self._master = self._master_role_arn
            else:
                found = by_partition(
                    self,
                    "DatabricksUnityCatalogMasterRoles",
                    {p: {"RoleArn": arn} for p, arn in catalog.MASTER_ROLES.items()},
                    "RoleArn",
                )
                assert found is not None  # a known partition without one was refused
                self._master = (
                    iam.Role.from_role_arn(self, "MasterRole", found) if is_token(found) else found
                )
        return self._master

    @property
    def master_role_arn(self) -> str:
        """The Unity Catalog master role the step-2 trust names (for an output)."""
        master = self._master_role()
        return master if isinstance(master, str) else master.role_arn

    @property
    def pending(self) -> bool:
        """Step 1: the external ID is not known yet and the role admits no one."""
        return self._pending

    @property
    def locations(self) -> tuple[S3Location, ...]:
        """The external locations' buckets and prefixes."""
        return self._locations

    @property
    def data_access_role(self) -> DataAccessRole:
        """The underlying :class:`DataAccessRole`."""
        return self._data_access_role

    @property
    def role(self) -> iam.Role:
        """The ``iam.Role`` Unity Catalog assumes."""
        return self._data_access_role.role

    @property
    def role_arn(self) -> str:
        """The role ARN for the storage credential."""
        return self._data_access_role.role_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._data_access_role.grant_principal

    def create_credential_sql(self, *, name: str = "lakehouse_s3") -> str:
        """``CREATE STORAGE CREDENTIAL`` for this role (Databricks SQL).

        :param name: the credential's name.
        """
        self._check_name("create_credential_sql", name)
        return f"CREATE STORAGE CREDENTIAL `{name}` WITH (AWS_IAM_ROLE = '{self.role_arn}');"

    def create_location_sql(
        self, *, credential: str = "lakehouse_s3", name: str | None = None, index: int = 0
    ) -> str:
        """``CREATE EXTERNAL LOCATION`` for location ``index`` with the credential.

        :param credential: the storage credential's name.
        :param name: the location's name. Default: ``<credential>_<index + 1>``.
        :param index: which of ``locations``. Default: the first.
        """
        location_name = name or f"{credential}_{index + 1}"
        self._check_name("create_location_sql", credential)
        self._check_name("create_location_sql", location_name)
        location = self._locations[index]
        prefix = location.normalized_prefix
        path = f"/{sql_escaped(prefix)}" if prefix else ""
        url = f"s3://{location.bucket_name()}{path}"
        read_only = " READ ONLY" if self._read_only else ""
        return (
            f"CREATE EXTERNAL LOCATION `{location_name}` URL '{url}' "
            f"WITH (STORAGE CREDENTIAL `{credential}`){read_only};"
        )

    def _check_name(self, method: str, name: str) -> None:
        check = PropsCheck("DatabricksStorageCredentialAccess", at=self, detail=f": {method}")
        if not isinstance(name, str) or not _NAME.fullmatch(name):
            check.add("name", name, "letters, digits, '_' and '-' (a Unity Catalog name)")
        check.raise_if_any()
