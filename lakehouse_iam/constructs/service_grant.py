"""The skeleton of a grant on one AWS service: scoped actions on an ARN, the rest on ``*``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any, ClassVar

from constructs import Construct

from ..validation import PropsCheck
from .grant import AccessGrant, allow


@dataclass(frozen=True, kw_only=True)
class ServiceActionsGrant(AccessGrant):
    """Exact actions of one service, each on the resource AWS authorizes it against.

    Renders, in this order:

    * ``<name><SCOPED_SID>``: the actions authorized against the grant's resource
      (:data:`SCOPED`), on :meth:`resource_arn`;
    * ``<name><UNSCOPED_SID>``: the actions with no resource type in the Service
      Authorization Reference, on ``*`` (the only resource IAM accepts for them), each
      with its reason from :data:`NO_RESOURCE_REASONS`, which becomes the exact cdk-nag
      acknowledgment of that ``*``;
    * whatever :meth:`extra_statements` adds (e.g. ``kms:Decrypt`` for the resource's key).

    A subclass names its service (the class variables), renders its resource ARN and
    checks its own props in :meth:`_check`; the action list, the name and the wildcard
    reasons are handled here, once.
    """

    SERVICE: ClassVar[str]
    """The service's name in messages (``CloudWatch Logs``)."""
    ACTION_SCOPES: ClassVar[Mapping[str, Enum]]
    """Every action the grant accepts -> what it is authorized against."""
    SCOPED: ClassVar[Enum | None]
    """The scope rendered on :meth:`resource_arn`; ``None`` when every action is unscoped."""
    UNSCOPED: ClassVar[Enum]
    """The scope of actions with no resource-level permission."""
    NO_RESOURCE_REASONS: ClassVar[Mapping[str, str]]
    """Why each unscoped action is granted on ``*``."""
    SCOPED_SID: ClassVar[str] = ""
    UNSCOPED_SID: ClassVar[str] = "NoResourceLevel"

    actions: Sequence[str]
    name: str

    def __post_init__(self) -> None:
        check = PropsCheck(type(self).__name__)
        self._check(check)
        check.action_list("actions", self.actions, self.ACTION_SCOPES, service=self.SERVICE)
        check.sid("name", self.name)
        check.raise_if_any()
        check.keep_deferred(self)
        object.__setattr__(self, "actions", tuple(sorted(set(self.actions))))

    def _check(self, check: PropsCheck) -> None:
        """Check the subclass's own props into ``check``. Default: nothing to check."""

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and the prefix of its Sids."""
        return self.name

    def actions_in(self, scope_kind: Enum | None) -> list[str]:
        """The granted actions authorized against ``scope_kind``."""
        return [a for a in self.actions if self.ACTION_SCOPES[a] is scope_kind]

    def resource_arn(self, scope: Construct) -> str:
        """The ARN the scoped actions are granted on, rendered in ``scope``'s stack."""
        raise NotImplementedError(f"{type(self).__name__} grants no scoped action")

    def resource_wildcard_reason(self, scope: Construct) -> str | None:
        """Why :meth:`resource_arn` contains a ``*`` cdk-nag reports, if it does."""
        return None

    def extra_statements(self, scope: Construct) -> list[dict[str, Any]]:
        """Statements (IAM JSON) rendered after the two above. Default: none."""
        return []

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        found: dict[str, str] = {}
        if self.SCOPED is not None and self.actions_in(self.SCOPED):
            reason = self.resource_wildcard_reason(scope)
            if reason is not None:
                found[self.resource_arn(scope)] = reason
        unscoped = self.actions_in(self.UNSCOPED)
        if unscoped:
            found["*"] = " ".join(self.NO_RESOURCE_REASONS[a] for a in unscoped)
        return found

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = []
        scoped = self.actions_in(self.SCOPED) if self.SCOPED is not None else []
        if scoped:
            result.append(allow(f"{self.sid}{self.SCOPED_SID}", scoped, [self.resource_arn(scope)]))
        unscoped = self.actions_in(self.UNSCOPED)
        if unscoped:
            # No resource-level permission for these actions (Service Authorization
            # Reference): '*' is the only resource IAM accepts.
            result.append(allow(f"{self.sid}{self.UNSCOPED_SID}", unscoped, ["*"]))
        return result + self.extra_statements(scope)
