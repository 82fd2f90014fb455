"""The layout holds: one folder per vendor in an explicit registry, one-way imports, one
list of the public API, and nothing cites a path that exists only in a checkout."""

from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

from lakehouse_iam.vendors import VENDORS, example_stacks
from tests.helpers import ROOT

PACKAGE = ROOT / "lakehouse_iam"


def imports_of(path: Path) -> set[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parent, base] if base else parent)
            found.add(base)
            found |= {f"{base}.{alias.name}" for alias in node.names}
    return found


def modules_under(folder: str) -> list[Path]:
    return sorted((PACKAGE / folder).rglob("*.py"))


# -- the registry ---------------------------------------------------------------------


def test_every_vendor_folder_is_registered_once_in_order():
    # GIVEN the folders under lakehouse_iam/vendors/
    folders = sorted(
        p.name for p in (PACKAGE / "vendors").iterdir() if (p / "__init__.py").is_file()
    )
    # THEN the registry names each exactly once, alphabetically
    assert [v.key for v in VENDORS] == folders


def test_every_vendor_has_a_guide_a_page_and_unique_example_stacks():
    ids = [e.id for v in VENDORS for e in v.examples]
    assert len(ids) == len(set(ids)), "an example stack ID is registered twice"
    assert set(example_stacks()) == set(ids)
    for vendor in VENDORS:
        assert (ROOT / "docs" / vendor.guide).is_file(), f"docs/{vendor.guide} is missing"
        assert (ROOT / vendor.catalog_path).is_file()
        # A page without an IAM policy (Trino's catalog properties) leaves nothing to
        # deviate from: the evidence for every action then comes from the engine's source.
        assert vendor.page and (vendor.deviations or vendor.evidence), vendor.key
        for example in vendor.examples:
            assert example.id.startswith("LakehouseIam-"), example.id
            assert callable(vendor.factory(example.id))


def test_reading_the_registry_imports_no_aws_cdk_module():
    # Registry readers (docs, verification) get the vendors' plain-data catalogs only.
    code = (
        "import sys, lakehouse_iam.vendors as v; v.VENDORS; "
        "print(sorted(m for m in sys.modules if m.startswith(('aws_cdk', 'cdk_nag', 'jsii'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# -- one-way imports --------------------------------------------------------------------


def test_report_imports_neither_nag_stacks_vendors_nor_the_cdk():
    for path in modules_under("report"):
        bad = {
            name
            for name in imports_of(path)
            if name.startswith(
                ("lakehouse_iam.nag", "lakehouse_iam.stacks", "lakehouse_iam.vendors")
            )
            or name.split(".")[0] in ("aws_cdk", "cdk_nag", "constructs", "jsii")
        }
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_importing_the_report_starts_no_jsii_runtime():
    code = (
        "import sys, lakehouse_iam.report; "
        "print(sorted(m for m in sys.modules if m.startswith(('aws_cdk', 'cdk_nag', 'jsii'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("folder", ["constructs", "catalog", "_private"])
def test_shared_code_never_imports_a_vendor_or_an_example_stack(folder):
    for path in modules_under(folder):
        bad = {
            n
            for n in imports_of(path)
            if n.startswith(("lakehouse_iam.vendors", "lakehouse_iam.stacks"))
        }
        assert not bad, f"{path.relative_to(ROOT)} imports {sorted(bad)}"


def test_catalogs_are_plain_data():
    catalogs = modules_under("catalog") + [ROOT / v.catalog_path for v in VENDORS]
    for path in catalogs:
        cdk = {n for n in imports_of(path) if n.split(".")[0] in ("aws_cdk", "constructs", "jsii")}
        assert not cdk, f"{path.relative_to(ROOT)} imports {sorted(cdk)}"


# -- the public API -------------------------------------------------------------------


def test_public_api_is_listed_once_with_explicit_re_exports():
    tree = ast.parse((PACKAGE / "api.py").read_text(encoding="utf-8"))
    names = []
    for node in tree.body:
        if isinstance(node, ast.ImportFrom) and node.module != "__future__":
            for alias in node.names:
                # "from .x import Y as Y": what mypy --strict and pyright call a re-export.
                assert alias.asname == alias.name, f"{alias.name} is imported without 'as'"
                names.append(alias.name)
    assert len(names) == len(set(names)), "a public name is listed twice"
    import lakehouse_iam

    for name in names:
        assert getattr(lakehouse_iam, name) is not None
        assert name in dir(lakehouse_iam)


def test_deprecated_aliases_are_the_renamed_constructs():
    import lakehouse_iam as li

    assert li.RisingWaveRole is li.RisingWaveAccess
    assert li.DuckLakeRoles is li.DuckLakeAccess
    assert li.StarRocksInstanceProfileRole is li.StarRocksInstanceProfileAccess
    assert li.StarRocksAssumedRole is li.StarRocksAssumedRoleAccess
    assert li.StarRocksIamUser is li.StarRocksIamUserAccess


def test_an_unknown_public_name_is_an_attribute_error():
    import lakehouse_iam

    with pytest.raises(AttributeError, match="no attribute 'NoSuchConstruct'"):
        _ = lakehouse_iam.NoSuchConstruct


# -- citations ----------------------------------------------------------------------


def test_nothing_cites_a_path_that_exists_only_in_a_development_checkout():
    # The vendor pages are cited by their public URLs; ../shared/ is not shipped.
    files = [*PACKAGE.rglob("*.py"), *(ROOT / "docs").glob("*.md"), ROOT / "README.md"]
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"shared/(seeds|DESIGN|STYLE)", text), path.relative_to(ROOT)


def test_submodules_import_in_any_order_without_loading_the_whole_api():
    # GIVEN a fresh interpreter WHEN a construct module is imported first (as app.py's
    # imports do) THEN nothing is circular and the public API still resolves afterwards
    code = (
        "import lakehouse_iam.constructs.data_access_role; "
        "from lakehouse_iam import quotas, report; "
        "from lakehouse_iam import DataAccessRole, RisingWaveAccess; print('ok')"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "ok"
