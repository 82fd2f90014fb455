"""RisingWave's S3 file sink (OpenDAL): validation, file writes; generic stat and delete.

Paths of ``src/connector/src/sink/file_sink/`` at the commit in
:data:`~traces.workloads.opendal_common.RISINGWAVE`:

* ``opendal_sink.rs#L145-L172`` ``validate``: ``op.list(&self.path)`` where the path is
  ``s3.path`` exactly as the user wrote it (``s3.rs#L159-L161``). This library's
  ``RisingWaveRole.sql_with_clause`` renders ``s3.path = '<prefix>'`` without a slash;
  both spellings are recorded.
* ``opendal_sink.rs#L444-L467``: each file is ``<s3.path>/<uuid v7>_<secs>_<seq>.<suffix>``
  written through ``writer_with(name).concurrent(8)``: one PutObject for a small file, a
  multipart upload once the buffered data passes OpenDAL's chunk size.

RisingWave's S3 source and sink never ``stat`` a directory or delete; the last steps are
plain OpenDAL calls, recorded for the request shapes DESIGN.md lists.
"""

from __future__ import annotations

import os
import uuid

from .base import Context, Step
from .opendal_common import RISINGWAVE, operator
from .opendal_common import client as client  # re-exported: this workload's client

NAME = "opendal-risingwave-sink"
NOTES = (
    f"Operator options and call sequence from {RISINGWAVE} "
    "src/connector/src/sink/file_sink/{s3,opendal_sink}.rs; s3.path = '${prefix}'.",
)
CREATED_SECS = 1767225600  # the file name's creation time (seconds); fixed for stable names


def setup(ctx: Context) -> None:
    ctx.admin("s3").create_bucket(Bucket=ctx.bucket)


def steps(ctx: Context) -> list[Step]:
    op = operator(ctx)
    writer_id = uuid.uuid4()
    names = [f"{ctx.prefix}/{writer_id}_{CREATED_SECS}_{seq}" for seq in range(2)]

    def write(path: str, chunks: list[bytes]) -> object:
        with op.open(path, "wb", concurrent=8) as file:
            for chunk in chunks:
                file.write(chunk)
        return None

    return [
        Step(
            "sink: validate lists s3.path (as rendered, no trailing slash)",
            lambda: list(op.list(ctx.prefix)),
        ),
        Step(
            "sink: validate lists s3.path (with trailing slash)",
            lambda: list(op.list(f"{ctx.prefix}/")),
        ),
        Step(
            "sink: write JSON file (PutObject)",
            lambda: write(f"{names[0]}.json", [b'{"v": 1}\n'] * 4),
        ),
        # Random bytes do not compress; 3 x 4 MiB passes OpenDAL's 8 MiB default chunk.
        Step(
            "sink: write Parquet file (multipart, concurrent 8)",
            lambda: write(f"{names[1]}.parquet", [os.urandom(4 << 20) for _ in range(3)]),
        ),
        Step("OpenDAL stat file (HeadObject)", lambda: op.stat(f"{names[0]}.json")),
        Step("OpenDAL stat directory (trailing slash)", lambda: op.stat(f"{ctx.prefix}/")),
        Step("OpenDAL delete file", lambda: op.delete(f"{names[0]}.json")),
    ]
