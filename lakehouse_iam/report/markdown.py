"""Render a :class:`~.model.Report` (or one principal) as GitHub-flavoured Markdown."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Permission, Principal, Report, TrustedPrincipal, TrustStatement


def text(value: str) -> str:
    """Plain text safe inside a table cell."""
    return (
        value.replace("&", "&amp;")
        .replace("<", "&lt;")
        .replace(">", "&gt;")
        .replace("|", "\\|")
        .replace("\n", " ")
    )


def code(value: str) -> str:
    """Inline code safe inside a table cell (``|`` still needs escaping in GFM tables)."""
    fence = "``" if "`" in value else "`"
    padding = " " if fence == "``" else ""
    return f"{fence}{padding}{value.replace('|', chr(92) + '|')}{padding}{fence}"


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + " --- |" * len(header)]
    out += ["| " + " | ".join(row) + " |" for row in rows]
    return out


def lines(values: Sequence[str], *, empty: str = "none") -> str:
    return "<br>".join(values) if values else empty


def _principal(p: TrustedPrincipal) -> str:
    return f"{p.type}: {code(p.value)}"


def _trust(trust: Sequence[TrustStatement]) -> list[str]:
    rows = [
        [
            t.effect,
            lines([code(a) for a in t.actions]),
            lines([("NOT " if t.not_principal else "") + _principal(p) for p in t.principals]),
            lines([code(str(c)) for c in t.conditions]),
        ]
        for t in trust
    ]
    return table(["Effect", "Actions", "Principal", "Conditions"], rows)


def _permissions(permissions: Sequence[Permission]) -> list[str]:
    rows = []
    for p in permissions:
        actions = [code(a) for a in p.actions]
        if p.not_action:
            actions.insert(0, "all actions except:")
        scope = text(p.scope)
        if p.note:
            scope += f" (why `*`: {text(p.note)})"
        rows.append(
            [
                p.effect,
                lines(actions),
                ("NOT " if p.not_resource else "") + code(p.resource),
                scope,
                lines([code(str(c)) for c in p.conditions]),
                lines([text(x) for x in p.policies]),
            ]
        )
    return table(["Effect", "Actions", "Resource", "Scope", "Conditions", "Policy"], rows)


def principal_markdown(p: Principal, *, level: int) -> list[str]:
    """One principal: a heading at ``level``, its details, trust and permissions tables."""
    out = [f"{'#' * level} {p.kind} {code(p.name)}", ""]
    if not p.defined_in_app:
        out += ["Not defined in this app; the app attaches policies to it.", ""]
    details = [
        ("Name", code(p.physical_name) if p.physical_name else None),
        ("Description", text(p.description) if p.description else None),
        ("Groups", ", ".join(code(g) for g in p.groups) if p.groups else None),
        ("Permissions boundary", code(p.permissions_boundary) if p.permissions_boundary else None),
        (
            "Instance profile",
            ", ".join(code(x) for x in p.instance_profiles) if p.instance_profiles else None,
        ),
    ]
    shown = [f"- {label}: {value}" for label, value in details if value]
    if shown:
        out += [*shown, ""]
    if p.kind == "role" and p.defined_in_app:
        out += ["Trust:", ""]
        out += [*_trust(p.trust), ""] if p.trust else ["No trust policy.", ""]
    out += ["Permissions:", ""]
    out += [*_permissions(p.permissions), ""] if p.permissions else ["None in this assembly.", ""]
    if p.other_policies:
        out += [
            "Also attached (statements not in this assembly): "
            + ", ".join(code(x) for x in p.other_policies),
            "",
        ]
    return out


def render_markdown(report: Report) -> str:
    """Every stack as a section, every principal as a subsection."""
    out = ["# IAM report", "", f"Cloud assembly: {code(report.source)}", ""]
    for stack in report.stacks:
        out += [f"## Stack {code(stack.display_name)}", ""]
        if not stack.principals:
            out += ["No IAM roles, users or groups.", ""]
        for principal in stack.principals:
            out += principal_markdown(principal, level=3)
    if not report.stacks:
        out += ["No stacks.", ""]
    return "\n".join(out).rstrip() + "\n"
