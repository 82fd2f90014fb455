"""Generate ``docs/permissions.md``: the permission matrix of every example stack.

Sources, so nothing is written twice:

* the example stacks (:data:`lakehouse_iam.stacks.EXAMPLES`), synthesized with
  ``cdk.json``'s context and read back with :func:`~.reader.build_report`: the actions,
  resources, conditions and trust are exactly what the constructs render from the
  catalogs;
* the vendor catalogs (``lakehouse_iam/catalog/<vendor>.py`` modules defining
  ``VENDOR`` and ``DEVIATIONS``): one deviations table per vendor.

A stack belongs to a vendor when the catalog module lists its ID in an optional
``EXAMPLE_STACKS`` tuple, or else when the stack ID (without ``LakehouseIam-``) and the
module name or ``VENDOR`` start alike (``LakehouseIam-RisingWave`` -> ``risingwave``).
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from .markdown import code, principal_markdown, table, text
from .model import Report, StackReport
from .reader import build_report

STACK_PREFIX = "LakehouseIam-"
REGENERATE = "python -m lakehouse_iam docs"


@dataclass(frozen=True, kw_only=True)
class VendorCatalog:
    """A vendor catalog module: its name, ``VENDOR``, ``DEVIATIONS`` and stacks, if named."""

    module: str
    vendor: str
    deviations: tuple[Any, ...]
    example_stacks: tuple[str, ...] = ()


def vendor_catalogs() -> list[VendorCatalog]:
    """Every module of :mod:`lakehouse_iam.catalog` that defines ``VENDOR`` and ``DEVIATIONS``."""
    from .. import catalog

    found = []
    for info in sorted(pkgutil.iter_modules(catalog.__path__), key=lambda i: i.name):
        module: ModuleType = importlib.import_module(f"{catalog.__name__}.{info.name}")
        if hasattr(module, "VENDOR") and hasattr(module, "DEVIATIONS"):
            found.append(
                VendorCatalog(
                    module=info.name,
                    vendor=str(module.VENDOR),
                    deviations=tuple(module.DEVIATIONS),
                    example_stacks=tuple(getattr(module, "EXAMPLE_STACKS", ())),
                )
            )
    return found


def _key(value: str) -> str:
    return re.sub(r"[^a-z0-9]", "", value.lower())


def vendor_of(stack_id: str, catalogs: Sequence[VendorCatalog]) -> VendorCatalog | None:
    """The catalog an example stack belongs to (see the module docstring), if any."""
    for catalog in catalogs:
        if stack_id in catalog.example_stacks:
            return catalog
    stack = _key(stack_id.removeprefix(STACK_PREFIX))
    best: tuple[int, VendorCatalog] | None = None
    for catalog in catalogs:
        for candidate in (_key(catalog.module), _key(catalog.vendor)):
            if candidate and (stack.startswith(candidate) or candidate.startswith(stack)):
                score = min(len(candidate), len(stack))
                if best is None or score > best[0]:
                    best = (score, catalog)
    return best[1] if best else None


def synthesize_examples(context: dict[str, Any], outdir: str | Path) -> Path:
    """Synthesize every example stack with ``context`` into ``outdir``; return it."""
    import aws_cdk as cdk

    from ..stacks import build_example_stacks

    app = cdk.App(context=context, outdir=str(outdir))
    build_example_stacks(app)
    app.synth()
    return Path(outdir)


def _anchor(heading: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^a-z0-9 _-]", "", heading.lower()).replace(" ", "-")


def _stack_section(stack: StackReport) -> list[str]:
    out = [f"### Stack {code(stack.stack)}", ""]
    if not stack.principals:
        return [*out, "No IAM roles, users or groups.", ""]
    for principal in stack.principals:
        out += principal_markdown(principal, level=4)
    return out


def _deviations(catalog: VendorCatalog) -> list[str]:
    out = ["### Deviations from the vendor page", ""]
    if not catalog.deviations:
        return [*out, "None: the vendor page is followed as written.", ""]
    rows = [
        [
            text(d.topic),
            text(d.vendor),
            text(d.ours),
            _linked(d.why),
            text(d.if_reverted),
        ]
        for d in catalog.deviations
    ]
    header = ["Topic", "Vendor page grants", "We grant", "Why", "What breaks if reverted"]
    return [*out, *table(header, rows), ""]


def _linked(value: str) -> str:
    """Plain text whose bare https links become Markdown links."""
    parts = re.split(r"(https://[^\s)]+[^\s).,;])", value)
    return "".join(f"<{p}>" if p.startswith("https://") else text(p) for p in parts)


def render_permissions_doc(
    report: Report, catalogs: Sequence[VendorCatalog], *, guides: Sequence[str] = ()
) -> str:
    """The Markdown of ``docs/permissions.md``.

    :param report: the report of the synthesized example stacks.
    :param catalogs: the vendor catalogs (:func:`vendor_catalogs`).
    :param guides: file names present in ``docs/`` (``risingwave.md``), linked per vendor.
    """
    by_vendor: dict[str, list[StackReport]] = {c.module: [] for c in catalogs}
    unmatched: list[StackReport] = []
    for stack in report.stacks:
        catalog = vendor_of(stack.stack, catalogs)
        (by_vendor[catalog.module] if catalog else unmatched).append(stack)

    out = [
        f"<!-- Generated by `{REGENERATE}`. Do not edit by hand: change the catalogs or "
        "constructs, then regenerate. -->",
        "",
        "# Permission matrix",
        "",
        "What every example stack grants, per vendor and per level or mode: each role, user "
        "and group with its trust (principal and conditions) and its actions per resource. "
        "It is generated from the synthesized example stacks (`lakehouse_iam.stacks.EXAMPLES`, "
        "built from the action lists in `lakehouse_iam/catalog/`) and from each vendor "
        "catalog's `DEVIATIONS`, so it always says what the constructs really render. "
        "Example inputs are the placeholders in `cdk.json` (account `222222222222` and so on).",
        "",
        f"Regenerate after any change: `{REGENERATE}` (`{REGENERATE} --check` tells whether "
        "this file is current; the test suite runs that check). The same tables come from "
        "any synthesized app with `python -m lakehouse_iam report cdk.out --format markdown`.",
        "",
        "How to read it: `<Name.Arn>` is a reference to the resource `Name` of the same stack "
        "(CDK's hash suffix dropped), `<AWS::Region>` a pseudo parameter. *Scope* says what a "
        "resource covers; a resource with `*` carries the reason the construct gives for it. "
        "*Policy* is the customer-managed policy (one per grant) the statement comes from.",
        "",
    ]
    sections = [c.vendor for c in catalogs if by_vendor[c.module] or c.deviations]
    if unmatched:
        sections.append("Other example stacks")
    out += [f"- [{s}](#{_anchor(s)})" for s in sections] + [""]
    for catalog in catalogs:
        stacks = by_vendor[catalog.module]
        if not stacks and not catalog.deviations:
            continue
        out += [f"## {catalog.vendor}", ""]
        refs = [f"catalog {code(f'lakehouse_iam/catalog/{catalog.module}.py')}"]
        if f"{catalog.module}.md" in guides:
            refs.insert(0, f"guide [{catalog.module}.md]({catalog.module}.md)")
        out += ["Sources: " + ", ".join(refs) + ".", ""]
        if not stacks:
            out += ["No example stack yet.", ""]
        for stack in stacks:
            out += _stack_section(stack)
        out += _deviations(catalog)
    if unmatched:
        out += ["## Other example stacks", ""]
        for stack in unmatched:
            out += _stack_section(stack)
    return "\n".join(out).rstrip() + "\n"


def generate_permissions_doc(
    *, cdk_json: str | Path = "cdk.json", docs_dir: str | Path = "docs"
) -> str:
    """Synthesize the example stacks with ``cdk_json``'s context and render the matrix."""
    context = json.loads(Path(cdk_json).read_text(encoding="utf-8")).get("context", {})
    with tempfile.TemporaryDirectory(prefix="lakehouse-iam-docs-") as outdir:
        report = build_report(synthesize_examples(context, outdir))
    return permissions_doc_from(report, docs_dir=docs_dir)


def permissions_doc_from(report: Report, *, docs_dir: str | Path = "docs") -> str:
    """The matrix for an already built ``report`` of the example stacks."""
    docs = Path(docs_dir)
    guides = sorted(p.name for p in docs.glob("*.md")) if docs.is_dir() else []
    return render_permissions_doc(report, vendor_catalogs(), guides=guides)
