"""Invariants every synthesized template must keep: policies never wider than intended.

:func:`violations` reads one synthesized template (a dict, as in ``cdk.out/``) and returns
one readable line per broken invariant; an empty list means the template is clean. The
property tests run it over generated building blocks (with :class:`Expect` ations about
their inputs) and over every example stack (generic checks only), so a new vendor stack is
covered as soon as it is registered in ``lakehouse_iam.stacks.EXAMPLES``.

Scope: identity policies (``AWS::IAM::ManagedPolicy``/``Policy`` and policies inline on a
role, user or group) and role trust policies, all with ``Effect: Allow``. Resource
policies (bucket and key policies) are written by aws-cdk-lib and cdk-nag's own rules
check them; a ``Deny`` only narrows.

Invariants:

1. No action contains a wildcard (``*``/``?``); no ``NotAction``/``NotResource``.
2. A resource ``*`` appears only with actions that have no resource-level permission, as
   the catalogs (``lakehouse_iam/catalog/*.py``) document them.
3. Every S3 resource (object ARN, bucket ARN, ``s3:prefix`` value, SSE-KMS
   ``kms:EncryptionContext:aws:s3:arn`` value) names one exact bucket and a literal
   prefix; given the intended locations, it lies inside them, and listing a bucket of
   which only prefixes were granted is always conditioned on ``s3:prefix``.
4. Every trust statement names exact principals (never ``*`` or an account root, unless
   its condition narrows the root to one exact ``aws:PrincipalArn`` or can never hold, as
   a self-assuming role and a trust that admits no one yet render them) and
   carries its confused-deputy conditions: ``aws:SourceAccount`` + ``aws:SourceArn`` for
   ECS tasks, ``aws:SourceAccount`` for EKS Pod Identity, ``:sub`` + ``:aud`` for an OIDC
   provider, and ``sts:ExternalId`` when an expectation says one was given, unless the
   expectation says the guard was explicitly turned off.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import lakehouse_iam.catalog as catalog_package
from verification.resolver import Resolver

UNKNOWN: Any = object()
"""An expectation that is not known (example stacks): only generic checks apply."""

S3_LISTING_ACTIONS = frozenset({"s3:ListBucket", "s3:ListBucketVersions"})
ENCRYPTION_CONTEXT_KEY = "kms:EncryptionContext:aws:s3:arn"
_S3_ARN = re.compile(r"^arn:(?:aws|aws-cn|aws-us-gov):s3:::(?P<bucket>[^/]*)(?:/(?P<key>.*))?$")


@cache
def no_resource_level_actions() -> frozenset[str]:
    """Actions the catalogs document as having no resource-level permission.

    A catalog module documents them either as ``NO_RESOURCE_LEVEL_REASONS`` (action ->
    why it is granted on ``*``) or as ``<SERVICE>_ACTION_SCOPES`` entries whose scope is
    ``NONE``. Every module of :mod:`lakehouse_iam.catalog` is read, so a vendor catalog
    that lands later is included.
    """
    actions: set[str] = set()
    for info in pkgutil.iter_modules(catalog_package.__path__):
        module = importlib.import_module(f"{catalog_package.__name__}.{info.name}")
        actions.update(getattr(module, "NO_RESOURCE_LEVEL_REASONS", {}))
        for name, value in vars(module).items():
            if name.endswith("_ACTION_SCOPES") and isinstance(value, Mapping):
                actions.update(a for a, scope in value.items() if _is_none_scope(scope))
    return frozenset(actions)


def _is_none_scope(scope: Any) -> bool:
    return getattr(scope, "name", None) == "NONE"


@dataclass(frozen=True)
class Location:
    """An intended S3 location: a bucket name and a normalised prefix (``None``: all)."""

    bucket: str
    prefix: str | None = None

    def covers_key(self, key: str) -> bool:
        """``key`` (an object-ARN key part, possibly ending in ``*``) lies inside, or is the
        prefix's own directory key (``read_prefix_key``: exactly the prefix, no wildcard)."""
        return self.prefix is None or key.startswith(self.prefix + "/") or key == self.prefix


