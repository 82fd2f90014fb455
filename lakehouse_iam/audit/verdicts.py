"""Why a library principal was denied: the ``cause`` of a denied CloudTrail record.

In this order:

1. ``explicit-deny``: AWS's access-denied message names a policy other than the
   principal's identity policies ("with an explicit deny in a service control policy",
   "because no permissions boundary allows ...",
   https://docs.aws.amazon.com/IAM/latest/UserGuide/troubleshoot_access-denied.html), or
   the principal's own policies allow every request of the record (so something else
   denied it: a resource, session or organization policy).
2. ``not-granted-by-design``: the denied action is one the vendor's catalog records as
   deliberately left out (an ``Omission``), cited with its sources.
3. ``missing-grant``: the construct grants the action, only on another resource, and the
   vendor's ``props.py`` names the prop scoping that kind of resource (the prefix, the
   bucket, the KMS key, the Glue database); or the action is a ``Need`` with an
   ``opt_in`` prop. The suggestion is the value to write.
4. ``outside-library``: anything else: the request is not part of the scenario.
5. ``unknown``: the principal's policies hold values that could not be resolved (pass
   ``--stack-resources``), so the record cannot be judged.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .._private.authorization import AuthorizationRequest
from .._private.evaluation import ALLOW, EXPLICIT_DENY
from ..catalog.evidence import Need, Omission, Source, SourceKind
from ..catalog.prop_control import ResourceKind
from ..vendors import Vendor
from .model import Evidence, EvidenceRef
from .principals import UNRESOLVED, LibraryPrincipal, ResolvedPolicies

__all__ = ["Verdict", "judge"]

_POLICY_TYPES = (
    ("service control policy", "service control policy"),
    ("resource control policy", "resource control policy"),
    ("permissions boundary", "permissions boundary"),
    ("session policy", "session policy"),
    ("resource-based policy", "resource-based policy"),
    ("identity-based policy", "identity-based policy"),
)
_EXPLICIT = re.compile(r"with an explicit deny in an? ([\w -]+?policy|permissions boundary)")
_MESSAGE_RESOURCE = re.compile(r"on resource: \"?([^\s\"]+)")
_NO_ALLOW = re.compile(r"because no ([\w -]+?policy|permissions boundary) allows")


@dataclass(frozen=True)
class Verdict:
    """The cause of one denied record, for its first request the policies do not allow."""

    action: str
    resource: str
    cause: str
    prop: str | None = None
    suggestion: str | None = None
    evidence: tuple[Evidence, ...] = ()


def denied_by(message: str) -> str | None:
    """The policy type AWS's access-denied ``message`` names, if not the identity policy."""
    lowered = message.lower()
    for pattern in (_EXPLICIT, _NO_ALLOW):
        match = pattern.search(lowered)
        if match is None:
            continue
        named = match[1]
        if pattern is _NO_ALLOW and named == "identity-based policy":
            return None
        for needle, policy_type in _POLICY_TYPES:
            if needle in named:
                return policy_type
    return None


def source_ref(vendor: Vendor | None, source: Source) -> EvidenceRef:
    """A catalog :class:`Source` with a link a reader can follow."""
    if source.kind is SourceKind.AWS_DOC:
        url = source.ref
    elif source.kind is SourceKind.VENDOR_PAGE:
        url = vendor.page if vendor else ""
    elif source.kind is SourceKind.ENGINE_SOURCE:
        repo, _, rest = source.ref.partition(" ")
        path, _, commit = rest.partition("@")
        commit, _, line = commit.partition("#")
        url = f"https://github.com/{repo}/blob/{commit}/{path}" + (f"#{line}" if line else "")
    else:  # a recorded trace: a file of this repository
        url = source.ref
    return EvidenceRef(kind=source.kind.value, ref=source.ref, url=url, detail=source.detail)


def as_evidence(vendor: Vendor | None, record: Need | Omission) -> Evidence:
    kind = "need" if isinstance(record, Need) else "omission"
    return Evidence(
        record=kind,
        why=record.why,
        sources=tuple(source_ref(vendor, s) for s in record.sources),
    )


