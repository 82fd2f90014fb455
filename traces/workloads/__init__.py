"""Client workloads that ``make traces`` records, one module each.

A workload module defines:

* ``NAME``: the fixture name (``<client>-<workload>``);
* ``NOTES``: what the workload imitates and where that comes from (engine source files
  at a commit), copied into the fixture;
* ``client() -> str``: the client and its version as installed;
* ``setup(ctx)``: what an administrator creates first (bucket, Glue database, input
  objects), with admin credentials and not recorded;
* ``steps(ctx) -> list[Step]``: the client's operations, in order; each step's requests
  are recorded under its name.
"""

from __future__ import annotations

from types import ModuleType

from . import (
    duckdb_ducklake,
    duckdb_httpfs,
    opendal_risingwave_sink,
    opendal_risingwave_source,
    pyiceberg_glue,
)
from .base import Context, Step

WORKLOADS: dict[str, ModuleType] = {
    module.NAME: module
    for module in (
        duckdb_ducklake,
        duckdb_httpfs,
        opendal_risingwave_source,
        opendal_risingwave_sink,
        pyiceberg_glue,
    )
}
"""Every workload by fixture name; adding one is one line here."""

__all__ = ["WORKLOADS", "Context", "Step"]
