"""What the audit finds: per principal, its denied requests with their cause, the granted
actions it used and those it did not. Plain frozen data; :meth:`AuditResult.to_dict` is
the stable JSON schema documented in ``docs/audit.md``."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SCHEMA_VERSION = 1
"""Version of the JSON output (``schema_version``); bumped only on an incompatible change."""

CAUSES = ("missing-grant", "not-granted-by-design", "explicit-deny", "outside-library", "unknown")
"""Every ``cause`` a denial can have (``docs/audit.md``, "Verdicts")."""


@dataclass(frozen=True, kw_only=True)
class EvidenceRef:
    """One source of a ``Need`` or ``Omission`` record: what it is and where to read it."""

    kind: str
    ref: str
    url: str
    detail: str = ""


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """Why a verdict holds: an evidence record of the catalog, or the denial message."""

    record: str
    """``need``, ``omission`` or ``access-denied message``."""
    why: str
    sources: tuple[EvidenceRef, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Denial:
    """Denied records of one principal with the same request and verdict."""

    time: str
    """The last record's ``eventTime``."""
    event_source: str
    event_name: str
    action: str
    resource: str
    cause: str
    prop: str | None = None
    suggestion: str | None = None
    evidence: tuple[Evidence, ...] = ()
    count: int = 1
    error_code: str = ""


@dataclass(frozen=True, kw_only=True)
class Usage:
    """A granted action the records show used."""

    action: str
    count: int
    last_seen: str


@dataclass(frozen=True, kw_only=True)
class Unused:
    """A granted action no record shows used.

    :param visible: ``False`` when the input could not have shown it (S3 object calls in
        a trail without S3 data events, an action CloudTrail never logs).
    """

    action: str
    resources: tuple[str, ...]
    evidence: tuple[Evidence, ...]
    visible: bool


@dataclass(frozen=True, kw_only=True)
class Unmapped:
    """Records of the principal no mapping rule covers, by API call."""

    event_source: str
    event_name: str
    count: int


@dataclass(frozen=True, kw_only=True)
class PrincipalAudit:
    """One role or user of the app over the window."""

    construct: str | None
    vendor: str | None
    stack: str
    logical_id: str
    path: str
    kind: str
    name: str | None
    arn: str | None
    records: int
    denied: tuple[Denial, ...] = ()
    used: tuple[Usage, ...] = ()
    unused: tuple[Unused, ...] = ()
    unmapped: tuple[Unmapped, ...] = ()
    unresolved: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class Window:
    """The time window and what the input held."""

    since: str | None
    until: str | None
    first_event: str | None
    last_event: str | None
    records: int
    s3_data_events: bool


@dataclass(frozen=True, kw_only=True)
class AuditResult:
    """The audit of one cloud assembly against CloudTrail records."""

    principals: tuple[PrincipalAudit, ...]
    unmatched_events: int
    window: Window
    unnamed_principals: tuple[str, ...] = field(default=())
    """``stack/path`` of principals whose deployed name is unknown (no record can match)."""

    @property
    def missing_grants(self) -> int:
        """How many denials are ``missing-grant`` (the CLI exits 1 when any)."""
        return sum(d.count for p in self.principals for d in p.denied if d.cause == "missing-grant")

    def to_dict(self) -> dict[str, Any]:
        """The JSON output (schema version :data:`SCHEMA_VERSION`, ``docs/audit.md``)."""
        return {
            "schema_version": SCHEMA_VERSION,
            "principals": [_principal(p) for p in self.principals],
            "unmatched_events": self.unmatched_events,
            "unnamed_principals": list(self.unnamed_principals),
            "window": {
                "since": self.window.since,
                "until": self.window.until,
                "first_event": self.window.first_event,
                "last_event": self.window.last_event,
                "records": self.window.records,
                "s3_data_events": self.window.s3_data_events,
            },
        }


def _evidence(items: tuple[Evidence, ...]) -> list[dict[str, Any]]:
    return [
        {
            "record": e.record,
            "why": e.why,
            "sources": [
                {"kind": s.kind, "ref": s.ref, "url": s.url, "detail": s.detail} for s in e.sources
            ],
        }
        for e in items
    ]


def _principal(p: PrincipalAudit) -> dict[str, Any]:
    return {
        "construct": p.construct,
        "vendor": p.vendor,
        "stack": p.stack,
        "logical_id": p.logical_id,
        "path": p.path,
        "kind": p.kind,
        "name": p.name,
        "arn": p.arn,
        "records": p.records,
        "denied": [
            {
                "time": d.time,
                "event_source": d.event_source,
                "event_name": d.event_name,
                "action": d.action,
                "resource": d.resource,
                "cause": d.cause,
                "prop": d.prop,
                "suggestion": d.suggestion,
                "evidence": _evidence(d.evidence),
                "count": d.count,
                "error_code": d.error_code,
            }
            for d in p.denied
        ],
        "used": [{"action": u.action, "count": u.count, "last_seen": u.last_seen} for u in p.used],
        "unused": [
            {
                "action": u.action,
                "resources": list(u.resources),
                "evidence": _evidence(u.evidence),
                "visible": u.visible,
            }
            for u in p.unused
        ],
        "unmapped": [
            {"event_source": u.event_source, "event_name": u.event_name, "count": u.count}
            for u in p.unmapped
        ],
        "unresolved": list(p.unresolved),
    }
