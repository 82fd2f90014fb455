"""Raw recorded HTTP requests -> small, stable fixture requests.

Two stages:

* :func:`extract` turns one request as moto's recorder stored it (method, URL, headers,
  body) plus its access-log status into a :class:`~traces.fixture.Request`, keeping only
  what authorization depends on.
* :func:`normalize` makes a fixture's requests independent of the run: the bucket name
  becomes ``${bucket}``, the key prefix ``${prefix}``, and every UUID, multipart upload id
  and long number (snapshot ids, timestamps) becomes a numbered placeholder in order of
  first appearance. Runs of ``UploadPart`` requests, which clients send concurrently, are
  put in part-number order. Normalizing a normalized fixture changes nothing.
"""

from __future__ import annotations

import base64
import json
import re
import urllib.parse
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from typing import Any

from .fixture import BUCKET, PREFIX, Request

DROPPED_HEADERS = (
    "x-amz-date",
    "x-amz-content-sha256",
    "x-amz-security-token",
    "x-amz-user-agent",
    "x-amz-api-version",
    "x-amz-decoded-content-length",
    "x-amz-trailer",
    "x-amz-sdk-checksum-algorithm",
    "x-amz-checksum-",
    "x-amz-meta-",
)
"""``x-amz-*`` headers (or name prefixes) that never change which permission a request
needs: signing, transfer encoding, checksums and user metadata. Every other ``x-amz-*``
header is kept, so the mapping sees (and must understand) it."""

GLUE_FIELDS = ("CatalogId", "DatabaseName", "Name", "TableName")
"""Top-level fields of a Glue JSON request that name the resources it acts on."""
GLUE_INPUT_FIELDS = ("DatabaseInput", "TableInput")
"""Glue request structures whose ``Name`` names the resource created or updated."""
STS_FIELDS = ("Action", "RoleArn")

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
_LONG_NUMBER = re.compile(r"(?<![0-9A-Za-z])[0-9]{10,}(?![0-9])")
_UPLOAD_ID = re.compile(r"upload-[0-9]{4}")
_CREDENTIAL = re.compile(r"Credential=[^/]+/[0-9]{8}/[^/]+/([^/]+)/aws4_request")


@dataclass(frozen=True)
class RawRequest:
    """One request as moto's recorder stored it, with its status from the access log."""

    method: str
    url: str
    headers: Mapping[str, str]
    body: bytes
    status: int
    returned: tuple[str, ...] | None = None


def raw_from_recording(entry: Mapping[str, Any], status: int) -> RawRequest:
    """A :class:`RawRequest` from one line of moto's recording."""
    body = entry.get("body") or ""
    data = base64.b64decode(body) if entry.get("body_encoded") else str(body).encode()
    return RawRequest(
        method=str(entry["method"]),
        url=str(entry["url"]),
        headers={str(k): str(v) for k, v in entry.get("headers", {}).items()},
        body=data,
        status=status,
    )


# -- extract -----------------------------------------------------------------------------


def extract(raw: RawRequest, step: str) -> Request:
    """The authorization-relevant part of ``raw``, sent by workload step ``step``."""
    headers = {k.lower(): v for k, v in raw.headers.items()}
    split = urllib.parse.urlsplit(raw.url)
    service = signing_service(headers, split.query)
    kept = {
        name: value
        for name, value in sorted(headers.items())
        if name.startswith("x-amz-") and not name.startswith(DROPPED_HEADERS)
    }
    request = Request(
        step=step,
        service=service,
        method=raw.method.upper(),
        path=split.path or "/",
        status=raw.status,
        query=tuple(urllib.parse.parse_qsl(split.query, keep_blank_values=True)),
        headers=kept,
        returned=raw.returned,
    )
    if "x-amz-target" in kept:
        return replace(request, json=_json_fields(raw.body))
    if service == "sts":
        form = dict(urllib.parse.parse_qsl(raw.body.decode()))
        return replace(request, form={k: form[k] for k in STS_FIELDS if k in form})
    if service == "s3" and request.method == "POST" and request.has_param("delete"):
        return replace(request, delete_keys=_delete_keys(raw.body))
    return request


def signing_service(headers: Mapping[str, str], query: str) -> str:
    """The service of the request's SigV4 credential scope (header or presigned URL)."""
    authorization = headers.get("authorization", "")
    match = _CREDENTIAL.search(authorization)
    if match is None:
        credential = dict(urllib.parse.parse_qsl(query)).get("X-Amz-Credential", "")
        match = _CREDENTIAL.search(f"Credential={credential}")
    if match is None:
        raise ValueError(f"unsigned request (no SigV4 credential scope): {authorization!r}")
    return match.group(1)