def judge(
    principal: LibraryPrincipal,
    policies: ResolvedPolicies,
    requests: list[AuthorizationRequest],
    message: str,
) -> Verdict:
    """The cause of a denied record whose authorization requests are ``requests``."""
    decisions = [(r, policies.index.decide(r.action, r.resource, r.context)) for r in requests]
    refused = [(r, d) for r, d in decisions if d != ALLOW]
    named = _MESSAGE_RESOURCE.search(message)
    # The request the message names, else the first one the policies refuse.
    first = next((r for r in requests if named and r.resource == named[1]), None)
    if first is None:
        first = refused[0][0] if refused else (requests[0] if requests else None)
    action = first.action if first else ""
    resource = first.resource if first else ""
    policy_type = denied_by(message)
    if policy_type is not None or not refused:
        why = (
            f"AWS's message names a {policy_type}: {message}"
            if policy_type
            else "the principal's policies allow every request of this record, so another "
            f"policy (resource, session, SCP or boundary) denied it: {message or 'no message'}"
        )
        return Verdict(
            action,
            resource,
            "explicit-deny",
            evidence=(Evidence(record="access-denied message", why=why),),
        )
    request, decision = refused[0]
    if decision == EXPLICIT_DENY:
        return Verdict(
            action,
            resource,
            "explicit-deny",
            evidence=(
                Evidence(
                    record="access-denied message",
                    why="a Deny statement of the principal's own policies matches",
                ),
            ),
        )
    vendor = principal.vendor
    for omission in vendor.omissions if vendor else ():
        if action in omission.actions:
            return Verdict(
                action,
                resource,
                "not-granted-by-design",
                evidence=(as_evidence(vendor, omission),),
            )
    if any(UNRESOLVED in str(s.get("Resource")) for s in policies.index.statements_for(action)):
        return Verdict(
            action,
            resource,
            "unknown",
            suggestion="pass --stack-resources: the policies naming this action hold values "
            "that could not be resolved",
        )
    needs = tuple(n for n in (vendor.evidence if vendor else ()) if action in n.actions)
    evidence = tuple(as_evidence(vendor, n) for n in needs)
    granted = [
        s
        for s in policies.index.statements_for(action)
        if s.get("Effect") == "Allow" and "Resource" in s
    ]
    if granted and principal.construct is not None:
        kind, values, note = _resource_kind(request, granted)
        control = principal.construct.control(kind) if kind else None
        if control is not None:
            return Verdict(
                action,
                resource,
                "missing-grant",
                prop=control.prop,
                suggestion=control.suggestion.format(**values),
                evidence=evidence,
            )
        return Verdict(action, resource, "outside-library", suggestion=note, evidence=evidence)
    opt_in = next((n for n in needs if n.opt_in), None)
    if opt_in is not None:
        return Verdict(
            action,
            resource,
            "missing-grant",
            prop=opt_in.opt_in.split("=")[0].split("(")[0],
            suggestion=opt_in.opt_in,
            evidence=(as_evidence(vendor, opt_in),),
        )
    return Verdict(action, resource, "outside-library", evidence=evidence)


def _resources(statements: list[Mapping[str, object]]) -> list[str]:
    found: list[str] = []
    for statement in statements:
        value = statement.get("Resource")
        found += [str(v) for v in (value if isinstance(value, list) else [value])]
    return found


def _resource_kind(
    request: AuthorizationRequest, granted: list[Mapping[str, object]]
) -> tuple[ResourceKind | None, dict[str, str], str | None]:
    """Which kind of resource the principal lacks, the values for the suggestion, and a
    note when no prop is the fix."""
    resource = request.resource
    service = request.action.split(":", 1)[0]
    granted_resources = _resources(granted)
    if service == "s3" and ":::" in resource:
        bucket, _, key = resource.split(":::", 1)[1].partition("/")
        buckets = {r.split(":::", 1)[1].split("/", 1)[0] for r in granted_resources if ":::" in r}
        if key:
            prefix = key.rsplit("/", 1)[0] if "/" in key else key
        else:
            listed = request.context.get("s3:prefix")
            if not listed:
                return (
                    None,
                    {},
                    "the engine lists the bucket root (or sends HeadBucket, which carries no "
                    "s3:prefix); the grant is scoped to a prefix: point the engine at it",
                )
            prefix = listed.rstrip("/")
        kind = ResourceKind.S3_PREFIX if bucket in buckets else ResourceKind.S3_BUCKET
        return kind, {"bucket": bucket, "prefix": prefix}, None
    if service == "kms":
        if resource not in granted_resources:
            return ResourceKind.KMS_KEY, {"key_arn": resource}, None
        arn = request.context.get("kms:EncryptionContext:aws:s3:arn", "")
        if ":::" in arn:
            bucket, _, key = arn.split(":::", 1)[1].partition("/")
            prefix = key.rsplit("/", 1)[0] if "/" in key else key
            return ResourceKind.S3_PREFIX, {"bucket": bucket, "prefix": prefix}, None
        return None, {}, "the key is granted; the request's encryption context is not"
    if service == "glue":
        match = re.search(r":(?:database|table)/([^/]+)", resource)
        if match:
            return ResourceKind.GLUE_DATABASE, {"database": match[1]}, None
    return None, {}, None
