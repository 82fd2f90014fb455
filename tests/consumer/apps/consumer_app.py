"""A user's CDK app that installs lakehouse-iam as a dependency (run from its own venv).

A storage stack owns the bucket, its key, a log group, a secret, an ECR repository, an
OIDC provider and an instance role; a roles stack uses them in every input form the
constructs accept: the construct objects (cross-stack references), their ARN and name
tokens, and literal names and ARNs. A Stage with an explicit environment holds its own
storage and roles stacks (weak references there), and an env-agnostic stack takes its
inputs from ``CfnParameter`` s and ``Fn.import_value``. All four cdk-nag packs are added;
``app.synth()`` raises on any finding not acknowledged. The user acknowledges the
storage stacks' own findings (not the library's); the library acknowledges its own.

Run as ``python consumer_app.py`` with ``CDK_OUTDIR`` set (cdk.App reads it). This file
is also type-checked with ``mypy --strict`` and pyright (strict) against the wheel.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from lakehouse_iam import (
    BoilStreamAccess,
    BoilStreamLevel,
    DuckLakeAccess,
    Ec2InstanceTrust,
    EcsTaskTrust,
    GlueCatalogGrant,
    IrsaTrust,
    PodIdentityTrust,
    QualyticsAuthentication,
    QualyticsDatastore,
    QualyticsDatastoreAccess,
    RisingWaveAccess,
    RoleTrust,
    S3Location,
    StarRocksAssumedRoleAccess,
    StarRocksIamUserAccess,
    StarRocksInstanceProfileAccess,
    StarRocksPermissions,
    add_compliance_checks,
)
from lakehouse_iam.vendors.databricks.access import DatabricksStorageCredentialAccess
from lakehouse_iam.vendors.snowflake.access import (
    SnowflakeGlueCatalogAccess,
    SnowflakeStorageAccess,
)
from lakehouse_iam.vendors.snowflake.catalog import SnowflakeIntegration
from lakehouse_iam.vendors.trino.access import TrinoAccess, TrinoPermissions

WORKLOAD = "arn:aws:iam::222222222222:role/risingwave-workload"
DATAPLANE = "arn:aws:iam::222222222222:role/acme-dataplane-role"
SNOWFLAKE_USER = "arn:aws:iam::222222222222:user/abc1-b-self1234"
IMAGE = "709825985650.dkr.ecr.us-east-1.amazonaws.com/lokryn/ducklake:1.0"
ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE"
PROD = cdk.Environment(account="111111111111", region="eu-west-1")
LITERAL_KEY = "arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"

# The user's own resources in the storage stacks, and why their findings are accepted
# here (an example app, not a production storage design). Library constructs are never
# in these stacks, so none of this can hide a library finding.
STORAGE_FINDINGS = (
    "AwsSolutions-S1",
    "AwsSolutions-SMG4",
    *(
        f"{pack}-{rule}"
        for pack in ("NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")
        for rule in (
            "S3BucketLoggingEnabled",
            "S3BucketReplicationEnabled",
            "S3BucketVersioningEnabled",
            "CloudWatchLogGroupEncrypted",
            "SecretsManagerUsingKMSKey",
        )
    ),
    "NIST.800.53.R5-SecretsManagerRotationEnabled",
    "HIPAA.Security-SecretsManagerRotationEnabled",
)


class StorageStack(cdk.Stack):
    """The user's storage: what the roles stacks reference."""

    def __init__(self, scope: Construct, id: str, *, env: cdk.Environment | None = None) -> None:
        super().__init__(scope, id, env=env)
        prefix = self.node.path.replace("/", "-").lower()
        self.key = kms.Key(self, "Key", enable_key_rotation=True)
        self.bucket = s3.Bucket(
            self,
            "Bucket",
            bucket_name=f"{prefix}-lake",
            encryption_key=self.key,
            enforce_ssl=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
        )
        self.log_group = logs.LogGroup(self, "Logs", log_group_name=f"/{prefix}/ducklake")
        self.secret = secretsmanager.Secret(self, "Config", secret_name=f"{prefix}/ducklake")
        self.repository = ecr.Repository(
            self, "Repository", repository_name=f"{prefix}/ducklake", image_scan_on_push=True
        )
        self.provider = iam.CfnOIDCProvider(
            self, "Provider", url=f"https://{ISSUER}", client_id_list=["sts.amazonaws.com"]
        )
        self.cluster_role = iam.Role(
            self, "ClusterRole", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com")
        )
        for rule in STORAGE_FINDINGS:
            cdk.Validations.of(self).acknowledge(
                cdk.Acknowledgment(
                    id=rule, reason="the consumer test's storage stack: an example, not a design"
                )
            )


