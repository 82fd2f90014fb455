"""lakehouse-iam as a package: what the wheel and sdist hold, its metadata, its license,
and documentation whose links all resolve (relative links into this tree, no placeholder
hosts) and a README short enough to read."""

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


def test_the_metadata_declares_license_floors_and_typing_and_no_placeholder_urls(dists):
    (wheel,) = dists.glob("*.whl")
    with zipfile.ZipFile(wheel) as archive:
        metadata = Parser().parsestr(
            archive.read(f"lakehouse_iam-{PROJECT['version']}.dist-info/METADATA").decode()
        )
    assert metadata["License-Expression"] == "Apache-2.0"
    # No public repository yet: no [project.urls] rather than placeholders (CONTRIBUTING.md,
    # "Publishing").
    assert "urls" not in PROJECT
    assert metadata.get_all("Project-URL") is None
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


# -- documentation links ------------------------------------------------------------------

README_MAX_LINES = 300


def documentation() -> list[Path]:
    """The hand-written and generated documentation: README, CONTRIBUTING, CHANGELOG, docs/."""
    names = ["README.md", "CONTRIBUTING.md", "CHANGELOG.md"]
    return [ROOT / n for n in names] + sorted((ROOT / "docs").glob("*.md"))


def links(path: Path) -> list[str]:
    """The Markdown link targets of ``path``, outside code blocks."""
    text = path.read_text(encoding="utf-8")
    prose = re.sub(r"^```.*?^```", "", text, flags=re.S | re.M)
    return LINK.findall(prose)


def broken_links(path: Path) -> list[str]:
    """Links of ``path`` to a placeholder host, or relative links naming no file or folder
    of this tree (resolved from the linking file's folder; ``#anchors`` are not checked)."""
    broken = []
    for link in links(path):
        if re.match(r"^[a-z]+://", link) or link.startswith("mailto:"):
            host = link.split("/")[2]
            if host.endswith((".example", ".invalid", ".test", "example.com")):
                broken.append(link)
            continue
        target = link.split("#", 1)[0]
        if target and not (path.parent / target).exists():
            broken.append(link)
    return broken


@pytest.mark.parametrize("path", documentation(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_every_link_names_a_file_of_this_tree_or_a_real_host(path):
    assert broken_links(path) == []


def test_the_link_check_fails_on_a_placeholder_host_and_a_missing_file(tmp_path):
    # GIVEN a page with one placeholder-host link, one link to a missing file, one good link
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "x.md").write_text("x\n")
    page = tmp_path / "README.md"
    page.write_text(
        "[a](https://git.lakehouse-iam.example/lakehouse-iam/blob/main/README.md) "
        "[b](docs/missing.md) [c](docs/x.md#part) [d](https://docs.aws.amazon.com/iam/)\n"
    )
    # THEN the first two are reported, the rest are not
    assert broken_links(page) == [
        "https://git.lakehouse-iam.example/lakehouse-iam/blob/main/README.md",
        "docs/missing.md",
    ]


def test_the_readme_stays_short():
    # The README answers a user's first minutes; contributor material is in CONTRIBUTING.md.
    lines = (ROOT / "README.md").read_text(encoding="utf-8").count("\n")
    assert lines <= README_MAX_LINES, f"README.md has {lines} lines (at most {README_MAX_LINES})"


def test_the_readme_links_every_guide():
    # Every guide of docs/ is reachable from the README, directly or through CONTRIBUTING.md.
    reachable = {
        (ROOT / link.split("#", 1)[0]).resolve()
        for page in (ROOT / "README.md", ROOT / "CONTRIBUTING.md")
        for link in links(page)
        if not re.match(r"^[a-z]+://", link)
    }
    guides = {p.resolve() for p in (ROOT / "docs").glob("*.md")}
    assert sorted(p.name for p in guides - reachable) == []
