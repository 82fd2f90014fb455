"""The CloudTrail mapping agrees with the recorded-trace mapping on every trace request.

Each trace request of the replayed targets becomes the CloudTrail records it would
produce (tests/audit/trail.py); mapping those records (lakehouse_iam.audit.mapping) must
give the authorization requests traces/mapping.py gives the HTTP request, with two
documented exceptions: a Glue listing's returned names are not in CloudTrail, and a 404
(an error record) is not judged.
"""

from __future__ import annotations

import pytest

from lakehouse_iam.audit.mapping import authorization_requests
from traces import fixture as fx
from traces import mapping as tm

from . import trail

ENV = tm.Environment(
    bucket_arn="arn:aws:s3:::lake",
    kms_key_arn="arn:aws:kms:us-east-1:111122223333:key/k",
    bucket_key=True,
    region=trail.REGION,
    account=trail.ACCOUNT,
    partition="aws",
)


def _returned(request) -> bool:
    """A name a Glue listing returned (traces know it from the response; CloudTrail
    does not log read responses)."""
    listed = {"glue_catalog_listing": ":database/", "glue_table_listing": ":table/"}
    return request.rule in listed and listed[request.rule] in request.resource


def _key(request):
    return (request.action, request.resource, tuple(sorted(request.context.items())))


@pytest.mark.parametrize("name", fx.names())
def test_every_trace_request_maps_to_the_same_authorization(name):
    fixture = fx.load(name)
    who = trail.identity("role", "engine")
    checked = 0
    for index, request in enumerate(fixture.requests):
        if request.status >= 300:
            continue
        expected = {_key(r) for r in tm.authorization_requests(request, ENV) if not _returned(r)}
        records = trail.trace_records(
            request,
            ENV,
            who=who,
            bucket="lake",
            time="2026-11-02T10:00:00Z",
            denied=False,
            seed=index,
        )
        got = set()
        for record in records:
            mapped = authorization_requests(record)
            assert mapped is not None, f"unmapped: {record['eventSource']} {record['eventName']}"
            got |= {_key(r) for r in mapped}
        assert got == expected, request.describe()
        checked += 1
    assert checked


def test_an_unknown_call_is_unmapped_not_guessed():
    record = trail.record(
        who=trail.identity("role", "engine"),
        time="2026-11-02T10:00:00Z",
        source="s3.amazonaws.com",
        name="PutBucketPolicy",
        parameters={"bucketName": "lake"},
        seed="x",
    )
    assert authorization_requests(record) is None
