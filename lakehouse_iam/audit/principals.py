"""The app's roles and users, their deployed names, and their policies as IAM sees them.

The cloud assembly is read by the report's reader (:func:`~lakehouse_iam.report.reader.
principal_policies`: the same attachment rules as ``lakehouse-iam report``). Deployed
names come from ``aws cloudformation describe-stack-resources`` output
(``{"StackResources": [{"StackName", "LogicalResourceId", "PhysicalResourceId",
"ResourceType"}]}``, https://docs.aws.amazon.com/AWSCloudFormation/latest/APIReference/
API_DescribeStackResources.html); without it, only names fixed in the templates
(``RoleName``, ``BucketName`` ...) are known. Policies are resolved with the shared
CloudFormation resolver (:mod:`lakehouse_iam._private.cfn_resolver`), whose leaves here
are those physical IDs and the account, Region and partition of the records; a value
that cannot be resolved is never guessed: its statement matches nothing and is reported.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .._private.cfn_resolver import Resolver, Unresolvable
from .._private.evaluation import PolicyIndex
from .._private.partitions import partition_of_region
from ..catalog.prop_control import ConstructProps
from ..report.assembly import StackArtifact
from ..report.reader import PrincipalPolicies, principal_policies
from ..vendors import VENDORS, Vendor
from .events import EventsError

__all__ = [
    "LibraryPrincipal",
    "Principals",
    "ResolvedPolicies",
    "read_stack_resources",
]

UNRESOLVED = "\x00unresolved"
"""The resource a statement gets when one of its values cannot be resolved: no ARN
matches it."""

_NAME_PROPERTIES = {
    "AWS::IAM::Role": "RoleName",
    "AWS::IAM::User": "UserName",
    "AWS::IAM::Group": "GroupName",
    "AWS::S3::Bucket": "BucketName",
    "AWS::Logs::LogGroup": "LogGroupName",
    "AWS::ECR::Repository": "RepositoryName",
    "AWS::SecretsManager::Secret": "Name",
}
"""Resource type -> the property that fixes its physical name (its ``Ref``)."""
_PLACEHOLDER_PSEUDO = {
    "AWS::AccountId": "<account>",
    "AWS::Region": "<region>",
    "AWS::Partition": "aws",
    "AWS::URLSuffix": "amazonaws.com",
}


def read_stack_resources(paths: Iterable[str | Path]) -> dict[str, dict[str, str]]:
    """Stack name -> logical ID -> physical ID, from ``describe-stack-resources`` files.

    :raises EventsError: when a file is missing or not that command's output.
    """
    found: dict[str, dict[str, str]] = {}
    for raw in paths:
        path = Path(raw)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise EventsError(f"--stack-resources {str(path)!r} does not exist") from None
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise EventsError(f"--stack-resources {str(path)!r}: {error}") from None
        resources = data.get("StackResources") if isinstance(data, dict) else None
        if not isinstance(resources, list):
            raise EventsError(
                f"--stack-resources {str(path)!r} is not `aws cloudformation "
                'describe-stack-resources` output ({"StackResources": [...]})'
            )
        for item in resources:
            if not isinstance(item, dict):
                continue
            stack, logical, physical = (
                item.get("StackName"),
                item.get("LogicalResourceId"),
                item.get("PhysicalResourceId"),
            )
            if isinstance(stack, str) and isinstance(logical, str) and isinstance(physical, str):
                found.setdefault(stack, {})[logical] = physical
    return found


def _get_att(pseudo: Mapping[str, str], template: Mapping[str, Any]) -> Any:
    partition, region, account = (
        pseudo["AWS::Partition"],
        pseudo["AWS::Region"],
        pseudo["AWS::AccountId"],
    )

    def get_att(logical_id: str, resource_type: str, physical: str, attribute: str) -> Any:
        if attribute == "Arn":
            if resource_type == "AWS::S3::Bucket":
                return f"arn:{partition}:s3:::{physical}"
            if resource_type in ("AWS::IAM::Role", "AWS::IAM::User"):
                kind = "role" if resource_type == "AWS::IAM::Role" else "user"
                path = template["Resources"][logical_id].get("Properties", {}).get("Path", "/")
                path = path if isinstance(path, str) else "/"
                return f"arn:{partition}:iam::{account}:{kind}{path}{physical}"
            if resource_type == "AWS::KMS::Key":
                return f"arn:{partition}:kms:{region}:{account}:key/{physical}"
            if resource_type == "AWS::Logs::LogGroup":
                return f"arn:{partition}:logs:{region}:{account}:log-group:{physical}:*"
            if resource_type == "AWS::ECR::Repository":
                return f"arn:{partition}:ecr:{region}:{account}:repository/{physical}"
        if resource_type == "AWS::KMS::Key" and attribute == "KeyId":
            return physical
        raise Unresolvable(f"Fn::GetAtt {logical_id}.{attribute} ({resource_type})")

    return get_att


@dataclass(frozen=True)
class ResolvedPolicies:
    """A principal's identity policies resolved for one account and Region."""

    index: PolicyIndex
    statements: tuple[Mapping[str, Any], ...]
    unresolved: tuple[str, ...]
    """What could not be resolved (the statements holding it match nothing)."""


