"""docs/permissions.md is generated; it must match what the code renders today."""

from __future__ import annotations

import difflib
from pathlib import Path

import pytest

from lakehouse_iam.report import build_report
from lakehouse_iam.report.markdown import text
from lakehouse_iam.report.permissions_doc import (
    REGENERATE,
    VendorCatalog,
    permissions_doc_from,
    vendor_catalogs,
    vendor_of,
)
from lakehouse_iam.stacks import EXAMPLES
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
    # GIVEN every registered example stack and every vendor catalog
    # THEN each stack has a section, and each vendor's deviations table has one row each
    for stack_id in EXAMPLES:
        assert f"### Stack `{stack_id}`" in generated_doc
    for catalog in vendor_catalogs():
        assert f"## {catalog.vendor}\n" in generated_doc
        for deviation in catalog.deviations:
            assert f"| {text(deviation.topic)} | {text(deviation.vendor)} |" in generated_doc


def test_stacks_map_to_the_vendor_catalog_they_start_like():
    catalogs = [
        VendorCatalog(module="risingwave", vendor="RisingWave Cloud", deviations=()),
        VendorCatalog(module="ducklake", vendor="DuckLake Container", deviations=()),
        VendorCatalog(
            module="odd", vendor="Odd", deviations=(), example_stacks=("LakehouseIam-Special",)
        ),
    ]
    assert vendor_of("LakehouseIam-RisingWave", catalogs).module == "risingwave"
    assert vendor_of("LakehouseIam-DuckLakeContainer-Irsa", catalogs).module == "ducklake"
    assert vendor_of("LakehouseIam-Special", catalogs).module == "odd"
    assert vendor_of("LakehouseIam-Unknown", catalogs) is None
