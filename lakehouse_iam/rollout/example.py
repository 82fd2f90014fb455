"""Example: roll the RisingWave template out to an OU, one bucket per account.

Run it as a CDK app (cdk-nag's four packs included)::

    npx cdk synth --app "python -m lakehouse_iam.rollout.example"

Deploy it in the management account, or in a delegated administrator account after
changing ``call_as`` to ``DELEGATED_ADMIN`` (see ``docs/rollout.md``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import aws_cdk as cdk
from constructs import Construct

from ..templates import generate, scenario_of
from .operation_preferences import OperationPreferences
from .stack_set import OrganizationStackSet, StackInstances

EXAMPLE_OU = "ou-ab12-cdef3456"
EXAMPLE_BUCKET_NAMES = {
    "222222222222": "lakehouse-222222222222",
    "333333333333": "lakehouse-333333333333",
    "444444444444": "lakehouse-444444444444",
}


class RolloutExampleStack(cdk.Stack):
    """A service-managed StackSet of ``risingwave-cross-account`` on one OU.

    Every account gets the same prefix and workload-identity role, and its own data
    bucket, ``lakehouse-<account>`` (one stack-instance group per account,
    ``INTERSECTION`` of the OU and the account, overriding ``BucketName``). Up to a
    quarter of the accounts deploy at once; one failure stops the Region.

    :param organizational_unit: the OU the accounts are in.
    :param bucket_names: account ID -> the name of that account's existing bucket.
    :param regions: the Regions. Default: ``us-east-1``.
    :param workload_identity_role_arn: RisingWave Cloud's workload-identity role.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        organizational_unit: str = EXAMPLE_OU,
        bucket_names: Mapping[str, str] = EXAMPLE_BUCKET_NAMES,
        regions: Sequence[str] = ("us-east-1",),
        workload_identity_role_arn: str = (
            "arn:aws:iam::999999999999:role/risingwave-workload-identity-PLACEHOLDER"
        ),
        **kwargs: Any,
    ) -> None:
        super().__init__(scope, id, **kwargs)
        self.stack_set = OrganizationStackSet(
            self,
            "RisingWave",
            stack_set_name="lakehouse-iam-risingwave",
            template=generate(scenario_of("risingwave", "cross-account")),
            parameters={
                "Prefix": "risingwave",
                "WorkloadIdentityRoleArn": workload_identity_role_arn,
            },
            instances=[
                StackInstances(
                    organizational_units=[organizational_unit],
                    accounts=[account],
                    regions=list(regions),
                    parameter_overrides={"BucketName": bucket_name},
                )
                for account, bucket_name in sorted(bucket_names.items())
            ],
            operation_preferences=OperationPreferences(
                max_concurrent_percentage=25, failure_tolerance_count=0
            ),
        )


def main() -> None:
    """``cdk synth --app "python -m lakehouse_iam.rollout.example"``."""
    from ..nag import add_compliance_checks

    app = cdk.App()
    RolloutExampleStack(app, "LakehouseIam-Rollout")
    add_compliance_checks(app)
    app.synth()


if __name__ == "__main__":
    main()
