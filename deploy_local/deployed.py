"""A deployed stack as CloudFormation reports it, with a resolver for its template."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .intrinsics import Resolver, Unresolvable

PARTITION = "aws"
URL_SUFFIX = "amazonaws.com"


@dataclass
class DeployedStack:
    """What CloudFormation (moto) says it created for one stack."""

    name: str
    template: dict[str, Any]
    stack_id: str
    status: str
    physical_ids: dict[str, str]  # logical ID -> physical ID ("" when moto created nothing)
    parameters: dict[str, str]
    clients: Any = field(repr=False)  # callable service name -> boto3 client
    resolver: Resolver = field(init=False, repr=False)
    as_moto: bool = field(default=False, repr=False)

    def __post_init__(self) -> None:
        _, _, _, region, account, _ = self.stack_id.split(":", 5)
        self.region, self.account = region, account
        self.resolver = Resolver(
            template=self.template,
            physical_ids=self.physical_ids,
            pseudo={
                "AWS::AccountId": account,
                "AWS::Region": region,
                "AWS::Partition": PARTITION,
                "AWS::URLSuffix": URL_SUFFIX,
                "AWS::StackName": self.name,
                "AWS::StackId": self.stack_id,
                "AWS::NotificationARNs": [],
            },
            parameters=self.parameters,
            get_att=self._get_att,
        )

    @classmethod
    def read(cls, name: str, template: dict[str, Any], clients: Any) -> DeployedStack:
        cfn = clients("cloudformation")
        stack = cfn.describe_stacks(StackName=name)["Stacks"][0]
        physical: dict[str, str] = {}
        for page in cfn.get_paginator("list_stack_resources").paginate(StackName=name):
            for summary in page["StackResourceSummaries"]:
                physical[summary["LogicalResourceId"]] = summary.get("PhysicalResourceId") or ""
        parameters = {
            p["ParameterKey"]: p.get("ParameterValue", "") for p in stack.get("Parameters", [])
        }
        for key, spec in template.get("Parameters", {}).items():
            parameters.setdefault(key, spec.get("Default", ""))
        return cls(
            name=name,
            template=template,
            stack_id=stack["StackId"],
            status=stack["StackStatus"],
            physical_ids=physical,
            parameters=parameters,
            clients=clients,
        )

    def resources(self, rtype: str | None = None) -> dict[str, dict[str, Any]]:
        return {
            lid: res
            for lid, res in self.template.get("Resources", {}).items()
            if rtype is None or res.get("Type") == rtype
        }

    def resolve(self, value: Any) -> Any:
        """``value`` resolved as CloudFormation documents its attributes."""
        return self.resolver.resolve(value)

    def resolve_as_moto(self, value: Any) -> Any:
        """``value`` resolved with moto's values for the GETATT_DIFFERENCES attributes."""
        self.as_moto = True
        try:
            return Resolver(
                template=self.template,
                physical_ids=self.physical_ids,
                pseudo=self.resolver.pseudo,
                parameters=self.parameters,
                get_att=self._get_att,
            ).resolve(value)
        finally:
            self.as_moto = False

    def _arn(self, service: str, resource: str, *, region: bool = True) -> str:
        where = f"{self.region}:{self.account}" if region else f":{self.account}"
        return f"arn:{PARTITION}:{service}:{where}:{resource}"

    def _get_att(self, logical_id: str, rtype: str, physical: str, attribute: str) -> Any:
        iam = self.clients("iam")
        if rtype == "AWS::IAM::Role" and attribute in ("Arn", "RoleId"):
            return iam.get_role(RoleName=physical)["Role"][attribute]
        if rtype == "AWS::IAM::User" and attribute == "Arn":
            return iam.get_user(UserName=physical)["User"]["Arn"]
        if rtype == "AWS::IAM::Group" and attribute == "Arn":
            return iam.get_group(GroupName=physical)["Group"]["Arn"]
        if rtype == "AWS::IAM::InstanceProfile" and attribute == "Arn":
            return iam.get_instance_profile(InstanceProfileName=physical)["InstanceProfile"]["Arn"]
        if rtype == "AWS::IAM::ManagedPolicy" and attribute == "PolicyArn":
            return physical
        if rtype == "AWS::S3::Bucket":
            simple = {
                "Arn": f"arn:{PARTITION}:s3:::{physical}",
                "DomainName": f"{physical}.s3.{URL_SUFFIX}",
                "RegionalDomainName": f"{physical}.s3.{self.region}.{URL_SUFFIX}",
            }
            if attribute in simple:
                return simple[attribute]
        if rtype == "AWS::KMS::Key":
            if attribute == "Arn":
                return self._arn("kms", f"key/{physical}")
            if attribute == "KeyId":
                return physical
        if rtype == "AWS::Logs::LogGroup" and attribute == "Arn":
            suffix = "" if self.as_moto else ":*"
            return self._arn("logs", f"log-group:{physical}{suffix}")
        if rtype == "AWS::ECR::Repository" and attribute == "Arn":
            return self._arn("ecr", f"repository/{physical}")
        if rtype == "AWS::Lambda::Function" and attribute == "Arn":
            return self._arn("lambda", f"function:{physical}")
        if rtype == "AWS::ECS::TaskDefinition" and attribute == "TaskDefinitionArn":
            return physical
        if attribute == "Arn" and physical.startswith("arn:"):
            return physical
        raise Unresolvable(
            f"Fn::GetAtt {logical_id}.{attribute}: the local resolver does not know "
            f"{rtype}.{attribute} (add it to deploy_local/deployed.py)"
        )