@dataclass(eq=False)
class LibraryPrincipal:
    """A role or user the app defines.

    :param name: its deployed name (``None`` when neither ``--stack-resources`` nor the
        template fixes it: then no record can be matched to it).
    :param construct: the vendor construct it belongs to, when the audit knows it.
    """

    source: PrincipalPolicies
    name: str | None
    construct: ConstructProps | None
    vendor: Vendor | None
    _policies: dict[tuple[str, str], ResolvedPolicies] = field(default_factory=dict)

    @property
    def stack(self) -> str:
        return self.source.stack.stack_name

    @property
    def kind(self) -> str:
        return self.source.kind

    @property
    def path(self) -> str:
        return self.source.name

    @property
    def logical_id(self) -> str:
        return self.source.logical_id


class Principals:
    """Every role and user of the assembly in ``cdk_out``, by deployed name.

    :param stack_resources: stack name -> logical ID -> physical ID
        (:func:`read_stack_resources`). Default: names fixed in the templates only.
    """

    def __init__(
        self, cdk_out: str | Path, stack_resources: Mapping[str, Mapping[str, str]] | None = None
    ) -> None:
        self._deployed = {k: dict(v) for k, v in (stack_resources or {}).items()}
        self._fixed: dict[str, dict[str, str]] = {}
        self.all: list[LibraryPrincipal] = []
        self._by_name: dict[tuple[str, str], LibraryPrincipal] = {}
        for source in principal_policies(cdk_out):
            if source.kind not in ("role", "user"):
                continue
            name = self.physical_ids(source.stack).get(source.logical_id)
            construct, vendor = _construct_of(source)
            principal = LibraryPrincipal(
                source=source, name=name, construct=construct, vendor=vendor
            )
            self.all.append(principal)
            if name is not None:
                self._by_name[(source.kind, name)] = principal

    def physical_ids(self, stack: StackArtifact) -> dict[str, str]:
        """Logical ID -> physical ID of ``stack``: the deployed ones, and names the
        template fixes for resources the deployed list lacks."""
        if stack.stack_name not in self._fixed:
            deployed = self._deployed.get(stack.stack_name, {})
            self._fixed[stack.stack_name] = {**_fixed_names(stack, deployed), **deployed}
        return self._fixed[stack.stack_name]

    def by_name(self, kind: str, name: str) -> LibraryPrincipal | None:
        return self._by_name.get((kind, name))

    def match(self, record: Mapping[str, Any]) -> LibraryPrincipal | None:
        """The principal whose credentials made ``record``: for an assumed role, the
        role in ``userIdentity.sessionContext.sessionIssuer.arn``; for an IAM user,
        ``userIdentity.arn``. Role and user names are unique in an account, so the
        name (the ARN's last path segment) identifies it."""
        identity = record.get("userIdentity")
        if not isinstance(identity, dict):
            return None
        kind = identity.get("type")
        if kind == "AssumedRole":
            context = identity.get("sessionContext")
            issuer = context.get("sessionIssuer") if isinstance(context, dict) else None
            arn = issuer.get("arn") if isinstance(issuer, dict) else None
            key = "role"
        elif kind == "IAMUser":
            arn = identity.get("arn")
            key = "user"
        else:
            return None
        if not isinstance(arn, str):
            return None
        return self._by_name.get((key, arn.rsplit("/", 1)[-1]))

    def policies(
        self, principal: LibraryPrincipal, *, account: str | None, region: str | None
    ) -> ResolvedPolicies:
        """``principal``'s policies resolved for ``account`` and ``region`` (placeholders
        ``<account>`` / ``<region>`` when not known)."""
        key = (account or "", region or "")
        if key not in principal._policies:
            principal._policies[key] = self._resolve(principal, account, region)
        return principal._policies[key]

    def _resolve(
        self, principal: LibraryPrincipal, account: str | None, region: str | None
    ) -> ResolvedPolicies:
        statements: list[Mapping[str, Any]] = []
        unresolved: list[str] = []
        for stack, document in principal.source.documents:
            pseudo = dict(_PLACEHOLDER_PSEUDO)
            if account:
                pseudo["AWS::AccountId"] = account
            if region:
                pseudo["AWS::Region"] = region
                pseudo["AWS::Partition"] = partition_of_region(region)
            pseudo["AWS::StackName"] = stack.stack_name
            template = stack.template
            parameters = {
                name: str(spec.get("Default"))
                for name, spec in (template.get("Parameters") or {}).items()
                if isinstance(spec, dict) and "Default" in spec
            }
            resolver = Resolver(
                template=template,
                physical_ids=self.physical_ids(stack),
                pseudo=pseudo,
                parameters=parameters,
                get_att=_get_att(pseudo, template),
            )
            raw = document.get("Statement", []) if isinstance(document, dict) else []
            for statement in raw if isinstance(raw, list) else [raw]:
                if isinstance(statement, dict):
                    statements.append(_resolve_statement(resolver, statement, unresolved))
        return ResolvedPolicies(
            index=PolicyIndex(statements),
            statements=tuple(statements),
            unresolved=tuple(dict.fromkeys(unresolved)),
        )


