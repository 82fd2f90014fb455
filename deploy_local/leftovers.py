"""After destroy: nothing of a stack is left except what its template marks RETAIN."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from .findings import Finding, Kind
from .moto_gaps import not_deleted

RETAIN = ("Retain", "RetainExceptOnCreate")
GONE = (
    "NoSuchEntity",
    "NoSuchBucket",
    "404",
    "NotFoundException",
    "ResourceNotFoundException",
    "ParameterNotFound",
    "RepositoryNotFoundException",
    "ClientException",
)


def iam_inventory(iam: Any) -> dict[str, set[str]]:
    """Names/ARNs of every role, user, group, customer policy and instance profile."""

    def names(operation: str, key: str, field: str, **kwargs: Any) -> set[str]:
        found = set()
        for page in iam.get_paginator(operation).paginate(**kwargs):
            found.update(item[field] for item in page[key])
        return found

    return {
        "AWS::IAM::Role": names("list_roles", "Roles", "RoleName"),
        "AWS::IAM::User": names("list_users", "Users", "UserName"),
        "AWS::IAM::Group": names("list_groups", "Groups", "GroupName"),
        "AWS::IAM::ManagedPolicy": names("list_policies", "Policies", "Arn", Scope="Local"),
        "AWS::IAM::InstanceProfile": names(
            "list_instance_profiles", "InstanceProfiles", "InstanceProfileName"
        ),
    }


def _exists(call: Callable[[], Any]) -> bool:
    try:
        call()
    except ClientError as e:
        code = e.response.get("Error", {}).get("Code", "")
        if code in GONE or "NotFound" in code or "NoSuch" in code:
            return False
        raise
    return True


def exists(clients: Any, rtype: str, physical: str) -> bool | None:
    """Whether the resource is still there; None for a type this check does not know."""
    iam = clients("iam")
    checks: dict[str, Callable[[], bool]] = {
        "AWS::IAM::Role": lambda: _exists(lambda: iam.get_role(RoleName=physical)),
        "AWS::IAM::User": lambda: _exists(lambda: iam.get_user(UserName=physical)),
        "AWS::IAM::Group": lambda: _exists(lambda: iam.get_group(GroupName=physical)),
        "AWS::IAM::ManagedPolicy": lambda: _exists(lambda: iam.get_policy(PolicyArn=physical)),
        "AWS::IAM::InstanceProfile": lambda: _exists(
            lambda: iam.get_instance_profile(InstanceProfileName=physical)
        ),
        "AWS::IAM::AccessKey": lambda: any(
            key["AccessKeyId"] == physical
            for user in iam.list_users()["Users"]
            for key in iam.list_access_keys(UserName=user["UserName"])["AccessKeyMetadata"]
        ),
        "AWS::S3::Bucket": lambda: _exists(lambda: clients("s3").head_bucket(Bucket=physical)),
        # list_keys, not describe_key: moto 5.2.5 stores a CloudFormation key policy as a
        # dict and DescribeKey then fails with HTTP 500.
        "AWS::KMS::Key": lambda: (
            physical in {k["KeyId"] for k in clients("kms").list_keys()["Keys"]}
        ),
        "AWS::SSM::Parameter": lambda: _exists(lambda: clients("ssm").get_parameter(Name=physical)),
        "AWS::Lambda::Function": lambda: _exists(
            lambda: clients("lambda").get_function(FunctionName=physical)
        ),
        "AWS::Logs::LogGroup": lambda: (
            physical
            in {
                g["logGroupName"]
                for g in clients("logs").describe_log_groups(logGroupNamePrefix=physical)[
                    "logGroups"
                ]
            }
        ),
        "AWS::ECS::TaskDefinition": lambda: (
            clients("ecs")
            .describe_task_definition(taskDefinition=physical)["taskDefinition"]
            .get("status")
            == "ACTIVE"
        ),
    }
    check = checks.get(rtype)
    return None if check is None else check()


def check_destroyed(
    *, stack: str, template: dict[str, Any], physical_ids: dict[str, str], clients: Any
) -> list[Finding]:
    """Findings for every non-RETAIN resource of ``stack`` still present after destroy."""
    findings = []
    cfn = clients("cloudformation")
    status = cfn.describe_stacks(StackName=stack)["Stacks"] if _stack_listed(cfn, stack) else []
    if status:
        findings.append(
            Finding(
                kind=Kind.LEFTOVER,
                stack=stack,
                message=f"stack still exists with status {status[0]['StackStatus']}",
            )
        )
    for logical_id, resource in sorted(template.get("Resources", {}).items()):
        rtype = resource.get("Type", "")
        physical = physical_ids.get(logical_id, "")
        if not physical or rtype == "AWS::CDK::Metadata":
            continue
        retained = resource.get("DeletionPolicy") in RETAIN
        present = exists(clients, rtype, physical)
        base = dict(stack=stack, resource=logical_id, resource_type=rtype, physical_id=physical)
        if present is None:
            findings.append(
                Finding(
                    kind=Kind.GAP,
                    message="not checked after destroy (no check for this type)",
                    prop="DeletionPolicy",
                    **base,
                )
            )
        elif retained and not present:
            findings.append(
                Finding(
                    kind=Kind.MISMATCH,
                    prop="DeletionPolicy",
                    message="marked RETAIN but deleted with the stack",
                    **base,
                )
            )
        elif present and not retained:
            why = not_deleted(rtype)
            findings.append(
                Finding(
                    kind=Kind.GAP if why else Kind.LEFTOVER,
                    prop="DeletionPolicy",
                    message=f"still exists after destroy: {why}"
                    if why
                    else "still exists after destroy although not RETAIN",
                    **base,
                )
            )
    return findings


def _stack_listed(cfn: Any, stack: str) -> bool:
    """True if a live (not DELETE_COMPLETE) stack of that name exists."""
    try:
        stacks = cfn.describe_stacks(StackName=stack)["Stacks"]
    except ClientError:
        return False
    return any(s["StackStatus"] != "DELETE_COMPLETE" for s in stacks)
