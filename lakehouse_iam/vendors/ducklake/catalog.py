"""DuckLake Container (Lokryn): ECS task role, task execution role, EKS roles.

Source: the vendor's (Lokryn's) DuckLake Container
"IAM Permissions" documentation page. The vendor grants
everything to one task role; here the container's own identity (task role, or the EKS
pod's role) and the ECS task execution role (image pull, log delivery, secret
injection) are separate, and every action sits on the resource AWS authorizes it
against. Constructs render from these tuples; docs and tests read them too.
"""

from __future__ import annotations

from ...catalog import duckdb, ecr, kms, logs, secretsmanager
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, Omission, aws_doc, trace, vendor_page

DEFAULT_CONFIG_SECRET_NAME = "lokryn/ducklake/config"
"""The secret the container loads its configuration from (vendor default)."""

# -- task role (the container's identity: ECS task role, IRSA or Pod Identity role) --
S3_OBJECT_ACTIONS: tuple[str, ...] = ("s3:DeleteObject", "s3:GetObject", "s3:PutObject")
"""The vendor's object actions, without ``s3:PutObjectAcl`` (see ``put_object_acl``) and
``s3:GetObjectVersion`` (never sent: see DEVIATIONS)."""
S3_PUT_OBJECT_ACL = "s3:PutObjectAcl"
S3_BUCKET_ACTIONS: tuple[str, ...] = ("s3:GetBucketLocation", "s3:ListBucket")

CONFIG_SECRET_ACTIONS: tuple[str, ...] = (
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetResourcePolicy",
    "secretsmanager:GetSecretValue",
    "secretsmanager:ListSecretVersionIds",
)
"""Authorized per secret: granted on the config secret's ARN only."""
CONFIG_SECRET_NO_RESOURCE_ACTIONS: tuple[str, ...] = (
    "secretsmanager:BatchGetSecretValue",
    "secretsmanager:ListSecrets",
)
"""No resource-level permission: granted on ``*`` (reasons in :mod:`.secretsmanager`)."""

CONTAINER_LOG_ACTIONS: tuple[str, ...] = (
    "logs:CreateLogGroup",
    "logs:CreateLogStream",
    "logs:DescribeLogStreams",
    "logs:PutLogEvents",
)
"""Authorized per log group: granted on the container's log group only."""
CONTAINER_LOG_NO_RESOURCE_ACTIONS: tuple[str, ...] = ("logs:DescribeLogGroups",)

MARKETPLACE_ACTIONS: tuple[str, ...] = (
    "aws-marketplace:MeterUsage",
    "aws-marketplace:RegisterUsage",
)

# -- task execution role (ECS only) --------------------------------------------------
EXECUTION_LOG_ACTIONS: tuple[str, ...] = logs.AWSLOGS_DRIVER
"""What the ``awslogs`` driver needs for an existing log group."""
EXECUTION_SECRET_ACTIONS: tuple[str, ...] = secretsmanager.INJECT
"""Only when the task definition injects the secret (``secrets`` in the container)."""

