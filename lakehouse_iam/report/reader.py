"""Find every IAM role, user and group of a cloud assembly, with trust and permissions.

Permissions come from every place CloudFormation attaches a policy document to a
principal: inline ``Policies``; ``AWS::IAM::Policy`` and ``AWS::IAM::ManagedPolicy``
resources (their ``Roles``/``Users``/``Groups``); a principal's ``ManagedPolicyArns``
that reference a managed policy of the assembly (also across stacks, through
exports); ``AWS::IAM::RolePolicy``/``UserPolicy``/``GroupPolicy``; and for a user, the
policies of its groups (``Groups`` and ``AWS::IAM::UserToGroupAddition``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._private.cfn_reference import flatten_cfn_reference
from .assembly import StackArtifact, read_assembly
from .intrinsics import IntrinsicRenderer, StackOutputs, readable_names
from .model import (
    Condition,
    Permission,
    Principal,
    Report,
    StackReport,
    TrustedPrincipal,
    TrustStatement,
)
from .scope import describe

PRINCIPAL_TYPES = {"AWS::IAM::Role": "role", "AWS::IAM::User": "user", "AWS::IAM::Group": "group"}
NAME_PROPERTIES = {"role": "RoleName", "user": "UserName", "group": "GroupName"}
ATTACHMENT_PROPERTIES = {"role": "Roles", "user": "Users", "group": "Groups"}
SINGLE_ATTACHMENTS = {
    "AWS::IAM::RolePolicy": ("role", "RoleName"),
    "AWS::IAM::UserPolicy": ("user", "UserName"),
    "AWS::IAM::GroupPolicy": ("group", "GroupName"),
}


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def build_report(directory: str | Path) -> Report:
    """Read the cloud assembly in ``directory`` and describe every IAM principal in it.

    :raises CdkOutError: when the directory is missing or not a readable cloud assembly.
    """
    stacks = [_Stack(artifact) for artifact in read_assembly(directory)]
    return _Assembly(stacks).report(str(directory))


class _Stack:
    """One stack's template, with its renderer, construct paths and acknowledgments."""

    def __init__(self, artifact: StackArtifact) -> None:
        self.artifact = artifact
        self.id = artifact.artifact_id
        self.resources = artifact.resources()
        parameters = artifact.template.get("Parameters") or {}
        self.names = readable_names([*self.resources, *parameters])
        self.renderer = IntrinsicRenderer(self.names)
        self.paths = artifact.construct_paths()
        self.acks = artifact.acknowledgments()

    def of_type(self, *types: str) -> list[tuple[str, dict[str, Any]]]:
        return [
            (logical_id, resource)
            for logical_id, resource in sorted(self.resources.items())
            if isinstance(resource, dict) and resource.get("Type") in types
        ]

    def properties(self, logical_id: str) -> dict[str, Any]:
        properties = self.resources.get(logical_id, {}).get("Properties") or {}
        return properties if isinstance(properties, dict) else {}

    def display(self, logical_id: str) -> str:
        return self.paths.get(logical_id) or self.renderer.name(logical_id)

    def wildcard_reason(self, policy_path: str | None, raw_resource: Any) -> str | None:
        """The reason the app gave when acknowledging this ``*`` resource, if it did."""
        if policy_path is None:
            return None
        finding = f"AwsSolutions-IAM5[Resource::{flatten_cfn_reference(raw_resource)}]"
        # The library acknowledges on the policy's CfnResource (``<path>/Resource``).
        reason = self.acks.get(f"{policy_path}/Resource", {}).get(finding)
        if reason:
            return reason
        parts = policy_path.split("/") if policy_path else []
        for depth in range(len(parts), -1, -1):
            reason = self.acks.get("/".join(parts[:depth]), {}).get(finding)
            if reason:
                return reason
        return None


@dataclass
class _Builder:
    """A principal being assembled; turned into a frozen :class:`Principal` at the end."""

    stack: _Stack
    kind: str
    logical_id: str | None
    name: str
    defined_in_app: bool = True
    permissions: list[Permission] = field(default_factory=list)
    attached: set[tuple[str, str]] = field(default_factory=set)
    other_policies: list[str] = field(default_factory=list)
    groups: list[_Builder] = field(default_factory=list)
    instance_profiles: list[str] = field(default_factory=list)
    documents: list[tuple[StackArtifact, Any]] = field(default_factory=list)
    """The raw policy documents attached, each with the stack whose template holds it."""


@dataclass(frozen=True, kw_only=True)
class PrincipalPolicies:
    """A principal of the app with its policy documents as written in the templates
    (intrinsics unresolved), for tools that evaluate them (``lakehouse-iam audit``).

    :param documents: (stack holding the document, document) of every policy attached to
        the principal, its groups' policies included.
    """

    stack: StackArtifact
    kind: str
    name: str
    logical_id: str
    documents: tuple[tuple[StackArtifact, Any], ...]


