"""StarRocks: S3 batch load or read/write plus the Glue Data Catalog, in StarRocks' three
authentication modes (instance profile, assumed role, IAM user)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from ..._private.principal_account import check_principal_account
from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props, user_props
from ...catalog import s3a
from ...constructs.data_access_role import DataAccessRole
from ...constructs.data_access_user import DataAccessUser
from ...constructs.ec2_instance_trust import Ec2InstanceTrust
from ...constructs.glue_grant import GlueCatalogGrant
from ...constructs.grant import AccessGrant
from ...constructs.kms_grant import SseKmsGrant, SseKmsKey, sse_kms_grants
from ...constructs.role_trust import RoleTrust
from ...constructs.s3_grant import location_grants
from ...constructs.s3_location import S3Location, check_locations
from ...validation import PropsCheck
from . import catalog

if TYPE_CHECKING:
    from aws_cdk import aws_secretsmanager as secretsmanager

# StarRocks catalog names: a letter first, then letters, digits and '_' (at most 1023).
_CATALOG_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_]{0,1022}$")


@dataclass(frozen=True, kw_only=True)
class StarRocksPermissions:
    """What StarRocks may do, the same in every authentication mode.

    Example::

        permissions = StarRocksPermissions(
            locations=[S3Location(bucket=lake_bucket, prefix="starrocks")],
            s3_access="read_write",
            glue=GlueCatalogGrant(databases=["lakehouse"], write=True),
        )

    :param locations: S3 locations (bucket + optional prefix), several buckets allowed.
        Default: none (Glue only).
    :param s3_access: ``"batch_load"`` (``s3:GetObject`` on objects, ``s3:ListBucket``
        on the bucket, conditioned on the prefix) or ``"read_write"`` (adds
        ``s3:PutObject`` and ``s3:DeleteObject``). Default: ``"batch_load"``.
    :param kms_key: the customer-managed SSE-KMS key of all the locations:
        ``kms:Decrypt`` (plus ``kms:GenerateDataKey`` for read/write), only through S3
        and only for these locations. Default: none (SSE-S3).
    :param kms_keys: a key per location (or per bucket), when the locations use
        different keys: each :class:`SseKmsKey` names its key and some of
        ``locations``; each key is granted only for its own locations. A location listed
        under no key gets no KMS permission (SSE-S3). Not together with ``kms_key``.
        Default: none.
    :param glue: Glue Data Catalog access (databases, tables, read or write). Default:
        none (no Glue permission; batch load and ``FILES()`` only).
    :param s3_region: region of the buckets (``aws.s3.region``). Default: the stack's.
    :param hive_default_database: with ``glue``, also let StarRocks' Hive, Hudi, Delta
        Lake and unified catalogs start: their embedded AWS Glue Data Catalog client for
        Hive reads database ``default`` when the catalog is created (``glue:GetDatabase``
        on ``database/default`` only; nothing else on it). Set ``False`` only when every
        catalog on this identity is an Iceberg catalog. Default: ``True``.

    Each location is also addressed as a directory without its trailing slash
    (``list_bare_prefix`` and ``read_prefix_key`` of :class:`S3Grant`): Hadoop S3A,
    which StarRocks' Hive-style catalogs use for S3 paths, probes ``bucket/prefix`` with
    a HEAD before ``bucket/prefix/`` when a database or table location is the granted
    prefix itself.
    """

    locations: Sequence[S3Location] = ()
    s3_access: str = "batch_load"
    kms_key: str | kms.IKey | None = None
    kms_keys: Sequence[SseKmsKey] = ()
    glue: GlueCatalogGrant | None = None
    s3_region: str | None = None
    hive_default_database: bool = True

    def __post_init__(self) -> None:
        check = PropsCheck("StarRocksPermissions")
        check_locations(check, "locations", self.locations)
        if self.s3_access not in catalog.S3_ACCESS:
            check.add("s3_access", self.s3_access, f"one of {', '.join(catalog.S3_ACCESS)}")
        if self.glue is not None and not isinstance(self.glue, GlueCatalogGrant):
            check.add("glue", self.glue, "a GlueCatalogGrant")
        if not self.locations and self.glue is None:
            check.add("locations/glue", None, "at least one S3 location or a GlueCatalogGrant")
        if self.kms_key is not None and not self.locations:
            check.add("kms_key", self.kms_key, "no key when there is no S3 location")
        elif self.kms_key is not None:
            check.kms_key("kms_key", self.kms_key)
        self._check_kms_keys(check)
        if self.s3_region is not None:
            check.aws_region("s3_region", self.s3_region)
        check.boolean("hive_default_database", self.hive_default_database)
        check.raise_if_any()
        check.keep_deferred(self)
        object.__setattr__(self, "locations", tuple(self.locations))
        object.__setattr__(self, "kms_keys", tuple(self.kms_keys))

    def _check_kms_keys(self, check: PropsCheck) -> None:
        if not self.kms_keys:
            return
        if self.kms_key is not None:
            check.add(
                "kms_keys",
                self.kms_keys,
                "no kms_keys together with kms_key (kms_key is the one key of all locations)",
            )
        if not check.sequence_of("kms_keys", self.kms_keys, SseKmsKey, "SseKmsKey"):
            return
        granted = (
            {(repr(loc.bucket), loc.normalized_prefix) for loc in self.locations}
            if isinstance(self.locations, (list, tuple))
            else set()
        )
        for i, entry in enumerate(self.kms_keys):
            for j, location in enumerate(entry.locations):
                if (repr(location.bucket), location.normalized_prefix) not in granted:
                    check.add(
                        f"kms_keys[{i}].locations[{j}]",
                        location.label or location,
                        "one of locations (a key is granted only for locations that have "
                        "S3 access)",
                    )

    @property
    def s3_actions(self) -> tuple[str, ...]:
        """The exact S3 actions of :attr:`s3_access`."""
        return catalog.S3_ACCESS[self.s3_access]

    def grants(self) -> list[AccessGrant]:
        """One S3 grant per location, then SSE-KMS (one per key) and Glue grants when
        configured."""
        result: list[AccessGrant] = list(
            location_grants(self.locations, actions=self.s3_actions, **s3a.DIRECTORY_KEY)
        )
        write = self.s3_access == "read_write"
        if self.kms_key is not None:
            result.append(
                SseKmsGrant(
                    key=self.kms_key,
                    read=True,
                    write=write,
                    locations=self.locations,
                    region=self.s3_region,
                )
            )
        result.extend(sse_kms_grants(self.kms_keys, write=write, region=self.s3_region))
        if self.glue is not None:
            default = self.hive_default_database or self.glue.hive_default_database
            result.append(replace(self.glue, hive_default_database=default))
        return result


# The props of the building blocks, by the names a StarRocks construct's caller gave them.
_USER_PROPS = {
    "S3Location.bucket": "permissions.locations",
    "S3Location.prefix": "permissions.locations",
    "S3Grant.location": "permissions.locations",
    "SseKmsGrant.key": "permissions.kms_key",
    "SseKmsGrant.region": "permissions.s3_region",
    "SseKmsGrant.locations": "permissions.locations",
    "RoleTrust.role": "cluster_role",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "RoleTrust.external_id": "external_id",
    "Ec2InstanceTrust.instance_profile_name": "instance_profile_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
    "DataAccessUser.user_name": "user_name",
    "DataAccessUser.group_name": "group_name",
    "DataAccessUser.secret_key": "secret_key",
    "DataAccessUser.permissions_boundary": "permissions_boundary",
}


class _StarRocksAccess(Construct):
    """Shared rendering of StarRocks' ``aws.s3.*`` / ``aws.glue.*`` properties."""

    def __init__(self, scope: Construct, id: str, *, permissions: StarRocksPermissions) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        if not isinstance(permissions, StarRocksPermissions):
            check = PropsCheck(type(self).__name__, at=self)
            check.add("permissions", permissions, "a StarRocksPermissions")
            check.raise_if_any()
        self._permissions = permissions

    @property
    def permissions(self) -> StarRocksPermissions:
        """What this identity may do."""
        return self._permissions

    def _credentials(self, service: str) -> list[tuple[str, str]]:
        raise NotImplementedError  # pragma: no cover - every mode overrides it

    def properties(self, *, services: Sequence[str] = ("s3", "glue")) -> dict[str, str]:
        """StarRocks' ``aws.s3.*`` (when S3 is granted) and ``aws.glue.*`` (when Glue is)
        properties for this mode, in the order StarRocks' docs list them.

        :param services: which of ``"s3"`` and ``"glue"`` to include. Default: both.
        """
        check = PropsCheck(f"{type(self).__name__}.properties")
        for service in services:
            if service not in ("s3", "glue"):
                check.add("services", service, "'s3' or 'glue'")
        check.raise_if_any()
        stack = stack_facts(self)
        props: dict[str, str] = {}
        if "s3" in services and self._permissions.locations:
            props.update(self._credentials("s3"))
            props["aws.s3.region"] = self._permissions.s3_region or stack.region
        if "glue" in services and self._permissions.glue is not None:
            props.update(self._credentials("glue"))
            props["aws.glue.region"] = self._permissions.glue.region or stack.region
        return props

    def properties_sql(self, *, services: Sequence[str] = ("s3", "glue")) -> str:
        """The properties as ``"key" = "value"`` lines, ready to paste into
        ``PROPERTIES (...)``, ``WITH BROKER (...)`` or ``FILES(...)``.

        :param services: which of ``"s3"`` and ``"glue"`` to include. Default: both.
        """
        props = self.properties(services=services)
        return ",\n".join(f'"{k}" = "{v}"' for k, v in props.items())

    def create_external_catalog_sql(
        self, *, catalog_name: str = "glue_catalog", catalog_type: str = "hive"
    ) -> str:
        """A ``CREATE EXTERNAL CATALOG ... PROPERTIES (...)`` statement for the Glue grant.

        :param catalog_name: the StarRocks catalog name. Default: ``glue_catalog``.
        :param catalog_type: ``hive``, ``iceberg``, ``hudi``, ``deltalake`` or
            ``unified``. Default: ``hive``.
        """
        check = PropsCheck(f"{type(self).__name__}.create_external_catalog_sql")
        if self._permissions.glue is None:
            check.add("permissions.glue", None, "a GlueCatalogGrant (the catalog is Glue)")
        if not isinstance(catalog_name, str) or not _CATALOG_NAME_RE.match(catalog_name):
            check.add("catalog_name", catalog_name, "a letter, then letters, digits and '_'")
        if catalog_type not in catalog.METASTORE_TYPE_KEY:
            check.add(
                "catalog_type", catalog_type, f"one of {', '.join(catalog.METASTORE_TYPE_KEY)}"
            )
        check.raise_if_any()
        lines = [
            f'"type" = "{catalog_type}"',
            f'"{catalog.METASTORE_TYPE_KEY[catalog_type]}" = "glue"',
            self.properties_sql(),
        ]
        body = ",\n".join(lines).replace("\n", "\n    ")
        return f"CREATE EXTERNAL CATALOG {catalog_name}\nPROPERTIES (\n    {body}\n);"


