"""Record the client workloads against moto and write ``traces/fixtures/*.json``.

``python -m traces.record [NAME ...]`` (``make traces``) runs each workload of
:data:`traces.workloads.WORKLOADS` against its own moto server with moto's recorder on:

1. the server is ``traces.serial_moto`` (moto's app, one request at a time, an access log
   with each response status), started through ``deploy_local.moto_server.MotoServer``;
2. the recording is stopped and reset, the workload's ``setup`` runs with admin
   credentials (bucket, Glue database, input objects), then recording starts;
3. each step runs; the access log's length after it marks which requests it sent;
4. recording stops, the recording is downloaded (``/moto-api/recorder/...``) and paired
   1:1 with the access-log lines recorded in between (same method and URI, or the run
   fails), normalized (:mod:`traces.normalize`) and saved.

Never part of ``make test``: the tests replay the committed fixtures.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
import tempfile
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

from deploy_local.moto_server import MotoServer

from . import fixture as fx
from .normalize import RawRequest, extract, normalize, raw_from_recording
from .workloads import WORKLOADS
from .workloads.base import Context

RECORDER = "/moto-api/recorder/"


class RecordingServer(MotoServer):
    """A serialized moto server with its recorder enabled, files under ``directory``."""

    def __init__(self, directory: Path) -> None:
        super().__init__(log_path=directory / "server.log")
        self.access_log = directory / "access.jsonl"
        self.recording = directory / "recording.jsonl"

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "traces.serial_moto",
            "-H",
            "127.0.0.1",
            "-p",
            str(self.port),
            "--access-log",
            str(self.access_log),
        ]

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        env = super().env(base)
        env.update(MOTO_ENABLE_RECORDING="True", MOTO_RECORDER_FILEPATH=str(self.recording))
        return env

    def recorder(self, verb: str) -> str:
        """Call ``/moto-api/recorder/<verb>-recording``."""
        method = "GET" if verb == "download" else "POST"
        request = urllib.request.Request(
            f"{self.endpoint}{RECORDER}{verb}-recording", method=method, data=None
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return str(response.read().decode("utf-8"))

    def access_entries(self) -> list[dict[str, Any]]:
        if not self.access_log.exists():
            return []
        text = self.access_log.read_text(encoding="utf-8")
        return [json.loads(line) for line in text.splitlines() if line]

    @contextlib.contextmanager
    def paused(self) -> Iterator[None]:
        self.recorder("stop")
        try:
            yield
        finally:
            self.recorder("start")


def recorded_access(entries: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """The access-log entries of requests moto recorded, following start/stop/reset."""
    recording = True  # MOTO_ENABLE_RECORDING=True: on from the start
    kept: list[dict[str, Any]] = []
    for entry in entries:
        path = urllib.parse.urlsplit(entry["uri"]).path
        if path.startswith(RECORDER):
            verb = path.removeprefix(RECORDER).removesuffix("-recording")
            if verb == "start":
                recording = True
            elif verb == "stop":
                recording = False
            elif verb == "reset":
                kept.clear()
        elif recording and not path.startswith("/moto-api/"):
            kept.append(entry)
    return kept


def pair(recording: str, access: Sequence[dict[str, Any]]) -> list[RawRequest]:
    """Recorded requests with their statuses; fails unless they match 1:1."""
    entries = [json.loads(line) for line in recording.splitlines() if line.strip()]
    if len(entries) != len(access):
        raise RuntimeError(
            f"recording has {len(entries)} requests, access log {len(access)}: not 1:1"
        )
    raws = []
    for entry, logged in zip(entries, access, strict=True):
        split = urllib.parse.urlsplit(entry["url"])
        uri = split.path + (f"?{split.query}" if split.query else "")
        if entry["method"] != logged["method"] or uri != logged["uri"]:
            raise RuntimeError(f"recording and access log disagree: {entry['url']} vs {logged}")
        raw = raw_from_recording(entry, int(logged["status"]))
        if "returned" in logged:
            raw = RawRequest(**{**raw.__dict__, "returned": tuple(logged["returned"])})
        raws.append(raw)
    return raws


def record(workload: ModuleType) -> fx.Fixture:
    """Run one workload and return its normalized fixture."""
    import moto

    with tempfile.TemporaryDirectory(prefix="traces-") as tmp:
        directory = Path(tmp)
        server = RecordingServer(directory)
        with server:
            ctx = Context(
                endpoint=server.endpoint,
                workdir=directory,
                admin=server.client,
                pause=server.paused,
            )
            server.recorder("stop")
            server.recorder("reset")
            workload.setup(ctx)
            server.recorder("start")
            marks: list[tuple[str, int]] = []
            for step in workload.steps(ctx):
                step.run()
                marks.append((step.name, len(recorded_access(server.access_entries()))))
            server.recorder("stop")
            recording = server.recorder("download")
            access = recorded_access(server.access_entries())
    raws = pair(recording, access)
    requests = [extract(raw, _step_of(index, marks)) for index, raw in enumerate(raws)]
    return fx.Fixture(
        name=workload.NAME,
        client=workload.client(),
        workload=str(workload.__doc__ or "").strip().splitlines()[0],
        recorded_with=f"moto {moto.__version__}",
        requests=tuple(normalize(requests, bucket=ctx.bucket, prefix=ctx.prefix)),
        notes=tuple(workload.NOTES),
    )


def _step_of(index: int, marks: Sequence[tuple[str, int]]) -> str:
    for name, end in marks:
        if index < end:
            return name
    raise RuntimeError(f"request {index} was sent after the last step")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Re-record traces/fixtures/*.json")
    parser.add_argument("names", nargs="*", help=f"workloads (default: all of {list(WORKLOADS)})")
    parser.add_argument("--out", type=Path, default=fx.FIXTURES_DIR)
    args = parser.parse_args(argv)
    unknown = sorted(set(args.names) - set(WORKLOADS))
    if unknown:
        parser.error(f"unknown workloads {unknown}; known: {sorted(WORKLOADS)}")
    for name in args.names or list(WORKLOADS):
        fixture = record(WORKLOADS[name])
        path = fx.save(fixture, args.out)
        print(f"{path}: {len(fixture.requests)} requests, {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