def principal_policies(directory: str | Path) -> list[PrincipalPolicies]:
    """Every role, user and group the assembly in ``directory`` defines, with the raw
    policy documents the report reads (same attachment rules as :func:`build_report`).

    :raises CdkOutError: when the directory is missing or not a readable cloud assembly.
    """
    assembly = _Assembly([_Stack(artifact) for artifact in read_assembly(directory)])
    assembly.collect()
    return [
        PrincipalPolicies(
            stack=b.stack.artifact,
            kind=b.kind,
            name=b.name,
            logical_id=b.logical_id,
            documents=tuple(b.documents) + tuple(d for g in b.groups for d in g.documents),
        )
        for b in assembly.builders.values()
        if b.defined_in_app and b.logical_id is not None
    ]


class _Assembly:
    def __init__(self, stacks: list[_Stack]) -> None:
        self.stacks = stacks
        self.by_id = {s.id: s for s in stacks}
        self.builders: dict[tuple[str, str], _Builder] = {}
        self.exports: dict[str, tuple[_Stack, Any]] = {}
        self.outputs: dict[tuple[str, str], tuple[_Stack, Any]] = {}
        rendered_outputs = StackOutputs()
        for stack in stacks:
            # Another stack's output renders with this stack's names, qualified by it.
            qualified = {
                logical_id: f"{stack.artifact.display_name}/{name}"
                for logical_id, name in stack.names.items()
            }
            rendered_outputs.add(
                stack.artifact.stack_name,
                IntrinsicRenderer(qualified, outputs=rendered_outputs),
                stack.artifact.template.get("Outputs"),
            )
            stack.renderer.outputs = rendered_outputs
            outputs = stack.artifact.template.get("Outputs") or {}
            for output_id, output in outputs.items() if isinstance(outputs, dict) else ():
                if isinstance(output, dict):
                    self.outputs[(stack.artifact.stack_name, output_id)] = (
                        stack,
                        output.get("Value"),
                    )
            for output in outputs.values() if isinstance(outputs, dict) else ():
                name = (
                    (output.get("Export") or {}).get("Name") if isinstance(output, dict) else None
                )
                if isinstance(name, str):
                    self.exports[name] = (stack, output.get("Value"))
            for logical_id, resource in stack.of_type(*PRINCIPAL_TYPES):
                kind = PRINCIPAL_TYPES[resource["Type"]]
                self.builders[(stack.id, logical_id)] = _Builder(
                    stack=stack, kind=kind, logical_id=logical_id, name=stack.display(logical_id)
                )

    # -- resolving references ------------------------------------------------------
    def _resolve(self, stack: _Stack, value: Any) -> tuple[_Stack, str] | None:
        """The (stack, logical ID) a ``Ref`` (possibly through an export) points at."""
        if isinstance(value, dict) and value.get("Ref") in stack.resources:
            return stack, value["Ref"]
        if isinstance(value, dict) and isinstance(value.get("Fn::ImportValue"), str):
            exported = self.exports.get(value["Fn::ImportValue"])
            if exported is not None:
                return self._resolve(*exported)
        if isinstance(value, dict) and isinstance(value.get("Fn::GetStackOutput"), dict):
            arg = value["Fn::GetStackOutput"]
            output = self.outputs.get((str(arg.get("StackName")), str(arg.get("OutputName"))))
            if output is not None:
                return self._resolve(*output)
        return None

    def _principal(self, stack: _Stack, kind: str, value: Any) -> _Builder:
        """The principal of ``kind`` named by ``value``; an external one if not in the app."""
        target = self._resolve(stack, value)
        if target is not None and (target[0].id, target[1]) in self.builders:
            return self.builders[(target[0].id, target[1])]
        if isinstance(value, str):
            for builder in self.builders.values():
                if builder.kind == kind and builder.stack is stack:
                    physical = builder.stack.properties(builder.logical_id or "").get(
                        NAME_PROPERTIES[kind]
                    )
                    if physical == value:
                        return builder
        name = stack.renderer.render(value)
        key = (stack.id, f"external {kind} {name}")
        if key not in self.builders:
            self.builders[key] = _Builder(
                stack=stack, kind=kind, logical_id=None, name=name, defined_in_app=False
            )
        return self.builders[key]

    # -- attaching policies --------------------------------------------------------
    def _attach(
        self,
        builder: _Builder,
        stack: _Stack,
        document: Any,
        *,
        label: str,
        policy_key: tuple[str, str],
        policy_path: str | None,
    ) -> None:
        if policy_key in builder.attached:
            return
        builder.attached.add(policy_key)
        builder.documents.append((stack.artifact, document))
        builder.permissions.extend(_permissions(stack, document, label, policy_path))

    def _label(self, builder: _Builder, stack: _Stack, logical_id: str) -> str:
        """A policy's name relative to its principal's parent construct, when they share one."""
        path = stack.paths.get(logical_id)
        if path is None:
            return stack.renderer.name(logical_id)
        parent = builder.name.rsplit("/", 1)[0] + "/" if "/" in builder.name else ""
        if builder.defined_in_app and stack is builder.stack and parent and path.startswith(parent):
            return path[len(parent) :]
        return path

    def collect(self) -> None:
        """Attach every policy of the assembly to its principals."""
        for stack in self.stacks:
            self._inline_policies(stack)
        for stack in self.stacks:
            self._policy_resources(stack)
            self._managed_policy_arns(stack)
            self._group_memberships(stack)
            self._instance_profiles(stack)

    def report(self, source: str) -> Report:
        self.collect()
        by_stack: dict[str, list[Principal]] = {s.id: [] for s in self.stacks}
        for builder in self.builders.values():
            by_stack[builder.stack.id].append(self._freeze(builder))
        return Report(
            source=source,
            stacks=tuple(
                StackReport(
                    stack=stack.id,
                    display_name=stack.artifact.display_name,
                    principals=tuple(sorted(by_stack[stack.id], key=lambda p: (p.name, p.kind))),
                )
                for stack in sorted(self.stacks, key=lambda s: s.artifact.display_name)
            ),
        )

    def _inline_policies(self, stack: _Stack) -> None:
        for logical_id, _ in stack.of_type(*PRINCIPAL_TYPES):
            builder = self.builders[(stack.id, logical_id)]
            for policy in as_list(stack.properties(logical_id).get("Policies")):
                if not isinstance(policy, dict):
                    continue
                name = stack.renderer.render(policy.get("PolicyName"))
                self._attach(
                    builder,
                    stack,
                    policy.get("PolicyDocument"),
                    label=f"inline {name}",
                    policy_key=(stack.id, f"{logical_id} inline {name}"),
                    policy_path=stack.paths.get(logical_id),
                )

    def _policy_resources(self, stack: _Stack) -> None:
        policy_types = ("AWS::IAM::Policy", "AWS::IAM::ManagedPolicy")
        for logical_id, resource in stack.of_type(*policy_types, *SINGLE_ATTACHMENTS):
            properties = stack.properties(logical_id)
            targets: list[_Builder] = []
            if resource["Type"] in SINGLE_ATTACHMENTS:
                kind, prop = SINGLE_ATTACHMENTS[resource["Type"]]
                if prop in properties:
                    targets.append(self._principal(stack, kind, properties[prop]))
            else:
                for kind, prop in ATTACHMENT_PROPERTIES.items():
                    for value in as_list(properties.get(prop)):
                        targets.append(self._principal(stack, kind, value))
            for builder in targets:
                self._attach(
                    builder,
                    stack,
                    properties.get("PolicyDocument"),
                    label=self._label(builder, stack, logical_id),
                    policy_key=(stack.id, logical_id),
                    policy_path=stack.paths.get(logical_id),
                )

    def _managed_policy_arns(self, stack: _Stack) -> None:
        for logical_id, _ in stack.of_type(*PRINCIPAL_TYPES):
            builder = self.builders[(stack.id, logical_id)]
            for arn in as_list(stack.properties(logical_id).get("ManagedPolicyArns")):
                target = self._resolve(stack, arn)
                if target is None or target[0].resources[target[1]].get("Type") != (
                    "AWS::IAM::ManagedPolicy"
                ):
                    rendered = stack.renderer.render(arn)
                    if rendered not in builder.other_policies:
                        builder.other_policies.append(rendered)
                    continue
                policy_stack, policy_id = target
                self._attach(
                    builder,
                    policy_stack,
                    policy_stack.properties(policy_id).get("PolicyDocument"),
                    label=self._label(builder, policy_stack, policy_id),
                    policy_key=(policy_stack.id, policy_id),
                    policy_path=policy_stack.paths.get(policy_id),
                )

    def _group_memberships(self, stack: _Stack) -> None:
        for logical_id, _ in stack.of_type("AWS::IAM::User"):
            user = self.builders[(stack.id, logical_id)]
            for group in as_list(stack.properties(logical_id).get("Groups")):
                user.groups.append(self._principal(stack, "group", group))
        for logical_id, _ in stack.of_type("AWS::IAM::UserToGroupAddition"):
            properties = stack.properties(logical_id)
            group = self._principal(stack, "group", properties.get("GroupName"))
            for value in as_list(properties.get("Users")):
                self._principal(stack, "user", value).groups.append(group)

    def _instance_profiles(self, stack: _Stack) -> None:
        for logical_id, _ in stack.of_type("AWS::IAM::InstanceProfile"):
            for value in as_list(stack.properties(logical_id).get("Roles")):
                role = self._principal(stack, "role", value)
                role.instance_profiles.append(stack.display(logical_id))

    def _freeze(self, builder: _Builder) -> Principal:
        stack = builder.stack
        properties = stack.properties(builder.logical_id) if builder.logical_id else {}
        permissions = list(builder.permissions)
        for group in builder.groups:
            permissions += [
                _with_policies(p, tuple(f"via group {group.name}: {x}" for x in p.policies))
                for p in group.permissions
            ]
        other = list(builder.other_policies)
        for group in builder.groups:
            other += [f"via group {group.name}: {x}" for x in group.other_policies]
        trust = _trust(stack, properties.get("AssumeRolePolicyDocument"))
        boundary = properties.get("PermissionsBoundary")
        description = properties.get("Description")
        physical = properties.get(NAME_PROPERTIES[builder.kind])
        return Principal(
            stack=stack.id,
            kind=builder.kind,
            name=builder.name,
            logical_id=builder.logical_id,
            defined_in_app=builder.defined_in_app,
            physical_name=stack.renderer.render(physical) if physical is not None else None,
            description=stack.renderer.render(description) if description is not None else None,
            trust=trust,
            permissions=_merge(permissions),
            other_policies=tuple(other),
            groups=tuple(g.name for g in builder.groups),
            permissions_boundary=(
                stack.renderer.render(boundary) if boundary is not None else None
            ),
            instance_profiles=tuple(builder.instance_profiles),
        )


