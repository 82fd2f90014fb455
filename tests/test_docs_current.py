"""docs/permissions.md is generated; it must match what the code renders today."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from docsgen.guides import GuideError, render_guide
from docsgen.permissions_doc import REGENERATE, permissions_doc_from
from lakehouse_iam.report import build_report
from lakehouse_iam.report.markdown import text
from lakehouse_iam.stacks import EXAMPLES
from lakehouse_iam.vendors import VENDORS
from tests.helpers import ROOT

PERMISSIONS_MD = ROOT / "docs" / "permissions.md"


@pytest.fixture(scope="session")
def generated_doc(example_assembly) -> str:
    """The permission matrix rendered from the session's example stacks."""
    report = build_report(Path(example_assembly.directory))
    return permissions_doc_from(report, docs_dir=ROOT / "docs")


def test_committed_permissions_doc_is_current(generated_doc):
    committed = PERMISSIONS_MD.read_text(encoding="utf-8") if PERMISSIONS_MD.is_file() else ""
    if committed != generated_doc:
        diff = difflib.unified_diff(
            committed.splitlines(),
            generated_doc.splitlines(),
            "docs/permissions.md (committed)",
            "docs/permissions.md (generated)",
            lineterm="",
        )
        head = "\n".join(list(diff)[:40])
        pytest.fail(
            f"docs/permissions.md is stale: regenerate it with `{REGENERATE}` from the "
            f"project root (or `make docs`) and commit it.\n{head}",
            pytrace=False,
        )


def test_every_example_stack_and_vendor_deviation_is_in_the_doc(generated_doc):
    # GIVEN every registered example stack and every registered vendor
    # THEN each stack has a section, and each vendor's deviations table has one row each
    for stack_id in EXAMPLES:
        assert f"### Stack `{stack_id}`" in generated_doc
    for vendor in VENDORS:
        assert f"## {vendor.name}\n" in generated_doc
        for deviation in vendor.deviations:
            assert f"| {text(deviation.topic)} | {text(deviation.vendor)} |" in generated_doc


@pytest.mark.parametrize("vendor", VENDORS, ids=[v.key for v in VENDORS])
def test_each_guide_has_current_generated_blocks(vendor):
    # GIVEN the hand-written guide WHEN its generated blocks are rendered again
    guide = ROOT / "docs" / vendor.guide
    committed = guide.read_text(encoding="utf-8")
    # THEN nothing changes, and it has the engine-evidence section
    assert render_guide(committed, vendor) == committed, f"run `{REGENERATE}`"
    assert "\n## How we know the engine works\n" in committed


def test_a_guide_without_its_blocks_is_rejected():
    # GIVEN a guide without the coverage block THEN rendering names what is missing
    text_without = (
        "# X\n\n<!-- BEGIN GENERATED deviations: x -->\n<!-- END GENERATED deviations -->\n"
    )
    with pytest.raises(GuideError, match="missing block 'coverage'"):
        render_guide(text_without, VENDORS[0])


def test_every_need_and_omission_is_in_the_doc(generated_doc):
    # GIVEN the catalogs' evidence THEN each vendor section lists each action and its why
    for vendor in VENDORS:
        section = generated_doc.split(f"## {vendor.name}\n", 1)[1].split("\n## ", 1)[0]
        for record in (*vendor.evidence, *vendor.omissions):
            assert text(record.why) in section, (vendor.key, record.why)
            for action in record.actions:
                assert f"`{action}`" in section
