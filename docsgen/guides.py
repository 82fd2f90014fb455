"""Generated blocks inside the hand-written vendor guides (``docs/<vendor>.md``).

A guide keeps its prose; the parts that restate a source of truth are generated between
markers, so they cannot drift:

* ``deviations``: the vendor catalog's ``DEVIATIONS`` table;
* ``coverage``: which recorded traces (``traces/targets.yaml``) and engine call tables
  (``verification/calls/*.yaml``) exercise the vendor's example stacks.

``make docs`` rewrites the blocks; ``python -m docsgen --check`` fails while one is stale.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path

from lakehouse_iam.report.markdown import code, table, text
from lakehouse_iam.vendors import Vendor

ROOT = Path(__file__).resolve().parent.parent
BEGIN = "<!-- BEGIN GENERATED {name}: `make docs` writes this block from the sources -->"
END = "<!-- END GENERATED {name} -->"
_BLOCK = re.compile(
    r"<!-- BEGIN GENERATED (?P<name>[a-z-]+):[^>]*-->\n.*?<!-- END GENERATED (?P=name) -->",
    re.DOTALL,
)


class GuideError(ValueError):
    """A guide lacks a block it must have, or names an unknown one."""


def _linked(value: str) -> str:
    parts = re.split(r"(https://[^\s)]+[^\s).,;])", value)
    return "".join(f"<{p}>" if p.startswith("https://") else text(p) for p in parts)


def deviations_block(vendor: Vendor, _root: Path = ROOT) -> list[str]:
    """The vendor's deviations as one table."""
    if not vendor.deviations:
        return ["None: the vendor page is followed as written."]
    rows = [
        [text(d.topic), text(d.vendor), text(d.ours), _linked(d.why), text(d.if_reverted)]
        for d in vendor.deviations
    ]
    header = ["Topic", "Vendor page grants", "We grant", "Why", "What breaks if reverted"]
    return table(header, rows)


def coverage_block(vendor: Vendor, root: Path = ROOT) -> list[str]:
    """What replays against the vendor's stacks: traces (with their clients and request
    counts) and call tables (rows per confidence)."""
    from traces.replay import load_targets
    from verification.engine_requests import all_rows

    stacks = {e.id for e in vendor.examples}
    rows: list[list[str]] = []
    fixtures: dict[str, set[str]] = {}
    for target in load_targets():
        if target.stack in stacks:
            for fixture in target.fixtures:
                fixtures.setdefault(fixture, set()).add(target.id)
    for fixture, targets in sorted(fixtures.items()):
        data = json.loads((root / "traces" / "fixtures" / f"{fixture}.json").read_text())
        path = f"traces/fixtures/{fixture}.json"
        rows.append(
            [
                f"recorded trace [{code(fixture)}](../{path})",
                f"{text(data['client'])}: {text(data['workload'])}",
                f"{len(data['requests'])} requests, replayed for {', '.join(sorted(targets))}",
            ]
        )
    by_table: dict[str, Counter[str]] = {}
    for row in all_rows():  # parsed once per process, not once per vendor
        if row.stack in stacks:
            name = row.origin.split("#", 1)[0]
            by_table.setdefault(name, Counter())[row.confidence] += 1
    for name, confidences in sorted(by_table.items()):
        link = (
            f"../verification/{name}"
            if name.startswith("probes/")
            else (f"../verification/calls/{name}")
        )
        counts = ", ".join(
            f"{confidences[c]} {c}" for c in ("recorded", "high", "medium", "low") if confidences[c]
        )
        rows.append(
            [
                f"engine call table [{code(name)}]({link})",
                "cited requests of the engine and the AWS services acting for it",
                f"{sum(confidences.values())} requests ({counts})",
            ]
        )
    if not rows:
        return ["No trace or call table covers this vendor yet."]
    return table(["Evidence", "What it is", "Evaluated"], rows)


BLOCKS: Mapping[str, Callable[[Vendor, Path], list[str]]] = {
    "deviations": deviations_block,
    "coverage": coverage_block,
}
"""Block name -> its renderer. Every vendor guide has every block."""


def render_guide(current: str, vendor: Vendor, *, root: Path = ROOT) -> str:
    """``current`` with each generated block rewritten.

    :raises GuideError: when a block is missing or unknown.
    """
    found = [m["name"] for m in _BLOCK.finditer(current)]
    problems = [f"unknown block {n!r}" for n in found if n not in BLOCKS]
    problems += [
        f"missing block {n!r} (add {BEGIN.format(name=n)} ... {END.format(name=n)})"
        for n in BLOCKS
        if n not in found
    ]
    if problems:
        raise GuideError(f"docs/{vendor.guide}: " + "; ".join(problems))

    def replace(match: re.Match[str]) -> str:
        name = match["name"]
        body = BLOCKS[name](vendor, root)
        return "\n".join([BEGIN.format(name=name), "", *body, "", END.format(name=name)])

    return _BLOCK.sub(replace, current)
