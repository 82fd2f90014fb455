"""RisingWave Cloud: a cross-account role RisingWave assumes to read and write S3."""

from __future__ import annotations

import re
from collections.abc import Sequence

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..._private.rules import CharacterRule
from ..._private.sql import sql_escaped
from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ..._private.user_props import builds_from_user_props
from ...constructs.composite_trust import CompositeTrust
from ...constructs.cross_account_trust import CrossAccountTrust
from ...constructs.data_access_role import DataAccessRole
from ...constructs.grant import AccessGrant
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.redshift_trust import RedshiftTrust, check_database_users
from ...constructs.s3_grant import S3Grant
from ...constructs.s3_location import S3Location
from ...constructs.trust import Trust
from ...validation import PropsCheck, iam_description
from . import catalog

SQL_FORMS = ("sink", "source", "iceberg")
"""The ``WITH (...)`` forms :meth:`RisingWaveAccess.sql_with_clause` renders."""
SQL_FORM_ALIASES = {"assume_role": "sink", "iam_role_arn": "iceberg"}
"""Older form names (the role-ARN option each form sets), still accepted."""

SQL_PREFIX_RULES: dict[str, CharacterRule] = {
    # RisingWave's S3 source lists the part of match_pattern before the first '*', '[' or
    # '{' and reads '\' as an escape there (get_prefix), while its glob matcher reads
    # '[...]' as a character class and '\' literally: a prefix holding any of these
    # cannot be matched while listing inside the granted prefix.
    "source": CharacterRule(
        forbidden=re.compile(r"[\[\]{}\\]"),
        accepted=(
            "a prefix without '[', ']', '{', '}' or '\\' for form='source': RisingWave "
            "lists the part of match_pattern before the first '*', '[' or '{' and reads "
            "'\\' as an escape, so the source would list outside the granted prefix or "
            "match no key"
        ),
    ),
    # warehouse.path is parsed as a URL: these characters would be percent-encoded or end
    # the path ('#' starts a fragment), and '%' would be read as an escape.
    "iceberg": CharacterRule(
        forbidden=re.compile(r'[^\x21-\x7e]|["#%<>`{}]'),
        accepted=(
            "a prefix of printable ASCII without space, '\"', '#', '%', '<', '>', '`', "
            "'{' or '}' for form='iceberg': warehouse.path is parsed as a URL, which would "
            "encode or cut these"
        ),
    ),
}
"""The prefix characters each ``WITH (...)`` form of :meth:`RisingWaveAccess.sql_with_clause`
refuses, stated once: the method checks them and ``templates/risingwave-cross-account.yaml``
refuses the same values in its ``Prefix`` parameter's ``AllowedPattern``."""


# The props of the building blocks, by the names RisingWaveAccess's caller gave them.
_USER_PROPS = {
    "S3Location.bucket": "bucket",
    "S3Location.prefix": "prefix",
    "SseKmsGrant.key": "kms_key",
    "SseKmsGrant.locations": "bucket",
    "CrossAccountTrust.role_arn": "workload_identity_role_arn",
    "RedshiftTrust.database_users": "redshift_database_users",
    "DataAccessRole.role_name": "role_name",
    "DataAccessRole.role_name + '-' + grant name": "role_name",
    "DataAccessRole.permissions_boundary": "permissions_boundary",
}