@jsii.implements(iam.IGrantable)
class StarRocksInstanceProfileAccess(_StarRocksAccess):
    """Instance-profile mode: StarRocks uses the EC2 instance's own role.

    An EC2 role (``ec2.amazonaws.com``, used only through the instance profile this
    construct creates) carrying the S3, SSE-KMS and Glue policies. Launch the StarRocks
    FE and BE/CN instances with :attr:`instance_profile`; StarRocks properties:
    ``aws.s3.use_instance_profile = true`` (and ``aws.glue.use_instance_profile``).

    Example::

        starrocks = StarRocksInstanceProfileAccess(stack, "StarRocks", permissions=permissions)
        # launch the FE and BE/CN instances with starrocks.instance_profile

    :param permissions: what StarRocks may do.
    :param role_name: physical role name. Default: generated.
    :param instance_profile_name: physical instance profile name. Default: generated.
    :param permissions_boundary: a permissions boundary. Default: none.
    """

    @builds_from_user_props("StarRocksInstanceProfileAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        permissions: StarRocksPermissions,
        role_name: str | None = None,
        instance_profile_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id, permissions=permissions)
        self._role = DataAccessRole(
            self,
            "InstanceRole",
            trust=Ec2InstanceTrust(instance_profile_name=instance_profile_name),
            grants=permissions.grants(),
            role_name=role_name,
            description="StarRocks instance-profile role (S3 / Glue access)",
            permissions_boundary=permissions_boundary,
        )

    @property
    def data_access_role(self) -> DataAccessRole:
        """The underlying :class:`DataAccessRole`."""
        return self._role

    @property
    def role(self) -> iam.Role:
        """The instance role (``iam.Role``)."""
        return self._role.role

    @property
    def role_arn(self) -> str:
        """The instance role's ARN."""
        return self._role.role_arn

    @property
    def instance_profile(self) -> iam.InstanceProfile:
        """The instance profile to launch StarRocks instances with."""
        profile = self._role.trust_binding
        assert isinstance(profile, iam.InstanceProfile)  # what Ec2InstanceTrust.bind returns
        return profile

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._role.grant_principal

    def _credentials(self, service: str) -> list[tuple[str, str]]:
        return [(f"aws.{service}.use_instance_profile", "true")]