@dataclass(frozen=True)
class Expect:
    """What the inputs of one construct (all resources under one construct path) intended.

    :param locations: the S3 locations granted; ``UNKNOWN`` skips the containment check.
    :param external_id: the ExternalId the trust must require, ``None`` for none;
        ``UNKNOWN`` skips the check.
    :param guard_off: the caller explicitly turned the confused-deputy guard off.
    :param source_account: the account a service trust must name in
        ``aws:SourceAccount``; ``UNKNOWN`` checks only that the key is present.
    """

    locations: Sequence[Location] | Any = UNKNOWN
    external_id: str | Any | None = UNKNOWN
    guard_off: bool = False
    source_account: str | Any = UNKNOWN


@dataclass
class _Document:
    where: str
    kind: str  # "identity" or "trust"
    document: dict[str, Any]
    owner: str = field(default="")


def violations(
    template: Mapping[str, Any],
    *,
    stack_name: str = "Stack",
    expect: Mapping[str, Expect] | None = None,
) -> list[str]:
    """Every broken invariant of ``template``, one line each (empty when clean).

    :param stack_name: the stack's name (resources are named after it when resolved).
    :param expect: expectations by top-level construct ID (the first segment of each
        resource's construct path); constructs without one get the generic checks.
    """
    resolver = Resolver(template, stack_name=stack_name)
    expect = expect or {}
    found: list[str] = []
    documents = list(_documents(template, resolver))
    # An expectation that matches no document would pass vacuously (e.g. a template
    # synthesized without aws:cdk:path metadata, whose owners are logical IDs).
    owners = {doc.owner for doc in documents}
    found += [
        f"{stack_name}/{owner}: no IAM policy or trust found for this expectation"
        for owner in expect
        if owner not in owners
    ]
    for doc in documents:
        expectation = expect.get(doc.owner, Expect())
        for statement in _statements(doc.document):
            sid = statement.get("Sid", "?")
            where = f"{stack_name}/{doc.where} [{sid}]"
            if statement.get("Effect") != "Allow":
                continue
            if doc.kind == "identity":
                found += [f"{where}: {p}" for p in _identity_problems(statement, expectation)]
            else:
                found += [f"{where}: {p}" for p in _trust_problems(statement, expectation)]
    return found


# -- reading documents ----------------------------------------------------------------


def _documents(template: Mapping[str, Any], resolver: Resolver) -> Iterator[_Document]:
    for logical_id, resource in template.get("Resources", {}).items():
        kind = resource.get("Type")
        props = resource.get("Properties", {})
        path = resolver.construct_path(logical_id)
        owner = path.split("/", 1)[0]
        raw: list[tuple[str, str, Any]] = []
        if kind in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            raw.append(("identity", path, props.get("PolicyDocument")))
        if kind in ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group"):
            for inline in props.get("Policies", []) or []:
                raw.append(
                    ("identity", f"{path}#{inline.get('PolicyName')}", inline["PolicyDocument"])
                )
        if kind == "AWS::IAM::Role":
            raw.append(("trust", path, props.get("AssumeRolePolicyDocument")))
        for doc_kind, where, document in raw:
            if document is not None:
                yield _Document(where, doc_kind, resolver.resolve(document), owner)


