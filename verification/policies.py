"""Every IAM policy of a template, resolved to plain JSON, and who each one applies to.

:func:`policies_of` lists identity, trust and resource policies. :func:`principals_of`
groups identity policies by the role or user that holds them (managed policies attached
by ``ManagedPolicyArns`` or ``Roles``/``Users``/``Groups``, inline ``Policies``, group
membership), because IAM evaluates a principal's policies together: an escalation path
can span two policies, and a probe must see all of them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from . import placeholders as ph
from .resolver import Resolver

PolicyKind = Literal["identity", "trust", "resource"]


@dataclass(frozen=True)
class PolicyRecord:
    """One policy document found in a template.

    :param stack: stack name. :param logical_id: the resource holding the document.
    :param path: its construct path relative to the stack (``RisingWave/DataAccess/S3Data``).
    :param kind: ``identity``, ``trust`` (a role's AssumeRolePolicyDocument) or
        ``resource`` (bucket, key, secret, repository ... policy).
    :param document: the resolved policy JSON.
    :param protects: for resource policies, the ARNs the policy is attached to.
    """

    stack: str
    logical_id: str
    path: str
    kind: PolicyKind
    document: dict[str, Any]
    resource_type: str = ""
    name: str = ""
    protects: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        suffix = f"#{self.name}" if self.name else ""
        return f"{self.stack}/{self.path}{suffix} ({self.kind})"


@dataclass
class PrincipalRecord:
    """A role or user and every identity policy IAM evaluates for it."""

    stack: str
    logical_id: str
    path: str
    resource_type: str
    arn: str
    identity: list[PolicyRecord] = field(default_factory=list)
    trust: PolicyRecord | None = None
    boundary: dict[str, Any] | None = None

    @property
    def label(self) -> str:
        return f"{self.stack}/{self.path}"

    def combined_identity_document(self) -> dict[str, Any]:
        """One document with the statements of all identity policies, Sids made unique."""
        statements = []
        for policy in self.identity:
            for index, statement in enumerate(_as_list(policy.document.get("Statement", []))):
                statement = dict(statement)
                statement["Sid"] = f"{policy.logical_id}{statement.get('Sid', index)}"
                statements.append(statement)
        return {"Version": "2012-10-17", "Statement": statements}


_IDENTITY_HOLDERS = ("AWS::IAM::Role", "AWS::IAM::User", "AWS::IAM::Group")
_RESOURCE_POLICIES: dict[str, tuple[str, str | None]] = {
    # type -> (policy property, property naming the protected resource or None for self)
    "AWS::S3::BucketPolicy": ("PolicyDocument", "Bucket"),
    "AWS::KMS::Key": ("KeyPolicy", None),
    "AWS::SecretsManager::ResourcePolicy": ("ResourcePolicy", "SecretId"),
    "AWS::ECR::Repository": ("RepositoryPolicyText", None),
    "AWS::SQS::QueuePolicy": ("PolicyDocument", "Queues"),
    "AWS::SNS::TopicPolicy": ("PolicyDocument", "Topics"),
    "AWS::Logs::ResourcePolicy": ("PolicyDocument", None),
}


def policies_of(
    template: Mapping[str, Any], *, stack_name: str, parameters: Mapping[str, str] | None = None
) -> list[PolicyRecord]:
    """Every identity, trust and resource policy of ``template``, resolved (with
    ``parameters`` for a parameterized template, see :class:`Resolver`)."""
    r = Resolver(template, stack_name=stack_name, parameters=parameters)
    found: list[PolicyRecord] = []
    for logical_id, resource in r.resources.items():
        resource_type = resource["Type"]
        props = resource.get("Properties", {})
        # (kind, unresolved document, policy name, protected ARNs)
        documents: list[tuple[PolicyKind, Any, str, list[str]]] = []
        if resource_type in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            documents.append(("identity", props["PolicyDocument"], props.get("PolicyName", ""), []))
        if resource_type in _IDENTITY_HOLDERS:
            for inline in props.get("Policies", []):
                documents.append(
                    ("identity", inline["PolicyDocument"], inline.get("PolicyName", ""), [])
                )
        if resource_type == "AWS::IAM::Role":
            documents.append(("trust", props["AssumeRolePolicyDocument"], "", []))
        if resource_type in _RESOURCE_POLICIES:
            policy_prop, target_prop = _RESOURCE_POLICIES[resource_type]
            if policy_prop in props:
                protects = _protected(r, logical_id, target_prop)
                documents.append(("resource", props[policy_prop], "", protects))
        for kind, document, name, protects in documents:
            resolved = r.resolve(document)
            if isinstance(resolved, str):  # e.g. AWS::Logs::ResourcePolicy holds a string
                resolved = json.loads(resolved)
            found.append(
                PolicyRecord(
                    stack=stack_name,
                    logical_id=logical_id,
                    path=r.construct_path(logical_id),
                    kind=kind,
                    document=resolved,
                    resource_type=resource_type,
                    name=name,
                    protects=tuple(protects),
                )
            )
    return found


def principals_of(
    template: Mapping[str, Any],
    *,
    stack_name: str,
    parameters: Mapping[str, str] | None = None,
    policies: list[PolicyRecord] | None = None,
) -> list[PrincipalRecord]:
    """Every role and user of ``template`` with the identity policies IAM evaluates for it.

    ``policies`` is ``policies_of(template)`` when the caller already has it.
    """
    r = Resolver(template, stack_name=stack_name, parameters=parameters)
    if policies is None:
        policies = policies_of(template, stack_name=stack_name, parameters=parameters)
    by_logical_id: dict[str, list[PolicyRecord]] = {}
    for policy in policies:
        by_logical_id.setdefault(policy.logical_id, []).append(policy)

    # Which policies each role/user/group holds, keyed by the holder's resolved name.
    held: dict[tuple[str, str], list[PolicyRecord]] = {}
    holders = {
        (resource["Type"], str(r.ref(lid))): lid
        for lid, resource in r.resources.items()
        if resource["Type"] in _IDENTITY_HOLDERS
    }
    managed_arns = {
        str(r.ref(lid)): lid
        for lid, resource in r.resources.items()
        if resource["Type"] == "AWS::IAM::ManagedPolicy"
    }
    for lid, resource in r.resources.items():
        props = resource.get("Properties", {})
        if resource["Type"] in ("AWS::IAM::ManagedPolicy", "AWS::IAM::Policy"):
            for prop, holder_type in (
                ("Roles", "AWS::IAM::Role"),
                ("Users", "AWS::IAM::User"),
                ("Groups", "AWS::IAM::Group"),
            ):
                for name in r.resolve(props.get(prop, [])):
                    identity = [p for p in by_logical_id[lid] if p.kind == "identity"]
                    held.setdefault((holder_type, str(name)), []).extend(identity)
        if resource["Type"] in _IDENTITY_HOLDERS:
            key = (resource["Type"], str(r.ref(lid)))
            inline = [p for p in by_logical_id.get(lid, []) if p.kind == "identity"]
            held.setdefault(key, []).extend(inline)
            for policy_arn in r.resolve(props.get("ManagedPolicyArns", [])):
                if policy_arn in managed_arns:
                    held[key].extend(by_logical_id[managed_arns[policy_arn]])
    memberships: dict[str, list[str]] = {}
    for lid, resource in r.resources.items():
        props = resource.get("Properties", {})
        if resource["Type"] == "AWS::IAM::User":
            memberships.setdefault(str(r.ref(lid)), []).extend(r.resolve(props.get("Groups", [])))
        if resource["Type"] == "AWS::IAM::UserToGroupAddition":
            for user in r.resolve(props.get("Users", [])):
                memberships.setdefault(str(user), []).append(r.resolve(props["GroupName"]))

    principals = []
    for (holder_type, name), lid in holders.items():
        if holder_type == "AWS::IAM::Group":
            continue
        identity = list(held.get((holder_type, name), []))
        for group in memberships.get(name, []) if holder_type == "AWS::IAM::User" else []:
            identity.extend(held.get(("AWS::IAM::Group", str(group)), []))
        props = r.resources[lid].get("Properties", {})
        trust = next((p for p in by_logical_id.get(lid, []) if p.kind == "trust"), None)
        boundary_arn = (
            r.resolve(props["PermissionsBoundary"]) if "PermissionsBoundary" in props else None
        )
        boundary = None
        if boundary_arn is not None:
            boundary_lid = managed_arns.get(boundary_arn)
            boundary = by_logical_id[boundary_lid][0].document if boundary_lid else None
        principals.append(
            PrincipalRecord(
                stack=stack_name,
                logical_id=lid,
                path=r.construct_path(lid),
                resource_type=holder_type,
                arn=str(r.get_att(lid, "Arn")),
                identity=_unique(identity),
                trust=trust,
                boundary=boundary,
            )
        )
    return principals


def _protected(r: Resolver, logical_id: str, target_prop: str | None) -> list[str]:
    resource = r.resources[logical_id]
    if target_prop is None:
        attribute = "Arn"
        try:
            return [str(r.get_att(logical_id, attribute))]
        except ValueError:
            return []
    targets = _as_list(r.resolve(resource["Properties"].get(target_prop, [])))
    if resource["Type"] == "AWS::S3::BucketPolicy":
        return [f"arn:{ph.PARTITION}:s3:::{name}" for name in targets]
    return [str(t) for t in targets]


def _unique(policies: list[PolicyRecord]) -> list[PolicyRecord]:
    seen: set[tuple[str, str]] = set()
    result = []
    for policy in policies:
        key = (policy.logical_id, policy.name)
        if key not in seen:
            seen.add(key)
            result.append(policy)
    return result


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