def _resolve_statement(
    resolver: Resolver, statement: Mapping[str, Any], unresolved: list[str]
) -> Mapping[str, Any]:
    try:
        resolved = resolver.resolve(dict(statement))
        if isinstance(resolved, dict):
            return resolved
    except Unresolvable as error:
        unresolved.append(str(error))
    # Keep what resolves (the actions, for the unused list); the statement matches nothing.
    partial: dict[str, Any] = {"Effect": statement.get("Effect"), "Resource": UNRESOLVED}
    for key in ("Action", "NotAction"):
        if key in statement:
            try:
                partial[key] = resolver.resolve(statement[key])
            except Unresolvable:
                partial[key] = []
    return partial


def _fixed_names(stack: StackArtifact, deployed: Mapping[str, str]) -> dict[str, str]:
    """Logical ID -> physical name for resources whose name the template fixes (from
    literals, and from ``deployed`` names it is built from)."""
    names: dict[str, str] = dict(deployed)
    resources = stack.resources()
    for _ in range(2):  # a name may be built from another fixed name
        resolver = Resolver(
            template=stack.template,
            physical_ids=names,
            pseudo={"AWS::StackName": stack.stack_name},
            parameters={},
            get_att=_get_att(dict(_PLACEHOLDER_PSEUDO), stack.template),
        )
        for logical_id, resource in resources.items():
            prop = _NAME_PROPERTIES.get(str(resource.get("Type")))
            value = (resource.get("Properties") or {}).get(prop) if prop else None
            if value is None or logical_id in names:
                continue
            try:
                resolved = resolver.resolve(value)
            except Unresolvable:
                continue
            if isinstance(resolved, str) and resolved:
                names[logical_id] = resolved
    return names


def _construct_of(source: PrincipalPolicies) -> tuple[ConstructProps | None, Vendor | None]:
    """The vendor construct a principal belongs to: by the role description the
    construct sets, else by the example stack it is in."""
    from importlib import import_module

    properties = source.stack.resources().get(source.logical_id, {}).get("Properties") or {}
    description = properties.get("Description")
    by_stack: tuple[ConstructProps | None, Vendor | None] = (None, None)
    for vendor in VENDORS:
        constructs: tuple[ConstructProps, ...] = import_module(f"{vendor.package}.props").CONSTRUCTS
        for construct in constructs:
            if isinstance(description, str) and re.search(construct.description, description):
                return construct, vendor
            if source.stack.artifact_id in construct.stacks and by_stack[0] is None:
                by_stack = (construct, vendor)
    return by_stack
