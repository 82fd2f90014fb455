"""IAM and STS actions: what each one is authorized against, and its guard keys.

From the Service Authorization Reference for IAM
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html)
and STS
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecuritytokenservice.html).
Only the few actions a vendor in this library needs are listed.
"""

from __future__ import annotations

from enum import Enum


class IamScope(Enum):
    """What an IAM/STS action is authorized against."""

    ROLE = "role"
    """A role ARN: ``arn:aws:iam::ACCOUNT:role/NAME``."""
    NONE = "none"
    """No resource-level permission: the policy resource must be ``*``."""


IAM_ACTION_SCOPES: dict[str, IamScope] = {
    "iam:CreateRole": IamScope.ROLE,
    "iam:GetRole": IamScope.ROLE,
    "iam:PutRolePolicy": IamScope.ROLE,
    "sts:AssumeRole": IamScope.ROLE,
    # GetCallerIdentity has no resource type; AWS also documents that it needs no
    # permission at all and works under an explicit Deny
    # (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html).
    "sts:GetCallerIdentity": IamScope.NONE,
}

PERMISSIONS_BOUNDARY_KEY = "iam:PermissionsBoundary"
"""Condition key matching the permissions boundary set on the role being changed."""

ROLE_WRITE_ACTIONS: tuple[str, ...] = ("iam:CreateRole", "iam:PutRolePolicy")
"""IAM writes that can give a role new permissions (privilege-escalation primitives)."""


def scope_of(action: str) -> IamScope:
    """The resource scope of an IAM/STS action; ``KeyError`` for an unknown action."""
    return IAM_ACTION_SCOPES[action]
