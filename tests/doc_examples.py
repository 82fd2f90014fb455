"""The ``python`` blocks of the documentation: README.md, CONTRIBUTING.md and docs/*.md.

Every block is a complete program: tests/test_readme_examples.py runs each one, and the
consumer pipeline (tests/consumer/pipeline.py) type-checks them all with ``mypy --strict``
and pyright (strict) against the installed wheel. A block that is deliberately a fragment
says so: the line right before its fence is ``<!-- fragment: <why> -->``, and it is
neither run nor type-checked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON_BLOCK = re.compile(
    r"^(?P<marker><!-- fragment:[^\n]*-->\n)?```python\n(?P<code>.*?)^```", re.DOTALL | re.MULTILINE
)


@dataclass(frozen=True)
class Example:
    """One ``python`` block: where it is and its code."""

    path: Path
    line: int
    """Line number of the opening fence."""
    code: str
    fragment: bool

    @property
    def name(self) -> str:
        """``docs/boilstream.md:10``."""
        return f"{self.path.relative_to(ROOT).as_posix()}:{self.line}"

    @property
    def module(self) -> str:
        """A module name for the block as a file of its own: ``docs_boilstream_line_10``."""
        stem = re.sub(r"\W", "_", self.path.relative_to(ROOT).with_suffix("").as_posix())
        return f"{stem.lower()}_line_{self.line}"


def documentation() -> list[Path]:
    """The files whose examples are checked."""
    files = [ROOT / "README.md", ROOT / "CONTRIBUTING.md", *sorted((ROOT / "docs").glob("*.md"))]
    return [f for f in files if f.is_file()]


def examples(paths: list[Path] | None = None) -> list[Example]:
    """Every ``python`` block of ``paths`` (default: :func:`documentation`), in order."""
    found = []
    for path in documentation() if paths is None else paths:
        text = path.read_text(encoding="utf-8")
        for match in PYTHON_BLOCK.finditer(text):
            fence = match.start("code") - len("```python\n")
            found.append(
                Example(
                    path=path,
                    line=text.count("\n", 0, fence) + 1,
                    code=match["code"],
                    fragment=match["marker"] is not None,
                )
            )
    return found


def complete_examples() -> list[Example]:
    """The blocks that are whole programs (every one not marked as a fragment)."""
    return [e for e in examples() if not e.fragment]