# -- what the vendor page grants, for the deviation table and tests -------------------
VENDOR_TASK_ACTIONS: tuple[str, ...] = tuple(
    sorted(
        {
            "logs:CreateLogGroup",
            "logs:CreateLogStream",
            "logs:PutLogEvents",
            "logs:DescribeLogStreams",
            "logs:DescribeLogGroups",
            "secretsmanager:ListSecretVersionIds",
            "secretsmanager:GetResourcePolicy",
            "secretsmanager:BatchGetSecretValue",
            "secretsmanager:ListSecrets",
            "secretsmanager:GetSecretValue",
            "secretsmanager:DescribeSecret",
            "s3:GetObject",
            "s3:GetObjectVersion",
            "s3:PutObject",
            "s3:PutObjectAcl",
            "s3:DeleteObject",
            "s3:ListBucket",
            "s3:GetBucketLocation",
            "ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability",
            "ecr:GetDownloadUrlForLayer",
            "ecr:BatchGetImage",
            "aws-marketplace:RegisterUsage",
            "aws-marketplace:MeterUsage",
        }
    )
)
VENDOR_SECRET_RESOURCE = "arn:aws:secretsmanager:*:*:secret:secret:lokryn/ducklake/config*"

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="config secret ARN",
        vendor=f"GetSecretValue and DescribeSecret on {VENDOR_SECRET_RESOURCE}",
        ours=(
            "The secret-scoped actions on arn:PARTITION:secretsmanager:REGION:ACCOUNT:"
            "secret:lokryn/ducklake/config-?????? (the stack's region and account; the name "
            "is configurable, or pass the secret's full ARN or an ISecret)"
        ),
        why=(
            "A secret ARN is ...:secret:NAME-XXXXXX; the vendor's 'secret:secret:' has the "
            "resource type twice, so the pattern matches no secret and every call is denied. "
            "Secrets Manager appends '-' and 6 random characters, which '-??????' matches "
            "exactly, where 'config*' would also match config-old or configuration "
            "(https://docs.aws.amazon.com/secretsmanager/latest/userguide/"
            "auth-and-access_examples.html)."
        ),
        if_reverted=(
            "GetSecretValue is denied, the container cannot load its configuration and "
            "exits; 'config*' in any account and region also reaches other secrets."
        ),
    ),
    Deviation(
        topic="Secrets Manager actions on '*'",
        vendor=(
            "ListSecretVersionIds, GetResourcePolicy, BatchGetSecretValue and ListSecrets on "
            "'*' (every secret of every account the role can reach)"
        ),
        ours=(
            "ListSecretVersionIds and GetResourcePolicy on the config secret ARN; only "
            "BatchGetSecretValue and ListSecrets (no resource-level permission) stay on '*'"
        ),
        why=(
            "The Service Authorization Reference lists the Secret resource type for "
            "ListSecretVersionIds and GetResourcePolicy, and none for BatchGetSecretValue "
            "and ListSecrets. BatchGetSecretValue returns only values the caller may also "
            "GetSecretValue, so on '*' it still reaches just the config secret "
            "(https://docs.aws.amazon.com/secretsmanager/latest/apireference/"
            "API_BatchGetSecretValue.html)."
        ),
        if_reverted="The role can read version lists and resource policies of every secret.",
    ),
    Deviation(
        topic="CloudWatch Logs on '*'",
        vendor=(
            "CreateLogGroup, CreateLogStream, PutLogEvents, DescribeLogStreams on '*' and "
            "DescribeLogGroups on '*'"
        ),
        ours=(
            "The four log-group actions on the container's log group only "
            "(arn:...:log-group:NAME:*); DescribeLogGroups (no resource-level permission) "
            "on '*'"
        ),
        why=(
            "Those actions are authorized against the log group or its streams; CloudWatch "
            "Logs documents arn:...:log-group:NAME:* as the form for IAM policies "
            "(https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/"
            "iam-access-control-overview-cwl.html)."
        ),
        if_reverted="The container can create log groups and write into any log group.",
    ),
    Deviation(
        topic="ECR image pull on the task role",
        vendor="ecr:GetAuthorizationToken and the layer/image actions on '*', on the task role",
        ours=(
            "A separate ECS task execution role pulls the image: GetAuthorizationToken on "
            "'*', BatchCheckLayerAvailability, BatchGetImage and GetDownloadUrlForLayer on "
            "the image's repository ARN. The task role gets no ECR action"
        ),
        why=(
            "The ECS agent pulls images with the task execution role, never the task role; "
            "the layer/image actions support the repository resource type "
            "(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
            "task_execution_IAM_role.html)."
        ),
        if_reverted=(
            "The running container can pull every image in every registry it can reach, "
            "and a task definition without an execution role cannot pull a private image."
        ),
    ),
    Deviation(
        topic="awslogs log delivery",
        vendor="CloudWatch Logs permissions on the task role only",
        ours=(
            "logs:CreateLogStream and logs:PutLogEvents on the log group, on the execution "
            "role (what the awslogs driver uses); the task role keeps the log-group-scoped "
            "actions for the container's own CloudWatch calls"
        ),
        why=(
            "The awslogs log driver sends logs with the execution role "
            "(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/using_awslogs.html)."
        ),
        if_reverted="With the vendor's single role as task role, awslogs has no permission.",
    ),
    Deviation(
        topic="s3:GetObjectVersion",
        vendor="s3:GetObjectVersion on bucket/*",
        ours="not granted",
        why=(
            "DuckDB's httpfs and the DuckLake extension address objects by key only: none "
            "of the recorded requests (traces/fixtures/duckdb-ducklake.json, "
            "duckdb-httpfs.json) carries a versionId, and DuckLake's time travel reads "
            "older snapshots' own files, not S3 versions. The action is only checked for "
            "a request with versionId "
            "(https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html)."
        ),
        if_reverted=(
            "Nothing DuckLake does changes; its credentials can then read the older "
            "versions of every object, including data deleted or overwritten on purpose."
        ),
    ),
    Deviation(
        topic="s3:PutObjectAcl",
        vendor="s3:PutObjectAcl on bucket/*",
        ours=(
            "Not granted by default; put_object_acl=True grants it on the same bucket/prefix "
            "objects for buckets that still use ACLs"
        ),
        why=(
            "With S3 Object Ownership 'bucket owner enforced' (the default for new buckets "
            "since April 2023, and what the example bucket uses) ACLs are disabled: "
            "PutObjectAcl and any ACL other than bucket-owner-full-control fail with "
            "AccessControlListNotSupported, so the permission buys nothing. On a bucket "
            "with ACLs enabled it lets the container share objects with other accounts "
            "(https://docs.aws.amazon.com/AmazonS3/latest/userguide/about-object-ownership.html)."
        ),
        if_reverted=(
            "Nothing changes on an ACL-disabled bucket; on an ACL-enabled bucket the "
            "container can grant object access to any AWS account."
        ),
    ),
    Deviation(
        topic="S3 resources",
        vendor="bucket/* and the bucket, with no prefix scoping",
        ours=(
            "Optional prefix: objects on bucket/prefix/*, s3:ListBucket under "
            "s3:prefix = [prefix/, prefix/*], s3:GetBucketLocation unconditioned"
        ),
        why=(
            "Only ListBucket carries the s3:prefix key; GetBucketLocation must stay "
            "unconditioned (https://docs.aws.amazon.com/service-authorization/latest/"
            "reference/list_amazons3.html)."
        ),
        if_reverted="The container reads and deletes every object in the bucket.",
    ),
    Deviation(
        topic="trust policy",
        vendor=(
            'Version "2008-10-17", ecs-tasks.amazonaws.com with no condition (any account\'s '
            "task definition naming the role ARN could use it)"
        ),
        ours=(
            'Version "2012-10-17"; ECS: aws:SourceAccount and aws:SourceArn '
            "arn:PARTITION:ecs:REGION:ACCOUNT:*; IRSA: the cluster's OIDC provider with "
            ":sub = system:serviceaccount:NS:SA and :aud = sts.amazonaws.com; Pod Identity: "
            "pods.eks.amazonaws.com with sts:TagSession, aws:SourceAccount and the session "
            "tags eks-cluster-arn, kubernetes-namespace, kubernetes-service-account"
        ),
        why=(
            "AWS recommends aws:SourceAccount/aws:SourceArn against the cross-service "
            "confused deputy (https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
            "task-iam-roles.html); IRSA without :sub lets every pod of the cluster assume "
            "the role (https://docs.aws.amazon.com/eks/latest/userguide/"
            "associate-service-account-role.html); EKS Pod Identity sets the session tags "
            "(https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html)."
        ),
        if_reverted=(
            "ECS: a task in another account could be handed the role; EKS: any pod or "
            "cluster of the account could assume it."
        ),
    ),
    Deviation(
        topic="IRSA service account",
        vendor="ServiceAccount 'ducklake' annotated with the role ARN; no trust policy shown",
        ours=(
            "The IRSA trust policy is generated for one namespace and service account "
            "(validated as Kubernetes names) and the ready-to-apply ServiceAccount manifest "
            "is a stack output"
        ),
        why=(
            "The annotation alone grants nothing: STS checks the role's trust policy "
            "(https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html)."
        ),
        if_reverted="Not applicable: the vendor page gives no IRSA trust policy to revert to.",
    ),
)

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
_MARKETPLACE_DOC = (
    "https://docs.aws.amazon.com/marketplace/latest/userguide/container-metering-registerusage.html"
)

