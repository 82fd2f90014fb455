"""moto's server app behind a lock, with an access log of every response status.

``python -m traces.serial_moto -H 127.0.0.1 -p PORT --access-log FILE`` serves the same
app as ``moto_server`` but handles one request at a time. moto's recorder appends to its
file without a lock, so concurrent requests (DuckDB and OpenDAL upload parts in parallel)
could interleave or lose entries; serialized, every recorded request has exactly one
access-log line, in the same order, which is how the recorder pairs a request with its
status (the recorder stores none).

The access log is JSON lines: ``{"method", "uri", "status"}`` plus, for the Glue listings
(``GetDatabases``, ``GetTables``), the names the response returned: AWS authorizes a
listing against what it returns, and the recording holds requests only.
"""

from __future__ import annotations

import argparse
import json
import os
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import IO, Any

LISTINGS = {
    "AWSGlue.GetDatabases": "DatabaseList",
    "AWSGlue.GetTables": "TableList",
}
"""Glue listing targets -> the response field whose items' ``Name`` is logged."""

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


class SerialApp:
    """A WSGI app that runs ``app`` for one request at a time and logs each status."""

    def __init__(self, app: WsgiApp, log: IO[str]) -> None:
        self._app = app
        self._log = log
        self._lock = threading.Lock()

    def __call__(self, environ: dict[str, Any], start_response: StartResponse) -> list[bytes]:
        captured: dict[str, Any] = {}

        def capture(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            captured["status"] = int(status.split()[0])
            return start_response(status, headers, *args)

        with self._lock:
            # The body is produced inside the lock: moto records while it handles it.
            body = list(self._app(environ, capture))
            entry: dict[str, Any] = {
                "method": environ.get("REQUEST_METHOD", ""),
                "uri": environ.get("REQUEST_URI") or environ.get("RAW_URI") or "",
                "status": captured.get("status", 0),
            }
            target = environ.get("HTTP_X_AMZ_TARGET", "")
            if target in LISTINGS and entry["status"] == 200:
                items = json.loads(b"".join(body) or b"{}").get(LISTINGS[target], [])
                entry["returned"] = [item["Name"] for item in items]
            self._log.write(json.dumps(entry) + "\n")
            self._log.flush()
        return body


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-H", "--host", default="127.0.0.1")
    parser.add_argument("-p", "--port", type=int, required=True)
    parser.add_argument("--access-log", type=Path, required=True)
    args = parser.parse_args(argv)

    from moto.moto_server.werkzeug_app import (
        DomainDispatcherApplication,
        MotoRequestHandler,
        create_backend_app,
    )
    from werkzeug.serving import run_simple

    os.environ.setdefault("MOTO_PORT", str(args.port))  # as moto_server does
    app = DomainDispatcherApplication(create_backend_app)
    with args.access_log.open("a", encoding="utf-8") as log:
        run_simple(
            args.host,
            args.port,
            SerialApp(app, log),
            threaded=True,
            request_handler=MotoRequestHandler,
        )


if __name__ == "__main__":
    main()
