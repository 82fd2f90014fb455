"""cdk-nag v3 wiring: the four rule packs and reasoned acknowledgments.

Acknowledging a finding needs only ``aws_cdk.Validations``; ``cdk_nag`` itself is
imported only when the packs are added (:func:`add_compliance_checks`), so an app that
uses a construct but no pack does not pay for loading cdk-nag.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import jsii
from constructs import IConstruct, IValidation

from ._private import stage_gate
from ._private.cfn_reference import flatten_cfn_reference
from ._private.stack_facts import AUDIT_CONTEXT_KEY as _AUDIT_CONTEXT_KEY
from ._private.stack_facts import StackFacts, stack_facts

if TYPE_CHECKING:
    import cdk_nag


def compliance_packs() -> tuple[type[cdk_nag.NagPack], ...]:
    """The rule packs every example stack must pass with zero unacknowledged findings:
    AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1."""
    import cdk_nag

    return (
        cdk_nag.AwsSolutionsChecks,
        cdk_nag.NIST80053R5Checks,
        cdk_nag.HIPAASecurityChecks,
        cdk_nag.PCIDSS321Checks,
    )


AUDIT_CONTEXT_KEY = _AUDIT_CONTEXT_KEY
"""Context key; when true, :func:`acknowledge` records nothing, so every finding shows
(read once per stack)."""

MIN_REASON_LENGTH = 40


def add_compliance_checks(app: cdk.App, *, verbose: bool = False) -> None:
    """Add the AwsSolutions, NIST 800-53 R5, HIPAA Security and PCI DSS 3.2.1 packs.

    Example::

        app = cdk.App()
        add_compliance_checks(app)  # Validations.of(app).add_plugins(AwsSolutionsChecks(app), ...)
        app.synth()  # fails if any finding of the four packs is not acknowledged

    Synthesis fails on an unacknowledged finding whether the app runs directly
    (``python app.py``: aws-cdk-lib raises) or through the CDK CLI (``cdk synth``: the CLI
    exits non-zero), including findings inside a ``cdk.Stage``, which the CLI alone would
    not report (aws/aws-cdk-cli#1974): under the CLI, ``app.synth()`` then prints every
    unacknowledged finding and exits 1.

    :param verbose: cdk-nag's verbose mode (explanations in every finding).
    """
    packs: list[Any] = [pack(app, verbose=verbose) for pack in compliance_packs()]
    cdk.Validations.of(app).add_plugins(*packs)
    stage_gate.install(app)


def acknowledge(scope: IConstruct, *, finding: str, reason: str) -> None:
    """Acknowledge one cdk-nag finding on ``scope`` (and its children).

    :param finding: the exact finding, e.g.
        ``AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket/prefix/*]``, or a
        rule ID for rules that report no finding detail (``AwsSolutions-S1``).
    :param reason: why a reviewer should accept it (at least 40 characters).
    :raises ValueError: for a blanket wildcard finding or a reason too short to review.
    """
    _acknowledge_all(scope, [(finding, reason)])


def acknowledge_findings(resource: IConstruct, findings: Mapping[str, str]) -> None:
    """Acknowledge several findings (finding ID -> reason) on the one CloudFormation
    resource ``resource`` renders, in one call to ``Validations.of(...).acknowledge``.

    The library's own acknowledgments go through this function or
    :func:`acknowledge_wildcard_resources`: cdk-nag honours an acknowledgment on a
    construct for everything under it, so one on a construct a user can add to (a role,
    whose ``add_to_policy`` creates ``Role/DefaultPolicy``) would hide the user's findings.

    :param resource: a ``CfnResource``, or an L2 construct whose ``default_child`` is one
        (e.g. an ``iam.ManagedPolicy``); the acknowledgment is recorded on that resource.
    """
    _acknowledge_all(cfn_resource_of(resource), list(findings.items()))


def cfn_resource_of(scope: IConstruct) -> cdk.CfnResource:
    """``scope`` itself when it is a ``CfnResource``, else its ``default_child``.

    :raises TypeError: when ``scope`` renders no single CloudFormation resource: the
        library acknowledges findings only on a resource it rendered, never on a subtree.
    """
    if cdk.CfnResource.is_cfn_resource(scope):
        return scope  # type: ignore[return-value]
    child = scope.node.default_child
    if child is not None and cdk.CfnResource.is_cfn_resource(child):
        return child  # type: ignore[return-value]
    raise TypeError(
        f"{scope.node.path} is not a CloudFormation resource: acknowledge a finding on the "
        "resource that holds it (a CfnResource, or an L2 construct's default_child)"
    )


def _acknowledge_all(
    scope: IConstruct, findings: list[tuple[str, str]], *, stack: StackFacts | None = None
) -> None:
    """Check each (finding, reason) and acknowledge them all on ``scope`` in one call."""
    for finding, reason in findings:
        _check_acknowledgment(finding, reason)
    if not findings or (stack or stack_facts(scope)).audit:
        return
    acks = [cdk.Acknowledgment(id=f, reason=r) for f, r in findings if " " not in f]
    if acks:
        cdk.Validations.of(scope).acknowledge(*acks)
    for finding, reason in findings:
        if " " in finding:
            # Validations.acknowledge() turns spaces into '-' (aws-cdk-lib normalizes rule
            # IDs), but cdk-nag compares the finding as reported, spaces included (a
            # prefix such as 'my data/'): record the exact ID under the same metadata key.
            scope.node.add_metadata(
                cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY, {finding: reason}
            )


def _check_acknowledgment(finding: str, reason: str) -> None:
    if finding.strip() != finding or not finding or finding.endswith("[*]"):
        raise ValueError(
            f"acknowledge: finding={finding!r} is invalid: expected one exact finding ID"
        )
    if len(reason.strip()) < MIN_REASON_LENGTH:
        raise ValueError(
            f"acknowledge: reason={reason!r} is invalid: expected a reason a reviewer would "
            f"accept (at least {MIN_REASON_LENGTH} characters)"
        )


def wildcard_resource_finding(scope: IConstruct, resource: str) -> str:
    """The ``AwsSolutions-IAM5[Resource::...]`` finding ID for ``resource`` in ``scope``'s
    stack, as it reads at construction (a reference to another stack reads differently
    once synthesis resolves it; :func:`acknowledge_wildcard_resources` handles that)."""
    resolved = stack_facts(scope).resolve(resource)
    return f"AwsSolutions-IAM5[Resource::{flatten_cfn_reference(resolved)}]"


_TOKEN = re.compile(r"\$\{Token\[[^\]]+\]\}")


def acknowledge_wildcard_resources(
    scope: IConstruct, reasons: Mapping[str, str], *, stack: StackFacts | None = None
) -> None:
    """Acknowledge ``AwsSolutions-IAM5[Resource::<resource>]`` on the policy resource
    ``scope`` renders, for each resource, in the form cdk-nag reports it.

    cdk-nag names the finding after the resource as the synthesized template holds it. A
    resource whose tokens are all of ``scope``'s own stack (its resources, parameters,
    pseudo parameters, ``Fn.import_value``) reads the same at construction, and is
    acknowledged now, each distinct token resolved once. A reference to a resource of
    another stack (another top-level stack, a nested stack, a parent stack) becomes
    ``Fn::ImportValue``, ``Fn::GetStackOutput``, a nested-stack parameter or output only
    when synthesis prepares the app; those are acknowledged then, by a validation on
    ``scope`` (``node.add_validation``), which aws-cdk-lib runs after references are
    resolved and before the validation plugins (cdk-nag) read the templates.

    :param scope: the policy's ``CfnResource``, or an L2 construct whose
        ``default_child`` is one (an ``iam.ManagedPolicy``): the acknowledgments are
        recorded on that resource only (see :func:`acknowledge_findings`).
    :param stack: ``scope``'s stack facts, when the caller has them (saves a lookup).
    """
    if not reasons:
        return
    stack = stack or stack_facts(scope)
    scope = cfn_resource_of(scope)
    now: list[tuple[str, str]] = []
    later: dict[str, str] = {}
    flat: dict[str, str] = {}

    def flatten_token(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in flat:
            flat[token] = flatten_cfn_reference(stack.resolve_token(token))
        return flat[token]

    for resource, reason in reasons.items():
        if any(not stack.is_local_token(t) for t in _TOKEN.findall(resource)):
            later[resource] = reason
        else:
            now.append(
                (f"AwsSolutions-IAM5[Resource::{_TOKEN.sub(flatten_token, resource)}]", reason)
            )
    _acknowledge_all(scope, now, stack=stack)
    if later:
        _check_reasons(later.values())
        if not stack.audit:
            _DeferredAcknowledgments.of(scope, stack).add(later)


def _check_reasons(reasons: Iterable[str]) -> None:
    for reason in reasons:
        _check_acknowledgment("AwsSolutions-IAM5[Resource::...]", reason)


@jsii.implements(IValidation)
class _DeferredAcknowledgments:
    """Wildcard acknowledgments of ``scope`` whose finding IDs depend on references to
    other stacks, recorded when aws-cdk-lib validates the tree (after ``prepareApp``
    resolved those references, before cdk-nag runs). Reports no error itself."""

    _BY_SCOPE: weakref.WeakKeyDictionary[IConstruct, _DeferredAcknowledgments] = (
        weakref.WeakKeyDictionary()
    )

    @classmethod
    def of(cls, scope: IConstruct, stack: StackFacts) -> _DeferredAcknowledgments:
        found = cls._BY_SCOPE.get(scope)
        if found is None:
            found = cls._BY_SCOPE[scope] = cls(scope, stack)
            scope.node.add_validation(found)
        return found

    def __init__(self, scope: IConstruct, stack: StackFacts) -> None:
        self._scope = scope
        self._stack = stack
        self._pending: dict[str, str] = {}
        self._recorded: set[str] = set()

    def add(self, reasons: Mapping[str, str]) -> None:
        self._pending.update(reasons)

    def validate(self) -> list[str]:
        findings = []
        for resource, reason in self._pending.items():
            resolved = self._stack.resolve_now(resource)
            finding = f"AwsSolutions-IAM5[Resource::{flatten_cfn_reference(resolved)}]"
            if finding not in self._recorded:
                self._recorded.add(finding)
                findings.append((finding, reason))
        _acknowledge_all(self._scope, findings, stack=self._stack)
        return []


def acknowledged_findings(scope: IConstruct) -> dict[str, str]:
    """Finding IDs acknowledged directly on ``scope`` (not its ancestors), with reasons."""
    found: dict[str, str] = {}
    for entry in scope.node.metadata:
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY and entry.data:
            for key, reason in dict(entry.data).items():
                found[re.sub(r"^[Aa]nnotation::", "", key)] = reason
    return found
