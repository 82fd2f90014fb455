"""Trino: one role for its Hive, Iceberg and Delta Lake catalogs on AWS Glue and S3, in the
run mode its trust selects (EKS IRSA, EKS Pod Identity, EC2 instance profile, or a role
assumed with ``s3.iam-role`` / ``hive.metastore.glue.iam-role``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props
from ...constructs.data_access_role import DataAccessRole
from ...constructs.ec2_instance_trust import Ec2InstanceTrust
from ...constructs.glue_grant import GlueCatalogGrant
from ...constructs.grant import AccessGrant
from ...constructs.irsa_trust import IrsaTrust
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.pod_identity_trust import PodIdentityTrust
from ...constructs.role_trust import RoleTrust
from ...constructs.s3_grant import location_grants
from ...constructs.s3_location import S3Location, check_locations
from ...validation import PropsCheck
from . import catalog

TrinoTrust = IrsaTrust | PodIdentityTrust | Ec2InstanceTrust | RoleTrust
"""The trusts that select Trino's run modes."""
RUN_MODES: dict[type, str] = {
    IrsaTrust: "irsa",
    PodIdentityTrust: "pod-identity",
    Ec2InstanceTrust: "instance-profile",
    RoleTrust: "assumed-role",
}
"""Run mode of each trust."""


@dataclass(frozen=True, kw_only=True)
class TrinoPermissions:
    """What Trino's Hive, Iceberg and Delta Lake catalogs may do, in every run mode.

    Example::

        permissions = TrinoPermissions(
            locations=[S3Location(bucket=lake_bucket, prefix="warehouse")],
            s3_access="read_write",
            glue=GlueCatalogGrant(databases=["sales"], tables=["sales.orders"], write=True),
        )

    :param locations: the S3 locations (bucket + optional prefix) of the tables; several
        buckets allowed. At least one.
    :param glue: the Glue databases and tables, read or write (``write=True``: ``INSERT``,
        ``CREATE TABLE``, Iceberg and Delta Lake commits; ``manage_databases=True``:
        ``CREATE``/``DROP SCHEMA``). Trino also gets the column statistics of the granted
        tables (read; update and delete with ``write``), and never the Glue connections or
        the ``default`` database, which its Glue clients do not read.
    :param all_tables: allow a granted database without a table list in ``glue``: Trino
        then gets every table of it (``table/DB/*``), which is what lets it create tables
        there with ``write=True``. Off, every database must list its tables
        (``GlueCatalogGrant(tables=["db.table", ...])``). Default: ``False``.
    :param s3_access: ``"read"`` (``s3:GetObject``, ``s3:ListBucket``) or
        ``"read_write"`` (adds ``s3:PutObject``, ``s3:DeleteObject``,
        ``s3:AbortMultipartUpload``). Default: ``"read"``.
    :param kms_key: the locations' customer-managed SSE-KMS key: ``kms:Decrypt`` (plus
        ``kms:GenerateDataKey`` for read/write), only through S3 and only for these
        locations. Default: none (SSE-S3).
    :param s3_region: region of the buckets (``s3.region``). Default: the stack's.

    Trino's native S3 file system lists a directory as ``prefix/`` and never probes the
    bare ``prefix`` key (unlike Hadoop S3A), so each location is granted exactly
    ``bucket/prefix/*`` and ``s3:prefix`` = ``prefix/``, ``prefix/*``.
    """

    locations: Sequence[S3Location]
    glue: GlueCatalogGrant
    all_tables: bool = False
    s3_access: str = "read"
    kms_key: str | kms.IKey | None = None
    s3_region: str | None = None

    def __post_init__(self) -> None:
        check = PropsCheck("TrinoPermissions")
        check_locations(check, "locations", self.locations)
        if isinstance(self.locations, (list, tuple)) and not self.locations:
            check.add("locations", self.locations, "at least one S3Location")
        if self.s3_access not in catalog.S3_ACCESS:
            check.add("s3_access", self.s3_access, f"one of {', '.join(catalog.S3_ACCESS)}")
        check.boolean("all_tables", self.all_tables)
        if not isinstance(self.glue, GlueCatalogGrant):
            check.add("glue", self.glue, "a GlueCatalogGrant")
        else:
            self._check_glue(check, self.glue)
        if self.kms_key is not None:
            check.kms_key("kms_key", self.kms_key)
        if self.s3_region is not None:
            check.aws_region("s3_region", self.s3_region)
        check.raise_if_any()
        object.__setattr__(self, "locations", tuple(self.locations))

    def _check_glue(self, check: PropsCheck, glue: GlueCatalogGrant) -> None:
        if glue.connections:
            check.add(
                "glue.connections", glue.connections, "none: Trino never reads Glue connections"
            )
        if glue.hive_default_database:
            check.add(
                "glue.hive_default_database",
                True,
                "False: Trino's Glue metastore does not read database 'default'",
            )
        if self.all_tables is not True:
            unlisted = [db for db in glue.databases if not glue.tables_of(db)]
            if unlisted:
                check.add(
                    "glue",
                    f"databases without a table list: {', '.join(unlisted)}",
                    "a table list per database (GlueCatalogGrant(tables=['db.table'])), or "
                    "all_tables=True for a database-wide table grant (table/DB/*), which lets "
                    "Trino create tables there",
                )

    @property
    def s3_actions(self) -> tuple[str, ...]:
        """The exact S3 actions of :attr:`s3_access`."""
        return catalog.S3_ACCESS[self.s3_access]

    @property
    def glue_grant(self) -> GlueCatalogGrant:
        """``glue`` as Trino needs it: with column statistics, without the actions Trino's
        Glue clients never send (:data:`~lakehouse_iam.vendors.trino.catalog.GLUE_NOT_SENT`)."""
        omit = sorted({*self.glue.omit, *catalog.GLUE_NOT_SENT})
        return replace(self.glue, column_statistics=True, omit=omit)

    def grants(self) -> list[AccessGrant]:
        """One S3 grant per location, SSE-KMS when configured, then Glue."""
        result: list[AccessGrant] = list(location_grants(self.locations, actions=self.s3_actions))
        if self.kms_key is not None:
            result.append(
                SseKmsGrant(
                    key=self.kms_key,
                    read=True,
                    write=self.s3_access == "read_write",
                    locations=self.locations,
                    region=self.s3_region,
                )
            )
        result.append(self.glue_grant)
        return result


