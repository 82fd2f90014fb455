"""A small, independent IAM policy evaluator: statement matching and condition operators.

Two users: ``lakehouse-iam audit`` judges each CloudTrail record against a principal's
rendered policies with it (:mod:`lakehouse_iam.audit`), and the verification tooling
(``verification/conditions.py`` re-exports it) uses it to double-check the evaluator on
condition keys that
``@cloud-copilot/iam-simulate``'s ``runSimulation`` drops from the request context
(``kms:EncryptionContext:*``, an OIDC provider's ``<issuer>:sub`` / ``<issuer>:aud``): it
is applied to the exact statements that allow a request and must deny the same request
with a wrong value. Semantics follow the IAM condition operators reference
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html)
and the multivalued-key rules
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html):

* condition keys are case-insensitive, values are case-sensitive (except the
  ``...IgnoreCase`` operators; ``Bool`` compares ``true``/``false`` case-insensitively);
* several values of one key are OR-ed, several keys and several operators are AND-ed;
* ``StringLike`` / ``ArnLike`` / ``ArnEquals`` accept ``*`` and ``?``; ARNs are compared
  per colon-separated component (six of them);
* a key missing from the request fails every positive operator and satisfies every
  negated one (``StringNotEquals`` ...); ``...IfExists`` makes a missing key pass;
* ``ForAnyValue:`` / ``ForAllValues:`` handle multivalued context keys; without a set
  operator a multivalued context value matches when any of its values matches.

Policy variables (``${aws:username}``) are not supported and raise, so a policy this
checker cannot judge is never silently passed.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Mapping, Sequence
from typing import Any

Context = Mapping[str, Any]


class UnsupportedConditionError(ValueError):
    """An operator or value this checker does not implement."""


def conditions_hold(condition: Mapping[str, Mapping[str, Any]] | None, context: Context) -> bool:
    """Whether a statement's ``Condition`` block is satisfied by ``context``."""
    if not condition:
        return True
    lowered = {key.lower(): value for key, value in context.items()}
    return all(
        _operator_holds(operator, key, values, lowered)
        for operator, entries in condition.items()
        for key, values in entries.items()
    )


def _operator_holds(operator: str, key: str, policy_values: Any, context: Context) -> bool:
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    values = [
        str(v) for v in (policy_values if isinstance(policy_values, list) else [policy_values])
    ]
    for value in values:
        if "${" in value:
            raise UnsupportedConditionError(f"policy variable in {operator} {key}: {value}")
    negated = base in _NEGATED
    match = _MATCHERS.get(_NEGATED.get(base, base))
    if match is None:
        raise UnsupportedConditionError(f"condition operator {operator!r}")
    present = key.lower() in context
    if not present:
        if qualifier == "ForAllValues":
            return True
        return if_exists or negated
    raw = context[key.lower()]
    request_values = [str(v) for v in raw] if isinstance(raw, list) else [str(raw)]

    def matches(request_value: str) -> bool:
        return any(match(request_value, policy_value) for policy_value in values)

    if qualifier == "ForAllValues":
        result = all(matches(v) for v in request_values)
        return not result if negated else result
    if qualifier not in ("", "ForAnyValue"):
        raise UnsupportedConditionError(f"set operator {qualifier!r}")
    if negated:
        # StringNotEquals and friends: true when no request value matches.
        return not any(matches(v) for v in request_values)
    return any(matches(v) for v in request_values)


def _string_like(value: str, pattern: str) -> bool:
    # fnmatchcase also treats [...] as a set; IAM does not, so escape brackets first.
    escaped = pattern.replace("[", "[[]")
    return fnmatch.fnmatchcase(value, escaped)


def _arn_like(value: str, pattern: str) -> bool:
    value_parts = value.split(":", 5)
    pattern_parts = pattern.split(":", 5)
    if len(value_parts) != 6 or len(pattern_parts) != 6:
        return False
    return all(_string_like(v, p) for v, p in zip(value_parts, pattern_parts, strict=True))


def _bool(value: str, expected: str) -> bool:
    return value.lower() == expected.lower()


_MATCHERS = {
    "StringEquals": lambda value, expected: value == expected,
    "StringEqualsIgnoreCase": lambda value, expected: value.lower() == expected.lower(),
    "StringLike": _string_like,
    "ArnEquals": _arn_like,
    "ArnLike": _arn_like,
    "Bool": _bool,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
}


# -- which statements a request reaches ----------------------------------------------------


def statement_matches(
    statement: Mapping[str, Any], *, action: str, resource: str, principal: str | None = None
) -> bool:
    """Whether the statement names the action, the resource and (for resource and trust
    policies) the principal; conditions are not looked at."""
    actions = _as_list(statement.get("Action", []))
    if "NotAction" in statement or "NotResource" in statement or "NotPrincipal" in statement:
        raise UnsupportedConditionError("NotAction/NotResource/NotPrincipal statements")
    if not any(_string_like(action.lower(), a.lower()) for a in actions):
        return False
    resources = _as_list(statement.get("Resource", "*"))
    if not any(r == "*" or _arn_like(resource, r) for r in resources):
        return False
    if principal is None or "Principal" not in statement:
        return True
    return _principal_matches(statement["Principal"], principal)


