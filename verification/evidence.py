"""Checks that each vendor's evidence (``Vendor.evidence`` / ``Vendor.omissions``) matches
what its constructs grant and what the engine-request rows exercise.

Each check returns its findings (an empty list when it holds) so a test can show it fails
on a crafted input before it is trusted on the real one.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from lakehouse_iam.catalog.evidence import EXACT_ACTION, SourceKind, evidence_by_action
from lakehouse_iam.vendors import Vendor

from .engine_requests import DEFAULT_TRUST_ACTION
from .mutation import granted_actions
from .policies import principals_of

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Grant:
    """One action granted to one principal of one synthesized example stack."""

    stack: str
    variant: str
    principal: str
    action: str

    def __str__(self) -> str:
        where = f"{self.stack}@{self.variant}" if self.variant else self.stack
        return f"{where} {self.principal}: {self.action}"


def grants_of(stack: str, template: Mapping[str, Any], *, variant: str = "") -> list[Grant]:
    """Every (principal, action) an Allow of ``template``'s identity policies names."""
    return [
        Grant(stack, variant, p.path, action)
        for p in principals_of(template, stack_name=stack)
        for action in sorted(granted_actions(p))
    ]


def owner_of(vendors: Iterable[Vendor]) -> dict[str, Vendor]:
    """Example stack id -> the vendor that registers it."""
    return {e.id: v for v in vendors for e in v.examples}


def missing_evidence(vendor: Vendor, grants: Iterable[Grant]) -> list[str]:
    """Granted actions of ``vendor``'s stacks that no :class:`Need` justifies."""
    needed = evidence_by_action(vendor.evidence)
    return sorted({str(g) for g in grants if g.action not in needed})


def stale_evidence(vendor: Vendor, grants: Iterable[Grant]) -> list[str]:
    """Needs for actions no template of ``vendor`` grants, unless the need names its
    opt-in prop (then no example has to enable it)."""
    granted = {g.action for g in grants}
    return sorted(
        f"{vendor.key}: {action} (why: {need.why})"
        for need in vendor.evidence
        if not need.opt_in
        for action in need.actions
        if action not in granted
    )


def granted_omissions(vendor: Vendor, grants: Iterable[Grant]) -> list[str]:
    """Omitted actions that a template of ``vendor`` grants anyway."""
    omitted = {a for o in vendor.omissions for a in o.actions}
    return sorted({str(g) for g in grants if g.action in omitted})


def contradictions(vendor: Vendor) -> list[str]:
    """Actions ``vendor`` both needs and omits."""
    needed = set(evidence_by_action(vendor.evidence))
    return sorted(f"{vendor.key}: {a}" for o in vendor.omissions for a in o.actions if a in needed)


def unexercised(vendor: Vendor, rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """Default-granted needs of ``vendor`` that no engine-request row (call table or
    trace) of its stacks sends with ``expect: allow``: evidence the evaluator never
    checks against a real request."""
    stacks = {e.id for e in vendor.examples}
    sent = {
        str(r.get("action") or DEFAULT_TRUST_ACTION)
        for r in rows
        if r.get("stack") in stacks and r.get("expect", "allow") == "allow"
    }
    return sorted(
        f"{vendor.key}: {a}"
        for need in vendor.evidence
        for a in need.actions
        if not need.opt_in and a not in sent
    )


def broken_sources(vendors: Iterable[Vendor], *, root: Path = ROOT) -> list[str]:
    """Trace sources whose fixture is not in the repository, and vendor-page sources of
    a vendor that has no page."""
    problems = []
    for vendor in vendors:
        for record in (*vendor.evidence, *vendor.omissions):
            for source in record.sources:
                if source.kind is SourceKind.TRACE and not (root / source.ref).is_file():
                    problems.append(f"{vendor.key}: {source.ref} does not exist")
                if source.kind is SourceKind.VENDOR_PAGE and not vendor.page:
                    problems.append(f"{vendor.key}: cites its page, but has none")
    return sorted(problems)


def catalog_actions(module: ModuleType) -> set[str]:
    """Every exact action a catalog module lists in its module-level constants (tuples,
    and dicts keyed or valued by actions): what its constructs can grant."""
    found: set[str] = set()

    def visit(value: object) -> None:
        if isinstance(value, str):
            if EXACT_ACTION.match(value):
                found.add(value)
        elif isinstance(value, (tuple, list, frozenset, set)):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for key, item in value.items():
                visit(key)
                visit(item)

    for name, value in vars(module).items():
        if name.isupper():
            visit(value)
    return found


def unaccounted(vendor: Vendor, module: ModuleType) -> list[str]:
    """Actions ``vendor``'s catalog module lists that have neither a need nor an
    omission."""
    known = set(evidence_by_action(vendor.evidence)) | {
        a for o in vendor.omissions for a in o.actions
    }
    return sorted(f"{vendor.key}: {a}" for a in catalog_actions(module) - known)
