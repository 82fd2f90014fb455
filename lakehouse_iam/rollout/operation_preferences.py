"""How fast a StackSet operation rolls out and how many failures stop it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..validation import PropsCheck

if TYPE_CHECKING:
    from aws_cdk import aws_cloudformation as cfn

REGION_CONCURRENCY = ("SEQUENTIAL", "PARALLEL")
CONCURRENCY_MODES = ("STRICT_FAILURE_TOLERANCE", "SOFT_FAILURE_TOLERANCE")


@dataclass(frozen=True, kw_only=True)
class OperationPreferences:
    """StackSets ``OperationPreferences``: concurrency and failure tolerance per Region.

    Give at most one of each pair: ``max_concurrent_count``/``max_concurrent_percentage``
    and ``failure_tolerance_count``/``failure_tolerance_percentage``
    (https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/API_StackSetOperationPreferences.html).
    With ``STRICT_FAILURE_TOLERANCE`` and both counts, the concurrency is at most one
    more than the failure tolerance (AWS rejects more).

    Example::

        OperationPreferences(max_concurrent_percentage=25, failure_tolerance_count=0)

    :param max_concurrent_count: accounts deployed at once per Region (at least 1).
        Default: none (CloudFormation's default, 1).
    :param max_concurrent_percentage: the same, as a percentage of the accounts (1-100).
        Default: none.
    :param failure_tolerance_count: failed accounts per Region before the operation stops
        in that Region (0 or more). Default: none (0).
    :param failure_tolerance_percentage: the same, as a percentage (0-100). Default: none.
    :param region_concurrency: ``SEQUENTIAL`` or ``PARALLEL`` Regions. Default:
        ``SEQUENTIAL`` (one Region at a time, so a failure stops before the next Region).
    :param region_order: the order Regions are deployed in. Default: none.
    :param concurrency_mode: ``STRICT_FAILURE_TOLERANCE`` (concurrency lowered as failures
        approach the tolerance) or ``SOFT_FAILURE_TOLERANCE``. Default: strict.
    """

    max_concurrent_count: int | None = None
    max_concurrent_percentage: int | None = None
    failure_tolerance_count: int | None = None
    failure_tolerance_percentage: int | None = None
    region_concurrency: str = "SEQUENTIAL"
    region_order: Sequence[str] = ()
    concurrency_mode: str = "STRICT_FAILURE_TOLERANCE"

    def __post_init__(self) -> None:
        check = PropsCheck("OperationPreferences")
        for prop, low, high in (
            ("max_concurrent_count", 1, 10_000),
            ("max_concurrent_percentage", 1, 100),
            ("failure_tolerance_count", 0, 10_000),
            ("failure_tolerance_percentage", 0, 100),
        ):
            value = getattr(self, prop)
            if value is not None:
                check.int_range(prop, value, low=low, high=high)
        check.exclusive(
            {
                "max_concurrent_count": self.max_concurrent_count,
                "max_concurrent_percentage": self.max_concurrent_percentage,
            },
            why="StackSets take the concurrency as a count or as a percentage",
        )
        check.exclusive(
            {
                "failure_tolerance_count": self.failure_tolerance_count,
                "failure_tolerance_percentage": self.failure_tolerance_percentage,
            },
            why="StackSets take the failure tolerance as a count or as a percentage",
        )
        check.one_of("region_concurrency", self.region_concurrency, REGION_CONCURRENCY)
        check.one_of("concurrency_mode", self.concurrency_mode, CONCURRENCY_MODES)
        if isinstance(self.region_order, str):
            check.add("region_order", self.region_order, "a sequence of Region codes")
        else:
            for i, region in enumerate(self.region_order):
                check.aws_region(f"region_order[{i}]", region)
        concurrent, tolerance = self.max_concurrent_count, self.failure_tolerance_count
        if (
            self.concurrency_mode == "STRICT_FAILURE_TOLERANCE"
            and isinstance(concurrent, int)
            and isinstance(tolerance, int)
            and concurrent > tolerance + 1
        ):
            check.add(
                "max_concurrent_count",
                concurrent,
                f"at most failure_tolerance_count + 1 = {tolerance + 1} with "
                "STRICT_FAILURE_TOLERANCE (or use SOFT_FAILURE_TOLERANCE)",
            )
        check.raise_if_any()

    def to_cfn(self) -> cfn.CfnStackSet.OperationPreferencesProperty:
        """The ``AWS::CloudFormation::StackSet`` ``OperationPreferences`` property."""
        from aws_cdk import aws_cloudformation as cfn

        return cfn.CfnStackSet.OperationPreferencesProperty(
            max_concurrent_count=self.max_concurrent_count,
            max_concurrent_percentage=self.max_concurrent_percentage,
            failure_tolerance_count=self.failure_tolerance_count,
            failure_tolerance_percentage=self.failure_tolerance_percentage,
            region_concurrency_type=self.region_concurrency,
            region_order=list(self.region_order) or None,
            concurrency_mode=self.concurrency_mode,
        )
