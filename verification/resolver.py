"""Resolve CloudFormation intrinsics in a synthesized template to plain, deterministic JSON.

Policy tools (parliament, cloudsplaining, iam-simulate) read plain policy JSON. A CDK
template holds ``Ref``, ``Fn::GetAtt``, ``Fn::Join``, ``Fn::Sub`` ... whose values exist only
at deploy time. :class:`Resolver` substitutes what CloudFormation would return, with the
placeholders of :mod:`verification.placeholders` for the account, region and partition and
names derived from the logical ID for resources without an explicit name, e.g.
``Fn::GetAtt [DataBucketE6B0FAA8, Arn]`` -> ``arn:aws:s3:::lakehouseiam-risingwave-databucket...``.

The same input always gives the same output, so probe tables can name resources by
construct path and get the ARN the policies were resolved with. An intrinsic this module
does not know raises :class:`UnresolvableError` (never a silent guess).
"""

from __future__ import annotations

import base64
import json
import re
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from . import placeholders as ph

NO_VALUE = object()
"""What ``Ref AWS::NoValue`` resolves to; removed from the enclosing list or object."""

_SUB_VARIABLE = re.compile(r"\$\{([^}]*)\}")
_NAMESPACE = uuid.UUID("5b1c3c1e-6d7a-4a53-9a0e-2f5d3e7f1a11")


class UnresolvableError(ValueError):
    """A template value that this resolver cannot turn into plain JSON."""


@dataclass(frozen=True)
class _Names:
    """Placeholder naming for one resource."""

    logical_id: str
    stack_name: str
    properties: Mapping[str, Any]

    def physical(self, *, lower: bool = False, max_length: int = 128) -> str:
        name = f"{self.stack_name}-{self.logical_id}"
        if lower:
            name = re.sub(r"[^a-z0-9.-]", "-", name.lower())
        return name[:max_length]

    def uuid(self) -> str:
        return str(uuid.uuid5(_NAMESPACE, f"{self.stack_name}/{self.logical_id}"))


