"""The audit for people (table, Markdown) and for programs (JSON, ``docs/audit.md``)."""

from __future__ import annotations

import json

from .model import AuditResult, PrincipalAudit


def render_json(result: AuditResult) -> str:
    """The stable JSON document (``schema_version`` 1), sorted keys, one trailing newline."""
    return json.dumps(result.to_dict(), indent=2, sort_keys=True) + "\n"


def _title(p: PrincipalAudit) -> str:
    construct = f" ({p.construct})" if p.construct else ""
    return f"{p.kind} {p.stack}/{p.path}{construct}"


def _window(result: AuditResult) -> str:
    w = result.window
    since = w.since or w.first_event or "-"
    until = w.until or w.last_event or "-"
    data = "with" if w.s3_data_events else "WITHOUT"
    return (
        f"{w.records} records from {since} to {until}, {data} S3 data events; "
        f"{result.unmatched_events} of principals the app does not define"
    )


def _rows(headers: list[str], rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]
    line = "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()
    rule = "  ".join("-" * w for w in widths)
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return [line, rule, *body]


def render_table(result: AuditResult) -> str:
    """Plain text: per principal, denied requests, used and unused actions."""
    out = [_window(result), ""]
    for p in result.principals:
        if not p.records and p.name is None:
            continue
        out.append(_title(p))
        out.append(
            f"  name: {p.name or '(unknown: pass --stack-resources)'}   records: {p.records}"
        )
        if p.denied:
            out.append("  denied:")
            rows = [
                [d.cause, d.action, d.resource, d.prop or "-", d.suggestion or "-", str(d.count)]
                for d in p.denied
            ]
            headers = ["CAUSE", "ACTION", "RESOURCE", "PROP", "SUGGESTION", "COUNT"]
            out += ["    " + line for line in _rows(headers, rows)]
        if p.used:
            out.append("  used:")
            rows = [[u.action, str(u.count), u.last_seen] for u in p.used]
            out += ["    " + line for line in _rows(["ACTION", "COUNT", "LAST SEEN"], rows)]
        if p.unused:
            out.append("  unused:")
            rows = [
                [u.action, "yes" if u.visible else "no (not in this input)", ", ".join(u.resources)]
                for u in p.unused
            ]
            out += ["    " + line for line in _rows(["ACTION", "VISIBLE", "RESOURCES"], rows)]
        for u in p.unmapped:
            out.append(f"  unmapped: {u.event_source} {u.event_name} x{u.count}")
        out.append("")
    if result.unnamed_principals:
        out.append("not matched (deployed name unknown): " + ", ".join(result.unnamed_principals))
    return "\n".join(out).rstrip() + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def render_markdown(result: AuditResult) -> str:
    """GitHub-flavoured Markdown, one section per principal."""
    out = ["# lakehouse-iam audit", "", _window(result) + ".", ""]
    for p in result.principals:
        if not p.records and p.name is None:
            continue
        out += [f"## {_cell(_title(p))}", ""]
        out.append(f"Deployed name `{p.name}`, {p.records} records." if p.name else "")
        out.append("")
        if p.denied:
            out += [
                "| cause | action | resource | prop | suggestion | count |",
                "| --- | --- | --- | --- | --- | --- |",
            ]
            for d in p.denied:
                cells = [d.cause, d.action, d.resource, d.prop or "", d.suggestion or ""]
                out.append(
                    "| "
                    + " | ".join(f"`{_cell(c)}`" if c else "" for c in cells)
                    + f" | {d.count} |"
                )
            out.append("")
        if p.used:
            out += ["| used | count | last seen |", "| --- | --- | --- |"]
            out += [f"| `{u.action}` | {u.count} | {u.last_seen} |" for u in p.used]
            out.append("")
        if p.unused:
            out += ["| unused | visible | resources |", "| --- | --- | --- |"]
            out += [
                f"| `{u.action}` | {'yes' if u.visible else 'no'} | "
                + ", ".join(f"`{_cell(r)}`" for r in u.resources)
                + " |"
                for u in p.unused
            ]
            out.append("")
    if result.unnamed_principals:
        out += ["Not matched (deployed name unknown): " + ", ".join(result.unnamed_principals), ""]
    return "\n".join(out).rstrip() + "\n"


RENDERERS = {"table": render_table, "json": render_json, "markdown": render_markdown}
"""Output format name -> renderer(result) -> str."""