def _with_policies(permission: Permission, policies: tuple[str, ...]) -> Permission:
    return Permission(**{**permission.__dict__, "policies": policies})


def _conditions(stack: _Stack, block: Any) -> tuple[Condition, ...]:
    if not isinstance(block, dict):
        return ()
    return tuple(
        Condition(operator=operator, key=key, values=tuple(stack.renderer.values(value)))
        for operator, keys in sorted(block.items())
        if isinstance(keys, dict)
        for key, value in sorted(keys.items())
    )


def _statements(document: Any) -> list[dict[str, Any]]:
    if not isinstance(document, dict):
        return []
    return [s for s in as_list(document.get("Statement")) if isinstance(s, dict)]


def _trust(stack: _Stack, document: Any) -> tuple[TrustStatement, ...]:
    result = []
    for statement in _statements(document):
        not_principal = "NotPrincipal" in statement
        raw = statement.get("NotPrincipal" if not_principal else "Principal")
        principals: list[TrustedPrincipal] = []
        if isinstance(raw, dict):
            for kind, values in sorted(raw.items()):
                principals += [
                    TrustedPrincipal(type=kind, value=stack.renderer.render(v))
                    for v in as_list(values)
                ]
        elif raw is not None:
            principals.append(TrustedPrincipal(type="everyone", value=stack.renderer.render(raw)))
        result.append(
            TrustStatement(
                effect=str(statement.get("Effect", "")),
                actions=tuple(sorted(stack.renderer.values(statement.get("Action")))),
                principals=tuple(principals),
                conditions=_conditions(stack, statement.get("Condition")),
                not_principal=not_principal,
            )
        )
    return tuple(result)


