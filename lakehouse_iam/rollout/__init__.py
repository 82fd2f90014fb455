"""Roll a standalone template out across an organization with a service-managed StackSet.

:class:`OrganizationStackSet` (one template, stack-instance groups per OU or account with
parameter overrides, auto-deployment) and :class:`OperationPreferences` (concurrency and
failure tolerance). :mod:`.example` is a runnable CDK app. Guide: ``docs/rollout.md``.
"""

from __future__ import annotations

from .operation_preferences import OperationPreferences
from .stack_set import OrganizationStackSet, StackInstances

__all__ = ["OperationPreferences", "OrganizationStackSet", "StackInstances"]
