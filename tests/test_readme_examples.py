"""Every ```python block of README.md runs as written, so the examples cannot rot."""

from __future__ import annotations

import re

import pytest

from tests.helpers import ROOT

README = ROOT / "README.md"
PYTHON_BLOCK = re.compile(r"^```python\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE)


def python_blocks() -> list[tuple[int, str]]:
    """(line number of the opening fence, code) of each ```python block."""
    text = README.read_text(encoding="utf-8")
    return [(text.count("\n", 0, m.start()) + 1, m["code"]) for m in PYTHON_BLOCK.finditer(text)]


BLOCKS = python_blocks()


@pytest.mark.parametrize(("line", "code"), BLOCKS, ids=[f"README.md:{n}" for n, _ in BLOCKS])
def test_readme_example_runs(line, code, tmp_path, monkeypatch):
    # GIVEN a README example, run from an empty directory as a user's app would be
    monkeypatch.chdir(tmp_path)
    compiled = compile(code, f"{README}:{line}", "exec")
    # WHEN executed THEN it raises nothing (synth included: cdk-nag findings would raise)
    exec(compiled, {"__name__": "__main__"})


def test_readme_examples_cover_import_composition_and_acknowledgment():
    code = "\n".join(c for _, c in BLOCKS)
    assert "from lakehouse_iam import" in code, "importing a construct into another app"
    assert ".add_grant(" in code, "composing a role with extra grants"
    assert "acknowledge(" in code and "add_compliance_checks(app)" in code, (
        "acknowledging a cdk-nag finding in an app checked by the packs"
    )
