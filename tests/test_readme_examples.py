"""Every ```python block of README.md, CONTRIBUTING.md and docs/*.md runs as written, so
the examples cannot rot (tests/doc_examples.py; the consumer pipeline type-checks them)."""

from __future__ import annotations

import pytest

from tests.doc_examples import ROOT, Example, complete_examples, examples

EXAMPLES = complete_examples()


@pytest.mark.parametrize("example", EXAMPLES, ids=[e.name for e in EXAMPLES])
def test_documented_example_runs(example: Example, tmp_path, monkeypatch):
    # GIVEN a documented example, run from an empty directory as a user's app would be
    monkeypatch.chdir(tmp_path)
    compiled = compile(example.code, str(example.path) + f":{example.line}", "exec")
    # WHEN executed THEN it raises nothing (synth included: cdk-nag findings would raise)
    exec(compiled, {"__name__": "__main__"})


def test_every_guide_with_python_has_a_complete_example():
    # A fragment is the exception: each guide shows at least one whole program.
    files = {e.path for e in examples()}
    assert files - {e.path for e in EXAMPLES} == set()
    assert ROOT / "README.md" in files


def test_a_fragment_is_marked_and_set_aside(tmp_path):
    # GIVEN a guide with one marked fragment and one complete block
    guide = tmp_path / "guide.md"
    guide.write_text(
        "<!-- fragment: shows one argument -->\n```python\nx(\n```\n\n```python\nprint(1)\n```\n"
    )
    # THEN both are found, only the marked one is a fragment
    found = examples([guide])
    assert [(e.line, e.fragment) for e in found] == [(2, True), (6, False)]


def test_readme_examples_cover_import_composition_and_acknowledgment():
    code = "\n".join(e.code for e in EXAMPLES if e.path == ROOT / "README.md")
    assert "from lakehouse_iam import" in code, "importing a construct into another app"
    assert ".add_grant(" in code, "composing a role with extra grants"
    assert "acknowledge(" in code and "add_compliance_checks(app)" in code, (
        "acknowledging a cdk-nag finding in an app checked by the packs"
    )