class Resolver:
    """Resolves values of one template.

    :param template: the synthesized template (a dict, as in ``cdk.out/*.template.json``).
    :param stack_name: the stack's name (``AWS::StackName`` and the seed of generated
        resource names).
    :param parameters: values of the template's ``Parameters`` (a standalone template
        deployed with these values): ``Ref`` returns them, and ``Conditions`` are
        evaluated with them, so ``Fn::If`` takes the branch CloudFormation would and a
        resource whose ``Condition`` is false is not in :attr:`resources`. Default: each
        parameter's ``Default`` (``<parameter:NAME>`` without one).
    """

    def __init__(
        self,
        template: Mapping[str, Any],
        *,
        stack_name: str,
        parameters: Mapping[str, str] | None = None,
    ) -> None:
        self.template = template
        self.stack_name = stack_name
        self.parameters: Mapping[str, str] = dict(parameters or {})
        unknown = sorted(set(self.parameters) - set(template.get("Parameters", {})))
        if unknown:
            raise UnresolvableError(f"the template has no parameter {', '.join(unknown)}")
        self._conditions: dict[str, bool] = {}
        self.resources: Mapping[str, Any] = {
            lid: res
            for lid, res in template.get("Resources", {}).items()
            if "Condition" not in res or self._condition(res["Condition"])
        }
        self._paths = {
            _relative_path(res.get("Metadata", {}).get("aws:cdk:path", ""), stack_name): lid
            for lid, res in self.resources.items()
            if "aws:cdk:path" in res.get("Metadata", {})
        }

    # -- public API -------------------------------------------------------------------

    def resolve(self, value: Any) -> Any:
        """``value`` with every intrinsic replaced by its placeholder result."""
        resolved = self._resolve(value)
        if resolved is NO_VALUE:
            raise UnresolvableError("the whole value resolved to AWS::NoValue")
        return resolved

    def logical_id(self, reference: str) -> str | None:
        """The logical ID for a logical ID or a construct path relative to the stack.

        ``"Data/Bucket"`` finds the resource whose ``aws:cdk:path`` is
        ``<stack>/Data/Bucket/Resource`` (or ``<stack>/Data/Bucket``).
        """
        if reference in self.resources:
            return reference
        for candidate in (reference, f"{reference}/Resource"):
            if candidate in self._paths:
                return self._paths[candidate]
        return None

    def construct_path(self, logical_id: str) -> str:
        """The resource's construct path relative to the stack (no ``/Resource``), or its
        logical ID."""
        path = self.resources[logical_id].get("Metadata", {}).get("aws:cdk:path")
        if not path:
            return logical_id
        return _relative_path(path, self.stack_name).removesuffix("/Resource")

    def ref(self, name: str) -> Any:
        """What ``{"Ref": name}`` returns."""
        pseudo = self._pseudo(name)
        if pseudo is not None:
            return pseudo
        if name in self.parameters:
            return self.parameters[name]
        if name in self.template.get("Parameters", {}):
            parameter = self.template["Parameters"][name]
            if "Default" in parameter:
                return self._resolve(parameter["Default"])
            return f"<parameter:{name}>"
        resource = self._resource(name)
        rule = _RULES.get(resource["Type"])
        names = self._names(name)
        if rule is not None:
            return rule.ref(self, names)
        return names.physical()

    def get_att(self, logical_id: str, attribute: str) -> Any:
        """What ``{"Fn::GetAtt": [logical_id, attribute]}`` returns."""
        resource = self._resource(logical_id)
        if resource["Type"] in ("Custom::AWSCDKCfnJson",) and attribute == "Value":
            # CfnJson defers JSON.parse to deploy time; the custom resource returns the
            # parsed object, used as condition keys that contain tokens (IRSA issuer).
            return json.loads(self.resolve(resource["Properties"]["Value"]))
        rule = _RULES.get(resource["Type"])
        names = self._names(logical_id)
        if rule is not None and attribute in rule.attributes:
            return rule.attributes[attribute](self, names)
        if attribute == "Arn":
            service, kind = _service_and_kind(resource["Type"])
            return arn(service, f"{kind}/{names.physical()}")
        return f"{names.physical()}.{attribute}"

    def sub(self, text: str, variables: Mapping[str, Any] | None = None) -> str:
        """``Fn::Sub`` of ``text``; variables may also name construct paths.

        ``${X}`` is a variable, a pseudo parameter, a parameter, or a resource (logical ID
        or construct path) whose ``Ref`` is substituted; ``${X.Attr}`` is ``GetAtt``;
        ``${!X}`` is the literal ``${X}``.
        """
        variables = variables or {}

        def replace(match: re.Match[str]) -> str:
            name = match.group(1)
            if name.startswith("!"):
                return "${" + name[1:] + "}"
            if name in variables:
                return str(self._resolve(variables[name]))
            target = self._ref_target(name)
            if target is not None:
                return str(self.ref(target))
            if "." in name:
                head, attribute = name.rsplit(".", 1)
                logical_id = self.logical_id(head)
                if logical_id is not None:
                    return str(self.get_att(logical_id, attribute))
            raise UnresolvableError(f"Fn::Sub variable ${{{name}}} names nothing in the template")

        return _SUB_VARIABLE.sub(replace, text)

    # -- internals --------------------------------------------------------------------

    def _ref_target(self, name: str) -> str | None:
        if self._pseudo(name) is not None or name in self.template.get("Parameters", {}):
            return name
        return self.logical_id(name)

    def _pseudo(self, name: str) -> Any:
        return {
            "AWS::Partition": ph.PARTITION,
            "AWS::Region": ph.REGION,
            "AWS::AccountId": ph.ACCOUNT,
            "AWS::URLSuffix": ph.URL_SUFFIX,
            "AWS::StackName": self.stack_name,
            "AWS::StackId": (
                f"arn:{ph.PARTITION}:cloudformation:{ph.REGION}:{ph.ACCOUNT}:stack/"
                f"{self.stack_name}/00000000-0000-0000-0000-000000000000"
            ),
            "AWS::NotificationARNs": [],
            "AWS::NoValue": NO_VALUE,
        }.get(name)

    def _resource(self, logical_id: str) -> Mapping[str, Any]:
        if logical_id not in self.resources:
            raise UnresolvableError(f"no resource or parameter {logical_id!r} in the template")
        return self.resources[logical_id]

    def _names(self, logical_id: str) -> _Names:
        resource = self.resources[logical_id]
        return _Names(logical_id, self.stack_name, resource.get("Properties", {}))

    def prop(self, names: _Names, *keys: str) -> Any:
        """A resolved (possibly nested) property of a resource, or ``None``."""
        value: Any = names.properties
        for key in keys:
            if not isinstance(value, Mapping) or key not in value:
                return None
            value = value[key]
        return self._resolve(value)

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, list):
            return [v for v in (self._resolve(item) for item in value) if v is not NO_VALUE]
        if not isinstance(value, dict):
            return value
        if len(value) == 1:
            (key,) = value
            if key == "Ref":
                return self.ref(value[key])
            if key == "Condition" and isinstance(value[key], str):
                return self._condition(value[key])
            if key.startswith("Fn::"):
                return self._function(key, value[key])
        resolved = {k: self._resolve(v) for k, v in value.items()}
        return {k: v for k, v in resolved.items() if v is not NO_VALUE}

    def _function(self, name: str, args: Any) -> Any:
        handler = _FUNCTIONS.get(name)
        if handler is None:
            raise UnresolvableError(f"intrinsic {name} is not supported by the resolver")
        return handler(self, args)

    def _condition(self, name: str) -> bool:
        if name not in self._conditions:
            conditions = self.template.get("Conditions", {})
            if name not in conditions:
                raise UnresolvableError(f"no condition {name!r} in the template")
            self._conditions[name] = bool(self._resolve(conditions[name]))
        return self._conditions[name]


