"""BoilStream: S3 access for every permission level, and credential vending without escalation."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, TypeVar

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..._private.managed_policy import grant_policy
from ..._private.modes import require
from ..._private.physical_names import IAM_NAME_LIMITS, claim_physical_name, max_length_of
from ..._private.principal_account import check_principal_account
from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props, user_props
from ...catalog import iam as iam_catalog
from ...constructs.data_access_role import DataAccessRole
from ...constructs.grant import POLICY_VERSION, AccessGrant, allow
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.role_trust import RoleTrust
from ...constructs.s3_grant import S3Grant
from ...constructs.s3_location import S3Location
from ...constructs.trust import Trust
from ...nag import acknowledge_wildcard_resources
from ...validation import PropsCheck, check_partitions, is_token
from . import catalog
from .boundary_check import check_access_role_boundary
from .catalog import BoilStreamLevel

Principal = Trust | iam.IRole | iam.IGrantable
_T = TypeVar("_T")
_LEVEL_3 = "level=BoilStreamLevel.CREDENTIAL_VENDING"


@dataclass(frozen=True, kw_only=True)
class BoilStreamVendingGrant(AccessGrant):
    """What BoilStream's own identity needs to vend credentials from one access role.

    * No ``sts:GetCallerIdentity``: BoilStream's page lists it, but AWS answers it for
      any valid credentials, even under an explicit Deny, so a grant adds nothing
      (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
    * ``iam:GetRole`` and ``sts:AssumeRole`` on exactly ``access_role_arn``.
    * Only with ``allow_policy_writes``: ``iam:PutRolePolicy`` on exactly that role,
      and only while its permissions boundary is ``boundary_arn``
      (``iam:PermissionsBoundary``), so whatever policy is written stays capped.

    No ``iam:CreateRole``: the access role exists before BoilStream starts.

    Example::

        BoilStreamVendingGrant(access_role_arn=access_role)  # an iam.IRole or its ARN

    :param access_role_arn: the ``ducklake-<bucket>-access`` role: its ARN or the
        ``iam.IRole``.
    :param boundary_arn: the access role's permissions boundary ARN (required with
        ``allow_policy_writes``).
    :param allow_policy_writes: grant the boundary-conditioned ``iam:PutRolePolicy``.
        Default: ``False``.
    :param name: stable alphanumeric name. Default: ``BoilStreamVending``.
    """

    access_role_arn: str | iam.IRole
    boundary_arn: str | None = None
    allow_policy_writes: bool = False
    name: str = field(default="BoilStreamVending")

    def __post_init__(self) -> None:
        check = PropsCheck("BoilStreamVendingGrant")
        check.role("access_role_arn", self.access_role_arn)
        check.sid("name", self.name)
        if self.allow_policy_writes and self.boundary_arn is None:
            check.add(
                "boundary_arn",
                None,
                "the access role's permissions boundary ARN when allow_policy_writes=True "
                "(IAM writes are only granted under an iam:PermissionsBoundary condition)",
            )
        check.raise_if_any()
        check.keep_deferred(self)

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and the prefix of its Sids."""
        return self.name

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "BoilStream credential vending from exactly one DuckLake access role"

    @property
    def actions(self) -> tuple[str, ...]:
        """Every IAM/STS action granted, sorted."""
        chosen = catalog.VENDING_READ_ROLE + catalog.VENDING_ASSUME
        if self.allow_policy_writes:
            chosen += catalog.VENDING_POLICY_WRITE
        return tuple(sorted(chosen))

    @property
    def role_arn(self) -> str:
        """The access role's ARN (``access_role_arn``, or the ``IRole``'s ARN)."""
        role = self.access_role_arn
        return role if isinstance(role, str) else role.role_arn

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        check_partitions(
            "BoilStreamVendingGrant",
            stack_facts(scope),
            {"access_role_arn": self.access_role_arn, "boundary_arn": self.boundary_arn},
        )
        role_arn = self.role_arn
        result = [
            allow(f"{self.sid}GetAccessRole", catalog.VENDING_READ_ROLE, [role_arn]),
            allow(f"{self.sid}AssumeAccessRole", catalog.VENDING_ASSUME, [role_arn]),
        ]
        if self.allow_policy_writes:
            result.append(
                allow(
                    f"{self.sid}PutAccessRolePolicy",
                    catalog.VENDING_POLICY_WRITE,
                    [role_arn],
                    {"StringEquals": {iam_catalog.PERMISSIONS_BOUNDARY_KEY: self.boundary_arn}},
                )
            )
        return result


