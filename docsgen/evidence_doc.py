"""Markdown of a vendor's evidence: why each action is granted, and what is left out.

Rendered into ``docs/permissions.md`` (next to the synthesized policies) from the vendor
registry's ``evidence`` and ``omissions`` (each vendor's ``catalog.py``).
"""

from __future__ import annotations

import re

from lakehouse_iam.catalog.evidence import Need, Omission, Source, SourceKind
from lakehouse_iam.report.markdown import code, lines, table, text
from lakehouse_iam.vendors import Vendor

_ENGINE = re.compile(
    r"^(?P<repo>[\w.-]+/[\w.-]+) (?P<path>\S+)@(?P<commit>[0-9a-f]+)(?P<line>#L\d+)?$"
)


def source_markdown(source: Source, vendor: Vendor, *, docs_to_root: str = "..") -> str:
    """One source as a Markdown link where it has one: ``kind: where (detail)``."""
    detail = f" ({text(source.detail)})" if source.detail else ""
    if source.kind is SourceKind.VENDOR_PAGE and source.ref.startswith("https://"):
        return f"vendor doc: <{source.ref}>{detail}"
    if source.kind is SourceKind.VENDOR_PAGE:
        page = (
            f"[vendor page]({vendor.page})" if vendor.page.startswith("https://") else "vendor page"
        )
        return f"{page}: {text(source.ref)}{detail}"
    if source.kind is SourceKind.ENGINE_SOURCE:
        m = _ENGINE.match(source.ref)
        assert m is not None, source.ref  # Source validated the form
        url = f"https://github.com/{m['repo']}/blob/{m['commit']}/{m['path']}{m['line'] or ''}"
        name = f"{m['repo']} {m['path'].rsplit('/', 1)[-1]}@{m['commit'][:7]}"
        return f"engine source: [{text(name)}]({url}){detail}"
    if source.kind is SourceKind.TRACE:
        name = source.ref.rsplit("/", 1)[-1]
        return f"recorded trace: [{text(name)}]({docs_to_root}/{source.ref}){detail}"
    if source.kind is SourceKind.DOC:
        return f"doc: <{source.ref}>{detail}"
    return f"AWS doc: <{source.ref}>{detail}"


def _row(record: Need | Omission, vendor: Vendor) -> list[str]:
    return [
        lines([code(a) for a in record.actions]),
        text(record.why),
        lines([source_markdown(s, vendor) for s in record.sources]),
    ]


def evidence_markdown(vendor: Vendor, *, level: int = 3) -> list[str]:
    """The vendor's evidence table and its omissions table."""
    heading = "#" * level
    out = [f"{heading} Why each action is granted", ""]
    if not vendor.evidence:
        out += ["No evidence recorded.", ""]
    else:
        rows = [
            [*_row(need, vendor), text(need.opt_in) if need.opt_in else "by default"]
            for need in vendor.evidence
        ]
        out += [*table(["Actions", "What the engine does", "Evidence", "Granted"], rows), ""]
    out += [f"{heading} Deliberately not granted", ""]
    if not vendor.omissions:
        return [*out, "Nothing the vendor page lists is left out.", ""]
    rows = [_row(omission, vendor) for omission in vendor.omissions]
    return [*out, *table(["Actions", "Why not", "Evidence"], rows), ""]
