"""``python -m docsgen.readme_links OLD_BASE``: rebase README.md's repository links.

README.md is the package index's project page, so its links are absolute against
``[project.urls] Repository`` of pyproject.toml (a placeholder until the project has a
public repository). After changing that URL, run this with the previous one to rewrite
every README link that starts with it; tests/test_packaging.py then checks that each
link is absolute and names a file or folder of this tree.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the dev extra installs tomli
    import tomli as tomllib  # type: ignore[no-redef]

ROOT = Path(__file__).resolve().parent.parent


def repository() -> str:
    """``[project.urls] Repository`` of pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return str(project["urls"]["Repository"])


def rebase(text: str, old: str, new: str) -> str:
    """``text`` with every ``](OLD...`` link rewritten to ``](NEW...``."""
    return text.replace(f"]({old.rstrip('/')}/", f"]({new.rstrip('/')}/")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docsgen.readme_links", description=__doc__)
    parser.add_argument("old_base", help="the Repository URL the README links use now")
    args = parser.parse_args(argv)
    readme = ROOT / "README.md"
    text = readme.read_text(encoding="utf-8")
    updated = rebase(text, args.old_base, repository())
    readme.write_text(updated, encoding="utf-8")
    print(f"{readme}: links rebased onto {repository()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
