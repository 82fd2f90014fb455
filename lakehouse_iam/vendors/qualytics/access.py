"""Qualytics: the IAM identity behind one S3 datastore connection (source or enrichment)."""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..._private.modes import require
from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props
from ...catalog import s3a
from ...constructs.cross_account_trust import CrossAccountTrust
from ...constructs.data_access_role import DataAccessRole
from ...constructs.data_access_user import DataAccessUser
from ...constructs.grant import AccessGrant
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.s3_grant import S3Grant
from ...constructs.s3_location import S3Location
from ...validation import PropsCheck
from . import catalog
from .catalog import QualyticsAuthentication, QualyticsDatastore

if TYPE_CHECKING:
    from aws_cdk import aws_secretsmanager as secretsmanager

_T = TypeVar("_T")


def qualytics_grants(
    *,
    location: S3Location,
    datastore: QualyticsDatastore,
    kms_key: str | kms.IKey | None = None,
) -> tuple[AccessGrant, ...]:
    """The grants a Qualytics datastore connection needs on ``location``.

    An :class:`S3Grant` named ``QualyticsSource`` or ``QualyticsEnrichment`` with the
    vendor's per-table actions (bucket-level actions on the bucket ARN, object actions on
    ``bucket/root-path/*``), the Root Path's directory key (``s3:GetObject`` on
    ``bucket/root-path``, ``s3:ListBucket`` with ``s3:prefix`` = ``root-path``: see
    :mod:`lakehouse_iam.catalog.s3a`) and, with ``kms_key``, an :class:`SseKmsGrant` (source:
    ``kms:Decrypt``; enrichment: ``kms:Decrypt`` + ``kms:GenerateDataKey``) via S3 only.
    """
    grants: list[AccessGrant] = [
        S3Grant(
            location=location,
            actions=catalog.S3_ACTIONS[datastore],
            name=f"Qualytics{datastore.value.capitalize()}",
            # Qualytics runs on Apache Spark, which reads S3 through Hadoop S3A: its
            # getFileStatus HEADs the Root Path as a key without the slash first.
            **s3a.DIRECTORY_KEY,
        )
    ]
    if kms_key is not None:
        grants.append(
            SseKmsGrant(
                key=kms_key,
                read=True,
                write=datastore is QualyticsDatastore.ENRICHMENT,
                locations=[location],
            )
        )
    return tuple(grants)


# The props of the building blocks, by the names QualyticsDatastoreAccess's caller gave them.
_USER_PROPS = {
    "S3Location.bucket": "bucket",
    "S3Location.prefix": "root_path",
    "SseKmsGrant.key": "kms_key",
    "SseKmsGrant.locations": "bucket",
    "CrossAccountTrust.role_arn": "dataplane_role_arn",
    "CrossAccountTrust.external_id": "external_id",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
    "DataAccessUser.user_name": "user_name",
    "DataAccessUser.secret_key": "secret_key",
    "DataAccessUser.permissions_boundary": "permissions_boundary",
}


