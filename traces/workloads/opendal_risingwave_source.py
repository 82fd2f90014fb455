"""RisingWave's S3 source (OpenDAL): split enumeration, listing and reads.

Paths of ``src/connector/src/source/filesystem/opendal_source/`` at the commit in
:data:`~traces.workloads.opendal_common.RISINGWAVE`:

* ``opendal_enumerator.rs#L61-L88`` ``list_splits``: the list prefix comes from
  ``match_pattern`` (``s3/enumerator.rs`` ``get_prefix``: the pattern up to its first
  ``*``, ``[`` or ``{``, cut back to the last ``/``); **without** ``match_pattern`` it is
  ``"/"``, the bucket root. One entry is fetched as validation.
* ``opendal_enumerator.rs#L90-L142`` ``list``: the same prefix listed recursively;
  ``stat`` for an entry whose size is 0 or has no timestamp.
* ``opendal_reader.rs#L177-L186``: each object is read from its split offset
  (``read_with(name).range(offset..)``).
"""

from __future__ import annotations

from collections.abc import Callable

from .base import Context, Step
from .opendal_common import RISINGWAVE, operator
from .opendal_common import client as client  # re-exported: this workload's client

NAME = "opendal-risingwave-source"
NOTES = (
    f"Operator options and call sequence from {RISINGWAVE} "
    "src/connector/src/source/filesystem/opendal_source/{s3_source,opendal_enumerator,"
    "opendal_reader}.rs; match_pattern = '${prefix}/source/*.json'.",
)
FILES = ("part-0.json", "part-1.json")


def get_prefix(pattern: str) -> str:
    """RisingWave's ``get_prefix`` (no escapes): the pattern before its first glob char."""
    for index, char in enumerate(pattern):
        if char in "*[{":
            return pattern[:index]
    return pattern


def list_prefix(prefix: str) -> str:
    """``OpendalEnumerator::extract_list_prefix``."""
    if prefix.endswith("/"):
        return prefix
    return prefix[: prefix.rfind("/") + 1] if "/" in prefix else "/"


def setup(ctx: Context) -> None:
    s3 = ctx.admin("s3")
    s3.create_bucket(Bucket=ctx.bucket)
    for name in FILES:
        s3.put_object(Bucket=ctx.bucket, Key=f"{ctx.prefix}/source/{name}", Body=b'{"v": 1}\n')


def steps(ctx: Context) -> list[Step]:
    op = operator(ctx)
    directory = list_prefix(get_prefix(f"{ctx.prefix}/source/*.json"))

    def first_entry(path: str) -> Callable[[], object]:
        return lambda: next(iter(op.list(path)), None)

    def enumerate_objects() -> object:
        names = []
        for entry in op.list(directory, recursive=True):
            meta = entry.metadata
            if meta.last_modified is None or meta.content_length == 0:
                op.stat(entry.path)
            names.append(entry.path)
        return names

    def read_all() -> object:
        return [op.read(f"{directory}{name}", offset=0) for name in FILES]

    return [
        Step("source without match_pattern: list_splits lists '/'", first_entry("/")),
        Step("source: list_splits (match_pattern directory)", first_entry(directory)),
        Step("source: list (recursive)", enumerate_objects),
        Step("source: read (range from split offset 0)", read_all),
    ]