# The props of the building blocks, by the names BoilStreamAccess's caller gave them
# (the cluster-state location's prefix is renamed where it is built).
_USER_PROPS = {
    "S3Location.bucket": "bucket",
    "S3Location.prefix": "prefix",
    "SseKmsGrant.key": "kms_key",
    "SseKmsGrant.locations": "bucket",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
}


@jsii.implements(iam.IGrantable)
class BoilStreamAccess(Construct):
    """The permissions of one BoilStream deployment, at one of the vendor's levels.

    * Level 1 (:attr:`BoilStreamLevel.INGEST`): ``s3:ListBucket`` on the bucket,
      ``s3:PutObject`` and ``s3:AbortMultipartUpload`` on ``bucket/prefix/*``.
    * Level 2 (:attr:`BoilStreamLevel.DUCKLAKE`): adds ``s3:GetObject`` and
      ``s3:DeleteObject``.
    * Level 2b (``cluster_mode=True``, with any level): ``s3:ListBucket`` under
      ``s3:prefix = PREFIX/cluster_state/...`` and Get/Put/Delete on
      ``PREFIX/cluster_state/*``.
    * Level 3 (:attr:`BoilStreamLevel.CREDENTIAL_VENDING`): level 2, plus the
      ``ducklake-<bucket>-access`` role created here (S3-only on the data location,
      capped by a permissions boundary, trusting exactly the BoilStream role), and for
      BoilStream ``iam:GetRole`` and ``sts:AssumeRole`` on exactly that role. No IAM
      write on ``*``: see :class:`BoilStreamVendingGrant`.

    The action lists live in :mod:`lakehouse_iam.vendors.boilstream.catalog`.

    Example::

        boilstream = BoilStreamAccess(
            stack,
            "BoilStream",
            principal=EcsTaskTrust(),
            bucket=lake_bucket,  # a name, an ARN or an s3.IBucket (also of another stack)
            prefix="boilstream",
            level=BoilStreamLevel.CREDENTIAL_VENDING,
            kms_key=lake_key,
        )
        cdk.CfnOutput(stack, "AccessRoleArn", value=boilstream.require_access_role().role_arn)

    :param principal: who BoilStream runs as. A :class:`Trust` (``EcsTaskTrust()``,
        ``Ec2InstanceTrust()``) creates the role; an existing ``iam.IRole`` (or an
        ``iam.IGrantable`` whose principal is a role, user or group, e.g. a task
        definition) gets the customer-managed policies attached. Level 3 needs a role.
        An identity of another account than the stack's is refused (policies attach by
        name in the deploying account): use ``CrossAccountTrust`` to create a role here.
    :param bucket: the storage bucket (name, ARN or ``s3.IBucket``).
    :param level: the vendor's permission level.
    :param prefix: key prefix BoilStream's data lives under. Default: whole bucket.
    :param cluster_mode: add the level-2b cluster-state permissions. Default: ``False``.
    :param cluster_state_prefix: where cluster state lives. Default:
        ``<prefix>/cluster_state`` (``cluster_state`` without a prefix).
    :param kms_key: the bucket's customer-managed SSE-KMS key. Default: none.
    :param role_name: physical name of the created role (``Trust`` only). Default:
        generated.
    :param permissions_boundary: boundary of the created role (``Trust`` only).
        Default: none.
    :param access_role_name: level 3 role name. Default: ``ducklake-<bucket>-access``,
        the name BoilStream looks for; change it only if BoilStream is told the same.
        Required when synthesis cannot see that the default fits IAM's 64 characters
        (a bucket name of at most 48 characters: a literal, ``s3.Bucket(bucket_name=...)``
        or a ``CfnParameter`` with ``max_length=48``).
    :param allow_access_role_policy_writes: level 3: also let BoilStream rewrite the
        access role's inline policy (``iam:PutRolePolicy`` on that role only, under the
        boundary). Default: ``False``; enable only if BoilStream logs AccessDenied on
        ``iam:PutRolePolicy`` for an existing role.
    """

    @builds_from_user_props("BoilStreamAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        principal: Principal,
        bucket: str | s3.IBucket,
        level: BoilStreamLevel,
        prefix: str | None = None,
        cluster_mode: bool = False,
        cluster_state_prefix: str | None = None,
        kms_key: str | kms.IKey | None = None,
        role_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
        access_role_name: str | None = None,
        allow_access_role_policy_writes: bool = False,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("BoilStreamAccess", at=self)
        check.s3_bucket("bucket", bucket)
        if kms_key is not None:
            check.kms_key("kms_key", kms_key)
        check.partitions(stack_facts(self), {"bucket": bucket, "kms_key": kms_key})
        if not isinstance(level, BoilStreamLevel):
            check.add("level", level, f"a BoilStreamLevel ({_names(BoilStreamLevel)})")
        vending = level is BoilStreamLevel.CREDENTIAL_VENDING
        is_trust = isinstance(principal, Trust)
        target = None if is_trust else _attach_target(principal)
        if not is_trust and target is None:
            check.add(
                "principal",
                principal,
                "a Trust (EcsTaskTrust, Ec2InstanceTrust, ...), an iam.IRole, or an "
                "iam.IGrantable whose principal is a role, user or group",
            )
        if not is_trust:
            for prop, value in (
                ("role_name", role_name),
                ("permissions_boundary", permissions_boundary),
            ):
                if value is not None:
                    check.add(prop, value, "None when principal is an existing role or grantable")
        if target is not None:
            check_principal_account(
                check,
                stack_facts(self),
                "principal",
                target[1],
                instead="To let an identity of another account use BoilStream's data, "
                "create the role here: principal=CrossAccountTrust(role_arn=<its role ARN>, "
                "external_id=...), and let that identity assume the role's ARN.",
            )
        if vending and target is not None and target[0] != "role":
            check.add("principal", principal, "a Trust or a role for level 3 (it assumes a role)")
        if not vending:
            if access_role_name is not None:
                check.add("access_role_name", access_role_name, "None below level 3")
            if allow_access_role_policy_writes:
                check.add("allow_access_role_policy_writes", True, "False below level 3")
        if not cluster_mode and cluster_state_prefix is not None:
            check.add("cluster_state_prefix", cluster_state_prefix, "None unless cluster_mode")
        check.raise_if_any()

        self._location = S3Location(bucket=bucket, prefix=prefix)
        self._cluster_location: S3Location | None = None
        if cluster_mode:
            default_cluster = "/".join(
                p for p in (self._location.normalized_prefix, catalog.CLUSTER_STATE_DIRECTORY) if p
            )
            cluster_props = {"S3Location.prefix": "cluster_state_prefix"}
            with user_props(self, "BoilStreamAccess", cluster_props):
                self._cluster_location = S3Location(
                    bucket=bucket, prefix=cluster_state_prefix or default_cluster
                )
        if vending:
            name_check = PropsCheck("BoilStreamAccess", at=self)
            if access_role_name is None:
                access_role_name = catalog.ACCESS_ROLE_NAME_TEMPLATE.format(
                    bucket=self._location.bucket_name()
                )
                _check_default_access_role_name(name_check, access_role_name)
            if not name_check.problems:
                name_check.iam_name("access_role_name", access_role_name, max_length=64)
            name_check.raise_if_any()
            claim_physical_name(
                self,
                kind="role",
                name=access_role_name,
                owner="BoilStreamAccess",
                prop="access_role_name",
                hint=(
                    "Every level-3 BoilStreamAccess on one bucket defaults to "
                    "ducklake-<bucket>-access: pass access_role_name= (at most 64 characters) "
                    "to all but one of them, and configure that BoilStream deployment with "
                    "the same name."
                ),
            )

        self._level = level
        self._principal_kind = "a Trust" if target is None else f"an existing {target[0]}"
        self._grants: tuple[AccessGrant, ...] = self._data_grants(kms_key)
        self._policies: dict[str, iam.ManagedPolicy] = {}
        self._data_access_role: DataAccessRole | None = None
        self._role: iam.IRole | None = None
        if is_trust:
            self._data_access_role = DataAccessRole(
                self,
                "Role",
                trust=principal,  # type: ignore[arg-type]
                grants=self._grants,
                role_name=role_name,
                description=f"BoilStream level {level.value} access to "
                f"{self._location.described() or 'S3'}"[:1000],
                permissions_boundary=permissions_boundary,
            )
            self._role = self._data_access_role.role
            self._grant_principal: iam.IPrincipal = self._data_access_role.grant_principal
            self._policies.update(self._data_access_role.policies)
        else:
            kind, attach_to = target  # type: ignore[misc]
            if kind == "role":
                self._role = attach_to
            self._grant_principal = attach_to.grant_principal
            for grant in self._grants:
                self._policies[grant.sid] = _attach(grant_policy(self, grant), kind, attach_to)

        self._access_role: DataAccessRole | None = None
        self._access_role_boundary: iam.ManagedPolicy | None = None
        if vending:
            assert access_role_name is not None  # defaulted and checked above
            self._add_credential_vending(
                access_role_name, kms_key, allow_policy_writes=allow_access_role_policy_writes
            )

    def _data_grants(self, kms_key: str | kms.IKey | None) -> tuple[AccessGrant, ...]:
        grants: list[AccessGrant] = [
            S3Grant(
                location=self._location,
                actions=catalog.S3_ACTIONS_BY_LEVEL[self._level],
                name="BoilStreamData",
            )
        ]
        locations = [self._location]
        if self._cluster_location is not None:
            grants.append(
                S3Grant(
                    location=self._cluster_location,
                    actions=catalog.CLUSTER_STATE,
                    name="BoilStreamClusterState",
                )
            )
            locations.append(self._cluster_location)
        if kms_key is not None:
            # Level 1 only writes, but multipart completion needs kms:Decrypt too; both
            # read and write therefore render the same two actions.
            grants.append(
                SseKmsGrant(key=kms_key, read=True, write=True, locations=locations, name="SseKms")
            )
        return tuple(grants)

    def _add_credential_vending(
        self, access_role_name: str, kms_key: str | kms.IKey | None, *, allow_policy_writes: bool
    ) -> None:
        assert self._role is not None
        access_grants: list[AccessGrant] = [
            S3Grant(location=self._location, actions=catalog.ACCESS_ROLE_S3, name="DuckLakeData")
        ]
        if kms_key is not None:
            access_grants.append(
                SseKmsGrant(
                    key=kms_key, read=True, write=True, locations=[self._location], name="SseKms"
                )
            )
        # The boundary repeats the access role's own grants: whatever inline policy is
        # later written into the role (by BoilStream with allow_policy_writes, or by
        # hand), its effective permissions stay within S3 on the data location.
        boundary = iam.ManagedPolicy(
            self,
            "AccessRoleBoundary",
            description="Permissions boundary of the DuckLake access role: S3 data location only",
            document=iam.PolicyDocument.from_json(
                {
                    "Version": POLICY_VERSION,
                    "Statement": [s for g in access_grants for s in g.statement_json(self)],
                }
            ),
        )
        acknowledge_wildcard_resources(
            boundary,
            {
                resource: f"Permissions boundary, grants nothing by itself. {reason}"
                for grant in access_grants
                for resource, reason in grant.wildcard_resources(self).items()
            },
        )
        self._access_role_boundary = boundary
        access_props = {"DataAccessRole.role_name": "access_role_name"}
        with user_props(self, "BoilStreamAccess", access_props):
            self._access_role = DataAccessRole(
                self,
                "AccessRole",
                # RoleTrust(grant_assume=False): the vending grant below carries AssumeRole.
                trust=RoleTrust(role=self._role, grant_assume=False),
                grants=access_grants,
                role_name=access_role_name,
                description="DuckLake per-user credentials vended by BoilStream (S3 only)",
                permissions_boundary=boundary,
            )
        vending = BoilStreamVendingGrant(
            access_role_arn=self._access_role.role_arn,
            boundary_arn=boundary.managed_policy_arn,
            allow_policy_writes=allow_policy_writes,
        )
        self._grants += (vending,)
        # Attached from the policy side (Roles: [name]) so the BoilStream role does not
        # depend on the access role, which itself references the BoilStream role's ARN.
        policy = _attach(grant_policy(self, vending), "role", self._role)
        self._policies[vending.sid] = policy
        # iam.PermissionsBoundary.of(scope) may replace the access role's boundary at synth;
        # the vending policy's condition would then name a boundary nothing uses.
        check_access_role_boundary(
            self,
            role=self._access_role.role,
            boundary=boundary,
            vending_policy=policy if allow_policy_writes else None,
            sid=f"{vending.sid}PutAccessRolePolicy" if allow_policy_writes else None,
        )

    @property
    def level(self) -> BoilStreamLevel:
        """The permission level."""
        return self._level

    @property
    def location(self) -> S3Location:
        """The data bucket and prefix."""
        return self._location

    @property
    def cluster_location(self) -> S3Location | None:
        """The cluster-state location (``cluster_mode`` only)."""
        return self._cluster_location

    @property
    def grants(self) -> tuple[AccessGrant, ...]:
        """Every grant given to BoilStream's identity, in policy order."""
        return self._grants

    @property
    def policies(self) -> dict[str, iam.ManagedPolicy]:
        """The customer-managed policies given to BoilStream's identity, by grant Sid."""
        return dict(self._policies)

    @property
    def data_access_role(self) -> DataAccessRole | None:
        """The created role (``principal`` was a :class:`Trust`), else ``None``."""
        return self._data_access_role

    def require_data_access_role(self) -> DataAccessRole:
        """:attr:`data_access_role`, typed as present.

        :raises ValueError: ``principal`` was an existing role, user or group.
        """
        return self._require(self._data_access_role, "data_access_role", "principal=a Trust")

    @property
    def role(self) -> iam.IRole | None:
        """BoilStream's role (created or given); ``None`` for a user or group."""
        return self._role

    def require_role(self) -> iam.IRole:
        """:attr:`role`, typed as present.

        :raises ValueError: ``principal`` was an existing user or group.
        """
        return self._require(self._role, "role", "principal=a Trust or an existing role")

    @property
    def access_role(self) -> DataAccessRole | None:
        """Level 3: the ``ducklake-<bucket>-access`` role whose credentials are vended."""
        return self._access_role

    def require_access_role(self) -> DataAccessRole:
        """:attr:`access_role`, typed as present.

        Example::

            cdk.CfnOutput(stack, "AccessRoleArn", value=boilstream.require_access_role().role_arn)

        :raises ValueError: below level 3.
        """
        return self._require(self._access_role, "access_role", _LEVEL_3)

    @property
    def access_role_boundary(self) -> iam.ManagedPolicy | None:
        """Level 3: the permissions boundary capping the access role."""
        return self._access_role_boundary

    def require_access_role_boundary(self) -> iam.ManagedPolicy:
        """:attr:`access_role_boundary`, typed as present.

        :raises ValueError: below level 3.
        """
        return self._require(self._access_role_boundary, "access_role_boundary", _LEVEL_3)

    def require_cluster_location(self) -> S3Location:
        """:attr:`cluster_location`, typed as present.

        :raises ValueError: without ``cluster_mode=True``.
        """
        return self._require(self._cluster_location, "cluster_location", "cluster_mode=True")

    def _require(self, value: _T | None, name: str, needs: str) -> _T:
        has = {
            "access_role": f"level=BoilStreamLevel.{self._level.name}",
            "access_role_boundary": f"level=BoilStreamLevel.{self._level.name}",
            "cluster_location": "cluster_mode=False",
        }.get(name, f"principal={self._principal_kind}")
        return require(value, at=self, owner="BoilStreamAccess", name=name, needs=needs, has=has)

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._grant_principal


def _names(enum: Any) -> str:
    return ", ".join(f"{enum.__name__}.{m.name}" for m in enum)


def _check_default_access_role_name(check: PropsCheck, name: str) -> None:
    """The default ``ducklake-<bucket>-access`` must fit IAM's 64-character role names at
    deploy time: a bucket name known only then (a generated name, an import, a parameter
    without ``max_length``) may be up to 63 characters, and the role 79."""
    limit = IAM_NAME_LIMITS["role"]
    longest = max_length_of(name)
    if longest is not None and longest <= limit:
        return
    room = limit - len(catalog.ACCESS_ROLE_NAME_TEMPLATE.format(bucket=""))
    if longest is None:
        check.add(
            "access_role_name",
            None,
            f"a role name (at most {limit} characters) when the bucket name is known only "
            f"at deploy time: the default {name!r} can be longer than IAM's {limit} "
            f"characters (a bucket name has up to 63). Pass access_role_name= and configure "
            f"BoilStream with the same name, or give the bucket a name of at most {room} "
            "characters synthesis can see (a literal, s3.Bucket(bucket_name=...), a "
            f"CfnParameter with max_length={room})",
        )
        return
    shown = name if not is_token(name) else f"{name} (up to {longest} characters)"
    check.add(
        "access_role_name",
        shown,
        f"at most {limit} characters (IAM's role-name quota); the default "
        f"ducklake-<bucket>-access is too long for this bucket (at most {room} characters "
        "fit), so pass a shorter name and configure BoilStream with it",
    )


def _attach_target(principal: Any) -> tuple[str, Any] | None:
    """("role" | "user" | "group", the IAM object) to attach managed policies to."""
    for candidate in (principal, getattr(principal, "grant_principal", None)):
        if candidate is None:
            continue
        if hasattr(candidate, "role_arn") and hasattr(candidate, "add_managed_policy"):
            return "role", candidate
        if hasattr(candidate, "group_arn") and hasattr(candidate, "add_managed_policy"):
            return "group", candidate
        if hasattr(candidate, "user_arn") and hasattr(candidate, "add_managed_policy"):
            return "user", candidate
    return None


def _attach(policy: iam.ManagedPolicy, kind: str, target: Any) -> iam.ManagedPolicy:
    # Customer-managed, attached from the policy side: works for imported identities
    # too (an imported role's add_managed_policy is a no-op).
    if kind == "role":
        policy.attach_to_role(target)
    elif kind == "user":
        policy.attach_to_user(target)
    else:
        policy.attach_to_group(target)
    return policy