@jsii.implements(iam.IGrantable)
class StarRocksAssumedRoleAccess(_StarRocksAccess):
    """Assumed-role mode: the cluster's instance role assumes a data role.

    Two roles, chained exactly:

    * the cluster role (created here as an EC2 instance-profile role, or yours via
      ``cluster_role``) gets one permission: ``sts:AssumeRole`` on the data role only;
    * the data role trusts exactly the cluster role's ARN (never the account root),
      with ``sts:ExternalId`` when ``external_id`` is set, and carries the S3, SSE-KMS
      and Glue policies.

    StarRocks properties: ``aws.s3.use_instance_profile = true`` +
    ``aws.s3.iam_role_arn`` (+ ``aws.s3.external_id``), likewise ``aws.glue.*``.

    Example::

        starrocks = StarRocksAssumedRoleAccess(stack, "StarRocks", permissions=permissions)
        cdk.CfnOutput(stack, "Catalog", value=starrocks.create_external_catalog_sql())

    :param permissions: what StarRocks may do.
    :param cluster_role: the role of the StarRocks instances. An ``iam.IRole`` (of the
        stack's account) gets its ``sts:AssumeRole`` policy here; for a role ARN (e.g. in
        another account) grant ``sts:AssumeRole`` on :attr:`role_arn` to it yourself.
        Default: a new EC2 instance-profile role with an instance profile.
    :param external_id: ExternalId StarRocks must pass (``aws.s3.external_id``);
        useful when the cluster runs in another of your accounts. Default: none (the
        trusted principal is your own exact role).
    :param role_name: physical name of the data role. Default: generated.
    :param cluster_role_name: physical name of a created cluster role. Default: generated.
    :param instance_profile_name: physical name of a created instance profile.
        Default: generated.
    :param permissions_boundary: a permissions boundary for the roles created here.
        Default: none.
    """

    @builds_from_user_props("StarRocksAssumedRoleAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        permissions: StarRocksPermissions,
        cluster_role: iam.IRole | str | None = None,
        external_id: str | None = None,
        role_name: str | None = None,
        cluster_role_name: str | None = None,
        instance_profile_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id, permissions=permissions)
        check = PropsCheck("StarRocksAssumedRoleAccess", at=self)
        if cluster_role is not None:
            check.role("cluster_role", cluster_role)
            check.partitions(stack_facts(self), {"cluster_role": cluster_role})
            if not isinstance(cluster_role, str):
                check_principal_account(
                    check,
                    stack_facts(self),
                    "cluster_role",
                    cluster_role,
                    instead="Pass the cluster role's ARN as a string "
                    "(cluster_role='arn:...'), which gets no policy here, with external_id=, "
                    "and grant it sts:AssumeRole on role_arn in its own account.",
                )
        if cluster_role is not None and (cluster_role_name or instance_profile_name):
            check.add(
                "cluster_role_name/instance_profile_name",
                cluster_role_name or instance_profile_name,
                "nothing when cluster_role is given (no cluster role is created)",
            )
        check.raise_if_any()
        self._cluster: DataAccessRole | None = None
        if cluster_role is None:
            cluster_props = {"DataAccessRole.role_name": "cluster_role_name"}
            with user_props(self, "StarRocksAssumedRoleAccess", cluster_props):
                self._cluster = DataAccessRole(
                    self,
                    "ClusterRole",
                    trust=Ec2InstanceTrust(instance_profile_name=instance_profile_name),
                    role_name=cluster_role_name,
                    description="StarRocks cluster instance role: may only assume the data role",
                    permissions_boundary=permissions_boundary,
                )
            cluster_role = self._cluster.role
        self._cluster_role = cluster_role
        self._external_id = external_id
        self._data = DataAccessRole(
            self,
            "DataRole",
            trust=RoleTrust(role=cluster_role, external_id=external_id),
            grants=permissions.grants(),
            role_name=role_name,
            description="StarRocks data role (S3 / Glue access), assumed by the cluster role",
            permissions_boundary=permissions_boundary,
        )

    @property
    def data_access_role(self) -> DataAccessRole:
        """The data role's :class:`DataAccessRole`."""
        return self._data

    @property
    def role(self) -> iam.Role:
        """The data role (``aws.s3.iam_role_arn``)."""
        return self._data.role

    @property
    def role_arn(self) -> str:
        """The data role's ARN."""
        return self._data.role_arn

    @property
    def cluster_role(self) -> iam.IRole | str:
        """The cluster's instance role (created or given)."""
        return self._cluster_role

    @property
    def cluster_role_arn(self) -> str:
        """The cluster role's ARN (created or given)."""
        role = self._cluster_role
        return role if isinstance(role, str) else role.role_arn

    @property
    def instance_profile(self) -> iam.InstanceProfile | None:
        """The created cluster role's instance profile; ``None`` for a given cluster role."""
        if self._cluster is None:
            return None
        profile = self._cluster.trust_binding
        assert isinstance(profile, iam.InstanceProfile)  # what Ec2InstanceTrust.bind returns
        return profile

    @property
    def external_id(self) -> str | None:
        """The ExternalId the data role's trust requires, if any."""
        return self._external_id

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._data.grant_principal

    def _credentials(self, service: str) -> list[tuple[str, str]]:
        creds = [
            (f"aws.{service}.use_instance_profile", "true"),
            (f"aws.{service}.iam_role_arn", self.role_arn),
        ]
        if self._external_id is not None:
            creds.append((f"aws.{service}.external_id", self._external_id))
        return creds


