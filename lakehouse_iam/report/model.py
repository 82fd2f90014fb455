"""What the report finds in a cloud assembly: principals, their trust and permissions.

Plain, frozen data with every CloudFormation value already rendered to text, so the
renderers (table, JSON, Markdown) never see a template.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True, kw_only=True)
class Condition:
    """One condition: ``operator`` (``StringEquals``...), context ``key`` and its values."""

    operator: str
    key: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        if len(self.values) == 1:
            return f"{self.operator} {self.key} = {self.values[0]}"
        return f"{self.operator} {self.key} in [{', '.join(self.values)}]"


@dataclass(frozen=True, kw_only=True)
class TrustedPrincipal:
    """A principal of a trust policy: ``type`` is ``AWS``, ``Service``, ``Federated``..."""

    type: str
    value: str

    def __str__(self) -> str:
        return f"{self.type}: {self.value}"


@dataclass(frozen=True, kw_only=True)
class TrustStatement:
    """One statement of a role's trust (assume-role) policy."""

    effect: str
    actions: tuple[str, ...]
    principals: tuple[TrustedPrincipal, ...]
    conditions: tuple[Condition, ...] = ()
    not_principal: bool = False


@dataclass(frozen=True, kw_only=True)
class Permission:
    """Actions a principal may (``Allow``) or may not (``Deny``) take on one resource.

    :param resource: the resource, rendered (``<DataBucket.Arn>/raw/*``).
    :param scope: what kind of resource that is (``objects under raw/``, ``KMS key``).
    :param policies: the policies granting it (``via group X`` for a user's groups).
    :param note: why a ``*`` in the resource is intended, when the app acknowledged it.
    :param not_action: ``actions`` are a ``NotAction`` list (everything else is meant).
    :param not_resource: ``resource`` is a ``NotResource`` entry.
    """

    effect: str
    actions: tuple[str, ...]
    resource: str
    scope: str
    conditions: tuple[Condition, ...] = ()
    policies: tuple[str, ...] = ()
    note: str | None = None
    not_action: bool = False
    not_resource: bool = False


@dataclass(frozen=True, kw_only=True)
class Principal:
    """An IAM role, user or group of one stack, with everything that applies to it.

    :param kind: ``role``, ``user`` or ``group``.
    :param name: the construct path inside the stack (``RisingWave/DataAccess/Role``),
        or the logical ID when the template has no path metadata; for a principal the
        app only references (an imported role), its rendered name.
    :param defined_in_app: ``False`` for a principal created outside the app that the
        app attaches policies to.
    :param other_policies: attached managed policies whose statements are not in the
        assembly (AWS managed policies, imported ARNs): their actions are unknown here.
    """

    stack: str
    kind: str
    name: str
    logical_id: str | None
    defined_in_app: bool = True
    physical_name: str | None = None
    description: str | None = None
    trust: tuple[TrustStatement, ...] = ()
    permissions: tuple[Permission, ...] = ()
    other_policies: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    permissions_boundary: str | None = None
    instance_profiles: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class StackReport:
    """The principals of one CloudFormation stack of the assembly."""

    stack: str
    display_name: str
    principals: tuple[Principal, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Report:
    """Every stack of a cloud assembly (nested stage assemblies included)."""

    source: str
    stacks: tuple[StackReport, ...] = field(default=())

    @property
    def principals(self) -> tuple[Principal, ...]:
        return tuple(p for s in self.stacks for p in s.principals)

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (tuples become lists)."""
        data: dict[str, Any] = json.loads(json.dumps(asdict(self)))
        return data
