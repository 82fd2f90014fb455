"""The fixture format: one recorded, normalized client workload.

A fixture (``traces/fixtures/<client>-<workload>.json``) keeps only what the mapping to
IAM authorization requests needs. Each request has:

* ``step``: the workload step that sent it (the engine-request row's ``op``);
* ``service``: the signing service of its SigV4 credential scope (``s3``, ``glue``, ``sts``);
* ``method``, ``path`` (as sent, percent-encoded), ``query`` (decoded ``[name, value]``
  pairs in the order sent) and ``headers`` (lower-case names; only those that change
  authorization, see :data:`traces.normalize.DROPPED_HEADERS`);
* ``status``: the response status from the server's access log;
* optional ``json`` (the authorization-relevant fields of a JSON body: names and catalog
  ids), ``form`` (STS query parameters), ``delete_keys`` (the keys of a DeleteObjects
  body) and ``returned`` (names a Glue listing returned).

The bucket name is ``${bucket}`` and the key prefix ``${prefix}``; UUIDs, upload ids and
long numbers (snapshot ids, timestamps) are numbered placeholders, so re-recording an
unchanged workload writes the same bytes. :func:`dumps` writes one request per line.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FIXTURES_DIR = Path(__file__).with_name("fixtures")
BUCKET = "${bucket}"
PREFIX = "${prefix}"


@dataclass(frozen=True)
class Request:
    """One recorded HTTP request, normalized."""

    step: str
    service: str
    method: str
    path: str
    status: int
    query: tuple[tuple[str, str], ...] = ()
    headers: Mapping[str, str] = field(default_factory=dict)
    json: Mapping[str, Any] | None = None
    form: Mapping[str, str] | None = None
    delete_keys: tuple[str, ...] | None = None
    returned: tuple[str, ...] | None = None

    def param(self, name: str) -> str | None:
        """The first value of query parameter ``name`` (``""`` when sent without one)."""
        for key, value in self.query:
            if key == name:
                return value
        return None

    def has_param(self, name: str) -> bool:
        return any(key == name for key, _ in self.query)

    def describe(self) -> str:
        query = "&".join(f"{k}={v}" if v else k for k, v in self.query)
        target = self.headers.get("x-amz-target", "")
        extra = f" {target}" if target else ""
        extra += f" {json.dumps(self.json, sort_keys=True)}" if self.json else ""
        return f"{self.method} {self.path}{'?' + query if query else ''}{extra} -> {self.status}"

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "step": self.step,
            "service": self.service,
            "method": self.method,
            "path": self.path,
            "query": [list(pair) for pair in self.query],
            "headers": dict(self.headers),
            "status": self.status,
        }
        for name in ("json", "form"):
            if getattr(self, name) is not None:
                data[name] = getattr(self, name)
        for name in ("delete_keys", "returned"):
            if getattr(self, name) is not None:
                data[name] = list(getattr(self, name))
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Request:
        def names(key: str) -> tuple[str, ...] | None:
            return None if data.get(key) is None else tuple(data[key])

        return cls(
            step=str(data["step"]),
            service=str(data["service"]),
            method=str(data["method"]),
            path=str(data["path"]),
            status=int(data["status"]),
            query=tuple((str(k), str(v)) for k, v in data.get("query", [])),
            headers={str(k): str(v) for k, v in data.get("headers", {}).items()},
            json=data.get("json"),
            form=data.get("form"),
            delete_keys=names("delete_keys"),
            returned=names("returned"),
        )


@dataclass(frozen=True)
class Fixture:
    """A recorded workload: which client sent it and its requests, in order."""

    name: str
    client: str
    workload: str
    recorded_with: str
    requests: tuple[Request, ...]
    notes: tuple[str, ...] = ()

    @property
    def path(self) -> Path:
        return FIXTURES_DIR / f"{self.name}.json"

    def steps(self) -> list[str]:
        """Step names in order of first request."""
        return list(dict.fromkeys(r.step for r in self.requests))


def dumps(fixture: Fixture) -> str:
    """Stable JSON text: sorted keys, one request per line, trailing newline."""
    head = {
        "name": fixture.name,
        "client": fixture.client,
        "workload": fixture.workload,
        "recorded_with": fixture.recorded_with,
        "notes": list(fixture.notes),
    }
    lines = ["{"]
    for key in sorted(head):
        lines.append(f"  {json.dumps(key)}: {json.dumps(head[key], sort_keys=True)},")
    lines.append('  "requests": [')
    body = [
        "    " + json.dumps(r.to_dict(), sort_keys=True, separators=(",", ":"))
        for r in fixture.requests
    ]
    lines.append(",\n".join(body))
    lines.append("  ]")
    lines.append("}")
    return "\n".join(lines) + "\n"


def loads(text: str) -> Fixture:
    data = json.loads(text)
    return Fixture(
        name=str(data["name"]),
        client=str(data["client"]),
        workload=str(data["workload"]),
        recorded_with=str(data["recorded_with"]),
        requests=tuple(Request.from_dict(r) for r in data["requests"]),
        notes=tuple(data.get("notes", [])),
    )


def load(name: str, directory: Path = FIXTURES_DIR) -> Fixture:
    """The committed fixture ``<directory>/<name>.json``."""
    return loads((directory / f"{name}.json").read_text(encoding="utf-8"))


def save(fixture: Fixture, directory: Path = FIXTURES_DIR) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{fixture.name}.json"
    path.write_text(dumps(fixture), encoding="utf-8")
    return path


def names(directory: Path = FIXTURES_DIR) -> Sequence[str]:
    """Every committed fixture's name, sorted."""
    return sorted(p.stem for p in directory.glob("*.json"))
