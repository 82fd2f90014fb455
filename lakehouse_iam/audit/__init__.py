"""CloudTrail against the app's IAM: which prop to change, and what is never used.

``lakehouse-iam audit CDK_OUT --events PATH [PATH ...] [--stack-resources FILE ...]
[--since TIME] [--until TIME] [--format table|markdown|json]`` matches CloudTrail records
to the app's roles and users, maps each to its IAM authorization requests, evaluates them
against the principal's rendered policies, and gives every denied record a cause
(``missing-grant`` with the prop and value to set, ``not-granted-by-design`` citing the
omission record, ``explicit-deny``, ``outside-library``) and every principal its used and
unused granted actions. ``--emit-sql athena|cloudtrail-lake`` prints the query that
selects the same records where the trail lives. Guide: ``docs/audit.md``.

Like the report, it reads JSON only: no CDK runtime is imported.

Example::

    from lakehouse_iam.audit import audit, render_json

    result = audit("cdk.out", events=["AWSLogs/"], stack_resources=["stack.json"])
    print(render_json(result))
    raise SystemExit(1 if result.missing_grants else 0)
"""

from .events import EventsError, read_records
from .model import (
    CAUSES,
    SCHEMA_VERSION,
    AuditResult,
    Denial,
    Evidence,
    EvidenceRef,
    PrincipalAudit,
    Unmapped,
    Unused,
    Usage,
    Window,
)
from .render import RENDERERS, render_json, render_markdown, render_table
from .run import audit, parse_time
from .sql import DIALECTS, emit_sql

__all__ = [
    "CAUSES",
    "DIALECTS",
    "RENDERERS",
    "SCHEMA_VERSION",
    "AuditResult",
    "Denial",
    "EventsError",
    "Evidence",
    "EvidenceRef",
    "PrincipalAudit",
    "Unmapped",
    "Unused",
    "Usage",
    "Window",
    "audit",
    "emit_sql",
    "parse_time",
    "read_records",
    "render_json",
    "render_markdown",
    "render_table",
]
