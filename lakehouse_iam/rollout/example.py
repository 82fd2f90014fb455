"""Example: roll the RisingWave template out to an OU, one ExternalId per account.

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
EXAMPLE_EXTERNAL_IDS = {
    "222222222222": "lakehouse-222222222222",
    "333333333333": "lakehouse-333333333333",
    "444444444444": "lakehouse-444444444444",
}


class RolloutExampleStack(cdk.Stack):
    """A service-managed StackSet of ``risingwave-cross-account`` on one OU.

    Every account gets the same bucket name, prefix and workload-identity role, and its
    own ExternalId (one stack-instance group per account, ``INTERSECTION`` of the OU and
    the account). Up to a quarter of the accounts deploy at once; one failure stops the
    Region.

    :param organizational_unit: the OU the accounts are in.
    :param external_ids: account ID -> the ExternalId its role requires.
    :param regions: the Regions. Default: ``us-east-1``.
    :param bucket_name: the bucket name in every account (e.g. ``lake-<account>`` is not
        possible: one value per group; use overrides for per-account names).
    :param workload_identity_role_arn: RisingWave Cloud's workload-identity role.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        organizational_unit: str = EXAMPLE_OU,
        external_ids: Mapping[str, str] = EXAMPLE_EXTERNAL_IDS,
        regions: Sequence[str] = ("us-east-1",),
        bucket_name: str = "lakehouse-iam-example-data",
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
                "BucketName": bucket_name,
                "Prefix": "risingwave",
                "WorkloadIdentityRoleArn": workload_identity_role_arn,
            },
            instances=[
                StackInstances(
                    organizational_units=[organizational_unit],
                    accounts=[account],
                    regions=list(regions),
                    parameter_overrides={"ExternalId": external_id},
                )
                for account, external_id in sorted(external_ids.items())
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
