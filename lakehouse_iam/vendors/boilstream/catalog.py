"""BoilStream: the S3 (and, for credential vending, IAM/STS) permissions per level.

Source: BoilStream's "AWS IAM Permissions" page
(https://docs.boilstream.com/guide/aws-iam-permissions.html). The S3 actions of
every level are the vendor's, placed on the resource AWS checks them against and
optionally confined to a prefix. Level 3 keeps per-user credential vending but drops
the vendor's IAM writes on ``*`` (a privilege-escalation path): the
``ducklake-<bucket>-access`` role is created up front, S3-only, trusting exactly the
BoilStream role.
"""

from __future__ import annotations

from enum import Enum

from ...catalog import duckdb, kms
from ...catalog.deviation import Deviation
from ...catalog.evidence import Need, Omission, aws_doc, vendor_page

IAM_DOC = "https://docs.aws.amazon.com/IAM/latest/UserGuide/"
SAR_S3 = "https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazons3.html"


class BoilStreamLevel(Enum):
    """The permission levels of BoilStream's IAM page."""

    INGEST = 1
    """Level 1: basic S3 ingestion (write Parquet files)."""
    DUCKLAKE = 2
    """Level 2: DuckLake with static credentials (read, write, VACUUM)."""
    CREDENTIAL_VENDING = 3
    """Level 3: DuckLake with per-user temporary credentials (AssumeRole)."""


# Level 1: ListBucket (startup connectivity check), PutObject (Parquet files),
# AbortMultipartUpload (clean up failed uploads).
INGEST: tuple[str, ...] = ("s3:AbortMultipartUpload", "s3:ListBucket", "s3:PutObject")
# Level 2 adds GetObject (queries) and DeleteObject (DuckLake VACUUM).
DUCKLAKE: tuple[str, ...] = tuple(sorted((*INGEST, "s3:DeleteObject", "s3:GetObject")))

S3_ACTIONS_BY_LEVEL: dict[BoilStreamLevel, tuple[str, ...]] = {
    BoilStreamLevel.INGEST: INGEST,
    BoilStreamLevel.DUCKLAKE: DUCKLAKE,
    # Level 3: "All Level 2 permissions" for BoilStream itself.
    BoilStreamLevel.CREDENTIAL_VENDING: DUCKLAKE,
}
"""S3 actions BoilStream's own identity gets on the data location, per level."""

# Level 2b, cluster mode: leader/broker state, shared secret and catalog backups under
# PREFIX/cluster_state/. Combinable with any level.
CLUSTER_STATE_DIRECTORY = "cluster_state"
CLUSTER_STATE: tuple[str, ...] = (
    "s3:DeleteObject",
    "s3:GetObject",
    "s3:ListBucket",
    "s3:PutObject",
)

# Level 3: the role whose temporary credentials BoilStream vends to users.
ACCESS_ROLE_NAME_TEMPLATE = "ducklake-{bucket}-access"
"""The role name BoilStream looks up (``iam:GetRole``) and assumes."""
ACCESS_ROLE_S3: tuple[str, ...] = DUCKLAKE
"""What vended credentials may do: DuckLake reads and writes on the data location."""

# What BoilStream's own identity needs for level 3 once the access role exists.
# No sts:GetCallerIdentity ("detect AWS account ID" on the vendor page): see DEVIATIONS.
VENDING_READ_ROLE: tuple[str, ...] = ("iam:GetRole",)  # "check if DuckLake role exists"
VENDING_ASSUME: tuple[str, ...] = ("sts:AssumeRole",)  # vend temporary credentials
VENDING_POLICY_WRITE: tuple[str, ...] = ("iam:PutRolePolicy",)
"""Opt-in only: re-writing the access role's inline S3 policy, boundary-capped."""

