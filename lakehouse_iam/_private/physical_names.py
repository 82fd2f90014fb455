"""IAM names are unique per account: no two constructs of one app may claim the same one.

CloudFormation only finds out at deploy time, when the second stack fails with
"already exists" (or, in one stack, the template is rejected). Library constructs claim
every explicit IAM name here when they are created, so the clash is a ``ValueError`` at
construction that names both constructs and how to tell them apart.

Names are keyed by the stack's account (IAM is global across regions), the kind of
entity and the name in lower case (IAM compares role, user, group and instance profile
names case-insensitively). Stacks whose account is not fixed at synth (env-agnostic)
share one "unknown account" key: two of them may or may not deploy to the same account,
and a clash between an env-agnostic stack and one with an explicit account is not
reported. Names created outside lakehouse-iam (an ``iam.Role(role_name=...)`` of your
own) are not seen.
"""

from __future__ import annotations

import weakref

from constructs import IConstruct

from ..validation import is_token
from .stack_facts import stack_facts

_CLAIMS: weakref.WeakKeyDictionary[IConstruct, dict[tuple[str, str, str], str]] = (
    weakref.WeakKeyDictionary()
)


def claim_physical_name(
    scope: IConstruct, *, kind: str, name: str | None, owner: str, prop: str, hint: str
) -> None:
    """Record that ``scope`` creates the IAM ``kind`` (``role``, ``user``...) ``name``.

    A second claim of the same name from a construct that is not inside (nor around) the
    first one raises a ``ValueError``: ``<owner> at <path>: <prop>=<name> is already used
    by <other path> ... <hint>``. Tokens and ``None`` are not checked.
    """
    if name is None or is_token(name):
        return
    facts = stack_facts(scope)
    account = facts.known_account
    key = (account or "", kind, name.lower())
    claims = _CLAIMS.setdefault(facts.root, {})
    path = scope.node.path
    holder = claims.get(key)
    if holder is None:
        claims[key] = path
        return
    if path == holder or path.startswith(holder + "/") or holder.startswith(path + "/"):
        return  # one construct (and the role it creates) claims the name once
    where = f"account {account}" if account else "an account not fixed at synth (env-agnostic)"
    raise ValueError(
        f"{owner} at {path}: {prop}={name!r} is invalid: the IAM {kind} name is already "
        f"created by {holder}, and both deploy to {where}; IAM {kind} names are unique per "
        f"account (case-insensitive), so CloudFormation would fail to create the second. "
        f"{hint}"
    )