def _statements(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    return _as_list(document.get("Statement", []))


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


# -- identity policies ----------------------------------------------------------------


def _identity_problems(statement: Mapping[str, Any], expect: Expect) -> list[str]:
    problems: list[str] = []
    for key in ("NotAction", "NotResource", "NotPrincipal"):
        if key in statement:
            problems.append(f"{key} in an Allow grants everything else")
    actions = [str(a) for a in _as_list(statement.get("Action"))]
    resources = [str(r) for r in _as_list(statement.get("Resource"))]
    problems += [f"wildcard in action {a!r}" for a in actions if "*" in a or "?" in a]
    if "*" in resources:
        allowed = no_resource_level_actions()
        wide = sorted(a for a in actions if a not in allowed)
        if wide:
            problems.append(
                f"resource '*' with {wide}, which support resource-level permissions "
                "(only actions the catalogs list without a resource type may use '*')"
            )
    problems += _s3_problems(statement, actions, resources, expect)
    return problems


def _s3_problems(
    statement: Mapping[str, Any], actions: list[str], resources: list[str], expect: Expect
) -> list[str]:
    problems: list[str] = []
    locations = None if expect.locations is UNKNOWN else list(expect.locations)
    condition = statement.get("Condition", {}) or {}
    for resource in resources:
        match = _S3_ARN.match(resource)
        if match is None:
            if re.match(r"^arn:[^:]*:s3:", resource):
                problems.append(f"unrecognised S3 resource {resource!r}")
            continue
        problems += _s3_arn_problems(resource, match, locations)
        if match.group("key") is None and S3_LISTING_ACTIONS & set(actions):
            problems += _listing_problems(match.group("bucket"), condition, locations)
    for operator, keys in condition.items():
        for value in _as_list((keys or {}).get(ENCRYPTION_CONTEXT_KEY)):
            match = _S3_ARN.match(str(value))
            if match is None:
                problems.append(f"{operator} {ENCRYPTION_CONTEXT_KEY} {value!r} is no S3 ARN")
            else:
                problems += _s3_arn_problems(str(value), match, locations)
    return problems


def _s3_arn_problems(arn: str, match: re.Match[str], locations: list[Location] | None) -> list[str]:
    bucket, key = match.group("bucket"), match.group("key")
    problems: list[str] = []
    if not bucket or "*" in bucket or "?" in bucket:
        return [f"S3 ARN {arn!r} does not name one exact bucket"]
    if key is not None and not _is_object_key_pattern(key):
        problems.append(
            f"S3 object ARN {arn!r}: only '*', 'literal/prefix/*' or an exact key is allowed"
        )
    if locations is not None:
        mine = [loc for loc in locations if loc.bucket == bucket]
        if not mine:
            problems.append(f"S3 ARN {arn!r} names a bucket outside {_names(locations)}")
        elif key is not None and not any(loc.covers_key(key) for loc in mine):
            problems.append(f"S3 object ARN {arn!r} lies outside {_names(mine)}")
    return problems


def _listing_problems(
    bucket: str, condition: Mapping[str, Any], locations: list[Location] | None
) -> list[str]:
    prefixes = [
        str(v)
        for operator in ("StringLike", "StringEquals")
        for v in _as_list((condition.get(operator) or {}).get("s3:prefix"))
    ]
    mine = [loc for loc in locations if loc.bucket == bucket] if locations is not None else []
    # A bare value (no slash, no wildcard) is a granted prefix itself (list_bare_prefix): exact
    # when the locations are known, at least literal when they are not.
    bare = {loc.prefix for loc in mine if loc.prefix is not None}

    def bare_ok(p: str) -> bool:
        literal = "*" not in p and "?" not in p and "${" not in p and p != ""
        return p in bare if locations is not None else literal

    problems = [
        f"s3:prefix {p!r} is not 'literal/prefix/' or 'literal/prefix/*' (or a granted "
        "prefix itself)"
        for p in prefixes
        if not bare_ok(p)
        and (not (p.endswith("/") or p.endswith("/*")) or not _is_literal_prefix_pattern(p))
    ]
    if locations is None:
        return problems
    if not mine:
        return problems  # reported for the resource already
    if all(loc.prefix is not None for loc in mine):
        if not prefixes:
            problems.append(
                f"listing bucket {bucket!r} without an s3:prefix condition, but only "
                f"prefixes were granted ({_names(mine)})"
            )
        for p in prefixes:
            if p not in bare and not any(p.startswith(f"{loc.prefix}/") for loc in mine):
                problems.append(f"s3:prefix {p!r} lies outside {_names(mine)}")
    return problems


def _is_object_key_pattern(key: str) -> bool:
    """``*``, ``literal/prefix/*`` or an exact key: never a wildcard inside a name."""
    return key == "*" or _is_literal_prefix_pattern(key.removesuffix("/*") + "/")


def _is_literal_prefix_pattern(key: str) -> bool:
    """``*`` or ``literal/`` or ``literal/*``: a wildcard only as the last character."""
    body = key[:-1] if key.endswith("*") else key
    return "*" not in body and "?" not in body and "${" not in body


def _names(locations: Sequence[Location]) -> str:
    return ", ".join(f"{loc.bucket}/{loc.prefix or ''}" for loc in locations)


# -- trust policies -------------------------------------------------------------------


def _narrowed_to_nobody_or_one(condition: Mapping[str, Any]) -> bool:
    """Whether a condition makes an account-root principal exact: ``ArnEquals`` or
    ``StringEquals`` ``aws:PrincipalArn`` with exact (wildcard-free, non-root) ARNs, or a
    key that must be both absent (``Null: true``) and equal to a value (never holds)."""
    for operator in ("ArnEquals", "StringEquals"):
        values = _as_list((condition.get(operator) or {}).get("aws:PrincipalArn"))
        if values and all(
            isinstance(v, str) and "*" not in v and "?" not in v and not v.endswith(":root")
            for v in values
        ):
            return True
    absent = {k for k, v in (condition.get("Null") or {}).items() if str(v).lower() == "true"}
    present = set(condition.get("StringEquals") or {}) | set(condition.get("ArnEquals") or {})
    return bool(absent & present)


def _trust_problems(statement: Mapping[str, Any], expect: Expect) -> list[str]:
    principal = statement.get("Principal")
    condition = statement.get("Condition", {}) or {}
    keys = {k: v for block in condition.values() for k, v in (block or {}).items()}
    equals = condition.get("StringEquals", {}) or {}
    if principal == "*" or not isinstance(principal, Mapping):
        return [f"trust principal {principal!r} is not an exact principal"]
    problems: list[str] = []
    for aws in _as_list(principal.get("AWS")):
        root = re.fullmatch(r"\d{12}|arn:[^:]+:iam::\d{12}:root", str(aws))
        if aws == "*" or (root and not _narrowed_to_nobody_or_one(condition)):
            problems.append(f"trust principal {aws!r} is an account root or everyone")
    services = _as_list(principal.get("Service"))
    guard_off = expect.guard_off
    if "ecs-tasks.amazonaws.com" in services and not guard_off:
        problems += [
            f"ECS task trust without {k} (confused-deputy guard)"
            for k in ("aws:SourceAccount", "aws:SourceArn")
            if k not in keys
        ]
    if "pods.eks.amazonaws.com" in services and not guard_off and "aws:SourceAccount" not in keys:
        problems.append("EKS Pod Identity trust without aws:SourceAccount")
    if (
        expect.source_account is not UNKNOWN
        and not guard_off
        and equals.get("aws:SourceAccount") != expect.source_account
    ):
        problems.append(
            f"aws:SourceAccount is {keys.get('aws:SourceAccount')!r}, expected "
            f"StringEquals {expect.source_account!r}"
        )
    for federated in _as_list(principal.get("Federated")):
        issuer = str(federated).split(":oidc-provider/", 1)[-1]
        for claim in ("sub", "aud"):
            if f"{issuer}:{claim}" not in equals:
                problems.append(f"OIDC trust without StringEquals {issuer}:{claim}")
    if expect.external_id is not UNKNOWN and not guard_off:
        given = keys.get("sts:ExternalId")
        if expect.external_id is None and given is not None:
            problems.append(f"unexpected sts:ExternalId {given!r}")
        if expect.external_id is not None and equals.get("sts:ExternalId") != expect.external_id:
            problems.append(
                f"sts:ExternalId is {given!r}, expected StringEquals {expect.external_id!r}"
            )
    return problems
