"""Snowflake: the roles a storage integration, an external volume and a Glue catalog
integration assume, in both steps of Snowflake's set-up."""

from __future__ import annotations

import re
from collections.abc import Sequence

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..._private.partition_map import by_partition
from ..._private.sql import sql_escaped
from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props
from ...constructs.data_access_role import DataAccessRole
from ...constructs.glue_grant import GlueCatalogGrant
from ...constructs.grant import AccessGrant
from ...constructs.iam_user_trust import CrossAccountUserTrust
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.pending_trust import PendingTrust
from ...constructs.s3_grant import S3Grant
from ...constructs.s3_location import S3Location
from ...constructs.trust import Trust
from ...validation import PropsCheck, iam_description
from . import catalog
from .catalog import SnowflakeIntegration

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_$]{0,254}$")
_MAPPING_ID = "SnowflakeStorageProviders"


def snowflake_trust(
    check: PropsCheck,
    *,
    user_arn: str | None,
    external_id: str | None,
    user_prop: str,
    describe: str,
) -> Trust | None:
    """The trust of a Snowflake role: :class:`PendingTrust` until ``user_arn`` is known,
    then exactly that IAM user with its ExternalId. Problems go to ``check``; ``None``
    when there are any."""
    if external_id is not None:
        check.external_id("external_id", external_id)
    if user_arn is None:
        return None if check.problems else PendingTrust(external_id=external_id)
    check.iam_user_arn(user_prop, user_arn)
    if external_id is None:
        check.add(
            "external_id",
            None,
            f"the ExternalId {describe} shows next to the user ARN: Snowflake always sends "
            "one, and the IAM user serves every integration of your Snowflake account",
        )
    if check.problems:
        return None
    assert external_id is not None
    return CrossAccountUserTrust(user_arn=user_arn, external_id=external_id)


def _check_identifier(check: PropsCheck, prop: str, name: object) -> None:
    if not isinstance(name, str) or not _IDENTIFIER.fullmatch(name):
        check.add(prop, name, "a Snowflake identifier: a letter or _, then letters, digits, _ or $")


_STORAGE_USER_PROPS = {
    "S3Location.bucket": "bucket",
    "S3Location.prefix": "prefix",
    "SseKmsGrant.key": "kms_key",
    "SseKmsGrant.locations": "bucket",
    "CrossAccountUserTrust.user_arn": "snowflake_user_arn",
    "CrossAccountUserTrust.external_id": "external_id",
    "PendingTrust.external_id": "external_id",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
}


