"""lakehouse-iam as a package: what the wheel and sdist hold, its metadata, its license,
and a README whose links work from the package index (where the repository is not)."""

from __future__ import annotations

import re
import tarfile
import zipfile
from email.parser import Parser
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the dev extra installs tomli
    import tomli as tomllib  # type: ignore[no-redef]

import pytest

import lakehouse_iam
from tests.consumer import pipeline
from tests.helpers import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text())
PROJECT = PYPROJECT["project"]
MAINTAINER_TOOLING = ("docsgen", "verification", "traces", "bench", "deploy_local", "tests")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")


@pytest.fixture(scope="session")
def dists(consumer_results: pipeline.Results) -> Path:
    if consumer_results.dists is None:
        pytest.fail(f"the dists were not built: {consumer_results.error}")
    return consumer_results.dists


def wheel_names(dists: Path) -> list[str]:
    (wheel,) = dists.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return archive.namelist()


def sdist_names(dists: Path) -> list[str]:
    (sdist,) = dists.glob("*.tar.gz")
    with tarfile.open(sdist) as archive:
        return [m.name.split("/", 1)[1] for m in archive.getmembers() if m.isfile()]


# -- the wheel and the sdist --------------------------------------------------------------


def test_the_wheel_holds_the_package_and_no_maintainer_tooling(dists):
    names = wheel_names(dists)
    tops = {n.split("/")[0] for n in names}
    assert tops == {"lakehouse_iam", f"lakehouse_iam-{PROJECT['version']}.dist-info"}
    assert not [n for n in names if n.split("/")[0] in MAINTAINER_TOOLING]
    assert "lakehouse_iam/py.typed" in names
    assert f"lakehouse_iam-{PROJECT['version']}.dist-info/licenses/LICENSE" in names


def test_the_sdist_is_limited_to_the_package_and_complete_for_it(dists):
    names = set(sdist_names(dists))
    # Limited: the package, its build files and the changelog; no tests or tooling.
    outside = {n for n in names if not n.startswith(("lakehouse_iam/", "lakehouse_iam.egg-info"))}
    assert outside == {
        "CHANGELOG.md",
        "LICENSE",
        "MANIFEST.in",
        "PKG-INFO",
        "README.md",
        "pyproject.toml",
        "setup.cfg",
    }
    # Complete: every file of the package is in it (the wheel is built from it).
    package = {
        p.relative_to(ROOT).as_posix()
        for p in (ROOT / "lakehouse_iam").rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert package <= names


def test_the_metadata_declares_license_urls_floors_and_typing(dists):
    (wheel,) = dists.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = Parser().parsestr(
            archive.read(f"lakehouse_iam-{PROJECT['version']}.dist-info/METADATA").decode()
        )
    assert metadata["License-Expression"] == "Apache-2.0"
    urls = {u.split(", ", 1)[0]: u.split(", ", 1)[1] for u in metadata.get_all("Project-URL")}
    assert urls == PROJECT["urls"]
    requires = metadata.get_all("Requires-Dist")
    assert "aws-cdk-lib<3,>=2.269" in requires and "constructs<11,>=10.5.1" in requires
    assert "Typing :: Typed" in metadata.get_all("Classifier")


def test_the_license_is_apache_2_as_declared():
    text = (ROOT / "LICENSE").read_text()
    assert PROJECT["license"] == "Apache-2.0"
    assert "Apache License" in text and "Version 2.0, January 2004" in text
    assert "END OF TERMS AND CONDITIONS" in text


# -- versions and the changelog -------------------------------------------------------------


def test_the_version_is_the_same_everywhere_and_has_a_changelog_entry():
    version = PROJECT["version"]
    assert lakehouse_iam.__version__ == version
    changelog = (ROOT / "CHANGELOG.md").read_text()
    assert "## Version policy" in changelog
    assert re.search(rf"^## {re.escape(version)}\b", changelog, re.M), version


# -- README links ---------------------------------------------------------------------------


def repository() -> str:
    return PROJECT["urls"]["Repository"]


def readme_links() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    # Links inside code blocks are code, not links.
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return LINK.findall(prose)


def test_every_readme_link_is_absolute():
    # The package index renders README.md without the repository: relative links break.
    relative = [link for link in readme_links() if not link.startswith("https://")]
    assert relative == []


def test_every_repository_link_names_a_file_or_folder_of_this_tree():
    base = repository()
    links = [link for link in readme_links() if link.startswith(base)]
    assert links, "the README links to the repository's docs"
    for link in links:
        path = link.removeprefix(base).split("#", 1)[0]
        kind, _, relative = path.removeprefix("/").partition("/main/")
        target = ROOT / relative
        assert kind in ("blob", "tree"), link
        assert target.exists(), f"{link}: {relative} is not in the repository"
        assert (kind == "tree") == target.is_dir(), (
            f"{link}: use /{'tree' if target.is_dir() else 'blob'}/main/"
        )


def test_the_link_check_fails_on_a_relative_or_missing_link(monkeypatch, tmp_path):
    # GIVEN a README with one relative link and one link to a file that does not exist
    fake = tmp_path / "README.md"
    fake.write_text(f"[a](docs/x.md) [b]({repository()}/blob/main/docs/missing.md)\n")
    monkeypatch.setattr("tests.test_packaging.ROOT", tmp_path)
    # THEN both checks fail
    with pytest.raises(AssertionError):
        test_every_readme_link_is_absolute()
    with pytest.raises(AssertionError):
        test_every_repository_link_names_a_file_or_folder_of_this_tree()


def test_the_placeholder_repository_is_documented_in_one_place():
    assert repository().startswith("https://")
    assert ".example/" in repository(), "a reserved domain while there is no public repository"
    assert all(url.startswith(repository()) for url in PROJECT["urls"].values())
