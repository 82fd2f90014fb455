"""Read CloudTrail records as a stream, from the three shapes CloudTrail gives them in.

* Log files as delivered to S3 (``AWSLogs/<account>/CloudTrail/<region>/YYYY/MM/DD/
  *.json.gz``): one JSON object ``{"Records": [...]}`` per file, gzipped
  (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-examples.html).
* ``aws cloudtrail lookup-events`` output: ``{"Events": [{"CloudTrailEvent": "<the record
  as a JSON string>", ...}]}``
  (https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_LookupEvents.html).
* JSON Lines, one record per line: CloudTrail Lake query results and Athena ``UNLOAD ...
  WITH (format = 'JSON')`` exports. Their column names are lower case (``eventname``,
  ``useridentity.sessioncontext.sessionissuer``) and Athena's table keeps
  ``requestparameters`` as a JSON string
  (https://docs.aws.amazon.com/athena/latest/ug/create-cloudtrail-table.html); both are
  read back into CloudTrail's own record shape.

Gzip is recognised by its magic bytes, the shape by the first key of the document. A
folder is searched recursively. Memory stays bounded by the largest record, not by the
file: the records of a ``Records``/``Events`` array are decoded one at a time from a
sliding buffer.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO, Any, cast

__all__ = ["EventsError", "event_files", "read_records"]

CHUNK = 1 << 20
"""Characters read at a time."""
_SUFFIXES = (".json", ".json.gz", ".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz", ".gz")
_ARRAY_KEY = re.compile(r'^\s*\{\s*"(Records|Events)"\s*:\s*\[')
_DECODER = json.JSONDecoder()


class EventsError(ValueError):
    """An ``--events`` path that is missing or not in a CloudTrail shape."""


def event_files(paths: Iterable[str | Path]) -> list[Path]:
    """The files ``paths`` name, folders searched recursively, in a stable order."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found = sorted(
                Path(root) / name
                for root, _, names in os.walk(path)
                for name in names
                if name.endswith(_SUFFIXES)
            )
            files.extend(found)
        elif path.is_file():
            files.append(path)
        else:
            raise EventsError(f"--events {str(path)!r} does not exist")
    return files


def read_records(paths: Iterable[str | Path]) -> Iterator[dict[str, Any]]:
    """Every CloudTrail record in ``paths`` (files or folders), one at a time.

    Example::

        for record in read_records(["AWSLogs/111122223333/CloudTrail/"]):
            print(record["eventTime"], record["eventSource"], record["eventName"])

    :raises EventsError: for a missing path or a file in none of the three shapes.
    """
    for path in event_files(paths):
        yield from _file_records(path)


def _open(path: Path) -> IO[str]:
    raw = path.open("rb")
    magic = raw.peek(2)[:2] if isinstance(raw, io.BufferedReader) else b""
    binary = cast(IO[bytes], gzip.GzipFile(fileobj=raw) if magic == b"\x1f\x8b" else raw)
    return io.TextIOWrapper(binary, encoding="utf-8")


def _file_records(path: Path) -> Iterator[dict[str, Any]]:
    with _open(path) as stream:
        try:
            head = stream.read(CHUNK)
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise EventsError(f"cannot read {str(path)!r}: {error}") from None
        match = _ARRAY_KEY.match(head)
        try:
            if match is None:
                yield from _json_lines(path, stream, head)
            elif match[1] == "Records":
                yield from _array(path, stream, head, match.end())
            else:
                for event in _array(path, stream, head, match.end()):
                    yield _lookup_event(path, event)
        except (OSError, EOFError, UnicodeDecodeError) as error:
            raise EventsError(f"cannot read {str(path)!r}: {error}") from None


