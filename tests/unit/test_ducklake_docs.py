"""docs/ducklake.md agrees with the catalog, and its example runs."""

from __future__ import annotations

import re

from lakehouse_iam.vendors.ducklake import catalog as catalog
from tests.helpers import ROOT

DOC = (ROOT / "docs" / "ducklake.md").read_text(encoding="utf-8")


def test_every_deviation_has_a_row():
    rows = {
        cells[0]
        for line in DOC.splitlines()
        if line.startswith("| ")
        for cells in [[c.strip() for c in line.strip("|").split("|")]]
    }
    for deviation in catalog.DEVIATIONS:
        assert deviation.topic in rows, deviation.topic


def test_python_example_synthesizes():
    # GIVEN the guide's first python block WHEN run THEN it builds and synthesizes
    (code,) = re.findall(r"```python\n(.*?)```", DOC, flags=re.S)[:1]
    exec(compile(code, "docs/ducklake.md", "exec"), {})
