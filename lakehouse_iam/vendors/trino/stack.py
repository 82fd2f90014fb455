"""Example: Trino's Hive, Iceberg and Delta Lake catalogs on AWS Glue and S3, in each of its
four run modes (EKS IRSA, EKS Pod Identity, EC2 instance profile, assumed role)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from ...constructs.data_access_role import DataAccessRole
from ...constructs.ec2_instance_trust import Ec2InstanceTrust
from ...constructs.glue_grant import GlueCatalogGrant
from ...constructs.irsa_trust import IrsaTrust
from ...constructs.pod_identity_trust import PodIdentityTrust
from ...constructs.role_trust import RoleTrust
from ...constructs.s3_location import S3Location
from ...stacks.context import context, flag_context, list_context, required_context
from ...stacks.data_bucket import ExampleDataBucket
from . import catalog
from .access import TrinoAccess, TrinoPermissions

_OUTPUT_NAMES = {"hive": "Hive", "iceberg": "Iceberg", "delta_lake": "DeltaLake"}


class TrinoExampleStack(cdk.Stack):
    """A data bucket and one Trino role per run mode, all with the same permissions.

    S3 ``s3_access`` on ``bucket/prefix`` with the bucket's SSE-KMS key, and Glue read
    (plus the table write set when ``glue_write``) on ``glue_database`` and its listed
    tables (every table with ``all_tables``). The Glue database is not created: name one
    of yours. Outputs: each role's ARN, the instance profile names, and per mode and
    connector a ready-to-paste ``etc/catalog/<name>.properties``
    (``<Mode><Connector>Catalog``).

    :param prefix: key prefix Trino's tables live under.
    :param glue_database: the Glue database (Trino schema) Trino uses.
    :param oidc_provider_arn: the EKS cluster's IAM OIDC provider (IRSA mode).
    :param cluster_name: the EKS cluster (Pod Identity mode).
    :param namespace: the Trino pods' namespace.
    :param service_account: the Trino pods' service account.
    :param glue_tables: the tables of ``glue_database`` Trino may use. Default: none
        (then ``all_tables`` must be set).
    :param all_tables: every table of the database (``table/DB/*``): lets Trino create
        tables. Default: ``False``.
    :param glue_write: grant the Glue table/partition write set. Default: ``True``.
    :param s3_access: ``read`` or ``read_write``. Default: ``read_write``.
    :param bucket_name: import this bucket instead of creating one. Default: create.
    :param external_id: ExternalId the assumed-role mode requires. Default: none.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        prefix: str,
        glue_database: str,
        oidc_provider_arn: str,
        cluster_name: str,
        namespace: str,
        service_account: str,
        glue_tables: Sequence[str] = (),
        all_tables: bool = False,
        glue_write: bool = True,
        s3_access: str = "read_write",
        bucket_name: str | None = None,
        external_id: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        data = ExampleDataBucket(self, "Data", bucket_name=bucket_name)
        permissions = TrinoPermissions(
            locations=[S3Location(bucket=data.bucket, prefix=prefix)],
            s3_access=s3_access,
            kms_key=data.key,
            glue=GlueCatalogGrant(
                databases=[glue_database],
                tables=[f"{glue_database}.{t}" for t in glue_tables],
                write=glue_write,
            ),
            all_tables=all_tables,
        )
        provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            self, "OidcProvider", oidc_provider_arn
        )
        self.irsa = TrinoAccess(
            self,
            "Irsa",
            permissions=permissions,
            trust=IrsaTrust(
                oidc_provider=provider, namespace=namespace, service_account=service_account
            ),
        )
        self.pod_identity = TrinoAccess(
            self,
            "PodIdentity",
            permissions=permissions,
            trust=PodIdentityTrust(
                cluster_name=cluster_name, namespace=namespace, service_account=service_account
            ),
        )
        self.instance_profile = TrinoAccess(
            self, "InstanceProfile", permissions=permissions, trust=Ec2InstanceTrust()
        )
        # Assumed role: Trino's own identity (here an EC2 instance role whose only
        # permission is sts:AssumeRole on the data role) assumes the data role.
        self.cluster_role = DataAccessRole(
            self,
            "ClusterRole",
            trust=Ec2InstanceTrust(),
            description="Trino cluster instance role: may only assume the Trino data role",
        )
        self.assumed_role = TrinoAccess(
            self,
            "AssumedRole",
            permissions=permissions,
            trust=RoleTrust(role=self.cluster_role.role, external_id=external_id),
        )

        modes = (
            ("Irsa", self.irsa),
            ("PodIdentity", self.pod_identity),
            ("InstanceProfile", self.instance_profile),
            ("AssumedRole", self.assumed_role),
        )
        for mode, access in modes:
            cdk.CfnOutput(self, f"{mode}RoleArn", value=access.role_arn)
        cdk.CfnOutput(
            self,
            "IrsaServiceAccountManifest",
            description="kubectl apply -f - (JSON is valid YAML)",
            value=self.irsa.service_account_manifest(),
        )
        profile = self.instance_profile.instance_profile
        assert profile is not None  # Ec2InstanceTrust creates it
        cdk.CfnOutput(
            self,
            "InstanceProfileName",
            description="Launch Trino's coordinator and workers with this profile",
            value=profile.instance_profile_name,
        )
        cluster_profile = self.cluster_role.trust_binding
        assert isinstance(cluster_profile, iam.InstanceProfile)  # Ec2InstanceTrust's binding
        cdk.CfnOutput(
            self,
            "ClusterInstanceProfileName",
            description="Launch Trino with this profile in assumed-role mode",
            value=cluster_profile.instance_profile_name,
        )
        for mode, access in modes:
            for connector in catalog.CONNECTORS:
                cdk.CfnOutput(
                    self,
                    f"{mode}{_OUTPUT_NAMES[connector]}Catalog",
                    description=f"etc/catalog/<name>.properties, {connector} ({mode} mode)",
                    value=access.properties_file(connector),
                )


def from_context(app: cdk.App, stack_id: str) -> cdk.Stack:
    """``LakehouseIam-Trino`` from its ``lakehouse-iam:trino:*`` context."""
    return TrinoExampleStack(
        app,
        stack_id,
        prefix=required_context(app, "trino:prefix"),
        glue_database=required_context(app, "trino:glueDatabase"),
        oidc_provider_arn=required_context(app, "trino:oidcProviderArn"),
        cluster_name=required_context(app, "trino:clusterName"),
        namespace=required_context(app, "trino:namespace"),
        service_account=required_context(app, "trino:serviceAccount"),
        glue_tables=list_context(app, "trino:glueTables"),
        all_tables=flag_context(app, "trino:allTables", default=False),
        glue_write=flag_context(app, "trino:glueWrite", default=True),
        s3_access=context(app, "trino:s3Access") or "read_write",
        bucket_name=context(app, "trino:bucketName"),
        external_id=context(app, "trino:externalId"),
        description="lakehouse-iam example: Trino on Glue and S3 in its four run modes",
    )
