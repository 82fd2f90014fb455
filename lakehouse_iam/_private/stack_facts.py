"""The stack of a scope, and its partition, region and account, looked up once.

Each of ``cdk.Stack.of(scope)``, ``stack.partition``, ``stack.region`` and
``stack.account`` is a round trip to the jsii runtime; grants and trusts ask for them
for every statement they render. The answers never change for a scope (they are tokens
or fixed values of its stack), so they are cached here, per scope and per stack.
"""

from __future__ import annotations

import weakref
from functools import cached_property
from typing import Any

import aws_cdk as cdk
from constructs import IConstruct

from .partitions import checked_region, partition_of_region

AUDIT_CONTEXT_KEY = "lakehouse-iam:audit"
"""Context key; when true, acknowledgments record nothing, so every finding shows."""


class StackFacts:
    """What grants and trusts read from a stack, each looked up on first use."""

    def __init__(self, stack: cdk.Stack) -> None:
        self.stack = stack
        self._tokens: dict[str, Any] = {}
        self.extensions: dict[type, object] = {}
        """Per-stack singletons of library code, by class (e.g. one synth-time validation)."""
        self._local: dict[str, bool] = {}
        self.bucket_arn_tokens: set[str] = set()
        """Tokens known to be S3 bucket ARNs (an ``IBucket``'s ``bucket_arn``), so the
        sizer counts them at a bucket ARN's longest length, not as an unknown reference."""

    @cached_property
    def partition(self) -> str:
        return self.stack.partition

    @cached_property
    def region(self) -> str:
        """The stack's region: a token for an env-agnostic stack, else its ``env`` region.

        :raises ValueError: when the explicit region is not a Region code (``eu-west1``):
            every ARN, service principal and ``kms:ViaService`` rendered from it would name
            a region that does not exist.
        """
        region = self.stack.region
        if cdk.Token.is_unresolved(region):
            return region
        return checked_region(
            region,
            where=f"Stack {self.stack.node.path}",
            prop="env region",
            fix="cdk.Environment(region=...), or no region for an env-agnostic stack",
        )

    @cached_property
    def account(self) -> str:
        return self.stack.account

    @cached_property
    def known_region(self) -> str | None:
        """The stack's region when it is fixed at synth (``env``), else ``None``."""
        region = self.region
        return None if cdk.Token.is_unresolved(region) else region

    @cached_property
    def known_partition(self) -> str | None:
        """The partition of :attr:`known_region` (``aws-cn`` for ``cn-north-1``); ``None``
        for an env-agnostic stack, whose partition is only known at deploy time."""
        region = self.known_region
        if region is None:
            return None
        return partition_of_region(region)

    @cached_property
    def known_account(self) -> str | None:
        """The stack's account when it is fixed at synth (``env``), else ``None``."""
        account = self.account
        return None if cdk.Token.is_unresolved(account) else account

    @cached_property
    def root(self) -> IConstruct:
        """The root of the construct tree (the app)."""
        return self.stack.node.root

    @cached_property
    def audit(self) -> bool:
        """``lakehouse-iam:audit`` is on for this stack: acknowledgments are switched off."""
        return self.stack.node.try_get_context(AUDIT_CONTEXT_KEY) in (True, "true")

    def resolve(self, value: Any) -> Any:
        """``stack.resolve(value)``."""
        return self.stack.resolve(value)

    def resolve_now(self, value: Any) -> Any:
        """``stack.resolve(value)`` without the cache: after synthesis has prepared the app,
        a reference to another stack resolves to its final form (``Fn::ImportValue``,
        ``Fn::GetStackOutput``, a nested-stack parameter), not the one seen at construction."""
        return self.stack.resolve(value)

    def resolve_token(self, token: str) -> Any:
        """``stack.resolve(token)`` for one encoded token (``${Token[...]}``), cached: a
        token of a stack always resolves to the same CloudFormation value there."""
        if token not in self._tokens:
            self._tokens[token] = self.stack.resolve(token)
        return self._tokens[token]

    def is_local_token(self, token: str) -> bool:
        """True when ``token`` (one encoded token) reads the same at construction and in
        this stack's synthesized template: pseudo parameters, ``Fn.import_value``, this
        stack's own resources and parameters. False for a reference to a resource of
        another stack (a parent or nested stack too), which synthesis rewrites into an
        import, an output or a parameter, and for an intrinsic built from references
        (``Fn.join``), whose references cannot be inspected before synthesis."""
        if token not in self._local:
            self._local[token] = self._reads_the_same(token)
        return self._local[token]

    def _reads_the_same(self, token: str) -> bool:
        if not _references_a_resource(self.resolve_token(token)):
            return True
        reference = cdk.Tokenization.reverse_string(token).first_token
        if isinstance(reference, cdk.Reference):
            return cdk.Stack.of(reference.target) is self.stack
        return False


def _references_a_resource(value: Any) -> bool:
    """``value`` holds a ``Ref`` to a logical ID (not a pseudo parameter) or an ``Fn::GetAtt``."""
    if isinstance(value, dict):
        if "Fn::GetAtt" in value:
            return True
        ref = value.get("Ref")
        if isinstance(ref, str) and not ref.startswith("AWS::"):
            return True
        return any(_references_a_resource(v) for v in value.values())
    if isinstance(value, list):
        return any(_references_a_resource(v) for v in value)
    return False


_BY_SCOPE: weakref.WeakKeyDictionary[IConstruct, StackFacts] = weakref.WeakKeyDictionary()
_BY_STACK: weakref.WeakKeyDictionary[cdk.Stack, StackFacts] = weakref.WeakKeyDictionary()


def inherit_stack_facts(child: IConstruct, parent: IConstruct) -> None:
    """Record that ``child``, just created in ``parent``, lives in ``parent``'s stack.

    A construct's stack is its scope when the scope is a stack, else the scope's stack,
    so this needs no round trip. Called by the library's constructs in ``__init__``.
    """
    if child in _BY_SCOPE:
        return
    if isinstance(parent, cdk.Stack):
        facts = _BY_STACK.get(parent)
        if facts is None:
            facts = _BY_STACK[parent] = StackFacts(parent)
    else:
        facts = stack_facts(parent)
    _BY_SCOPE[child] = facts


def stack_facts(scope: IConstruct) -> StackFacts:
    """The :class:`StackFacts` of ``scope``'s stack (``cdk.Stack.of(scope)``)."""
    facts = _BY_SCOPE.get(scope)
    if facts is None:
        stack = cdk.Stack.of(scope)
        facts = _BY_STACK.get(stack)
        if facts is None:
            facts = _BY_STACK[stack] = StackFacts(stack)
        _BY_SCOPE[scope] = facts
    return facts
