"""Template mutation: one granted action taken away from one principal.

The mutation test removes each action a principal's identity policies grant, from a
copy of the synthesized template (no re-synthesis), and evaluates the engine requests
that use the action: at least one must then be denied, or nothing needs the grant.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .engine_requests import Row, RowProbe, build_probes
from .policies import PrincipalRecord, principals_of

_POLICY_TYPES = ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy")


def granted_actions(principal: PrincipalRecord) -> set[str]:
    """Every exact action an Allow statement of the principal's identity policies names."""
    actions: set[str] = set()
    for policy in principal.identity:
        for statement in _statements(policy.document):
            if statement.get("Effect") != "Allow":
                continue
            if "NotAction" in statement:
                raise ValueError(f"{policy.label}: NotAction is not supported by the mutation")
            actions.update(_as_list(statement.get("Action", [])))
    return actions


def granted(template: Mapping[str, Any], *, stack: str) -> dict[str, set[str]]:
    """Construct path of each role and user -> the actions its identity policies grant."""
    return {p.path: granted_actions(p) for p in principals_of(template, stack_name=stack)}


def without_action(
    template: Mapping[str, Any],
    *,
    stack: str,
    principal: str,
    action: str,
    record: PrincipalRecord | None = None,
) -> dict[str, Any]:
    """A copy of ``template`` in which ``principal``'s identity policies no longer grant
    ``action`` (compared case-insensitively, as IAM does).

    Only the policy resources the principal holds are copied (templates are large and
    the test makes hundreds of mutations); a statement left without actions is dropped,
    and a document may end with no statement at all (the evaluator treats it as granting
    nothing). ``record`` is the principal as :func:`principals_of` reads it from
    ``template`` (computed when not given).
    """
    if record is None:
        (record,) = [p for p in principals_of(template, stack_name=stack) if p.path == principal]
    resources = dict(template["Resources"])
    for policy in record.identity:
        resource = copy.deepcopy(resources[policy.logical_id])
        resources[policy.logical_id] = resource
        props = resource["Properties"]
        if resource["Type"] in _POLICY_TYPES:
            _strip(props["PolicyDocument"], action)
        else:
            for inline in props.get("Policies", []):
                if inline.get("PolicyName") == policy.name:
                    _strip(inline["PolicyDocument"], action)
    return {**template, "Resources": resources}


def _strip(document: dict[str, Any], action: str) -> None:
    """Remove ``action`` from every statement of the document, in place."""
    kept = []
    for statement in _statements(document):
        actions = _as_list(statement.get("Action", []))
        remaining = [a for a in actions if not (isinstance(a, str) and a.lower() == action.lower())]
        if actions and not remaining:
            continue
        if len(remaining) != len(actions):
            statement = {**statement, "Action": remaining}
        kept.append(statement)
    document["Statement"] = kept


def _statements(document: Mapping[str, Any]) -> list[dict[str, Any]]:
    return list(_as_list(document.get("Statement", [])))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


# -- the mutation cases -------------------------------------------------------------------


@dataclass(frozen=True)
class MutationCase:
    """One granted action of one principal, and the rows that claim to need it."""

    stack: str
    principal: str
    action: str
    evidence: tuple[Row, ...]

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.stack, self.principal, self.action)


def mutation_cases(
    rows: Iterable[Row], templates: Mapping[str, Mapping[str, Any]]
) -> list[MutationCase]:
    """A case per (stack, principal, granted action) of the default templates.

    Evidence rows are the default-context identity rows of that principal for that action
    that the engine needs (expect allow) and the roles already allow (no known gap).
    """
    candidates = [
        r
        for r in rows
        if r.kind == "identity" and r.variant is None and r.expect == "allow" and not r.known_gap
    ]
    cases = []
    for stack in sorted(templates):
        for principal, actions in sorted(granted(templates[stack], stack=stack).items()):
            for action in sorted(actions):
                evidence = tuple(
                    r
                    for r in candidates
                    if r.stack == stack
                    and r.principal == principal
                    and r.action.lower() == action.lower()
                )
                cases.append(MutationCase(stack, principal, action, evidence))
    return cases


def case_probes(
    case: MutationCase, template: Mapping[str, Any], record: PrincipalRecord | None = None
) -> list[RowProbe]:
    """The case's evidence rows against ``template`` without the case's action."""
    if not case.evidence:
        return []
    mutated = without_action(
        template, stack=case.stack, principal=case.principal, action=case.action, record=record
    )
    prefix = f"mutation:{case.stack}:{case.principal}:{case.action}:"
    return build_probes(list(case.evidence), {case.stack: mutated}, id_prefix=prefix, check=False)