_USER_PROPS = {
    "S3Location.bucket": "permissions.locations",
    "S3Location.prefix": "permissions.locations",
    "S3Grant.location": "permissions.locations",
    "SseKmsGrant.key": "permissions.kms_key",
    "SseKmsGrant.region": "permissions.s3_region",
    "SseKmsGrant.locations": "permissions.locations",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
}


@jsii.implements(iam.IGrantable)
class TrinoAccess(Construct):
    """The role Trino's coordinator and workers use for Glue and S3, in one of four run
    modes chosen by ``trust``:

    * ``IrsaTrust(oidc_provider=..., namespace=..., service_account=...)`` - Trino on EKS
      with IAM roles for service accounts: the pods' service account assumes the role;
    * ``PodIdentityTrust(cluster_name=..., namespace=..., service_account=...)`` - Trino
      on EKS with EKS Pod Identity;
    * ``Ec2InstanceTrust()`` - Trino on EC2: the role of the instances' instance profile
      (:attr:`instance_profile`);
    * ``RoleTrust(role=cluster_role, external_id=...)`` - assumed role: Trino's own
      identity (``cluster_role``, e.g. its instance or pod role) assumes this role through
      ``s3.iam-role`` and ``hive.metastore.glue.iam-role``, passing ``s3.external-id`` /
      ``hive.metastore.glue.external-id`` when set; an ``iam.IRole`` gets its
      ``sts:AssumeRole`` on exactly this role.

    In every mode the role carries the same policies (:class:`TrinoPermissions`), and
    :meth:`properties_file` renders the ``etc/catalog/<name>.properties`` of the
    ``hive``, ``iceberg`` and ``delta_lake`` connectors for it.

    Example::

        trino = TrinoAccess(
            stack,
            "Trino",
            permissions=permissions,
            trust=IrsaTrust(oidc_provider=provider, namespace="trino", service_account="trino"),
        )
        cdk.CfnOutput(stack, "HiveCatalog", value=trino.properties_file("hive"))

    :param permissions: what Trino may do.
    :param trust: ``IrsaTrust``, ``PodIdentityTrust``, ``Ec2InstanceTrust`` or ``RoleTrust``.
    :param role_name: physical role name. Default: generated.
    :param permissions_boundary: a permissions boundary for the role. Default: none.
    """

    @builds_from_user_props("TrinoAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        permissions: TrinoPermissions,
        trust: TrinoTrust,
        role_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("TrinoAccess", at=self)
        if not isinstance(permissions, TrinoPermissions):
            check.add("permissions", permissions, "a TrinoPermissions")
        mode = RUN_MODES.get(type(trust))
        if mode is None:
            check.add(
                "trust", trust, "an IrsaTrust, PodIdentityTrust, Ec2InstanceTrust or RoleTrust"
            )
        check.raise_if_any()
        assert mode is not None  # an unknown trust was reported above
        self._mode = mode
        self._trust = trust
        self._permissions = permissions
        self._role = DataAccessRole(
            self,
            "Role",
            trust=trust,
            grants=permissions.grants(),
            role_name=role_name,
            description=f"Trino ({mode}): Hive, Iceberg and Delta Lake on AWS Glue and S3",
            permissions_boundary=permissions_boundary,
        )

    @property
    def run_mode(self) -> str:
        """``"irsa"``, ``"pod-identity"``, ``"instance-profile"`` or ``"assumed-role"``."""
        return self._mode

    @property
    def permissions(self) -> TrinoPermissions:
        """What this role may do."""
        return self._permissions

    @property
    def data_access_role(self) -> DataAccessRole:
        """The underlying :class:`DataAccessRole`."""
        return self._role

    @property
    def role(self) -> iam.Role:
        """The role (``iam.Role``)."""
        return self._role.role

    @property
    def role_arn(self) -> str:
        """The role's ARN."""
        return self._role.role_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._role.grant_principal

    @property
    def instance_profile(self) -> iam.InstanceProfile | None:
        """Instance-profile mode: the profile to launch Trino's instances with; else ``None``."""
        profile = self._role.trust_binding
        return profile if isinstance(profile, iam.InstanceProfile) else None

    def service_account_manifest(self, *, output_format: str = "json") -> str:
        """IRSA mode: the Trino pods' ServiceAccount, annotated with this role's ARN.

        :param output_format: ``"json"`` (one line, valid YAML too; fits a stack output)
            or ``"yaml"``. Apply with ``kubectl apply -f -``.
        :raises ValueError: in another run mode, or for an unknown ``output_format``.
        """
        if not isinstance(self._trust, IrsaTrust):
            check = PropsCheck(f"{type(self).__name__}.service_account_manifest", at=self)
            check.add("run mode", self._mode, "'irsa' (IrsaTrust): only IRSA annotates one")
            check.raise_if_any()
        assert isinstance(self._trust, IrsaTrust)  # checked above
        return self._trust.service_account_manifest(self.role_arn, output_format=output_format)

    def properties(self, connector: str) -> dict[str, str]:
        """The catalog properties of ``connector`` for this role, in file order.

        :param connector: ``"hive"``, ``"iceberg"`` or ``"delta_lake"``.
        :raises ValueError: for another connector.
        """
        if connector not in catalog.CONNECTORS:
            check = PropsCheck(f"{type(self).__name__}.properties")
            check.add("connector", connector, f"one of {', '.join(catalog.CONNECTORS)}")
            check.raise_if_any()
        stack = stack_facts(self)
        glue = self._permissions.glue
        props = dict(catalog.CONNECTORS[connector])
        props["hive.metastore.glue.region"] = glue.region or stack.region
        if glue.account is not None:
            props["hive.metastore.glue.catalogid"] = glue.account
        props.update(self._credentials("hive.metastore.glue"))
        props[catalog.NATIVE_S3[0]] = catalog.NATIVE_S3[1]
        props["s3.region"] = self._permissions.s3_region or stack.region
        props.update(self._credentials("s3"))
        return props

    def properties_file(self, connector: str) -> str:
        """``etc/catalog/<name>.properties`` of ``connector``: ``key=value`` lines.

        :param connector: ``"hive"``, ``"iceberg"`` or ``"delta_lake"``.
        """
        return "".join(f"{key}={value}\n" for key, value in self.properties(connector).items())

    def _credentials(self, prefix: str) -> list[tuple[str, str]]:
        """``<prefix>.iam-role`` / ``.external-id`` in assumed-role mode; none otherwise:
        the AWS SDK's default chain finds the pod's or the instance's credentials."""
        if not isinstance(self._trust, RoleTrust):
            return []
        creds = [(f"{prefix}.iam-role", self.role_arn)]
        if self._trust.external_id is not None:
            creds.append((f"{prefix}.external-id", self._trust.external_id))
        return creds
