"""The committed fixtures are what ``python -m tests.audit.build_fixtures`` writes for the
current example stacks and traces (re-run it when this fails)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from . import build_fixtures as bf


def test_committed_fixtures_are_current(cdk_out: Path):
    stacks = bf.read_stacks(cdk_out)
    for stack, ids in stacks.ids.items():
        committed = json.loads((bf.STACK_RESOURCES / f"{stack}.json").read_text())
        assert committed == bf.describe_stack_resources(stack, ids), stack
    files = bf.trace_trail(stacks)
    committed_files = {p.name: p for p in bf.TRAIL.rglob("*.json.gz")}
    assert set(committed_files) == set(files)
    for name, records in files.items():
        assert json.loads(gzip.decompress(committed_files[name].read_bytes()))["Records"] == records
    lookup, export = bf.cases(stacks)
    assert json.loads(bf.LOOKUP_EVENTS.read_text()) == bf.lookup_events(lookup)
    rows = [json.loads(line) for line in bf.LAKE_EXPORT.read_text().splitlines()]
    assert rows == [bf.export_row(r, athena=i % 2 == 1) for i, r in enumerate(export)]
