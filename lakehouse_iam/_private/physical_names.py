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

import hashlib
import re
import weakref

import aws_cdk as cdk
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


IAM_NAME_LIMITS = {
    "role": 64,
    "user": 64,
    "group": 128,
    "policy": 128,
    "instance profile": 128,
    "path": 512,
}
"""IAM's maximum length of each kind of name (characters)."""

_TOKEN = re.compile(r"\$\{Token\[[^\]]+\]\}")
_ACCOUNT_ID_LENGTH = 12


def max_length_of(name: str) -> int | None:
    """The longest ``name`` can be once deployed, or ``None`` when synthesis cannot tell.

    A literal is its own length. A token counts as: a ``CfnParameter``'s ``max_length``
    (or its longest ``allowed_values``); the literal ``bucket_name`` of an
    ``s3.CfnBucket`` it references (``bucket.bucket_name`` of an ``s3.Bucket`` named in
    this app); 12 for ``AWS::AccountId``. Anything else (a generated bucket name, an
    import, a parameter without a bound) is unknown: never guessed.
    """
    total = len(_TOKEN.sub("", name))
    for token in _TOKEN.findall(name):
        longest = _token_max_length(token)
        if longest is None:
            return None
        total += longest
    return total


def _token_max_length(token: str) -> int | None:
    resolvable = cdk.Tokenization.reverse_string(token).first_token
    if isinstance(resolvable, cdk.Reference):
        target = resolvable.target
        if isinstance(target, cdk.CfnParameter):
            if target.allowed_values:
                return max(len(v) for v in target.allowed_values)
            return None if target.max_length is None else int(target.max_length)
        if resolvable.display_name == "Ref":
            literal = getattr(target, "bucket_name", None)
            if cdk.CfnResource.is_cfn_resource(target) and isinstance(literal, str):
                return None if cdk.Token.is_unresolved(literal) else len(literal)
        return None
    if token == cdk.Aws.ACCOUNT_ID:
        return _ACCOUNT_ID_LENGTH
    return None


def bounded_name(prefix: str, middle: str, suffix: str, *, max_length: int) -> str:
    """``prefix + middle + suffix`` when it fits ``max_length``; else ``middle`` is cut and
    followed by ``-`` and 8 hex characters of its SHA-256, so distinct inputs stay distinct
    and the same input always gives the same name. For literal strings only."""
    name = f"{prefix}{middle}{suffix}"
    if len(name) <= max_length:
        return name
    digest = hashlib.sha256(middle.encode()).hexdigest()[:8]
    room = max_length - len(prefix) - len(suffix) - len(digest) - 1
    if room < 1:
        raise ValueError(f"bounded_name: {prefix!r} + {suffix!r} leave no room in {max_length}")
    return f"{prefix}{middle[:room].rstrip('-')}-{digest}{suffix}"