EVIDENCE: tuple[Need, ...] = (
    # The task role: the container's own identity. The container embeds DuckDB/DuckLake.
    *duckdb.S3_EVIDENCE,
    Need(
        actions=("s3:GetBucketLocation",),
        why=(
            "listed by the vendor page ('get bucket location'); DuckDB itself does not call "
            "it (the traces never send it), so it stays for the container's closed-source "
            "start-up (it reveals the bucket's Region, nothing else)"
        ),
        sources=(vendor_page("Permission Breakdown: S3 Bucket Access"),),
    ),
    Need(
        actions=(S3_PUT_OBJECT_ACL,),
        why="buckets that still use ACLs, where the container sets an object ACL on write",
        sources=(vendor_page("Complete Working Policy"),),
        opt_in="put_object_acl=True",
    ),
    Need(
        actions=(*CONFIG_SECRET_ACTIONS, *CONFIG_SECRET_NO_RESOURCE_ACTIONS),
        why=(
            "the container loads its configuration from Secrets Manager at start-up "
            "('Configuration loaded from Secrets Manager')"
        ),
        sources=(
            vendor_page("Complete Working Policy; Verifying Permissions"),
            aws_doc(
                "https://docs.aws.amazon.com/secretsmanager/latest/apireference/"
                "API_BatchGetSecretValue.html",
                "a filtered BatchGetSecretValue also needs ListSecrets",
            ),
        ),
    ),
    Need(
        actions=(*CONTAINER_LOG_ACTIONS, *CONTAINER_LOG_NO_RESOURCE_ACTIONS),
        why="the container finds or creates its log group and stream and writes its logs",
        sources=(vendor_page("Permission Breakdown: CloudWatch Logs"),),
    ),
    Need(
        actions=MARKETPLACE_ACTIONS,
        why="the AWS Marketplace product registers the container and meters usage hourly",
        sources=(
            vendor_page("Permission Breakdown: Marketplace"),
            aws_doc(_MARKETPLACE_DOC, "RegisterUsage from the container's own identity"),
        ),
    ),
    *kms.SSE_KMS_EVIDENCE,
    # The ECS task execution role: the agent's image pull, log delivery, secret injection.
    *ecr.PULL_EVIDENCE,
    logs.AWSLOGS_DRIVER_EVIDENCE,
    secretsmanager.INJECT_EVIDENCE,
)
"""Why the DuckLake roles get each action."""

OMISSIONS: tuple[Omission, ...] = (
    Omission(
        actions=("s3:GetObjectVersion",),
        why="DuckDB and DuckLake never send a versionId (see DEVIATIONS)",
        sources=(
            trace(duckdb.DUCKLAKE_TRACE, "no request carries versionId"),
            trace(duckdb.HTTPFS_TRACE, "no request carries versionId"),
        ),
    ),
)
"""What the vendor page lists that the DuckLake roles do not get."""