class RolesStack(cdk.Stack):
    """Every vendor construct, given the storage in each form it accepts."""

    def __init__(self, scope: Construct, id: str, *, storage: StorageStack) -> None:
        super().__init__(scope, id)
        bucket, key = storage.bucket, storage.key
        vendor = iam.Role.from_role_arn(self, "Workload", WORKLOAD)
        dataplane = iam.Role.from_role_arn(self, "Dataplane", DATAPLANE)

        # RisingWave: the bucket and key as objects, as ARN tokens, as a name token, literal.
        RisingWaveAccess(
            self,
            "RwObjects",
            workload_identity_role_arn=WORKLOAD,
            bucket=bucket,
            kms_key=key,
            prefix="rw",
        )
        RisingWaveAccess(
            self,
            "RwArnTokens",
            workload_identity_role_arn=vendor,
            bucket=bucket.bucket_arn,
            kms_key=key.key_arn,
            prefix="rw",
        )
        RisingWaveAccess(
            self,
            "RwNameToken",
            workload_identity_role_arn=WORKLOAD,
            bucket=bucket.bucket_name,
            prefix="rw",
        )
        RisingWaveAccess(
            self,
            "RwLiterals",
            workload_identity_role_arn=WORKLOAD,
            bucket="literal-lake",
            prefix="rw",
        )

        # Snowflake: step 1 (no one trusted) on objects, step 2 on ARN tokens and a name
        # token, an external volume and the Glue catalog role on literals.
        sf_stage = SnowflakeStorageAccess(
            self, "SfObjects", bucket=bucket, kms_key=key, prefix="sf", external_id="acme-sf"
        )
        cdk.CfnOutput(self, "SfObjectsSql", value=sf_stage.create_sql())
        SnowflakeStorageAccess(
            self,
            "SfArnTokens",
            bucket=bucket.bucket_arn,
            kms_key=key.key_arn,
            prefix="sf",
            write=True,
            snowflake_user_arn=SNOWFLAKE_USER,
            external_id="acme-sf",
        )
        SnowflakeStorageAccess(self, "SfNameToken", bucket=bucket.bucket_name, prefix="sf")
        sf_volume = SnowflakeStorageAccess(
            self,
            "SfLiterals",
            bucket="literal-lake",
            prefix="iceberg",
            integration=SnowflakeIntegration.EXTERNAL_VOLUME,
            write=True,
            kms_key=LITERAL_KEY,
        )
        cdk.CfnOutput(self, "SfVolumeSql", value=sf_volume.create_sql(name="lake_volume"))
        sf_glue = SnowflakeGlueCatalogAccess(
            self,
            "SfGlue",
            databases=["lake"],
            tables=["lake.orders"],
            glue_user_arn=SNOWFLAKE_USER,
            external_id="acme-glue",
        )
        cdk.CfnOutput(self, "SfGlueSql", value=sf_glue.create_sql())

        # Databricks: one credential over the bucket as an object, an ARN token, a name
        # token and a literal; step 2 (master role and itself trusted) with the key.
        dbx = DatabricksStorageCredentialAccess(
            self,
            "DbxLocations",
            role_name=f"dbx-uc-{self.node.path.replace('/', '-').lower()}",
            locations=[
                S3Location(bucket=bucket, prefix="dbx/objects"),
                S3Location(bucket=bucket.bucket_arn, prefix="dbx/arn"),
                S3Location(bucket=bucket.bucket_name, prefix="dbx/name"),
                S3Location(bucket="literal-lake", prefix="dbx"),
            ],
            external_id="dbx-credential-external-id",
            kms_key=key,
            file_events=True,
        )
        cdk.CfnOutput(self, "DbxCredentialSql", value=dbx.create_credential_sql())
        cdk.CfnOutput(self, "DbxLocationSql", value=dbx.create_location_sql(index=3))

        # BoilStream: level 1 on the storage stack's existing role, 2b on an ARN token,
        # 3 with its access role (named per stack: the default is one per bucket).
        BoilStreamAccess(
            self,
            "BsIngest",
            principal=storage.cluster_role,
            bucket=bucket,
            level=BoilStreamLevel.INGEST,
            prefix="bs",
        )
        BoilStreamAccess(
            self,
            "BsCluster",
            principal=EcsTaskTrust(),
            bucket=bucket.bucket_arn,
            level=BoilStreamLevel.DUCKLAKE,
            prefix="bs",
            cluster_mode=True,
            kms_key=key,
        )
        BoilStreamAccess(
            self,
            "BsVending",
            principal=EcsTaskTrust(),
            bucket=bucket,
            kms_key=key,
            level=BoilStreamLevel.CREDENTIAL_VENDING,
            prefix="bs",
            access_role_name=f"ducklake-{self.node.path.replace('/', '-').lower()}-access",
            allow_access_role_policy_writes=True,
        )

        # DuckLake: objects, ARN tokens, literals; IRSA and Pod Identity.
        DuckLakeAccess(
            self,
            "DlObjects",
            trust=EcsTaskTrust(),
            bucket=bucket,
            kms_key=key,
            prefix="dl",
            log_group=storage.log_group,
            config_secret=storage.secret,
            image=storage.repository,
        )
        DuckLakeAccess(
            self,
            "DlArnTokens",
            trust=EcsTaskTrust(),
            bucket=bucket.bucket_arn,
            prefix="dl",
            log_group=storage.log_group.log_group_arn,
            config_secret=storage.secret.secret_arn,
            image=storage.repository.repository_arn,
        )
        DuckLakeAccess(
            self,
            "DlLiterals",
            trust=EcsTaskTrust(),
            bucket="literal-lake",
            prefix="dl",
            log_group="/literal/ducklake",
            config_secret="lokryn/ducklake/config",
            image=IMAGE,
        )
        provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            self, "Provider", storage.provider.attr_arn
        )
        DuckLakeAccess(
            self,
            "DlIrsa",
            bucket=bucket,
            prefix="dl",
            log_group=storage.log_group,
            trust=IrsaTrust(oidc_provider=provider, namespace="lake", service_account="ducklake"),
        )
        DuckLakeAccess(
            self,
            "DlIrsaArn",
            bucket=bucket,
            prefix="dl",
            log_group="/literal/ducklake",
            trust=IrsaTrust(
                oidc_provider=storage.provider.attr_arn, namespace="lake", service_account="dl"
            ),
        )
        DuckLakeAccess(
            self,
            "DlPods",
            bucket=bucket,
            prefix="dl",
            log_group="/literal/ducklake",
            trust=PodIdentityTrust(cluster_name="lake", namespace="lake", service_account="dl"),
        )

        # Qualytics: both datastores, both authentication modes.
        QualyticsDatastoreAccess(
            self,
            "QSource",
            bucket=bucket,
            root_path="raw",
            dataplane_role_arn=dataplane,
            kms_key=key,
        )
        QualyticsDatastoreAccess(
            self,
            "QEnrichment",
            bucket=bucket.bucket_name,
            root_path="qualytics",
            datastore=QualyticsDatastore.ENRICHMENT,
            authentication=QualyticsAuthentication.ACCESS_KEY,
        )

        # StarRocks: every mode; the assumed-role mode on the storage stack's role.
        permissions = StarRocksPermissions(
            locations=[
                S3Location(bucket=bucket, prefix="starrocks"),
                S3Location(bucket=bucket.bucket_arn, prefix="curated"),
            ],
            s3_access="read_write",
            kms_key=key,
            glue=GlueCatalogGrant(databases=["lakehouse"], write=True),
        )
        StarRocksInstanceProfileAccess(self, "SrProfile", permissions=permissions)
        StarRocksAssumedRoleAccess(
            self, "SrAssumed", permissions=permissions, cluster_role=storage.cluster_role
        )
        StarRocksIamUserAccess(self, "SrUser", permissions=permissions)

        # Trino: every run mode (IRSA on the provider object and on its ARN token, Pod
        # Identity, instance profile, assumed role on the storage stack's role).
        trino = TrinoPermissions(
            locations=[
                S3Location(bucket=bucket, prefix="trino"),
                S3Location(bucket=bucket.bucket_arn, prefix="curated"),
            ],
            s3_access="read_write",
            kms_key=key,
            glue=GlueCatalogGrant(databases=["lakehouse"], write=True),
            all_tables=True,
        )
        TrinoAccess(
            self,
            "TrIrsa",
            permissions=trino,
            trust=IrsaTrust(oidc_provider=provider, namespace="trino", service_account="trino"),
        )
        TrinoAccess(
            self,
            "TrIrsaArn",
            permissions=TrinoPermissions(
                locations=[S3Location(bucket=bucket.bucket_name, prefix="trino")],
                kms_key=key.key_arn,
                glue=GlueCatalogGrant(databases=["lakehouse"], tables=["lakehouse.events"]),
            ),
            trust=IrsaTrust(
                oidc_provider=storage.provider.attr_arn, namespace="trino", service_account="trino"
            ),
        )
        TrinoAccess(
            self,
            "TrPods",
            permissions=trino,
            trust=PodIdentityTrust(cluster_name="lake", namespace="trino", service_account="trino"),
        )
        TrinoAccess(self, "TrProfile", permissions=trino, trust=Ec2InstanceTrust())
        TrinoAccess(
            self,
            "TrAssumed",
            permissions=trino,
            trust=RoleTrust(role=storage.cluster_role, external_id="trino-external-id"),
        )

        # Literal names and ARNs for the constructs above that took objects and tokens.
        BoilStreamAccess(
            self,
            "BsLiteral",
            principal=EcsTaskTrust(),
            bucket="literal-lake",
            level=BoilStreamLevel.INGEST,
            prefix="bs",
        )
        QualyticsDatastoreAccess(
            self, "QLiteral", bucket="literal-lake", root_path="raw", dataplane_role_arn=DATAPLANE
        )
        StarRocksInstanceProfileAccess(
            self,
            "SrLiteral",
            permissions=StarRocksPermissions(
                locations=[S3Location(bucket="arn:aws:s3:::literal-lake", prefix="starrocks")]
            ),
        )
        TrinoAccess(
            self,
            "TrLiteral",
            permissions=TrinoPermissions(
                locations=[S3Location(bucket="arn:aws:s3:::literal-lake", prefix="trino")],
                kms_key=LITERAL_KEY,
                glue=GlueCatalogGrant(databases=["lakehouse"], tables=["lakehouse.events"]),
            ),
            trust=RoleTrust(role="arn:aws:iam::111111111111:role/trino-nodes"),
        )


