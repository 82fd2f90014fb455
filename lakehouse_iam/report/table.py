"""Render a :class:`~.model.Report` as a plain-text table for a terminal."""

from __future__ import annotations

from collections.abc import Sequence

from .model import Condition, Permission, Principal, Report, TrustStatement


def _grid(header: Sequence[str], rows: Sequence[Sequence[Sequence[str]]], indent: str) -> list[str]:
    """Columns sized to their widest line; a cell may hold several lines."""
    widths = [len(h) for h in header]
    for row in rows:
        for i, cell in enumerate(row):
            widths[i] = max([widths[i], *(len(line) for line in cell)])

    def line(cells: Sequence[str]) -> str:
        return (indent + "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True))).rstrip()

    out = [line(header), line(["-" * w for w in widths])]
    for row in rows:
        height = max(len(cell) for cell in row)
        for n in range(height):
            out.append(line([cell[n] if n < len(cell) else "" for cell in row]))
    return out


def _trust_rows(trust: Sequence[TrustStatement]) -> list[list[list[str]]]:
    return [
        [
            [t.effect],
            list(t.actions),
            [("NOT " if t.not_principal else "") + str(p) for p in t.principals] or ["-"],
            _condition_lines(t.conditions),
        ]
        for t in trust
    ]


def _condition_lines(conditions: Sequence[Condition]) -> list[str]:
    """One line per condition; a multi-value condition lists its values below it."""
    out: list[str] = []
    for c in conditions:
        if len(c.values) == 1:
            out.append(str(c))
        else:
            out += [f"{c.operator} {c.key} in:", *(f"  {v}" for v in c.values)]
    return out or ["-"]


def _permission_rows(permissions: Sequence[Permission], notes: list[str]) -> list[list[list[str]]]:
    rows = []
    for p in permissions:
        resource = [("NOT " if p.not_resource else "") + p.resource, f"({p.scope})"]
        if p.note:
            notes.append(p.note)
            resource.append(f"[note {len(notes)}]")
        actions = (["all actions except:"] if p.not_action else []) + list(p.actions)
        rows.append(
            [
                [p.effect],
                actions,
                resource,
                _condition_lines(p.conditions),
                list(p.policies),
            ]
        )
    return rows


def _principal(p: Principal) -> list[str]:
    title = f"{p.kind} {p.name}"
    if not p.defined_in_app:
        title += "  (not defined in this app; policies attached to it)"
    out = [title]
    details = [
        ("name", p.physical_name),
        ("description", p.description),
        ("groups", ", ".join(p.groups) if p.groups else None),
        ("permissions boundary", p.permissions_boundary),
        ("instance profile", ", ".join(p.instance_profiles) if p.instance_profiles else None),
    ]
    out += [f"  {label}: {value}" for label, value in details if value]
    if p.kind == "role" and p.defined_in_app:
        out.append("  trust:")
        if p.trust:
            out += _grid(
                ["EFFECT", "ACTIONS", "PRINCIPAL", "CONDITIONS"], _trust_rows(p.trust), "    "
            )
        else:
            out.append("    (no trust policy)")
    out.append("  permissions:")
    notes: list[str] = []
    if p.permissions:
        out += _grid(
            ["EFFECT", "ACTIONS", "RESOURCE", "CONDITIONS", "POLICY"],
            _permission_rows(p.permissions, notes),
            "    ",
        )
    else:
        out.append("    (none in this assembly)")
    out += [f"    [note {n}] why the wildcard: {note}" for n, note in enumerate(notes, 1)]
    for policy in p.other_policies:
        out.append(f"  also attached (statements not in this assembly): {policy}")
    return out


def render_table(report: Report) -> str:
    """Every stack and principal: trust and permissions as aligned text columns."""
    out: list[str] = []
    for stack in report.stacks:
        title = f"Stack {stack.display_name}"
        out += [title, "=" * len(title)]
        if not stack.principals:
            out += ["(no IAM roles, users or groups)", ""]
        for principal in stack.principals:
            out += [*_principal(principal), ""]
    if not report.stacks:
        out.append(f"No stacks in {report.source}.")
    return "\n".join(out).rstrip() + "\n"