def arn(service: str, resource: str, *, region: str | None = ph.REGION) -> str:
    """An ARN in the placeholder partition and account (``region=""`` for global ones)."""
    return f"arn:{ph.PARTITION}:{service}:{region or ''}:{ph.ACCOUNT}:{resource}"


def _relative_path(path: str, stack_name: str) -> str:
    prefix = stack_name + "/"
    return path[len(prefix) :] if path.startswith(prefix) else path


def _service_and_kind(resource_type: str) -> tuple[str, str]:
    parts = resource_type.split("::")
    service = parts[1].lower() if len(parts) > 1 else "custom"
    kind = parts[-1].lower()
    return service, kind


# -- intrinsic functions --------------------------------------------------------------


def _join(r: Resolver, args: Any) -> str:
    delimiter, items = args
    return str(delimiter).join(str(item) for item in r._resolve(items))


def _sub(r: Resolver, args: Any) -> str:
    if isinstance(args, str):
        return r.sub(args)
    text, variables = args
    return r.sub(text, variables)


def _select(r: Resolver, args: Any) -> Any:
    index, items = r._resolve(args)
    return items[int(index)]


def _split(r: Resolver, args: Any) -> list[str]:
    delimiter, text = r._resolve(args)
    return str(text).split(delimiter)


def _get_att(r: Resolver, args: Any) -> Any:
    if isinstance(args, str):
        logical_id, attribute = args.split(".", 1)
    else:
        logical_id, attribute = r._resolve(args)
    return r.get_att(logical_id, attribute)


def _if(r: Resolver, args: Any) -> Any:
    name, when_true, when_false = args
    return r._resolve(when_true if r._condition(name) else when_false)


def _find_in_map(r: Resolver, args: Any) -> Any:
    map_name, top, second = r._resolve(args)
    return r._resolve(r.template["Mappings"][map_name][top][second])


_FUNCTIONS: dict[str, Callable[[Resolver, Any], Any]] = {
    "Fn::Join": _join,
    "Fn::Sub": _sub,
    "Fn::Select": _select,
    "Fn::Split": _split,
    "Fn::GetAtt": _get_att,
    "Fn::If": _if,
    "Fn::FindInMap": _find_in_map,
    "Fn::GetAZs": lambda r, args: [f"{ph.REGION}{zone}" for zone in "abc"],
    "Fn::Base64": lambda r, args: base64.b64encode(str(r._resolve(args)).encode()).decode(),
    "Fn::ImportValue": lambda r, args: f"<import:{r._resolve(args)}>",
    "Fn::ToJsonString": lambda r, args: json.dumps(r._resolve(args), separators=(",", ":")),
    "Fn::Equals": lambda r, args: r._resolve(args[0]) == r._resolve(args[1]),
    "Fn::Not": lambda r, args: not r._resolve(args[0]),
    "Fn::And": lambda r, args: all(r._resolve(a) for a in args),
    "Fn::Or": lambda r, args: any(r._resolve(a) for a in args),
    "Fn::Contains": lambda r, args: r._resolve(args[1]) in r._resolve(args[0]),
}


# -- what Ref and GetAtt return, by resource type -------------------------------------


@dataclass(frozen=True)
class _Rule:
    ref: Callable[[Resolver, _Names], Any]
    attributes: Mapping[str, Callable[[Resolver, _Names], Any]]


def _named(prop: str, *, lower: bool = False, max_length: int = 128) -> Callable[..., str]:
    """The resource's explicit name property, or a deterministic generated name."""

    def name(r: Resolver, n: _Names) -> str:
        explicit = r.prop(n, *prop.split("."))
        return str(explicit) if explicit else n.physical(lower=lower, max_length=max_length)

    return name


def _iam_arn(kind: str, name_prop: str) -> Callable[[Resolver, _Names], str]:
    def build(r: Resolver, n: _Names) -> str:
        path = r.prop(n, "Path") or "/"
        return arn("iam", f"{kind}{path}{_named(name_prop)(r, n)}", region="")

    return build


_bucket_name = _named("BucketName", lower=True, max_length=63)
_secret_name = _named("Name")