def _array(path: Path, stream: IO[str], buffer: str, position: int) -> Iterator[dict[str, Any]]:
    """The items of the JSON array whose ``[`` ends at ``position``, decoded one by one."""
    while True:
        while True:
            while position < len(buffer) and buffer[position] in " \t\r\n,":
                position += 1
            if position < len(buffer):
                break
            more = stream.read(CHUNK)
            if not more:
                raise EventsError(f"{str(path)!r} ends inside its record array")
            buffer, position = more, 0
        if buffer[position] == "]":
            return
        try:
            item, end = _DECODER.raw_decode(buffer, position)
        except json.JSONDecodeError:
            more = stream.read(CHUNK)
            if not more:
                raise EventsError(f"{str(path)!r} is not valid JSON near record end") from None
            buffer, position = buffer[position:] + more, 0
            continue
        if not isinstance(item, dict):
            raise EventsError(f"{str(path)!r}: a record is not a JSON object")
        yield item
        position = end
        if position > CHUNK:
            buffer, position = buffer[position:], 0


def _lookup_event(path: Path, event: dict[str, Any]) -> dict[str, Any]:
    text = event.get("CloudTrailEvent")
    if not isinstance(text, str):
        raise EventsError(f"{str(path)!r}: a lookup-events entry has no CloudTrailEvent string")
    record = json.loads(text)
    if not isinstance(record, dict):
        raise EventsError(f"{str(path)!r}: a CloudTrailEvent is not a JSON object")
    return record


def _lines(head: str, stream: IO[str]) -> Iterator[str]:
    pending, chunk = "", head
    while chunk:
        pending += chunk
        *complete, pending = pending.split("\n")
        yield from complete
        chunk = stream.read(CHUNK)
    if pending:
        yield pending


def _json_lines(path: Path, stream: IO[str], head: str) -> Iterator[dict[str, Any]]:
    for number, line in enumerate(_lines(head, stream), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise EventsError(
                f"{str(path)!r} line {number}: not a CloudTrail log file "
                '({"Records": [...]}), lookup-events output ({"Events": [...]}) '
                "or JSON Lines of records"
            ) from None
        if not isinstance(record, dict):
            raise EventsError(f"{str(path)!r} line {number}: not a JSON object")
        yield record if "eventName" in record else from_export(record)


# -- Athena / CloudTrail Lake rows back to CloudTrail records --------------------------

_CAMEL = {
    name.lower(): name
    for name in [
        "eventVersion",
        "userIdentity",
        "eventTime",
        "eventSource",
        "eventName",
        "awsRegion",
        "sourceIPAddress",
        "userAgent",
        "errorCode",
        "errorMessage",
        "requestParameters",
        "responseElements",
        "additionalEventData",
        "requestID",
        "eventID",
        "readOnly",
        "resources",
        "eventType",
        "apiVersion",
        "managementEvent",
        "recipientAccountId",
        "sharedEventID",
        "vpcEndpointId",
        "eventCategory",
        "type",
        "principalId",
        "arn",
        "accountId",
        "invokedBy",
        "accessKeyId",
        "userName",
        "sessionContext",
        "attributes",
        "creationDate",
        "mfaAuthenticated",
        "sessionIssuer",
        "webIdFederationData",
        "sourceIdentity",
        "ec2RoleDelivery",
    ]
}
_JSON_STRING_FIELDS = {"requestParameters", "responseElements", "additionalEventData"}


def from_export(row: dict[str, Any]) -> dict[str, Any]:
    """A CloudTrail Lake or Athena row (lower-case columns) as a CloudTrail record."""
    record: dict[str, Any] = _camel(row)
    for name in _JSON_STRING_FIELDS:
        value = record.get(name)
        if isinstance(value, str):
            with contextlib.suppress(json.JSONDecodeError):
                record[name] = json.loads(value)
    time = record.get("eventTime")
    if isinstance(time, str) and " " in time and "T" not in time:
        # CloudTrail Lake's eventtime is a timestamp: "2026-11-02 10:00:00.000".
        record["eventTime"] = time.split(".")[0].replace(" ", "T") + "Z"
    return record


def _camel(value: Any) -> Any:
    """Column and struct-field names back to CloudTrail's spelling; the contents of
    ``requestParameters`` and the other free-form maps are left as they are."""
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for key, item in value.items():
        name = str(_CAMEL.get(key, key))
        if name == "resources" and isinstance(item, list):
            item = [
                {("ARN" if k.lower() == "arn" else _CAMEL.get(k, k)): v for k, v in r.items()}
                for r in item
                if isinstance(r, dict)
            ]
        elif name not in _JSON_STRING_FIELDS:
            item = _camel(item)
        result[name] = item
    return result
