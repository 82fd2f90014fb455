"""RisingWave Cloud: a cross-account role RisingWave assumes to read and write S3."""

from __future__ import annotations

import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..._private.stack_facts import inherit_stack_facts, stack_facts
from ...constructs.cross_account_trust import CrossAccountTrust
from ...constructs.data_access_role import DataAccessRole
from ...constructs.grant import AccessGrant
from ...constructs.kms_grant import SseKmsGrant
from ...constructs.s3_grant import S3Grant
from ...constructs.s3_location import S3Location
from ...validation import PropsCheck, iam_description
from . import catalog


@jsii.implements(iam.IGrantable)
class RisingWaveAccess(Construct):
    """The role RisingWave Cloud assumes (``s3.assume_role`` / ``s3.iam_role_arn``).

    Grants the vendor's five object actions on ``bucket/prefix/*``, ``s3:ListBucket``
    conditioned on the prefix and ``s3:GetBucketLocation`` unconditioned (the vendor's
    page puts GetBucketLocation under an ``s3:prefix`` condition, which AWS denies).
    The action lists live in :mod:`lakehouse_iam.vendors.risingwave.catalog`.

    Trust: exactly the workload-identity role ARN from the RisingWave Cloud console
    (Connection > Cloud Meta). RisingWave's documented flow sends no ExternalId, and
    that role is dedicated to your project, so by default the exact ARN is the guard;
    pass ``external_id`` to require one as well.

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
    :param external_id: an ExternalId RisingWave must pass. Default: none (see above).
    :param kms_key: the bucket's customer-managed SSE-KMS key, if any. Default: none.
    :param role_name: physical role name. Default: generated.
    :param permissions_boundary: a permissions boundary. Default: none.
    """

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
            check.external_id("external_id", external_id)
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
        self._data_access_role = DataAccessRole(
            self,
            "DataAccess",
            trust=CrossAccountTrust(
                role_arn=workload_identity_role_arn,
                external_id=external_id,
                # Explicit choice: RisingWave sends no ExternalId; the trusted principal
                # is the project's own workload-identity role, never an account root.
                require_external_id=False,
            ),
            grants=grants,
            role_name=role_name,
            # The label holds the prefix, which may use any UTF-8 character; IAM role
            # descriptions accept Latin-1 only.
            description=iam_description(
                f"RisingWave Cloud access to {self._location.label or 'S3'}"
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

    def sql_with_clause(self, *, form: str = "assume_role", region: str | None = None) -> str:
        """The ``WITH (...)`` options RisingWave needs, ready to paste into a SQL statement.

        :param form: ``"assume_role"`` (``s3.assume_role``, e.g. Redshift/Snowflake
            sinks) or ``"iam_role_arn"`` (``s3.iam_role_arn``, e.g. the Iceberg sink).
        :param region: the bucket's region. Default: the stack's region.
        """
        check = PropsCheck("RisingWaveAccess", at=self, detail=": sql_with_clause")
        check.one_of("form", form, ("assume_role", "iam_role_arn"))
        if region is not None:
            check.aws_region("region", region)
        check.raise_if_any()
        lines = [
            f"s3.bucket_name = '{self._location.bucket_name()}'",
            f"s3.region_name = '{region or stack_facts(self).region}'",
        ]
        if self._location.normalized_prefix:
            lines.append(f"s3.path = '{self._location.normalized_prefix}'")
        lines += [f"s3.{form} = '{self.role_arn}'", "enable_config_load = 'true'"]
        return ", ".join(lines)


RisingWaveRole = RisingWaveAccess
"""Deprecated alias of :class:`RisingWaveAccess` (the name before 0.2.0)."""
