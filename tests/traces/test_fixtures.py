"""The committed fixtures are small and normalized; the recorder's pure parts work."""

from __future__ import annotations

import base64
import json
import re
from typing import Any

import pytest

from traces import fixture as fx
from traces.mapping import Environment, authorization_requests
from traces.normalize import RawRequest, extract, normalize, raw_from_recording
from traces.record import pair, recorded_access
from traces.workloads import WORKLOADS
from traces.workloads.base import BUCKET_NAME, KEY_PREFIX

NAMES = fx.names()
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.I)


def test_every_workload_has_a_committed_fixture() -> None:
    assert set(NAMES) == set(WORKLOADS)


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_normalized(name: str) -> None:
    # GIVEN a committed fixture WHEN normalized again THEN nothing changes, byte for byte
    recorded = fx.load(name)
    again = normalize(recorded.requests, bucket=BUCKET_NAME, prefix=KEY_PREFIX)
    assert again == list(recorded.requests)
    assert fx.dumps(recorded) == recorded.path.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", NAMES)
def test_fixture_is_small_and_holds_no_run_specific_value(name: str) -> None:
    recorded = fx.load(name)
    assert len(recorded.path.read_text(encoding="utf-8")) < 16_000
    text = json.dumps([r.to_dict() for r in recorded.requests])
    assert BUCKET_NAME not in text and KEY_PREFIX not in text
    assert not UUID.search(text)
    assert not re.search(r"[0-9]{10,}", text)  # snapshot ids, timestamps
    assert "authorization" not in text.lower()


@pytest.mark.parametrize("name", NAMES)
def test_every_recorded_request_maps(name: str) -> None:
    env = Environment(bucket_arn="${Data/Bucket.Arn}", kms_key_arn="${Data/Key.Arn}")
    for request in fx.load(name).requests:
        assert request.step
        authorization_requests(request, env)  # raises UnmappedRequest otherwise


# -- normalize ------------------------------------------------------------------------------

AUTH = "AWS4-HMAC-SHA256 Credential=testing/20261201/us-east-1/{}/aws4_request, Signature=x"


def _raw(method: str, url: str, service: str = "s3", **kw: Any) -> RawRequest:
    headers = {"Authorization": AUTH.format(service), **kw.pop("headers", {})}
    return RawRequest(
        method=method,
        url=url,
        headers=headers,
        body=kw.pop("body", b""),
        status=kw.pop("status", 200),
    )


def test_normalize_replaces_names_and_numbers_ids_in_order_of_first_appearance() -> None:
    # GIVEN two requests with a bucket, a prefix, two UUIDs, an upload id and a snapshot id
    u1, u2 = "0190e7c2-0000-7000-8000-000000000001", "0190e7c2-0000-7000-8000-000000000002"
    raws = [
        _raw(
            "PUT",
            f"http://localhost:1/bkt/pre/{u2}/snap-1234567890123-{u1}.avro?partNumber=2&uploadId=ABC",
        ),
        _raw(
            "PUT",
            f"http://localhost:1/bkt/pre/{u2}/snap-1234567890123-{u1}.avro?partNumber=1&uploadId=ABC",
        ),
        _raw("GET", f"http://localhost:1/bkt?list-type=2&prefix=pre%2F{u1}"),
    ]
    # WHEN extracted and normalized
    requests = normalize([extract(r, "s") for r in raws], bucket="bkt", prefix="pre")
    # THEN names are placeholders, parts are in order and ids numbered by first appearance
    assert [(r.path, r.query) for r in requests] == [
        (
            "/${bucket}/${prefix}/uuid-0001/snap-n-0001-uuid-0002.avro",
            (("partNumber", "1"), ("uploadId", "upload-0001")),
        ),
        (
            "/${bucket}/${prefix}/uuid-0001/snap-n-0001-uuid-0002.avro",
            (("partNumber", "2"), ("uploadId", "upload-0001")),
        ),
        ("/${bucket}", (("list-type", "2"), ("prefix", "${prefix}/uuid-0002"))),
    ]
    assert normalize(requests, bucket="bkt", prefix="pre") == requests


def test_extract_keeps_only_authorization_relevant_parts() -> None:
    body = json.dumps({"DatabaseName": "db", "TableInput": {"Name": "t", "Parameters": {"x": "y"}}})
    raw = _raw(
        "POST",
        "http://localhost:1/",
        service="glue",
        headers={"X-Amz-Target": "AWSGlue.UpdateTable", "X-Amz-Date": "20261201T000000Z"},
        body=body.encode(),
    )
    request = extract(raw, "commit")
    assert request.service == "glue"
    assert request.headers == {"x-amz-target": "AWSGlue.UpdateTable"}
    assert request.json == {"DatabaseName": "db", "TableInput": {"Name": "t"}}


def test_extract_reads_delete_objects_keys() -> None:
    xml = b"<Delete><Object><Key>p/a</Key></Object><Object><Key>p/b</Key></Object></Delete>"
    request = extract(_raw("POST", "http://localhost:1/bkt?delete", body=xml), "s")
    assert request.delete_keys == ("p/a", "p/b")


def test_extract_rejects_an_unsigned_request() -> None:
    with pytest.raises(ValueError, match="unsigned"):
        extract(RawRequest("GET", "http://localhost:1/bkt/a", {}, b"", 200), "s")


# -- pairing the recording with the access log ------------------------------------------------


def _entry(method: str, uri: str, status: int = 200) -> dict[str, Any]:
    return {"method": method, "uri": uri, "status": status}


def test_recorded_access_follows_stop_start_and_reset() -> None:
    log = [
        _entry("PUT", "/setup"),
        _entry("POST", "/moto-api/recorder/stop-recording"),
        _entry("PUT", "/admin"),
        _entry("POST", "/moto-api/recorder/reset-recording"),
        _entry("POST", "/moto-api/recorder/start-recording"),
        _entry("GET", "/bkt/a", 404),
        _entry("POST", "/moto-api/recorder/stop-recording"),
        _entry("PUT", "/paused"),
        _entry("POST", "/moto-api/recorder/start-recording"),
        _entry("GET", "/bkt/b"),
    ]
    assert [e["uri"] for e in recorded_access(log)] == ["/bkt/a", "/bkt/b"]


def test_pair_takes_the_status_from_the_access_log_and_fails_on_a_mismatch() -> None:
    line = json.dumps(
        {
            "method": "HEAD",
            "url": "http://localhost:1/bkt/a",
            "headers": {},
            "body": base64.b64encode(b"").decode(),
            "body_encoded": True,
        }
    )
    (raw,) = pair(line, [_entry("HEAD", "/bkt/a", 404)])
    assert raw.status == 404 and raw == raw_from_recording(json.loads(line), 404)
    with pytest.raises(RuntimeError, match="disagree"):
        pair(line, [_entry("HEAD", "/bkt/b", 404)])
    with pytest.raises(RuntimeError, match="not 1:1"):
        pair(line, [])
