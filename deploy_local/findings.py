"""What the comparison reports: one finding per resource and property."""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Kind(enum.Enum):
    """How a finding counts. Only the failing kinds make ``make deploy-local`` exit non-zero."""

    MISMATCH = "mismatch"  # IAM returns something other than the synthesized template
    LEFTOVER = "leftover"  # still there after destroy although not RETAIN
    ERROR = "error"  # deploy/destroy failed, or a template value could not be resolved
    GAP = "gap"  # moto's CloudFormation ignores this; what was checked instead is said
    SKIPPED = "skipped"  # stack not deployed, with the reason

    @property
    def fails(self) -> bool:
        return self in (Kind.MISMATCH, Kind.LEFTOVER, Kind.ERROR)


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One difference (or honest limitation) for one resource and property."""

    kind: Kind
    stack: str
    message: str
    resource: str = ""  # logical ID
    resource_type: str = ""
    physical_id: str = ""
    prop: str = ""  # property path, e.g. "AssumeRolePolicyDocument.Statement[Sid=X].Action"

    def __str__(self) -> str:
        where = self.stack
        if self.resource:
            where += f"/{self.resource}"
        details = ", ".join(x for x in (self.resource_type, self.physical_id) if x)
        if details:
            where += f" ({details})"
        prop = f" {self.prop}:" if self.prop else ""
        return f"{self.kind.value.upper()} {where}:{prop} {self.message}"


def failing(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.kind.fails]