def _json_fields(body: bytes) -> dict[str, Any]:
    data = json.loads(body or b"{}")
    kept: dict[str, Any] = {k: data[k] for k in GLUE_FIELDS if k in data}
    for name in GLUE_INPUT_FIELDS:
        if isinstance(data.get(name), dict) and "Name" in data[name]:
            kept[name] = {"Name": data[name]["Name"]}
    if "TablesToDelete" in data:
        kept["TablesToDelete"] = list(data["TablesToDelete"])
    return kept


def _delete_keys(body: bytes) -> tuple[str, ...]:
    root = ET.fromstring(body)
    keys = []
    for element in root.iter():
        if element.tag.rsplit("}", 1)[-1] == "Object":
            fields = {child.tag.rsplit("}", 1)[-1]: child.text or "" for child in element}
            if "VersionId" in fields:
                raise ValueError("DeleteObjects with VersionId is not supported by the mapping")
            keys.append(fields["Key"])
    return tuple(keys)


# -- normalize ---------------------------------------------------------------------------


def normalize(requests: Iterable[Request], *, bucket: str, prefix: str) -> list[Request]:
    """Run-independent requests: placeholders for names and ids, parts in order."""
    named = [_map_strings(r, lambda s: _names(s, bucket, prefix)) for r in requests]
    ordered = _parts_in_order(named)
    return _numbered_ids(ordered)


_PLACEHOLDER = re.compile(r"(\$\{[^}]*\})")


def _names(value: str, bucket: str, prefix: str) -> str:
    """``value`` with the bucket and prefix replaced outside existing placeholders."""
    for raw, placeholder in ((bucket, BUCKET), (prefix, PREFIX)):
        if raw:
            parts = _PLACEHOLDER.split(value)
            # Even indexes are the text between placeholders.
            value = "".join(
                part.replace(raw, placeholder) if index % 2 == 0 else part
                for index, part in enumerate(parts)
            )
    return value


def _map_strings(request: Request, fn: Any) -> Request:
    """``request`` with ``fn`` applied to every value it sent (never to names, the step,
    the method or the service)."""
    data = request.to_dict()
    for name in ("path", "headers", "json", "form", "delete_keys", "returned"):
        if name in data:
            data[name] = _map_value(data[name], fn)
    data["query"] = [[key, fn(value)] for key, value in data["query"]]
    return Request.from_dict(data)


def _map_value(value: Any, fn: Any) -> Any:
    if isinstance(value, str):
        return fn(value)
    if isinstance(value, list):
        return [_map_value(v, fn) for v in value]
    if isinstance(value, dict):  # header names and JSON field names stay as sent
        return {k: _map_value(v, fn) for k, v in value.items()}
    return value


def _is_upload_part(request: Request) -> bool:
    return request.method == "PUT" and request.has_param("partNumber")


def _parts_in_order(requests: list[Request]) -> list[Request]:
    """Consecutive UploadPart requests of one upload sorted by part number: clients send
    parts concurrently, so their arrival order differs between runs."""
    result: list[Request] = []
    run: list[Request] = []

    def flush() -> None:
        result.extend(sorted(run, key=lambda r: int(r.param("partNumber") or 0)))
        run.clear()

    for request in requests:
        if run and not (
            _is_upload_part(request)
            and (request.step, request.path, request.param("uploadId"))
            == (run[0].step, run[0].path, run[0].param("uploadId"))
        ):
            flush()
        if _is_upload_part(request):
            run.append(request)
        else:
            result.append(request)
    flush()
    return result


class _Numbering:
    """Numbered placeholders (``uuid-0001``) in order of first appearance."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.assigned: dict[str, str] = {}

    def __call__(self, value: str) -> str:
        if value not in self.assigned:
            self.assigned[value] = f"{self.kind}-{len(self.assigned) + 1:04d}"
        return self.assigned[value]


def _numbered_ids(requests: list[Request]) -> list[Request]:
    uploads = _Numbering("upload")
    uuids = _Numbering("uuid")
    numbers = _Numbering("n")
    result = []
    for request in requests:
        upload_id = request.param("uploadId")
        if upload_id is not None and not _UPLOAD_ID.fullmatch(upload_id):
            new_id = uploads(upload_id)
            request = replace(
                request,
                query=tuple((k, new_id if k == "uploadId" else v) for k, v in request.query),
            )

        def ids(value: str) -> str:
            value = _UUID.sub(lambda m: uuids(m.group(0)), value)
            return _LONG_NUMBER.sub(lambda m: numbers(m.group(0)), value)

        result.append(_map_strings(request, ids))
    return result