def _secret_arn(r: Resolver, n: _Names) -> str:
    # Secrets Manager appends "-" and six random characters to every secret ARN.
    return arn("secretsmanager", f"secret:{_secret_name(r, n)}-AbCdEf")


def _oidc_arn(r: Resolver, n: _Names) -> str:
    url = str(r.prop(n, "Url") or f"oidc.eks.{ph.REGION}.amazonaws.com/id/{n.logical_id}")
    return arn("iam", f"oidc-provider/{url.removeprefix('https://')}", region="")


def _kms_arn(r: Resolver, n: _Names) -> str:
    return arn("kms", f"key/{n.uuid()}")


_RULES: dict[str, _Rule] = {
    "AWS::S3::Bucket": _Rule(
        ref=_bucket_name,
        attributes={
            "Arn": lambda r, n: f"arn:{ph.PARTITION}:s3:::{_bucket_name(r, n)}",
            "DomainName": lambda r, n: f"{_bucket_name(r, n)}.s3.{ph.URL_SUFFIX}",
            "RegionalDomainName": lambda r, n: (
                f"{_bucket_name(r, n)}.s3.{ph.REGION}.{ph.URL_SUFFIX}"
            ),
        },
    ),
    "AWS::KMS::Key": _Rule(
        ref=lambda r, n: n.uuid(), attributes={"Arn": _kms_arn, "KeyId": lambda r, n: n.uuid()}
    ),
    "AWS::KMS::Alias": _Rule(ref=_named("AliasName"), attributes={}),
    "AWS::IAM::Role": _Rule(
        ref=_named("RoleName", max_length=64),
        attributes={
            "Arn": _iam_arn("role", "RoleName"),
            "RoleId": lambda r, n: "AROA" + n.uuid().replace("-", "")[:17].upper(),
        },
    ),
    "AWS::IAM::User": _Rule(
        ref=_named("UserName", max_length=64), attributes={"Arn": _iam_arn("user", "UserName")}
    ),
    "AWS::IAM::Group": _Rule(
        ref=_named("GroupName", max_length=128), attributes={"Arn": _iam_arn("group", "GroupName")}
    ),
    "AWS::IAM::ManagedPolicy": _Rule(
        ref=_iam_arn("policy", "ManagedPolicyName"),
        attributes={"PolicyArn": _iam_arn("policy", "ManagedPolicyName")},
    ),
    "AWS::IAM::InstanceProfile": _Rule(
        ref=_named("InstanceProfileName"),
        attributes={"Arn": _iam_arn("instance-profile", "InstanceProfileName")},
    ),
    "AWS::IAM::OIDCProvider": _Rule(ref=_oidc_arn, attributes={"Arn": _oidc_arn}),
    "Custom::AWSCDKOpenIdConnectProvider": _Rule(ref=_oidc_arn, attributes={"Arn": _oidc_arn}),
    "AWS::SecretsManager::Secret": _Rule(ref=_secret_arn, attributes={"Id": _secret_arn}),
    "AWS::Logs::LogGroup": _Rule(
        ref=_named("LogGroupName", max_length=512),
        attributes={"Arn": lambda r, n: arn("logs", f"log-group:{_named('LogGroupName')(r, n)}:*")},
    ),
    "AWS::ECR::Repository": _Rule(
        ref=_named("RepositoryName", lower=True, max_length=256),
        attributes={
            "Arn": lambda r, n: arn(
                "ecr", f"repository/{_named('RepositoryName', lower=True)(r, n)}"
            )
        },
    ),
    "AWS::ECS::Cluster": _Rule(
        ref=_named("ClusterName"),
        attributes={"Arn": lambda r, n: arn("ecs", f"cluster/{_named('ClusterName')(r, n)}")},
    ),
    "AWS::ECS::TaskDefinition": _Rule(
        ref=lambda r, n: arn("ecs", f"task-definition/{_named('Family')(r, n)}:1"),
        attributes={
            "TaskDefinitionArn": lambda r, n: arn(
                "ecs", f"task-definition/{_named('Family')(r, n)}:1"
            )
        },
    ),
    "AWS::EKS::Cluster": _Rule(
        ref=_named("Name", max_length=100),
        attributes={
            "Arn": lambda r, n: arn("eks", f"cluster/{_named('Name', max_length=100)(r, n)}"),
            "OpenIdConnectIssuerUrl": lambda r, n: (
                f"https://oidc.eks.{ph.REGION}.amazonaws.com/id/{n.uuid().replace('-', '')[:32]}"
            ),
        },
    ),
    "AWS::Glue::Database": _Rule(ref=_named("DatabaseInput.Name", lower=True), attributes={}),
    "AWS::Glue::Table": _Rule(ref=_named("TableInput.Name", lower=True), attributes={}),
}