def _permissions(
    stack: _Stack, document: Any, label: str, policy_path: str | None
) -> list[Permission]:
    result = []
    for statement in _statements(document):
        not_action = "NotAction" in statement
        not_resource = "NotResource" in statement
        actions = tuple(
            sorted(
                set(stack.renderer.values(statement.get("NotAction" if not_action else "Action")))
            )
        )
        conditions = _conditions(stack, statement.get("Condition"))
        for raw in as_list(statement.get("NotResource" if not_resource else "Resource")):
            rendered = stack.renderer.render(raw)
            result.append(
                Permission(
                    effect=str(statement.get("Effect", "")),
                    actions=actions,
                    resource=rendered,
                    scope=describe(raw, rendered, stack.resources),
                    conditions=conditions,
                    policies=(label,),
                    note=stack.wildcard_reason(policy_path, raw) if "*" in rendered else None,
                    not_action=not_action,
                    not_resource=not_resource,
                )
            )
    return result


def _merge(permissions: list[Permission]) -> tuple[Permission, ...]:
    """One entry per (effect, resource, conditions): the union of actions and policies."""
    merged: dict[tuple[Any, ...], Permission] = {}
    for p in permissions:
        key = (p.effect, p.resource, p.conditions, p.not_action, p.not_resource)
        if key not in merged:
            merged[key] = p
            continue
        seen = merged[key]
        merged[key] = Permission(
            **{
                **seen.__dict__,
                "actions": tuple(sorted(set(seen.actions) | set(p.actions))),
                "policies": seen.policies + tuple(x for x in p.policies if x not in seen.policies),
                "note": seen.note or p.note,
            }
        )
    return tuple(merged.values())