@jsii.implements(iam.IGrantable)
class RisingWaveAccess(Construct):
    """The role RisingWave Cloud assumes (``s3.assume_role`` / ``s3.iam_role_arn``).

    Grants the vendor's five object actions on ``bucket/prefix/*``, ``s3:ListBucket``
    conditioned on the prefix and ``s3:GetBucketLocation`` unconditioned (the vendor's
    page puts GetBucketLocation under an ``s3:prefix`` condition, which AWS denies).
    The action lists live in :mod:`lakehouse_iam.vendors.risingwave.catalog`.

    Trust: exactly the workload-identity role ARN from the RisingWave Cloud console
    (Connection > Cloud Meta). RisingWave's S3 source, file sink, Snowflake/Redshift
    staging and Iceberg connector call ``sts:AssumeRole`` without an ExternalId, so
    ``external_id`` is refused: the exact role ARN, dedicated to your project, is the
    guard. With ``redshift_database_users`` Redshift may assume the role too, for the
    ``COPY`` RisingWave's Redshift sink runs with the same role.

    Example::

        access = RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn="arn:aws:iam::222222222222:role/rw-workload",
            bucket="my-lake-bucket",
            prefix="risingwave",
        )
        cdk.CfnOutput(stack, "SinkWith", value=access.sql_with_clause(form="sink"))

    Example::

        access = RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn="arn:aws:iam::222222222222:role/risingwave-workload",
            bucket=lake_bucket,  # a name, an ARN or an s3.IBucket (also of another stack)
            prefix="risingwave/staging",
        )
        cdk.CfnOutput(stack, "WithClause", value=access.sql_with_clause())

    :param workload_identity_role_arn: the "Workload Identity (IAM Role ARN)" of your
        RisingWave Cloud project (or that role as an ``iam.IRole``).
    :param bucket: the bucket (name, ARN or ``s3.IBucket``).
    :param prefix: the key prefix RisingWave uses (``s3.path``). Default: whole bucket.
    :param external_id: not accepted (any value is an error, see above); kept so that a
        caller passing one gets that message rather than a ``TypeError``.
    :param kms_key: the bucket's customer-managed SSE-KMS key, if any. Default: none.
    :param role_name: physical role name. Default: generated.
    :param permissions_boundary: a permissions boundary. Default: none.
    :param redshift_database_users: also trust Redshift (and Redshift Serverless), only
        on behalf of these database users (``arn:aws:redshift:REGION:ACCOUNT:dbuser:
        CLUSTER/USER``, which Redshift sends as ``sts:ExternalId``): the users
        RisingWave's Redshift sink connects as. Associate the role with the cluster as
        well. Default: none, Redshift is not trusted.
    """

    @builds_from_user_props("RisingWaveAccess", _USER_PROPS)
    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        workload_identity_role_arn: str | iam.IRole,
        bucket: str | s3.IBucket,
        prefix: str | None = None,
        external_id: str | None = None,
        kms_key: str | kms.IKey | None = None,
        role_name: str | None = None,
        permissions_boundary: iam.IManagedPolicy | None = None,
        redshift_database_users: Sequence[str] | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        # Every prop is checked here, under this construct's path and the names the
        # caller used, so all problems surface in one error before anything is built.
        check = PropsCheck("RisingWaveAccess", at=self)
        check.role("workload_identity_role_arn", workload_identity_role_arn)
        check.s3_bucket("bucket", bucket)
        check.prefix("prefix", prefix)
        if external_id is not None:
            check.add(
                "external_id",
                external_id,
                "None: RisingWave's S3 source, file sink, Snowflake/Redshift staging and "
                "Iceberg connector never send sts:ExternalId, so a role requiring one could "
                "never be assumed; the exact workload-identity role ARN is the guard. "
                "Connectors with aws.credentials.role.external_id (Kinesis, MSK, DynamoDB) "
                "are not what this role is for",
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
            {
                "workload_identity_role_arn": workload_identity_role_arn,
                "bucket": bucket,
                "kms_key": kms_key,
            },
        )
        if redshift_database_users is not None:
            check_database_users(check, "redshift_database_users", redshift_database_users)
        check.raise_if_any()
        self._location = S3Location(bucket=bucket, prefix=prefix)
        grants: list[AccessGrant] = [
            # RisingWave's sinks validate by listing s3.path as written, without a slash.
            S3Grant(
                location=self._location,
                actions=catalog.S3_ACTIONS,
                name="S3Data",
                list_bare_prefix=True,
            )
        ]
        if kms_key is not None:
            grants.append(
                SseKmsGrant(key=kms_key, read=True, write=True, locations=[self._location])
            )
        trust: Trust = CrossAccountTrust(
            role_arn=workload_identity_role_arn,
            # Explicit choice: RisingWave sends no ExternalId; the trusted principal is
            # the project's own workload-identity role, never an account root.
            require_external_id=False,
        )
        if redshift_database_users is not None:
            trust = CompositeTrust(
                trusts=(trust, RedshiftTrust(database_users=redshift_database_users))
            )
        self._data_access_role = DataAccessRole(
            self,
            "DataAccess",
            trust=trust,
            grants=grants,
            role_name=role_name,
            # The label holds the prefix, which may use any UTF-8 character; IAM role
            # descriptions accept Latin-1 only.
            description=iam_description(
                f"RisingWave Cloud access to {self._location.described() or 'S3'}"
            ),
            permissions_boundary=permissions_boundary,
        )

    @property
    def data_access_role(self) -> DataAccessRole:
        """The underlying :class:`DataAccessRole`."""
        return self._data_access_role

    @property
    def role(self) -> iam.Role:
        """The ``iam.Role`` RisingWave assumes."""
        return self._data_access_role.role

    @property
    def role_arn(self) -> str:
        """The role ARN to paste into ``s3.assume_role`` / ``s3.iam_role_arn``."""
        return self._data_access_role.role_arn

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The principal to grant more permissions to (``iam.IGrantable``)."""
        return self._data_access_role.grant_principal

    @property
    def location(self) -> S3Location:
        """The bucket and prefix the role may use."""
        return self._location

    def sql_with_clause(self, *, form: str = "sink", region: str | None = None) -> str:
        """The ``WITH (...)`` options that point RisingWave at this role and location.

        Add the connector's own options (``connector``, ``type``, formats, table names)
        around them.

        * ``"sink"`` (alias ``"assume_role"``): the S3 file sink and the Snowflake /
          Redshift sinks' S3 staging: ``s3.bucket_name``, ``s3.region_name``, ``s3.path``
          (the prefix, when there is one), ``s3.assume_role``.
        * ``"source"``: the S3 source: ``s3.bucket_name``, ``s3.region_name``,
          ``match_pattern = '<prefix>/*'`` (a source without one lists the bucket root,
          which the role may not), ``s3.assume_role``. Narrow the pattern under the
          prefix as you like (``<prefix>/orders/*.parquet``).
        * ``"iceberg"`` (alias ``"iam_role_arn"``): the Iceberg sink's and source's
          storage options: ``warehouse.path = 's3://<bucket>/<prefix>'``, ``s3.region``,
          ``s3.iam_role_arn``. Add your catalog's options: RisingWave passes
          ``s3.iam_role_arn`` to the FileIO of the rest, glue, jdbc, hive and snowflake
          catalogs, but not to its built-in storage catalog (``catalog.type = 'storage'``,
          the default), which would ignore the role. A Glue catalog also needs
          ``glue.iam_role_arn``: a role with a ``GlueCatalogGrant``, which this S3-only
          role is not.

        Every form ends with ``enable_config_load = 'true'``: without it OpenDAL does not
        load RisingWave's own workload identity from its environment, which it needs to
        call ``sts:AssumeRole``. A prefix quote (``'``) is doubled, as SQL string
        literals require.

        :param form: ``"sink"``, ``"source"`` or ``"iceberg"``. Default: ``"sink"``.
        :param region: the bucket's region. Default: the stack's region.
        :raises ValueError: for another form, a bad region, a ``"source"`` prefix with
            ``[ ] { } \\`` or an ``"iceberg"`` prefix a URL path would change (a prefix
            given as a token, e.g. a template parameter, is known only at deploy time and
            not checked).
        """
        check = PropsCheck("RisingWaveAccess", at=self, detail=": sql_with_clause")
        check.one_of("form", form, (*SQL_FORMS, *SQL_FORM_ALIASES))
        if region is not None:
            check.aws_region("region", region)
        check.raise_if_any()
        form = SQL_FORM_ALIASES.get(form, form)
        prefix = self._location.normalized_prefix
        rule = SQL_PREFIX_RULES.get(form)
        if rule is not None:
            rule.check(check, "prefix", prefix)
        check.raise_if_any()
        bucket = self._location.bucket_name()
        region = region or stack_facts(self).region
        quoted = sql_escaped(prefix) if prefix is not None else None
        options: list[tuple[str, str]]
        if form == "iceberg":
            warehouse = f"s3://{bucket}/{quoted}" if quoted else f"s3://{bucket}"
            options = [
                ("warehouse.path", warehouse),
                ("s3.region", region),
                ("s3.iam_role_arn", self.role_arn),
            ]
        else:
            options = [("s3.bucket_name", bucket), ("s3.region_name", region)]
            if quoted is not None:
                options.append(
                    ("s3.path", quoted) if form == "sink" else ("match_pattern", f"{quoted}/*")
                )
            options.append(("s3.assume_role", self.role_arn))
        options.append(("enable_config_load", "true"))
        return ", ".join(f"{key} = '{value}'" for key, value in options)


RisingWaveRole = RisingWaveAccess
"""Deprecated alias of :class:`RisingWaveAccess` (the name before 0.2.0)."""