@jsii.implements(iam.IGrantable)
class QualyticsDatastoreAccess(Construct):
    """The identity a Qualytics S3 datastore connection uses, in either auth mode.

    Permissions (from :mod:`lakehouse_iam.vendors.qualytics.catalog`):

    * :attr:`QualyticsDatastore.SOURCE` (read-only): ``s3:ListBucket``,
      ``s3:GetBucketLocation``, ``s3:ListBucketMultipartUploads`` on the bucket ARN,
      ``s3:GetObject`` on ``bucket/root-path/*``.
    * :attr:`QualyticsDatastore.ENRICHMENT` (read-write): also ``s3:PutObject``,
      ``s3:DeleteObject``, ``s3:ListMultipartUploadParts``, ``s3:AbortMultipartUpload``
      on ``bucket/root-path/*``.

    With a Root Path, ``s3:ListBucket`` is conditioned on ``s3:prefix``; the other two
    bucket-level actions have no ``s3:prefix`` key and stay unconditioned. The Root Path
    is also granted as a directory key (``s3:GetObject`` on ``bucket/root-path`` itself
    and ``s3:ListBucket`` with ``s3:prefix`` = ``root-path``): Qualytics is built on
    Apache Spark, which reads S3 through Hadoop S3A, and S3A's ``getFileStatus`` HEADs
    that key before ``root-path/`` and fails on a 403 (:mod:`lakehouse_iam.catalog.s3a`).

    Authentication:

    * :attr:`QualyticsAuthentication.IAM_ROLE` (default, recommended): a target role
      trusting exactly the dataplane ("base") role ARN, optionally requiring an
      ExternalId. No long-term secret exists; STS issues hour-long credentials, and
      access ends when the trust is edited. Qualytics' managed dataplane role
      (``<tenant>-dataplane-role``) is dedicated to one tenant, so the exact ARN is the
      confused-deputy guard; ``external_id`` adds a second one.
    * :attr:`QualyticsAuthentication.ACCESS_KEY`: a :class:`DataAccessUser` (policies on
      its group, key in a KMS-encrypted Secrets Manager secret, never in an output).
      Use it where IAM roles are unavailable (Azure and GCP Qualytics deployments).

    Example::

        source = QualyticsDatastoreAccess(
            stack,
            "Source",
            bucket=lake_bucket,
            root_path="raw",
            dataplane_role_arn="arn:aws:iam::222222222222:role/acme-dataplane-role",
        )
        for field, value in source.connection_values().items():
            cdk.CfnOutput(stack, field.replace(" ", ""), value=value)

    :param bucket: the datastore bucket (name, ARN or ``s3.IBucket``); the form's URI
        is ``s3://<bucket>``.
    :param root_path: the form's Root Path (``/raw/orders/`` or ``raw/orders``).
        Default: the whole bucket.
    :param datastore: source (read-only) or enrichment (read-write). Default: source.
    :param authentication: IAM role or access key. Default: IAM role.
    :param dataplane_role_arn: IAM role mode: the dataplane (base) role ARN from
        Qualytics (managed) or your own (self-hosted), or that role as an ``iam.IRole``.
        Required in that mode.
    :param external_id: IAM role mode: an ExternalId the dataplane must send. Default:
        none (the exact, tenant-dedicated role ARN is the guard).
    :param kms_key: the bucket's customer-managed SSE-KMS key. Default: none.
    :param role_name: IAM role mode: physical role name. Default: generated.
    :param permissions_boundary: a boundary for the role or user. Default: none.
    :param user_name: access key mode: physical user name. Default: generated.
    :param secret_key: access key mode: KMS key of the secret. Default: a new rotating key.
    """

    @builds_from_user_props("QualyticsDatastoreAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        bucket: str | s3.IBucket,
        root_path: str | None = None,
        datastore: QualyticsDatastore = QualyticsDatastore.SOURCE,
        authentication: QualyticsAuthentication = QualyticsAuthentication.IAM_ROLE,
        dataplane_role_arn: str | iam.IRole | None = None,
        external_id: str | None = None,
        kms_key: str | kms.IKey | None = None,
        role_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
        user_name: str | None = None,
        secret_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("QualyticsDatastoreAccess", at=self)
        check.s3_bucket("bucket", bucket)
        check.prefix("root_path", root_path)
        if kms_key is not None:
            check.kms_key("kms_key", kms_key)
        check.partitions(
            stack_facts(self),
            {"bucket": bucket, "kms_key": kms_key, "dataplane_role_arn": dataplane_role_arn},
        )
        if not isinstance(datastore, QualyticsDatastore):
            check.add("datastore", datastore, "QualyticsDatastore.SOURCE or .ENRICHMENT")
        if not isinstance(authentication, QualyticsAuthentication):
            check.add(
                "authentication", authentication, "QualyticsAuthentication.IAM_ROLE or .ACCESS_KEY"
            )
        if authentication is QualyticsAuthentication.IAM_ROLE:
            if dataplane_role_arn is None:
                check.add(
                    "dataplane_role_arn",
                    None,
                    "the Qualytics dataplane (base) role ARN in IAM role mode",
                )
            else:
                check.role("dataplane_role_arn", dataplane_role_arn)
            if external_id is not None:
                check.external_id("external_id", external_id)
            for prop, unset in (("user_name", user_name), ("secret_key", secret_key)):
                if unset is not None:
                    check.add(prop, unset, "None in IAM role mode (access key mode only)")
        elif authentication is QualyticsAuthentication.ACCESS_KEY:
            for prop, value in (
                ("dataplane_role_arn", dataplane_role_arn),
                ("external_id", external_id),
                ("role_name", role_name),
            ):
                if value is not None:
                    check.add(prop, value, "None in access key mode (IAM role mode only)")
        check.raise_if_any()

        self._datastore = datastore
        self._authentication = authentication
        self._location = S3Location(bucket=bucket, prefix=root_path)
        self._grants = qualytics_grants(
            location=self._location, datastore=datastore, kms_key=kms_key
        )
        self._role: DataAccessRole | None = None
        self._user: DataAccessUser | None = None
        if authentication is QualyticsAuthentication.IAM_ROLE:
            assert dataplane_role_arn is not None
            self._role = DataAccessRole(
                self,
                "Role",
                trust=CrossAccountTrust(
                    role_arn=dataplane_role_arn,
                    external_id=external_id,
                    # Explicit choice: the dataplane role is dedicated to one tenant (one
                    # EKS cluster per tenant), so the exact role ARN is the guard; an
                    # ExternalId is added when the caller configures one.
                    require_external_id=False,
                ),
                grants=self._grants,
                role_name=role_name,
                description=f"Qualytics {datastore.value} datastore on "
                f"{self._location.described() or 'S3'}"[:1000],
                permissions_boundary=permissions_boundary,
            )
        else:
            self._user = DataAccessUser(
                self,
                "User",
                grants=self._grants,
                user_name=user_name,
                permissions_boundary=permissions_boundary,
                secret_key=secret_key,
            )

    @property
    def datastore(self) -> QualyticsDatastore:
        """Source (read-only) or enrichment (read-write)."""
        return self._datastore

    @property
    def authentication(self) -> QualyticsAuthentication:
        """The connection form's authentication mode."""
        return self._authentication

    @property
    def location(self) -> S3Location:
        """The bucket and Root Path."""
        return self._location

    @property
    def grants(self) -> tuple[AccessGrant, ...]:
        """The grants rendered into the role's (or group's) managed policies."""
        return self._grants

    @property
    def data_access_role(self) -> DataAccessRole | None:
        """IAM role mode: the target role."""
        return self._role

    def require_data_access_role(self) -> DataAccessRole:
        """:attr:`data_access_role`, typed as present.

        :raises ValueError: in access key mode.
        """
        return self._require(self._role, "data_access_role", QualyticsAuthentication.IAM_ROLE)

    @property
    def data_access_user(self) -> DataAccessUser | None:
        """Access key mode: the user, its group and its secret."""
        return self._user

    def require_data_access_user(self) -> DataAccessUser:
        """:attr:`data_access_user`, typed as present.

        :raises ValueError: in IAM role mode.
        """
        return self._require(self._user, "data_access_user", QualyticsAuthentication.ACCESS_KEY)

    @property
    def role_arn(self) -> str | None:
        """IAM role mode: the ARN for the form's Role ARN field."""
        return self._role.role_arn if self._role else None

    def require_role_arn(self) -> str:
        """:attr:`role_arn`, typed as present.

        Example::

            cdk.CfnOutput(stack, "QualyticsRoleArn", value=source.require_role_arn())

        :raises ValueError: in access key mode.
        """
        return self.require_data_access_role().role_arn

    @property
    def secret(self) -> secretsmanager.ISecret | None:
        """Access key mode: the secret holding ``accessKeyId`` and ``secretAccessKey``."""
        return self._user.secret if self._user else None

    def require_secret(self) -> secretsmanager.ISecret:
        """:attr:`secret`, typed as present.

        :raises ValueError: in IAM role mode.
        """
        return self._require(self.secret, "secret", QualyticsAuthentication.ACCESS_KEY)

    @property
    def secret_arn(self) -> str | None:
        """Access key mode: where to read the Access Key and Secret Key from."""
        return self._user.secret.secret_arn if self._user and self._user.secret else None

    def _require(self, value: _T | None, name: str, needs: QualyticsAuthentication) -> _T:
        return require(
            value,
            at=self,
            owner="QualyticsDatastoreAccess",
            name=name,
            needs=f"authentication=QualyticsAuthentication.{needs.name}",
            has=f"authentication=QualyticsAuthentication.{self._authentication.name}",
        )

    @property
    def uri(self) -> str:
        """The form's URI: ``s3://<bucket>`` (the bucket level, as Qualytics requires)."""
        return f"s3://{self._location.bucket_name()}"

    @property
    def root_path(self) -> str:
        """The form's Root Path: ``/raw/orders/``, or ``/`` for the whole bucket."""
        prefix = self._location.normalized_prefix
        return f"/{prefix}/" if prefix else "/"

    def connection_values(self) -> dict[str, str]:
        """What the Qualytics connection form needs, by field name (never a secret value)."""
        values = {"URI": self.uri, "Root Path": self.root_path}
        if self._role is not None:
            values["Role ARN"] = self._role.role_arn
        elif self.secret_arn is not None:
            values["Access key secret ARN"] = self.secret_arn
        return values

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        if self._role is not None:
            return self._role.grant_principal
        assert self._user is not None
        return self._user.grant_principal
