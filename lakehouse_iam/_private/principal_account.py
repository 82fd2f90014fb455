"""Refuse to attach policies to a role, user or group of another account.

A managed policy names the identities it is attached to by name (``Roles: [name]``),
and IAM resolves those names in the account that deploys the stack. A principal
imported from another account (``iam.Role.from_role_arn(scope, id,
"arn:aws:iam::999999999999:role/x")``) would therefore give its permissions to whatever
role named ``x`` exists in the deploying account, silently. The accounts are compared
as the partitions are (README, "Partitions and regions"): only when both are literal;
a token account (an env-agnostic stack, an ARN from a parameter) is never guessed.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk

from ..validation import PropsCheck
from .stack_facts import StackFacts

_ARN_ATTRIBUTES = ("role_arn", "user_arn", "group_arn")


def principal_account(principal: Any) -> str | None:
    """The literal account of an ``iam.IRole``, ``iam.IUser`` or ``iam.IGroup``, or ``None``
    when it is a token (or the object has no account).

    A literal ARN is read first: ``iam.User.from_user_arn`` and ``iam.Group.from_group_arn``
    report the stack's account in ``env``, whatever account their ARN names.
    """
    for attribute in _ARN_ATTRIBUTES:
        arn = getattr(principal, attribute, None)
        if isinstance(arn, str) and not cdk.Token.is_unresolved(arn):
            parts = arn.split(":")
            return parts[4] if len(parts) > 5 and parts[4] else None
    env = getattr(principal, "env", None)
    account = getattr(env, "account", None)
    if isinstance(account, str) and not cdk.Token.is_unresolved(account):
        return account
    return None


def _label(principal: Any) -> str:
    for attribute in _ARN_ATTRIBUTES:
        arn = getattr(principal, attribute, None)
        if isinstance(arn, str) and not cdk.Token.is_unresolved(arn):
            return arn
    node = getattr(principal, "node", None)
    return str(getattr(node, "path", principal))


def check_principal_account(
    check: PropsCheck, facts: StackFacts, prop: str, principal: Any, *, instead: str
) -> None:
    """Record a problem on ``check`` when ``principal`` (a role, user or group the caller
    attaches policies to) is of another account than ``facts``' stack, both literal.

    :param instead: what to do instead, e.g. create a role in this account with a
        ``CrossAccountTrust`` the other account's role assumes.
    """
    stack_account = facts.known_account
    if stack_account is None:
        return
    account = principal_account(principal)
    if account is None or account == stack_account:
        return
    check.add(
        prop,
        _label(principal),
        f"a role, user or group of this stack's account {stack_account}, not of account "
        f"{account}: a managed policy is attached by name in the deploying account, so "
        f"a same-named identity of account {stack_account} would get the permissions. "
        f"{instead}",
    )
