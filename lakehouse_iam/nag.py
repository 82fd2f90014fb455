"""cdk-nag v3 wiring: the four rule packs and reasoned acknowledgments.

Acknowledging a finding needs only ``aws_cdk.Validations``; ``cdk_nag`` itself is
imported only when the packs are added (:func:`add_compliance_checks`), so an app that
uses a construct but no pack does not pay for loading cdk-nag.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from constructs import IConstruct

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
        app.synth()  # raises if any finding of the four packs is not acknowledged

    :param verbose: cdk-nag's verbose mode (explanations in every finding).
    """
    packs: list[Any] = [pack(app, verbose=verbose) for pack in compliance_packs()]
    cdk.Validations.of(app).add_plugins(*packs)


def acknowledge(scope: IConstruct, *, finding: str, reason: str) -> None:
    """Acknowledge one cdk-nag finding on ``scope`` (and its children).

    :param finding: the exact finding, e.g.
        ``AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::bucket/prefix/*]``, or a
        rule ID for rules that report no finding detail (``AwsSolutions-S1``).
    :param reason: why a reviewer should accept it (at least 40 characters).
    :raises ValueError: for a blanket wildcard finding or a reason too short to review.
    """
    _acknowledge_all(scope, [(finding, reason)])


def acknowledge_findings(scope: IConstruct, findings: Mapping[str, str]) -> None:
    """:func:`acknowledge` for several findings (finding ID -> reason) on one scope, in
    one call to ``Validations.of(scope).acknowledge``."""
    _acknowledge_all(scope, list(findings.items()))


def _acknowledge_all(
    scope: IConstruct, findings: list[tuple[str, str]], *, stack: StackFacts | None = None
) -> None:
    """Check each (finding, reason) and acknowledge them all on ``scope`` in one call."""
    for finding, reason in findings:
        _check_acknowledgment(finding, reason)
    if findings and not (stack or stack_facts(scope)).audit:
        acks = [cdk.Acknowledgment(id=finding, reason=reason) for finding, reason in findings]
        cdk.Validations.of(scope).acknowledge(*acks)


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
    """The ``AwsSolutions-IAM5[Resource::...]`` finding ID for ``resource`` in ``scope``'s stack."""
    resolved = stack_facts(scope).resolve(resource)
    return f"AwsSolutions-IAM5[Resource::{flatten_cfn_reference(resolved)}]"


_TOKEN = re.compile(r"\$\{Token\[[^\]]+\]\}")


def acknowledge_wildcard_resources(
    scope: IConstruct, reasons: dict[str, str], *, stack: StackFacts | None = None
) -> None:
    """Acknowledge ``AwsSolutions-IAM5[Resource::<resource>]`` on ``scope`` for each resource.

    Equivalent to :func:`acknowledge` with :func:`wildcard_resource_finding` per resource,
    but each distinct token is resolved once, so thousands of resources stay cheap.

    :param stack: ``scope``'s stack facts, when the caller has them (saves a lookup).
    """
    if not reasons:
        return
    stack = stack or stack_facts(scope)
    flat: dict[str, str] = {}

    def flatten_token(match: re.Match[str]) -> str:
        token = match.group(0)
        if token not in flat:
            flat[token] = flatten_cfn_reference(stack.resolve_token(token))
        return flat[token]

    findings = [
        (f"AwsSolutions-IAM5[Resource::{_TOKEN.sub(flatten_token, resource)}]", reason)
        for resource, reason in reasons.items()
    ]
    _acknowledge_all(scope, findings, stack=stack)


def acknowledged_findings(scope: IConstruct) -> dict[str, str]:
    """Finding IDs acknowledged directly on ``scope`` (not its ancestors), with reasons."""
    found: dict[str, str] = {}
    for entry in scope.node.metadata:
        if entry.type == cdk.Validations.ACKNOWLEDGED_RULES_METADATA_KEY and entry.data:
            for key, reason in dict(entry.data).items():
                found[re.sub(r"^[Aa]nnotation::", "", key)] = reason
    return found
