"""Standalone template: the role RisingWave Cloud assumes, on one bucket prefix.

``templates/risingwave-cross-account.yaml`` (``lakehouse-iam template risingwave``).
"""

from __future__ import annotations

import aws_cdk as cdk

from ...templates import common, rules
from ...templates.scenario import TemplateInputs, TemplateParameter, TemplateScenario
from .access import SQL_PREFIX_RULES, RisingWaveAccess
from .stack import SQL_OUTPUTS

SQL_PREFIX = rules.restricted(
    rules.PREFIX,
    "risingwave_prefix",
    *(SQL_PREFIX_RULES[form] for form, _, _ in SQL_OUTPUTS if form in SQL_PREFIX_RULES),
)
"""The ``Prefix`` parameter's rule: a prefix the construct accepts that every ``WITH (...)``
output of the template (:data:`SQL_OUTPUTS`) accepts too."""


def _cross_account(stack: cdk.Stack, inputs: TemplateInputs) -> None:
    access = RisingWaveAccess(
        stack,
        "RisingWave",
        workload_identity_role_arn=inputs.value("WorkloadIdentityRoleArn"),
        bucket=inputs.bucket(stack, "BucketName"),
        prefix=inputs.value("Prefix"),
        kms_key=inputs.optional("KmsKeyArn"),
    )
    cdk.CfnOutput(stack, "RoleArn", value=access.role_arn, description="s3.assume_role value")
    for form, output_id, where in SQL_OUTPUTS:
        cdk.CfnOutput(
            stack,
            output_id,
            description=f"Paste into {where} ... WITH (...)",
            value=access.sql_with_clause(form=form),
        )


CROSS_ACCOUNT = TemplateScenario(
    vendor="risingwave",
    mode="cross-account",
    description=(
        "lakehouse-iam: the role RisingWave Cloud assumes to read and write one S3 prefix "
        "(https://docs.risingwave.com/cloud/iam-role-assume)"
    ),
    parameters=(
        common.bucket("RisingWave reads and writes"),
        common.prefix("risingwave", "RisingWave uses (s3.path)", rule=SQL_PREFIX),
        TemplateParameter(
            name="WorkloadIdentityRoleArn",
            rule=rules.ROLE_ARN,
            description=(
                "The 'Workload Identity (IAM Role ARN)' of your RisingWave Cloud project "
                "(Connection > Cloud Meta); the only principal the role trusts."
            ),
        ),
        common.kms_key(),
    ),
    build=_cross_account,
)
