"""The audit: one pass over the records, bounded memory, one result.

Each record is read once (:func:`~lakehouse_iam.audit.events.read_records`), matched to a
library principal by name (a dictionary lookup; records of other principals are only
counted), mapped to its authorization requests and, when denied, judged. What is kept
grows with the number of distinct principals, actions and denied requests, never with
the number of records.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from ..catalog.evidence import Need
from .events import read_records
from .mapping import authorization_requests, is_s3_data_event
from .model import AuditResult, Denial, PrincipalAudit, Unmapped, Unused, Usage, Window
from .principals import UNRESOLVED, LibraryPrincipal, Principals, read_stack_resources
from .verdicts import as_evidence, judge

__all__ = ["audit", "parse_time"]

ACCESS_DENIED = frozenset(
    {
        "AccessDenied",
        "AccessDeniedException",
        "Client.UnauthorizedOperation",
        "UnauthorizedOperation",
        "UnauthorizedAccess",
    }
)
"""``errorCode`` values of a request IAM refused."""

S3_DATA_ACTIONS = frozenset(
    {
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:PutObject",
        "s3:DeleteObject",
        "s3:DeleteObjectVersion",
        "s3:AbortMultipartUpload",
        "s3:ListMultipartUploadParts",
        "s3:ListBucket",
        "s3:ListBucketVersions",
        "s3:PutObjectAcl",
        "s3:GetObjectAcl",
    }
)
"""Actions only S3 data events show (:data:`~lakehouse_iam.audit.mapping.S3_DATA_EVENTS`)."""
NEVER_LOGGED = frozenset({"logs:PutLogEvents"})
"""Actions CloudTrail does not log at all: never visible.
https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/logging_cw_api_calls.html"""


def parse_time(text: str) -> str:
    """``text`` (ISO 8601, a date or date and time) as CloudTrail's ``eventTime`` form
    (``2026-11-02T10:00:00Z``, UTC), so times compare as strings.

    :raises ValueError: for text that is not an ISO 8601 date or time.
    """
    moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class _State:
    principal: LibraryPrincipal
    records: int = 0
    arn: str | None = None
    used: dict[str, list[Any]] = field(default_factory=dict)
    denied: dict[tuple[Any, ...], Denial] = field(default_factory=dict)
    unmapped: dict[tuple[str, str], int] = field(default_factory=dict)
    accounts: set[tuple[str, str]] = field(default_factory=set)


def audit(
    cdk_out: str | Path,
    *,
    events: Iterable[str | Path],
    stack_resources: Iterable[str | Path] = (),
    since: str | None = None,
    until: str | None = None,
) -> AuditResult:
    """Audit the app in ``cdk_out`` against the CloudTrail records in ``events``.

    Example::

        from lakehouse_iam.audit import audit

        result = audit("cdk.out", events=["trail/"], stack_resources=["resources.json"])
        for principal in result.principals:
            for denial in principal.denied:
                print(principal.path, denial.action, denial.cause, denial.suggestion)

    :param cdk_out: the synthesized cloud assembly.
    :param events: CloudTrail log files (``.json.gz``), folders of them, ``lookup-events``
        output or JSON Lines of records.
    :param stack_resources: ``aws cloudformation describe-stack-resources`` output, one
        file per stack. Default: only names fixed in the templates are matched.
    :param since: ignore records before this ISO 8601 time. Default: no limit.
    :param until: ignore records at or after this ISO 8601 time. Default: no limit.
    :raises lakehouse_iam.report.CdkOutError: for a missing or malformed cloud assembly.
    :raises lakehouse_iam.audit.EventsError: for a missing or malformed events file.
    """
    low = parse_time(since) if since else None
    high = parse_time(until) if until else None
    principals = Principals(cdk_out, read_stack_resources(stack_resources))
    states: dict[int, _State] = {}
    unmatched = total = 0
    first: str | None = None
    last: str | None = None
    s3_data = False
    for record in read_records(events):
        time = str(record.get("eventTime", ""))
        if (low is not None and time < low) or (high is not None and time >= high):
            continue
        total += 1
        first = time if first is None or time < first else first
        last = time if last is None or time > last else last
        if not s3_data and is_s3_data_event(record):
            s3_data = True
        principal = principals.match(record)
        if principal is None:
            unmatched += 1
            continue
        state = states.get(id(principal))
        if state is None:
            state = states[id(principal)] = _State(principal)
        _account(state, record)
        _observe(principals, state, record, time)
    return AuditResult(
        principals=tuple(
            _result(principals, states.get(id(p)), p, s3_data)
            for p in sorted(principals.all, key=lambda p: (p.stack, p.path))
        ),
        unmatched_events=unmatched,
        window=Window(
            since=low,
            until=high,
            first_event=first,
            last_event=last,
            records=total,
            s3_data_events=s3_data,
        ),
        unnamed_principals=tuple(f"{p.stack}/{p.path}" for p in principals.all if p.name is None),
    )


def _account(state: _State, record: Mapping[str, Any]) -> None:
    identity = record.get("userIdentity") or {}
    account = str(identity.get("accountId") or record.get("recipientAccountId") or "")
    region = str(record.get("awsRegion") or "")
    state.records += 1
    if (account, region) not in state.accounts:
        state.accounts.add((account, region))
    if state.arn is None:
        if identity.get("type") == "AssumedRole":
            state.arn = str(
                ((identity.get("sessionContext") or {}).get("sessionIssuer") or {}).get("arn")
            )
        else:
            state.arn = str(identity.get("arn"))


def _observe(principals: Principals, state: _State, record: Mapping[str, Any], time: str) -> None:
    requests = authorization_requests(record)
    source, name = str(record.get("eventSource", "")), str(record.get("eventName", ""))
    if requests is None:
        state.unmapped[(source, name)] = state.unmapped.get((source, name), 0) + 1
        return
    error = record.get("errorCode")
    if not error:
        for request in requests:
            seen = state.used.get(request.action)
            if seen is None:
                state.used[request.action] = [1, time]
            else:
                seen[0] += 1
                if time > seen[1]:
                    seen[1] = time
        return
    if error not in ACCESS_DENIED:
        return
    identity = record.get("userIdentity") or {}
    policies = principals.policies(
        state.principal,
        account=str(identity.get("accountId") or record.get("recipientAccountId") or "") or None,
        region=str(record.get("awsRegion") or "") or None,
    )
    verdict = judge(state.principal, policies, requests, str(record.get("errorMessage") or ""))
    key = (source, name, verdict.action, verdict.resource, verdict.cause, verdict.prop)
    seen_denial = state.denied.get(key)
    state.denied[key] = Denial(
        time=max(time, seen_denial.time) if seen_denial else time,
        event_source=source,
        event_name=name,
        action=verdict.action,
        resource=verdict.resource,
        cause=verdict.cause,
        prop=verdict.prop,
        suggestion=verdict.suggestion,
        evidence=verdict.evidence,
        count=(seen_denial.count + 1) if seen_denial else 1,
        error_code=str(error),
    )


def _result(
    principals: Principals, state: _State | None, principal: LibraryPrincipal, s3_data: bool
) -> PrincipalAudit:
    account, region = (None, None)
    if state is not None and len(state.accounts) == 1:
        account, region = next(iter(state.accounts))
    policies = principals.policies(principal, account=account, region=region)
    granted: dict[str, list[str]] = {}
    for statement in policies.statements:
        if statement.get("Effect") != "Allow":
            continue
        actions = statement.get("Action", [])
        resources = statement.get("Resource", [])
        for action in actions if isinstance(actions, list) else [actions]:
            if not isinstance(action, str) or "*" in action or "?" in action:
                continue
            spots = granted.setdefault(action, [])
            for resource in resources if isinstance(resources, list) else [resources]:
                text = "<unresolved>" if resource == UNRESOLVED else str(resource)
                if text not in spots:
                    spots.append(text)
    used = state.used if state else {}
    vendor = principal.vendor
    needs: dict[str, list[Need]] = {}
    for need in vendor.evidence if vendor else ():
        for action in need.actions:
            needs.setdefault(action, []).append(need)
    return PrincipalAudit(
        construct=principal.construct.construct if principal.construct else None,
        vendor=vendor.key if vendor else None,
        stack=principal.stack,
        logical_id=principal.logical_id,
        path=principal.path,
        kind=principal.kind,
        name=principal.name,
        arn=state.arn if state else None,
        records=state.records if state else 0,
        denied=tuple(
            sorted(
                state.denied.values() if state else (),
                key=lambda d: (d.time, d.action, d.resource),
            )
        ),
        used=tuple(
            Usage(action=action, count=count, last_seen=seen)
            for action, (count, seen) in sorted(used.items())
            if action in granted
        ),
        unused=tuple(
            Unused(
                action=action,
                resources=tuple(sorted(resources)),
                evidence=tuple(as_evidence(vendor, n) for n in needs.get(action, ())),
                visible=action not in NEVER_LOGGED and (s3_data or action not in S3_DATA_ACTIONS),
            )
            for action, resources in sorted(granted.items())
            if action not in used
        ),
        unmapped=tuple(
            Unmapped(event_source=s, event_name=n, count=c)
            for (s, n), c in sorted((state.unmapped if state else {}).items())
        ),
        unresolved=policies.unresolved,
    )