@jsii.implements(iam.IGrantable)
class StarRocksIamUserAccess(_StarRocksAccess):
    """IAM-user mode: an access key, for StarRocks clusters outside AWS compute.

    A :class:`DataAccessUser`: the user gets the S3, SSE-KMS and Glue policies only
    through its group; its access key goes into a KMS-encrypted Secrets Manager secret
    (``{"accessKeyId", "secretAccessKey"}``). The properties point at the secret and
    never contain the key: read it with
    ``aws secretsmanager get-secret-value --secret-id <secret ARN>``.

    Example::

        starrocks = StarRocksIamUserAccess(stack, "StarRocks", permissions=permissions)
        cdk.CfnOutput(stack, "KeySecretArn", value=starrocks.secret_arn)

    :param permissions: what StarRocks may do.
    :param user_name: physical user name. Default: generated.
    :param group_name: physical group name. Default: generated.
    :param secret_key: KMS key of the secret. Default: a new key with rotation.
    :param permissions_boundary: a permissions boundary for the user. Default: none.
    """

    @builds_from_user_props("StarRocksIamUserAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        permissions: StarRocksPermissions,
        user_name: str | None = None,
        group_name: str | None = None,
        secret_key: kms.IKey | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id, permissions=permissions)
        self._user = DataAccessUser(
            self,
            "User",
            grants=permissions.grants(),
            user_name=user_name,
            group_name=group_name,
            secret_key=secret_key,
            permissions_boundary=permissions_boundary,
        )

    @property
    def data_access_user(self) -> DataAccessUser:
        """The underlying :class:`DataAccessUser` (user, group, key, secret)."""
        return self._user

    @property
    def user(self) -> iam.User:
        """The IAM user (its policies come from its group)."""
        return self._user.user

    @property
    def group(self) -> iam.Group:
        """The IAM group that carries the policies."""
        return self._user.group

    @property
    def secret(self) -> secretsmanager.Secret:
        """The secret holding the access key."""
        assert self._user.secret is not None  # created: create_access_key defaults to True
        return self._user.secret

    @property
    def secret_arn(self) -> str:
        """The ARN of the secret holding the access key."""
        return self.secret.secret_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._user.grant_principal

    def _credentials(self, service: str) -> list[tuple[str, str]]:
        where = f"from secret {self.secret_arn}"
        return [
            (f"aws.{service}.use_instance_profile", "false"),
            (f"aws.{service}.access_key", f"<accessKeyId {where}>"),
            (f"aws.{service}.secret_key", f"<secretAccessKey {where}>"),
        ]


# Deprecated aliases: the names before 0.2.0 (see CHANGELOG.md, "Naming").
StarRocksInstanceProfileRole = StarRocksInstanceProfileAccess
"""Deprecated alias of :class:`StarRocksInstanceProfileAccess`."""
StarRocksAssumedRole = StarRocksAssumedRoleAccess
"""Deprecated alias of :class:`StarRocksAssumedRoleAccess`."""
StarRocksIamUser = StarRocksIamUserAccess
"""Deprecated alias of :class:`StarRocksIamUserAccess`."""
