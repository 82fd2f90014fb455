"""Standalone templates: BoilStream's role at each permission level, on ECS or EC2.

``templates/boilstream-level-<n>-<name>.yaml`` (``lakehouse-iam template boilstream
--mode level-1-ingest``). ``RunsOn`` picks the trust: an ECS task role (with
``aws:SourceAccount``/``aws:SourceArn``) or an EC2 instance role with its instance profile.
"""

from __future__ import annotations

from collections.abc import Callable

import aws_cdk as cdk

from ...constructs.ec2_instance_trust import Ec2InstanceTrust
from ...constructs.ecs_task_trust import EcsTaskTrust
from ...templates import common
from ...templates.scenario import TemplateChoice, TemplateInputs, TemplateScenario
from .access import BoilStreamAccess
from .catalog import CLUSTER_STATE_DIRECTORY, BoilStreamLevel

RUNS_ON = TemplateChoice(
    name="RunsOn",
    values=("ecs", "ec2"),
    description=(
        "Where BoilStream runs: 'ecs' creates an ECS task role (trust limited to this "
        "account's tasks), 'ec2' an EC2 instance role and its instance profile."
    ),
)
# ducklake-<bucket>-access must fit IAM's 64-character role names: 64 - len("ducklake-")
# - len("-access") = 48 characters of bucket name.
_VENDING_BUCKET_MAX = 48
# Cluster mode also grants <prefix>/cluster_state, which must itself be a prefix of at
# most 1000 characters (PropsCheck.prefix).
_CLUSTER_PREFIX_MAX = 1000 - len("/" + CLUSTER_STATE_DIRECTORY)


def _builder(
    level: BoilStreamLevel, *, cluster_mode: bool = False
) -> Callable[[cdk.Stack, TemplateInputs], None]:
    def build(stack: cdk.Stack, inputs: TemplateInputs) -> None:
        trust = EcsTaskTrust() if inputs.choice("RunsOn") == "ecs" else Ec2InstanceTrust()
        access = BoilStreamAccess(
            stack,
            "BoilStream",
            principal=trust,
            bucket=inputs.bucket(stack, "BucketName"),
            prefix=inputs.value("Prefix"),
            level=level,
            cluster_mode=cluster_mode,
            kms_key=inputs.optional("KmsKeyArn"),
        )
        cdk.CfnOutput(stack, "RoleArn", value=access.require_role().role_arn)
        if access.access_role is not None:
            cdk.CfnOutput(
                stack,
                "DuckLakeAccessRoleArn",
                description="The ducklake-<bucket>-access role BoilStream vends credentials from",
                value=access.access_role.role_arn,
            )

    return build


def _scenario(mode: str, level: BoilStreamLevel, what: str, **kwargs: bool) -> TemplateScenario:
    vending = level is BoilStreamLevel.CREDENTIAL_VENDING
    return TemplateScenario(
        vendor="boilstream",
        mode=mode,
        description=(
            f"lakehouse-iam: BoilStream {what} "
            "(https://docs.boilstream.com/guide/aws-iam-permissions.html)"
        ),
        parameters=(
            common.bucket(
                "BoilStream stores data in"
                + (
                    " (at most 48 characters: ducklake-<bucket>-access is a role name)"
                    if vending
                    else ""
                ),
                max_length=_VENDING_BUCKET_MAX if vending else None,
            ),
            common.prefix(
                "boilstream",
                "BoilStream's data lives under"
                + (
                    f" (at most {_CLUSTER_PREFIX_MAX} characters: <prefix>/"
                    f"{CLUSTER_STATE_DIRECTORY} is one too)"
                    if kwargs.get("cluster_mode")
                    else ""
                ),
                max_length=_CLUSTER_PREFIX_MAX if kwargs.get("cluster_mode") else None,
            ),
            common.kms_key(),
        ),
        choices=(RUNS_ON,),
        build=_builder(level, **kwargs),
    )


LEVEL_1_INGEST = _scenario("level-1-ingest", BoilStreamLevel.INGEST, "level 1 (ingest)")
LEVEL_2_DUCKLAKE = _scenario(
    "level-2-ducklake", BoilStreamLevel.DUCKLAKE, "level 2 (DuckLake with static credentials)"
)
LEVEL_2B_CLUSTER = _scenario(
    "level-2b-cluster",
    BoilStreamLevel.DUCKLAKE,
    "level 2 with level 2b cluster state",
    cluster_mode=True,
)
LEVEL_3_CREDENTIAL_VENDING = _scenario(
    "level-3-credential-vending",
    BoilStreamLevel.CREDENTIAL_VENDING,
    "level 3 (per-user credential vending from the ducklake-<bucket>-access role)",
)
