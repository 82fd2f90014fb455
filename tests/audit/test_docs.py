"""docs/audit.md: its Python block runs on the shipped fixtures, and the walk-through
names files that exist."""

from __future__ import annotations

import re
from pathlib import Path

from lakehouse_iam.audit import CAUSES
from tests.helpers import ROOT

from .conftest import LOOKUP_EVENTS, STACK_RESOURCES

DOC = (ROOT / "docs" / "audit.md").read_text(encoding="utf-8")
PYTHON_BLOCK = re.compile(r"^```python\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE)


def test_the_python_example_gates_on_a_missing_grant(cdk_out: Path, capsys):
    (block,) = [m["code"] for m in PYTHON_BLOCK.finditer(DOC)]
    namespace: dict[str, object] = {}
    exec(compile(block, "docs/audit.md", "exec"), namespace)
    gate = namespace["gate"]
    code = gate(str(cdk_out), [str(LOOKUP_EVENTS)], [str(p) for p in STACK_RESOURCES])  # type: ignore[operator]
    assert code == 1
    assert "glue:GetDatabase permissions.glue" in capsys.readouterr().out


def test_every_cause_is_documented_and_the_walk_through_files_exist():
    for cause in CAUSES:
        assert f"| `{cause}` |" in DOC, cause
    for name in ("lookup-events.json", "lake-export.jsonl", "trail", "stack-resources"):
        assert f"$F/{name}" in DOC
        assert (ROOT / "tests" / "audit" / "fixtures" / name).exists()