@jsii.implements(iam.IGrantable)
class SnowflakeStorageAccess(Construct):
    """The role a Snowflake storage integration or external volume assumes.

    * :attr:`SnowflakeIntegration.STORAGE_INTEGRATION` (default): external stages.
      Read: ``s3:GetBucketLocation``, ``s3:GetObject``, ``s3:GetObjectVersion``,
      ``s3:ListBucket`` (loading, ``LIST``); ``write=True`` adds ``s3:PutObject`` and
      ``s3:DeleteObject`` (unloading, ``PURGE``).
    * :attr:`SnowflakeIntegration.EXTERNAL_VOLUME`: Apache Iceberg tables. The same read
      set (externally managed tables, ``ALLOW_WRITES = FALSE``); ``write=True`` for
      Snowflake-managed tables (``ALLOW_WRITES = TRUE``).

    Object actions are on ``bucket/prefix/*``, ``s3:ListBucket`` is conditioned on the
    prefix and ``s3:GetBucketLocation`` is unconditioned (Snowflake's JSON puts it under
    the ``s3:prefix`` condition, which AWS denies). The action lists live in
    :mod:`lakehouse_iam.vendors.snowflake.catalog`.

    Trust, in Snowflake's two steps:

    1. Without ``snowflake_user_arn`` the role admits no one (:class:`PendingTrust`).
       Deploy it and run :meth:`create_sql` (its ARN is in it). Choose the ExternalId
       yourself with ``external_id``: the SQL then passes it as
       ``STORAGE_AWS_EXTERNAL_ID``.
    2. Run :meth:`describe_sql` and set ``snowflake_user_arn`` to
       ``STORAGE_AWS_IAM_USER_ARN`` and ``external_id`` to ``STORAGE_AWS_EXTERNAL_ID``;
       deploy again. The role's ARN does not change; the trust now names exactly that
       IAM user with ``sts:ExternalId``.

    Example::

        stage = SnowflakeStorageAccess(
            stack,
            "Stage",
            bucket=lake_bucket,
            prefix="snowflake/stage",
            external_id="acme-snowflake-stage",
            # step 2: snowflake_user_arn="arn:aws:iam::222222222222:user/abc1-b-self1234",
        )
        cdk.CfnOutput(stack, "CreateSql", value=stage.create_sql(name="lake_stage"))

    :param bucket: the bucket (name, ARN or ``s3.IBucket``).
    :param prefix: the key prefix of the stage or the volume's ``STORAGE_BASE_URL``.
        Default: the whole bucket.
    :param integration: storage integration or external volume. Default: storage
        integration.
    :param write: also grant ``s3:PutObject`` and ``s3:DeleteObject``. Default: ``False``.
    :param delete_object_versions: also grant ``s3:DeleteObjectVersion`` (in Snowflake's
        JSON; it deletes versions for good, see the deviations). Only with ``write``.
        Default: ``False``.
    :param snowflake_user_arn: ``STORAGE_AWS_IAM_USER_ARN`` from ``DESC INTEGRATION`` /
        ``DESC EXTERNAL VOLUME``. Default: none, the role admits no one yet.
    :param external_id: ``STORAGE_AWS_EXTERNAL_ID``: chosen by you before step 1, or the
        one Snowflake generated. Required with ``snowflake_user_arn``. Default: none.
    :param kms_key: the bucket's customer-managed SSE-KMS key. Default: none.
    :param role_name: physical role name. Default: generated.
    :param permissions_boundary: a permissions boundary. Default: none.
    """

    @builds_from_user_props("SnowflakeStorageAccess", _STORAGE_USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        bucket: str | s3.IBucket,
        prefix: str | None = None,
        integration: SnowflakeIntegration = SnowflakeIntegration.STORAGE_INTEGRATION,
        write: bool = False,
        delete_object_versions: bool = False,
        snowflake_user_arn: str | None = None,
        external_id: str | None = None,
        kms_key: str | kms.IKey | None = None,
        role_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("SnowflakeStorageAccess", at=self)
        check.s3_bucket("bucket", bucket)
        check.prefix("prefix", prefix)
        if not isinstance(integration, SnowflakeIntegration):
            check.add(
                "integration",
                integration,
                "SnowflakeIntegration.STORAGE_INTEGRATION or .EXTERNAL_VOLUME",
            )
        check.boolean("write", write)
        check.boolean("delete_object_versions", delete_object_versions)
        if delete_object_versions is True and write is not True:
            check.add(
                "delete_object_versions",
                True,
                "False unless write=True (deleting versions is a write)",
            )
        if kms_key is not None:
            check.kms_key("kms_key", kms_key)
        if role_name is not None:
            check.iam_name("role_name", role_name, max_length=64)
        if permissions_boundary is not None and not hasattr(
            permissions_boundary, "managed_policy_arn"
        ):
            check.add("permissions_boundary", permissions_boundary, "an iam.IManagedPolicy")
        check.partitions(
            stack_facts(self),
            {"bucket": bucket, "kms_key": kms_key, "snowflake_user_arn": snowflake_user_arn},
        )
        describe = (
            "DESC EXTERNAL VOLUME"
            if integration is SnowflakeIntegration.EXTERNAL_VOLUME
            else "DESC INTEGRATION"
        )
        trust = snowflake_trust(
            check,
            user_arn=snowflake_user_arn,
            external_id=external_id,
            user_prop="snowflake_user_arn",
            describe=describe,
        )
        check.raise_if_any()
        assert trust is not None
        self._integration = integration
        self._write = write
        self._external_id = external_id
        self._kms_key = kms_key
        self._pending = snowflake_user_arn is None
        self._location = S3Location(bucket=bucket, prefix=prefix)
        actions = list(catalog.READ)
        if write:
            actions += catalog.WRITE
        if delete_object_versions:
            actions += catalog.DELETE_VERSIONS
        grants: list[AccessGrant] = [
            S3Grant(location=self._location, actions=actions, name="SnowflakeS3")
        ]
        if kms_key is not None:
            grants.append(
                SseKmsGrant(key=kms_key, read=True, write=write, locations=[self._location])
            )
        what = "external volume" if self.is_external_volume else "storage integration"
        self._data_access_role = DataAccessRole(
            self,
            "DataAccess",
            trust=trust,
            grants=grants,
            role_name=role_name,
            description=iam_description(
                f"Snowflake {what} access to {self._location.described() or 'S3'}"
            ),
            permissions_boundary=permissions_boundary,
        )

    @property
    def is_external_volume(self) -> bool:
        """Whether the role is for an external volume (else a storage integration)."""
        return self._integration is SnowflakeIntegration.EXTERNAL_VOLUME

    @property
    def pending(self) -> bool:
        """Step 1: the Snowflake user is not known yet and the role admits no one."""
        return self._pending

    @property
    def data_access_role(self) -> DataAccessRole:
        """The underlying :class:`DataAccessRole`."""
        return self._data_access_role

    @property
    def role(self) -> iam.Role:
        """The ``iam.Role`` Snowflake assumes."""
        return self._data_access_role.role

    @property
    def role_arn(self) -> str:
        """The role ARN: ``STORAGE_AWS_ROLE_ARN``."""
        return self._data_access_role.role_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._data_access_role.grant_principal

    @property
    def location(self) -> S3Location:
        """The bucket and prefix the role may use."""
        return self._location

    def storage_url(self) -> str:
        """The location as Snowflake writes it: ``s3://bucket/prefix/`` (``s3gov://`` in
        AWS GovCloud, ``s3china://`` in China)."""
        _, scheme = storage_provider(self)
        prefix = self._location.normalized_prefix
        path = f"{sql_escaped(prefix)}/" if prefix else ""
        return f"{scheme}://{self._location.bucket_name()}/{path}"

    def create_sql(self, *, name: str = "lakehouse_s3") -> str:
        """The ``CREATE STORAGE INTEGRATION`` or ``CREATE EXTERNAL VOLUME`` statement that
        points Snowflake at this role and location, with ``STORAGE_AWS_EXTERNAL_ID`` when
        you chose one, and (external volume) the SSE-KMS key and ``ALLOW_WRITES``.

        :param name: the integration's or volume's name (a Snowflake identifier).
        :raises ValueError: for a name that is not a Snowflake identifier.
        """
        check = PropsCheck("SnowflakeStorageAccess", at=self, detail=": create_sql")
        _check_identifier(check, "name", name)
        check.raise_if_any()
        provider, _ = storage_provider(self)
        external = f" STORAGE_AWS_EXTERNAL_ID = '{self._external_id}'" if self._external_id else ""
        if not self.is_external_volume:
            return (
                f"CREATE STORAGE INTEGRATION {name} TYPE = EXTERNAL_STAGE "
                f"STORAGE_PROVIDER = '{provider}' ENABLED = TRUE "
                f"STORAGE_AWS_ROLE_ARN = '{self.role_arn}' "
                f"STORAGE_ALLOWED_LOCATIONS = ('{self.storage_url()}'){external};"
            )
        encryption = ""
        if self._kms_key is not None:
            key = self._kms_key if isinstance(self._kms_key, str) else self._kms_key.key_arn
            encryption = f" ENCRYPTION = (TYPE = 'AWS_SSE_KMS' KMS_KEY_ID = '{key}')"
        return (
            f"CREATE EXTERNAL VOLUME {name} STORAGE_LOCATIONS = ((NAME = '{name.lower()}_s3' "
            f"STORAGE_PROVIDER = '{provider}' STORAGE_BASE_URL = '{self.storage_url()}' "
            f"STORAGE_AWS_ROLE_ARN = '{self.role_arn}'{external}{encryption})) "
            f"ALLOW_WRITES = {'TRUE' if self._write else 'FALSE'};"
        )

    def describe_sql(self, *, name: str = "lakehouse_s3") -> str:
        """The statement that shows the values of step 2 (``STORAGE_AWS_IAM_USER_ARN``,
        ``STORAGE_AWS_EXTERNAL_ID``): ``DESC INTEGRATION`` / ``DESC EXTERNAL VOLUME``."""
        check = PropsCheck("SnowflakeStorageAccess", at=self, detail=": describe_sql")
        _check_identifier(check, "name", name)
        check.raise_if_any()
        kind = "EXTERNAL VOLUME" if self.is_external_volume else "INTEGRATION"
        return f"DESC {kind} {name};"

    def next_step(self, *, name: str = "lakehouse_s3") -> str:
        """What to do next, for an output: step 2's instructions while :attr:`pending`."""
        if not self._pending:
            return "Done: the role trusts the Snowflake IAM user with its ExternalId."
        return (
            f"Nobody can assume this role yet. Run CreateSql in Snowflake, then "
            f"{self.describe_sql(name=name)} and set snowflake_user_arn to "
            "STORAGE_AWS_IAM_USER_ARN and external_id to STORAGE_AWS_EXTERNAL_ID; deploy again."
        )


_GLUE_USER_PROPS = {
    "GlueCatalogGrant.databases": "databases",
    "GlueCatalogGrant.tables": "tables",
    "GlueCatalogGrant.account": "catalog_id",
    "GlueCatalogGrant.region": "region",
    "CrossAccountUserTrust.user_arn": "glue_user_arn",
    "CrossAccountUserTrust.external_id": "external_id",
    "PendingTrust.external_id": "external_id",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
}


@jsii.implements(iam.IGrantable)
class SnowflakeGlueCatalogAccess(Construct):
    """The role a Snowflake catalog integration for AWS Glue (``CATALOG_SOURCE = GLUE``)
    assumes to read Iceberg tables' definitions from the Glue Data Catalog.

    Grants exactly ``glue:GetTable`` and ``glue:GetTables`` (the page's minimum and its
    whole JSON) on the catalog, ``database/DB`` and ``table/DB/TABLE`` of the named
    databases and tables (``table/DB/*`` for a database without a table list), in the
    catalog's region only. The tables' files are read through an external volume
    (:class:`SnowflakeStorageAccess`), not this role.

    Trust, in two steps as for :class:`SnowflakeStorageAccess`: without
    ``glue_user_arn`` the role admits no one; after ``DESC CATALOG INTEGRATION`` set
    ``glue_user_arn`` (``GLUE_AWS_IAM_USER_ARN``) and ``external_id``
    (``GLUE_AWS_EXTERNAL_ID``).

    Example::

        glue = SnowflakeGlueCatalogAccess(stack, "Glue", databases=["lake"])
        cdk.CfnOutput(stack, "GlueSql", value=glue.create_sql(name="glue_lake"))

    :param databases: Glue database names (``CATALOG_NAMESPACE`` is the first). At least one.
    :param tables: ``"database.table"`` names that confine the grant. Default: every
        table of each database.
    :param glue_user_arn: ``GLUE_AWS_IAM_USER_ARN`` from ``DESC CATALOG INTEGRATION``.
        Default: none, the role admits no one yet.
    :param external_id: ``GLUE_AWS_EXTERNAL_ID``. Required with ``glue_user_arn``.
        Default: none.
    :param catalog_id: the account that owns the Data Catalog (``GLUE_CATALOG_ID``).
        Default: the stack's.
    :param region: the catalog's region (``GLUE_REGION``). Default: the stack's.
    :param role_name: physical role name. Default: generated.
    :param permissions_boundary: a permissions boundary. Default: none.
    """

    @builds_from_user_props("SnowflakeGlueCatalogAccess", _GLUE_USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        databases: Sequence[str],
        tables: Sequence[str] = (),
        glue_user_arn: str | None = None,
        external_id: str | None = None,
        catalog_id: str | None = None,
        region: str | None = None,
        role_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("SnowflakeGlueCatalogAccess", at=self)
        if role_name is not None:
            check.iam_name("role_name", role_name, max_length=64)
        if permissions_boundary is not None and not hasattr(
            permissions_boundary, "managed_policy_arn"
        ):
            check.add("permissions_boundary", permissions_boundary, "an iam.IManagedPolicy")
        check.partitions(stack_facts(self), {"glue_user_arn": glue_user_arn})
        trust = snowflake_trust(
            check,
            user_arn=glue_user_arn,
            external_id=external_id,
            user_prop="glue_user_arn",
            describe="DESC CATALOG INTEGRATION",
        )
        check.raise_if_any()
        assert trust is not None
        self._pending = glue_user_arn is None
        # GlueCatalogGrant checks databases, tables, catalog_id (account) and region.
        self._grant = GlueCatalogGrant(
            databases=databases,
            tables=tables,
            read_actions=catalog.GLUE_READ,
            list_databases=False,
            account=catalog_id,
            region=region,
            name="SnowflakeGlue",
        )
        self._data_access_role = DataAccessRole(
            self,
            "DataAccess",
            trust=trust,
            grants=[self._grant],
            role_name=role_name,
            description=iam_description(
                f"Snowflake Glue catalog integration on {', '.join(self._grant.databases)}"
            ),
            permissions_boundary=permissions_boundary,
        )

    @property
    def pending(self) -> bool:
        """Step 1: the Snowflake user is not known yet and the role admits no one."""
        return self._pending

    @property
    def grant(self) -> GlueCatalogGrant:
        """The Glue grant (databases, tables, account, region)."""
        return self._grant

    @property
    def data_access_role(self) -> DataAccessRole:
        """The underlying :class:`DataAccessRole`."""
        return self._data_access_role

    @property
    def role(self) -> iam.Role:
        """The ``iam.Role`` Snowflake assumes."""
        return self._data_access_role.role

    @property
    def role_arn(self) -> str:
        """The role ARN: ``GLUE_AWS_ROLE_ARN``."""
        return self._data_access_role.role_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._data_access_role.grant_principal

    def create_sql(self, *, name: str = "lakehouse_glue") -> str:
        """The ``CREATE CATALOG INTEGRATION`` statement for this role, the first database
        (``CATALOG_NAMESPACE``), the catalog's account and region.

        :param name: the integration's name (a Snowflake identifier).
        :raises ValueError: for a name that is not a Snowflake identifier.
        """
        check = PropsCheck("SnowflakeGlueCatalogAccess", at=self, detail=": create_sql")
        _check_identifier(check, "name", name)
        check.raise_if_any()
        facts = stack_facts(self)
        account = self._grant.account or facts.account
        region = self._grant.region or facts.region
        return (
            f"CREATE CATALOG INTEGRATION {name} CATALOG_SOURCE = GLUE "
            f"CATALOG_NAMESPACE = '{self._grant.databases[0]}' TABLE_FORMAT = ICEBERG "
            f"GLUE_AWS_ROLE_ARN = '{self.role_arn}' GLUE_CATALOG_ID = '{account}' "
            f"GLUE_REGION = '{region}' ENABLED = TRUE;"
        )

    def describe_sql(self, *, name: str = "lakehouse_glue") -> str:
        """``DESC CATALOG INTEGRATION name;``: shows ``GLUE_AWS_IAM_USER_ARN`` and
        ``GLUE_AWS_EXTERNAL_ID`` for step 2."""
        check = PropsCheck("SnowflakeGlueCatalogAccess", at=self, detail=": describe_sql")
        _check_identifier(check, "name", name)
        check.raise_if_any()
        return f"DESC CATALOG INTEGRATION {name};"


def storage_provider(scope: Construct) -> tuple[str, str]:
    """(``STORAGE_PROVIDER``, URL scheme) for the stack's partition: literal when the
    stack's region is known, else a ``Fn::FindInMap`` over :data:`catalog.STORAGE_PROVIDERS`
    keyed by ``AWS::Partition`` (the value is never guessed)."""
    table = {
        p: {"Provider": provider, "Scheme": scheme}
        for p, (provider, scheme) in catalog.STORAGE_PROVIDERS.items()
    }
    provider = by_partition(scope, _MAPPING_ID, table, "Provider")
    scheme = by_partition(scope, _MAPPING_ID, table, "Scheme")
    # Every partition of lakehouse_iam.validation.PARTITIONS has a row.
    assert provider is not None and scheme is not None
    return provider, scheme


__all__ = [
    "SnowflakeGlueCatalogAccess",
    "SnowflakeIntegration",
    "SnowflakeStorageAccess",
    "snowflake_trust",
    "storage_provider",
]
