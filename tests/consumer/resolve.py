"""Read a synthesized multi-stack app and resolve its policies across stacks, as text.

Each value becomes the string CloudFormation would deploy, with what only deployment
knows kept as a readable placeholder: ``Fn::ImportValue`` and ``Fn::GetStackOutput`` are
followed to the producing stack's output, a resource's ``Ref``/``Fn::GetAtt`` becomes its
ARN or name from its explicit physical name (``arn:<partition>:s3:::storage-lake``), and
the pseudo parameters of an env-agnostic stack stay ``<partition>``, ``<region>``,
``<account>``. So a bucket passed as an ``IBucket``, its ARN token or its name token
resolves to the same ARN, and a test can assert the exact ARN every policy names.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Stack:
    """One stack of the assembly: its template, name, construct path and environment."""

    name: str
    path: str
    template: dict[str, Any]
    region: str | None
    account: str | None
    paths: dict[str, str] = field(default_factory=dict)

    @property
    def resources(self) -> dict[str, Any]:
        return self.template.get("Resources", {})

    def partition(self) -> str:
        if self.region is None:
            return "<partition>"
        if self.region.startswith("cn-"):
            return "aws-cn"
        return "aws-us-gov" if self.region.startswith("us-gov-") else "aws"


def read_stacks(directory: Path) -> dict[str, Stack]:
    """Every stack of the cloud assembly in ``directory`` (stages included), by name."""
    stacks: dict[str, Stack] = {}
    manifest = json.loads((directory / "manifest.json").read_text())
    for artifact in manifest.get("artifacts", {}).values():
        kind, props = artifact.get("type"), artifact.get("properties", {})
        if kind == "cdk:cloud-assembly":
            stacks.update(read_stacks(directory / props["directoryName"]))
        elif kind == "aws:cloudformation:stack":
            template = json.loads((directory / props["templateFile"]).read_text())
            env = artifact["environment"].removeprefix("aws://").split("/")
            account, region = (None if v.startswith("unknown-") else v for v in env)
            stack = Stack(
                name=props.get("stackName", artifact["displayName"]),
                path=artifact["displayName"],
                template=template,
                region=region,
                account=account,
            )
            # Construct paths come from the manifest's metadata (templates synthesized by
            # app.synth() carry no aws:cdk:path unless path metadata is switched on).
            metadata = dict(artifact.get("metadata", {}))
            if "additionalMetadataFile" in artifact:
                extra = directory / artifact["additionalMetadataFile"]
                metadata.update(json.loads(extra.read_text()))
            for cdk_path, entries in metadata.items():
                for entry in entries:
                    if entry.get("type") == "aws:cdk:logicalId":
                        path = cdk_path.strip("/").removesuffix("/Resource")
                        stack.paths[entry["data"]] = path
            stacks[stack.name] = stack
    return stacks


class Resolver:
    """Resolves values of any stack of one assembly."""

    def __init__(self, stacks: dict[str, Stack]) -> None:
        self.stacks = stacks
        self.exports: dict[str, tuple[Stack, Any]] = {}
        for stack in stacks.values():
            for output in stack.template.get("Outputs", {}).values():
                name = output.get("Export", {}).get("Name")
                if isinstance(name, str):
                    self.exports[name] = (stack, output["Value"])

    def render(self, stack: Stack, value: Any) -> Any:
        """``value`` in ``stack`` as plain strings (lists stay lists)."""
        if isinstance(value, str):
            return value
        if isinstance(value, list):
            return [self.render(stack, v) for v in value]
        if not isinstance(value, dict) or len(value) != 1:
            return {k: self.render(stack, v) for k, v in value.items()}
        ((function, arg),) = value.items()
        if function == "Ref":
            return self._ref(stack, arg)
        if function == "Fn::GetAtt":
            return self._get_att(stack, arg[0], arg[1])
        if function == "Fn::Join":
            return arg[0].join(str(self.render(stack, v)) for v in arg[1])
        if function == "Fn::Select":
            items = self.render(stack, arg[1])
            return items[int(arg[0])] if isinstance(items, list) else f"<select {items}>"
        if function == "Fn::Split":
            text = self.render(stack, arg[1])
            return text.split(arg[0]) if "<" not in text else f"<split {text}>"
        if function == "Fn::ImportValue":
            name = self.render(stack, arg)
            if name in self.exports:
                producer, output = self.exports[name]
                return self.render(producer, output)
            return f"<import {name}>"
        if function == "Fn::GetStackOutput":
            producer = self.stacks[arg["StackName"]]
            return self.render(producer, producer.template["Outputs"][arg["OutputName"]]["Value"])
        return {function: self.render(stack, arg)}

    def _ref(self, stack: Stack, name: str) -> str:
        pseudo = {
            "AWS::Partition": stack.partition(),
            "AWS::Region": stack.region or "<region>",
            "AWS::AccountId": stack.account or "<account>",
            "AWS::URLSuffix": "amazonaws.com",
        }
        if name in pseudo:
            return pseudo[name]
        if name in stack.template.get("Parameters", {}):
            return f"<{stack.path}:{name}>"
        return self._identity(stack, name, "Ref")

    def _get_att(self, stack: Stack, logical_id: str, attribute: str) -> str:
        return self._identity(stack, logical_id, attribute)

    def _identity(self, stack: Stack, logical_id: str, attribute: str) -> str:
        """A resource's name or ARN, from its explicit physical name where it has one."""
        resource = stack.resources[logical_id]
        props = resource.get("Properties", {})
        kind = resource["Type"]
        p, r, a = stack.partition(), stack.region or "<region>", stack.account or "<account>"
        unnamed = f"<{stack.paths.get(logical_id, logical_id)}>"
        if kind == "AWS::S3::Bucket":
            name = props.get("BucketName", unnamed)
            return name if attribute == "Ref" else f"arn:{p}:s3:::{name}"
        if kind == "AWS::Logs::LogGroup":
            name = props.get("LogGroupName", unnamed)
            return name if attribute == "Ref" else f"arn:{p}:logs:{r}:{a}:log-group:{name}:*"
        if kind == "AWS::SecretsManager::Secret":
            return f"arn:{p}:secretsmanager:{r}:{a}:secret:{props.get('Name', unnamed)}-XXXXXX"
        if kind == "AWS::ECR::Repository":
            name = props.get("RepositoryName", unnamed)
            return name if attribute == "Ref" else f"arn:{p}:ecr:{r}:{a}:repository/{name}"
        if kind == "AWS::KMS::Key":
            return unnamed if attribute == "Ref" else f"arn:{p}:kms:{r}:{a}:key/{unnamed}"
        if kind == "AWS::IAM::OIDCProvider":
            return f"arn:{p}:iam::{a}:oidc-provider/{props['Url'].removeprefix('https://')}"
        if kind == "AWS::IAM::Role":
            name = self.render(stack, props.get("RoleName", unnamed))
            return name if attribute == "Ref" else f"arn:{p}:iam::{a}:role/{name}"
        if kind == "AWS::IAM::ManagedPolicy" and attribute == "Ref":
            return f"arn:{p}:iam::{a}:policy/{unnamed}"
        return f"<{stack.paths.get(logical_id, logical_id)}.{attribute}>"


def policy_statements(stack: Stack, prefix: str) -> dict[str, dict[str, Any]]:
    """Managed-policy statements of the constructs under ``prefix`` (a construct path
    relative to the stack), by Sid; ``Part``-split statements are not expected here."""
    found: dict[str, dict[str, Any]] = {}
    for logical_id, resource in stack.resources.items():
        path = stack.paths.get(logical_id, "")
        if resource["Type"] != "AWS::IAM::ManagedPolicy":
            continue
        if not path.startswith(f"{stack.path}/{prefix}/"):
            continue
        for statement in resource["Properties"]["PolicyDocument"]["Statement"]:
            found[statement["Sid"]] = statement
    return found