def _principal_matches(block: Any, principal: str) -> bool:
    if block == "*":
        return True
    for values in block.values():
        for value in _as_list(values):
            if value == "*" or value == principal:
                return True
    return False


def allowing_statements(
    documents: Sequence[Mapping[str, Any]],
    *,
    action: str,
    resource: str,
    principal: str | None = None,
) -> list[Mapping[str, Any]]:
    """The Allow statements of ``documents`` that name this request (conditions aside)."""
    found = []
    for document in documents:
        for statement in _as_list(document.get("Statement", [])):
            if statement.get("Effect") == "Allow" and statement_matches(
                statement, action=action, resource=resource, principal=principal
            ):
                found.append(statement)
    return found


def allows(statements: Sequence[Mapping[str, Any]], context: Context) -> bool:
    """Whether any of ``statements`` allows the request carrying ``context``."""
    return any(conditions_hold(s.get("Condition"), context) for s in statements)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# -- many requests against one principal's policies ----------------------------------------

ALLOW = "allow"
EXPLICIT_DENY = "explicit-deny"
IMPLICIT_DENY = "implicit-deny"


def _component_pattern(pattern: str, *, last: bool) -> str:
    # The same matching as _arn_like: '*' and '?' stay inside one colon-separated
    # component, except in the sixth (the resource), which may itself hold colons.
    any_chars = ".*" if last else "[^:]*"
    one_char = "." if last else "[^:]"
    return "".join(
        any_chars if c == "*" else one_char if c == "?" else re.escape(c) for c in pattern
    )


def _resource_regex(pattern: str) -> re.Pattern[str]:
    if pattern == "*":
        return re.compile(r".*", re.DOTALL)
    parts = pattern.split(":", 5)
    if len(parts) != 6:
        return re.compile(re.escape(pattern))
    return re.compile(
        ":".join(_component_pattern(p, last=i == 5) for i, p in enumerate(parts)), re.DOTALL
    )


class _Compiled:
    __slots__ = ("condition", "effect", "not_resource", "resources", "statement")

    def __init__(self, statement: Mapping[str, Any]) -> None:
        self.statement = statement
        self.effect = statement.get("Effect")
        self.not_resource = "NotResource" in statement
        raw = statement.get("NotResource" if self.not_resource else "Resource", "*")
        self.resources = [_resource_regex(str(r)) for r in _as_list(raw)]
        self.condition = statement.get("Condition")

    def names_resource(self, resource: str) -> bool:
        hit = any(r.fullmatch(resource) for r in self.resources)
        return not hit if self.not_resource else hit


class PolicyIndex:
    """A principal's identity-policy statements, indexed by action, for judging many
    requests: the same statement matching (:func:`statement_matches`) and conditions
    (:func:`conditions_hold`) as above, with patterns compiled once. An explicit Deny
    wins over any Allow; no matching Allow is an implicit deny
    (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).

    Example::

        index = PolicyIndex([{"Effect": "Allow", "Action": "s3:GetObject",
                              "Resource": "arn:aws:s3:::lake/raw/*"}])
        assert index.decide("s3:GetObject", "arn:aws:s3:::lake/raw/a", {}) == ALLOW
    """

    def __init__(self, statements: Sequence[Mapping[str, Any]]) -> None:
        self._exact: dict[str, list[_Compiled]] = {}
        self._patterns: list[tuple[re.Pattern[str], _Compiled]] = []
        self._not_action: list[tuple[list[str], _Compiled]] = []
        for statement in statements:
            compiled = _Compiled(statement)
            if "NotAction" in statement:
                names = [str(a).lower() for a in _as_list(statement["NotAction"])]
                self._not_action.append((names, compiled))
                continue
            for action in _as_list(statement.get("Action", [])):
                name = str(action).lower()
                if "*" in name or "?" in name:
                    self._patterns.append((re.compile(fnmatch.translate(name)), compiled))
                else:
                    self._exact.setdefault(name, []).append(compiled)

    def statements_for(self, action: str) -> list[Mapping[str, Any]]:
        """Every statement naming ``action`` (any effect, any resource)."""
        return [c.statement for c in self._naming(action.lower())]

    def _naming(self, action: str) -> list[_Compiled]:
        found = list(self._exact.get(action, ()))
        found += [c for pattern, c in self._patterns if pattern.match(action)]
        found += [
            c for names, c in self._not_action if not any(_string_like(action, n) for n in names)
        ]
        return found

    def decide(self, action: str, resource: str, context: Context) -> str:
        """:data:`ALLOW`, :data:`EXPLICIT_DENY` or :data:`IMPLICIT_DENY`."""
        allowed = False
        for compiled in self._naming(action.lower()):
            if not compiled.names_resource(resource):
                continue
            if not conditions_hold(compiled.condition, context):
                continue
            if compiled.effect == "Deny":
                return EXPLICIT_DENY
            if compiled.effect == "Allow":
                allowed = True
        return ALLOW if allowed else IMPLICIT_DENY
