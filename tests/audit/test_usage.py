"""used / unused: what the records show, and whether the input could have shown it."""

from __future__ import annotations

import pytest

from lakehouse_iam.audit import audit, read_records
from lakehouse_iam.audit.mapping import authorization_requests
from lakehouse_iam.audit.principals import Principals, read_stack_resources

from .conftest import LAKE_EXPORT, LOOKUP_EVENTS, STACK_RESOURCES, TRAIL

INPUTS = {
    "trail": [TRAIL],
    "lookup": [LOOKUP_EVENTS],
    "all": [TRAIL, LOOKUP_EVENTS, LAKE_EXPORT],
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_unused_never_lists_an_action_the_input_shows_used(cdk_out, name):
    # GIVEN the actions each principal's successful records map to (computed here)
    principals = Principals(cdk_out, read_stack_resources(STACK_RESOURCES))
    shown: dict[str, set[str]] = {}
    for record in read_records(INPUTS[name]):
        principal = principals.match(record)
        if principal is None or record.get("errorCode"):
            continue
        requests = authorization_requests(record) or []
        shown.setdefault(f"{principal.stack}/{principal.path}", set()).update(
            r.action for r in requests
        )
    # WHEN auditing the same input
    result = audit(cdk_out, events=INPUTS[name], stack_resources=STACK_RESOURCES)
    # THEN no unused action of a principal is one its records show, and used ones are
    for p in result.principals:
        key = f"{p.stack}/{p.path}"
        unused = {u.action for u in p.unused}
        assert not unused & shown.get(key, set()), key
        assert {u.action for u in p.used} <= shown.get(key, set()), key


def test_used_counts_and_last_seen(cdk_out):
    result = audit(cdk_out, events=[TRAIL], stack_resources=STACK_RESOURCES)
    (rw,) = [p for p in result.principals if p.path == "RisingWave/DataAccess/Role"]
    used = {u.action: (u.count, u.last_seen) for u in rw.used}
    assert used["s3:DeleteObject"] == (1, "2026-11-02T10:03:06Z")
    assert set(used) == {
        "kms:Decrypt",
        "kms:GenerateDataKey",
        "s3:DeleteObject",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
    }
    assert [u.action for u in rw.unused] == ["s3:GetBucketLocation"]
    assert rw.unused[0].visible is True
    assert rw.unused[0].evidence[0].record == "need"


def test_s3_object_actions_are_invisible_in_management_events_only(cdk_out):
    # GIVEN lookup-events output (management events only: no S3 data events)
    result = audit(cdk_out, events=[LOOKUP_EVENTS], stack_resources=STACK_RESOURCES)
    (rw,) = [p for p in result.principals if p.path == "RisingWave/DataAccess/Role"]
    visible = {u.action: u.visible for u in rw.unused}
    # THEN the data-event actions could not have shown; GetBucketLocation could have
    assert visible["s3:GetObject"] is False
    assert visible["s3:ListBucket"] is False
    assert visible["s3:GetBucketLocation"] is True
    assert result.window.s3_data_events is False


def test_the_window_drops_records_outside_it(cdk_out):
    result = audit(
        cdk_out,
        events=[LOOKUP_EVENTS],
        stack_resources=STACK_RESOURCES,
        since="2026-11-02T11:40:02Z",
        until="2026-11-02T11:40:04Z",
    )
    assert result.window.records == 2
    assert (result.window.first_event, result.window.last_event) == (
        "2026-11-02T11:40:02Z",
        "2026-11-02T11:40:03Z",
    )