DEVIATIONS: tuple[Deviation, ...] = (
    Deviation(
        topic="level 3: iam:CreateRole and iam:PutRolePolicy on *",
        vendor=(
            "iam:CreateRole, iam:PutRolePolicy, iam:GetRole and sts:GetCallerIdentity on "
            '"*", so BoilStream creates ducklake-<bucket>-access at start-up'
        ),
        ours=(
            "the ducklake-<bucket>-access role is created by CDK (S3-only, capped by a "
            "permissions boundary, trusting exactly the BoilStream role). BoilStream gets "
            "iam:GetRole and sts:AssumeRole on exactly that role ARN; no iam:CreateRole at "
            "all, and "
            "iam:PutRolePolicy only when allow_access_role_policy_writes=True, on exactly "
            "that role ARN and only while its permissions boundary is the one created here"
        ),
        why=(
            "iam:CreateRole plus iam:PutRolePolicy on * let the holder create a role with "
            "any trust and any inline policy (e.g. Action * on *) and, with sts:AssumeRole "
            "on role/ducklake-*, assume it: a documented privilege-escalation path "
            f"({IAM_DOC}access_policies_boundaries.html#access_policies_boundaries-delegate)."
        ),
        if_reverted=(
            "Anyone who obtains BoilStream's credentials (an SSRF on the instance metadata "
            "service, a compromised task) becomes account administrator."
        ),
    ),
    Deviation(
        topic="level 3: sts:GetCallerIdentity",
        vendor='sts:GetCallerIdentity on "*" ("Detect AWS account ID")',
        ours="not granted",
        why=(
            "STS answers GetCallerIdentity for any valid credentials: no permission is "
            "required, and an explicit Deny does not stop it "
            "(https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html). "
            "The grant would only add a Resource * statement, and a cdk-nag finding, that "
            "authorizes nothing."
        ),
        if_reverted=(
            "Nothing changes for BoilStream; the policy gains a Resource * statement to "
            "acknowledge. Its 'Failed to get AWS account ID' error means invalid "
            "credentials, not a missing permission."
        ),
    ),
    Deviation(
        topic="level 3: sts:AssumeRole on arn:aws:iam::*:role/ducklake-*",
        vendor='sts:AssumeRole on "arn:aws:iam::*:role/ducklake-*" (any account, any name)',
        ours="sts:AssumeRole on exactly the ducklake-<bucket>-access role ARN",
        why=(
            "The account wildcard reaches ducklake-* roles in every account that trusts "
            "BoilStream's account, and the name wildcard any ducklake-* role anyone else "
            "creates here; IAM matches the resource pattern literally "
            f"({IAM_DOC}reference_policies_elements_resource.html)."
        ),
        if_reverted=(
            "BoilStream can assume unrelated ducklake-* roles, including ones created by "
            "other teams or in other accounts that trust this account."
        ),
    ),
    Deviation(
        topic="level 3: who the access role trusts",
        vendor=(
            "BoilStream creates the role itself; its troubleshooting asks that the trust "
            '"allows your account" (the account root)'
        ),
        ours="the access role trusts exactly the BoilStream role ARN",
        why=(
            "Trusting the account root lets every identity in the account that is allowed "
            "sts:AssumeRole use the vended-credentials role "
            f"({IAM_DOC}reference_policies_elements_principal.html)."
        ),
        if_reverted="Any principal with a broad sts:AssumeRole grant could assume it.",
    ),
    Deviation(
        topic="levels 2 and 3: every action on both the bucket and bucket/* ARNs",
        vendor=(
            "one statement with ListBucket, GetObject, PutObject, DeleteObject and "
            'AbortMultipartUpload on ["arn:aws:s3:::BUCKET", "arn:aws:s3:::BUCKET/*"]'
        ),
        ours=(
            "object actions on bucket/prefix/* only; s3:ListBucket on the bucket ARN only, "
            "with an s3:prefix condition when a prefix is given"
        ),
        why=(
            "S3 authorizes object actions against the object ARN and ListBucket against "
            "the bucket ARN; the other half of each pair never matches, and leaving the "
            f"object actions on the bucket ARN makes prefix scoping impossible ({SAR_S3})."
        ),
        if_reverted=(
            "Nothing breaks; the policy claims grants AWS never applies, policy linters "
            "flag them, and a prefix cannot be enforced."
        ),
    ),
    Deviation(
        topic="data prefix",
        vendor="levels 1-3 grant the whole bucket (best practice section: restrict to prefix)",
        ours=(
            "an optional prefix confines object actions to bucket/prefix/* and "
            "s3:ListBucket to s3:prefix = [prefix/, prefix/*], for every level"
        ),
        why=(
            "The vendor's own best practice ('Restrict S3 access to specific bucket and "
            "prefix'); only ListBucket and ListBucketVersions carry s3:prefix "
            f"({SAR_S3})."
        ),
        if_reverted="BoilStream can read, overwrite and delete every object in the bucket.",
    ),
)

