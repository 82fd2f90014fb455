"""docs/permissions.md is generated; it must match what the code renders today."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

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
