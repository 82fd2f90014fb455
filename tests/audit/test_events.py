"""Reading CloudTrail's shapes: log files (gzipped or not), lookup-events, JSON Lines;
records one at a time, memory bounded by a record, not by the file."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from lakehouse_iam.audit import EventsError, read_records
from tests.helpers import ROOT

from . import trail
from .conftest import LAKE_EXPORT, LOOKUP_EVENTS, TRAIL


def test_the_three_shapes_read_as_cloudtrail_records():
    # GIVEN the committed fixtures in each shape
    logs = list(read_records([TRAIL]))
    lookup = list(read_records([LOOKUP_EVENTS]))
    lake = list(read_records([LAKE_EXPORT]))
    # THEN each yields records with CloudTrail's own field names
    for records in (logs, lookup, lake):
        assert records
        for record in records:
            assert {"eventTime", "eventSource", "eventName", "userIdentity"} <= set(record)
    assert len(lookup) == 5 and len(lake) == 5
    # Lake rows (timestamp, maps) and Athena rows (JSON strings) come back the same way
    assert lake[0]["eventTime"] == "2026-11-02T11:23:21Z"
    assert lake[1]["requestParameters"]["versionId"] == "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"
    assert lake[0]["userIdentity"]["sessionContext"]["sessionIssuer"]["arn"].startswith(
        "arn:aws:iam::111122223333:role/LakehouseIam-RisingWave-"
    )
    assert lake[0]["resources"][0]["ARN"].endswith("/archive/2026/part-0.parquet")


def test_a_folder_is_searched_recursively_in_a_stable_order():
    files = sorted(TRAIL.rglob("*.json.gz"))
    assert len(files) == 6
    assert list(read_records([TRAIL])) == [r for f in files for r in read_records([f])]


def test_an_uncompressed_log_file_reads_the_same(tmp_path: Path):
    (gz,) = sorted(TRAIL.rglob("*.json.gz"))[:1]
    plain = tmp_path / "log.json"
    plain.write_bytes(gzip.decompress(gz.read_bytes()))
    assert list(read_records([plain])) == list(read_records([gz]))


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"Records": [{"eventName": "x"}', "ends inside its record array"),
        ("not json at all\n", "not a CloudTrail log file"),
        ('{"Events": [{"EventId": "1"}]}', "no CloudTrailEvent string"),
    ],
)
def test_a_malformed_file_is_an_error_naming_it(tmp_path: Path, content: str, message: str):
    path = tmp_path / "bad.json"
    path.write_text(content)
    with pytest.raises(EventsError, match=message):
        list(read_records([path]))


def test_a_missing_path_is_an_error(tmp_path: Path):
    with pytest.raises(EventsError, match="does not exist"):
        list(read_records([tmp_path / "nope"]))


# Measured in a fresh process: tracemalloc counts every thread's allocations, and the
# suite's background threads (the consumer pipeline, tests/conftest.py) allocate while a
# test runs, which made an in-process peak flaky.
_PEAK = """
import sys, tracemalloc
from pathlib import Path
from lakehouse_iam.audit import events, read_records
events.CHUNK = int(sys.argv[2])
tracemalloc.start()
seen = sum(1 for _ in read_records([Path(sys.argv[1])]))
print(seen, tracemalloc.get_traced_memory()[1])
"""


def _peak_reading(path: Path, body: str, size: int, *, chunk: int) -> tuple[int, int]:
    count = size // len(body)
    with gzip.open(path, "wt", compresslevel=1) as out:
        out.write('{"Records": [')
        out.write(",".join([body] * count))
        out.write("]}")
    result = subprocess.run(
        [sys.executable, "-c", _PEAK, str(path), str(chunk)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    seen, peak = (int(v) for v in result.stdout.split())
    assert seen == count
    return peak, count


def test_memory_is_bounded_by_a_record_not_by_the_file(tmp_path: Path):
    # GIVEN a 64 KiB read buffer (1 MiB by default), and gzipped log files whose
    # decompressed bodies are 2 MB and 8 MB
    one = trail.record(
        who=trail.identity("role", "engine"),
        time="2026-11-02T10:00:00Z",
        source="s3.amazonaws.com",
        name="GetObject",
        parameters={"bucketName": "lake", "key": "k" * 200},
        data_event=True,
        seed="big",
    )
    body = json.dumps(one, separators=(",", ":"))
    # WHEN each is read record by record
    small, _ = _peak_reading(tmp_path / "small.json.gz", body, 2_000_000, chunk=1 << 16)
    large, count = _peak_reading(tmp_path / "large.json.gz", body, 8_000_000, chunk=1 << 16)
    # THEN the peak does not grow with the file, and stays below the larger body
    assert large < small * 1.25, (small, large)
    assert large < count * len(body) / 8, (large, count * len(body))