class AgnosticStack(cdk.Stack):
    """No env; every input from a CfnParameter or an import, in its construct form."""

    def __init__(self, scope: Construct, id: str) -> None:
        super().__init__(scope, id)

        def parameter(name: str) -> str:
            return cdk.CfnParameter(self, name, type="String").value_as_string

        bucket = s3.Bucket.from_bucket_name(self, "Lake", parameter("BucketName"))
        imported = s3.Bucket.from_bucket_name(self, "Shared", cdk.Fn.import_value("SharedLake"))
        key = kms.Key.from_key_arn(self, "Key", parameter("KeyArn"))
        RisingWaveAccess(
            self,
            "RwParams",
            workload_identity_role_arn=parameter("WorkloadRoleArn"),
            bucket=bucket,
            kms_key=key,
            prefix="rw",
        )
        RisingWaveAccess(
            self, "RwImport", workload_identity_role_arn=WORKLOAD, bucket=imported, prefix="rw"
        )
        # Snowflake: the user ARN, ExternalId and prefix as parameters (the SQL looks the
        # storage provider up by partition in this env-agnostic stack).
        sf_params = SnowflakeStorageAccess(
            self,
            "SfParams",
            bucket=bucket,
            kms_key=key,
            prefix=parameter("SnowflakePrefix"),
            snowflake_user_arn=parameter("SnowflakeUserArn"),
            external_id=parameter("SnowflakeExternalId"),
        )
        cdk.CfnOutput(self, "SfParamsSql", value=sf_params.create_sql())
        SnowflakeStorageAccess(self, "SfImport", bucket=imported, prefix="sf")
        SnowflakeGlueCatalogAccess(
            self, "SfGlueParams", databases=["lake"], region=parameter("GlueRegion")
        )
        # Databricks: the external ID and prefix as parameters, the master role looked up
        # by AWS::Partition (Fn::FindInMap) in this env-agnostic stack.
        DatabricksStorageCredentialAccess(
            self,
            "DbxParams",
            role_name="dbx-uc-agnostic",
            locations=[
                S3Location(bucket=bucket, prefix=parameter("DatabricksPrefix")),
                S3Location(bucket=imported, prefix="dbx"),
            ],
            external_id=parameter("DatabricksExternalId"),
            kms_key=key,
        )
        DuckLakeAccess(
            self,
            "DlParams",
            trust=EcsTaskTrust(),
            bucket=bucket,
            prefix="dl",
            log_group=logs.LogGroup.from_log_group_name(self, "Logs", parameter("LogGroup")),
            config_secret=secretsmanager.Secret.from_secret_name_v2(
                self, "Config", parameter("DuckLakeConfig")
            ),
            image=ecr.Repository.from_repository_name(self, "Repo", parameter("Repository")),
        )
        BoilStreamAccess(
            self,
            "BsParams",
            principal=EcsTaskTrust(),
            bucket=imported,
            prefix="bs",
            level=BoilStreamLevel.CREDENTIAL_VENDING,
            access_role_name="ducklake-agnostic-access",
        )
        QualyticsDatastoreAccess(
            self, "QParams", bucket=bucket, dataplane_role_arn=parameter("DataplaneRoleArn")
        )
        # The imported bucket for the constructs above that took the parameter, and back.
        BoilStreamAccess(
            self,
            "BsParamBucket",
            principal=EcsTaskTrust(),
            bucket=bucket,
            level=BoilStreamLevel.INGEST,
            prefix="bs",
        )
        DuckLakeAccess(
            self,
            "DlImport",
            trust=EcsTaskTrust(),
            bucket=imported,
            prefix="dl",
            log_group="/literal/ducklake",
        )
        QualyticsDatastoreAccess(self, "QImport", bucket=imported, dataplane_role_arn=DATAPLANE)
        StarRocksIamUserAccess(
            self,
            "SrImport",
            permissions=StarRocksPermissions(locations=[S3Location(bucket=imported)]),
        )
        StarRocksInstanceProfileAccess(
            self,
            "SrParams",
            permissions=StarRocksPermissions(locations=[S3Location(bucket=bucket)]),
        )
        trino_glue = GlueCatalogGrant(databases=["lakehouse"], tables=["lakehouse.events"])
        TrinoAccess(
            self,
            "TrParams",
            permissions=TrinoPermissions(
                locations=[S3Location(bucket=bucket)], kms_key=key, glue=trino_glue
            ),
            trust=RoleTrust(
                role=iam.Role.from_role_arn(self, "TrinoNodes", parameter("TrinoNodesRoleArn"))
            ),
        )
        TrinoAccess(
            self,
            "TrImport",
            permissions=TrinoPermissions(locations=[S3Location(bucket=imported)], glue=trino_glue),
            trust=PodIdentityTrust(cluster_name="lake"),
        )


def build_app() -> cdk.App:
    app = cdk.App()
    storage = StorageStack(app, "Storage")
    RolesStack(app, "Roles", storage=storage)
    prod = cdk.Stage(app, "Prod", env=PROD)
    # Weak references (Fn::GetStackOutput) inside the stage; strong ones at the top.
    prod.node.set_context("@aws-cdk/core:defaultCrossStackReferences", "weak")
    prod_storage = StorageStack(prod, "Storage")
    RolesStack(prod, "Roles", storage=prod_storage)
    AgnosticStack(app, "Agnostic")
    add_compliance_checks(app)
    return app


if __name__ == "__main__":
    build_app().synth()