# -- evidence (lakehouse_iam.catalog.evidence) -----------------------------------------
_MPU = "https://docs.aws.amazon.com/AmazonS3/latest/userguide/mpuoverview.html#mpuAndPermissions"

EVIDENCE: tuple[Need, ...] = (
    Need(
        actions=("s3:ListBucket",),
        why=(
            "the start-up connectivity check lists the data location; cluster mode discovers "
            "its state objects; DuckLake lists data files (BoilStream embeds DuckDB/DuckLake)"
        ),
        sources=(
            vendor_page("Level 1: Basic S3 Ingestion", "s3:ListBucket, connectivity check"),
            vendor_page("Level 2b: Cluster Mode"),
            *duckdb.LIST.sources,
        ),
    ),
    Need(
        actions=("s3:PutObject",),
        why="ingestion writes Parquet files; cluster mode writes leader and broker state",
        sources=(vendor_page("Level 1: Basic S3 Ingestion"), *duckdb.WRITE.sources),
    ),
    Need(
        actions=("s3:AbortMultipartUpload",),
        why="ingestion cleans up a failed multipart upload of a large Parquet file",
        sources=(
            vendor_page("Level 1: Basic S3 Ingestion", "clean up failed uploads"),
            aws_doc(_MPU, "s3:AbortMultipartUpload"),
        ),
    ),
    Need(
        actions=("s3:GetObject",),
        why="DuckLake queries read Parquet files; cluster mode reads its state",
        sources=(vendor_page("Level 2: DuckLake with Static Credentials"), *duckdb.READ.sources),
    ),
    Need(
        actions=("s3:DeleteObject",),
        why="DuckLake VACUUM (cleanup_old_files) deletes unreferenced files",
        sources=(vendor_page("Level 2: DuckLake with Static Credentials"), *duckdb.DELETE.sources),
    ),
    Need(
        actions=VENDING_READ_ROLE,
        why="level 3 checks that the ducklake-<bucket>-access role exists",
        sources=(vendor_page("Level 3", "iam:GetRole: Check if DuckLake role exists"),),
    ),
    Need(
        actions=VENDING_ASSUME,
        why="level 3 vends per-user temporary credentials from the access role",
        sources=(vendor_page("Level 3", "sts:AssumeRole; Error: AssumeRole test failed"),),
    ),
    Need(
        actions=VENDING_POLICY_WRITE,
        why="level 3 re-writes the access role's inline S3 policy (boundary-capped)",
        sources=(vendor_page("Level 3", "iam:PutRolePolicy: Attach S3 policy to role"),),
        opt_in="allow_access_role_policy_writes=True",
    ),
    *kms.SSE_KMS_EVIDENCE,
)
"""Why BoilStream's roles get each action."""

OMISSIONS: tuple[Omission, ...] = (
    Omission(
        actions=("sts:GetCallerIdentity",),
        why="STS answers it for any valid credentials, even under an explicit Deny",
        sources=(
            aws_doc(
                "https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html",
                "No permissions are required to perform this operation",
            ),
        ),
    ),
    Omission(
        actions=("iam:CreateRole",),
        why=(
            "the access role is created by CDK before BoilStream starts; CreateRole with "
            "PutRolePolicy on * is a privilege-escalation path (see DEVIATIONS)"
        ),
        sources=(
            vendor_page("Level 3", "iam:CreateRole: Create DuckLake access role"),
            aws_doc(
                f"{IAM_DOC}access_policies_boundaries.html#access_policies_boundaries-delegate"
            ),
        ),
    ),
)
"""What the vendor page lists that BoilStream's roles do not get."""
