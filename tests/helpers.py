"""Test helpers: apps with cdk.json's context, and readers of synthesized templates."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import aws_cdk as cdk
from aws_cdk import assertions

ROOT = Path(__file__).resolve().parent.parent


def cdk_json_context(**overrides: Any) -> dict[str, Any]:
    """The context block of cdk.json (feature flags and example inputs), plus overrides.

    A plain ``cdk.App()`` does not read cdk.json; tests pass this context so they
    synthesize exactly what ``cdk synth`` does.
    """
    context = json.loads((ROOT / "cdk.json").read_text())["context"]
    context.update(overrides)
    return context


def make_app(*, cfn_validation: bool = False, **context_overrides: Any) -> cdk.App:
    """An app with cdk.json's context, for unit tests that assert on template content.

    aws-cdk-lib's built-in CloudFormation Validate plugin is off by default here: it
    checks the template's schema and lint rules (a wasm engine costing tens of ms per
    small synth, about half the unit suite's time), not what our constructs render.
    Tests that synthesize generated inputs turn it on (``cfn_validation=True``); the
    example stacks (tests/conftest.py) keep it on, as ``cdk synth`` does, and cfn-lint
    checks every example template again in tests/verification.
    """
    return cdk.App(
        context=cdk_json_context(**context_overrides),
        builtin_cloud_formation_validation=cfn_validation,
    )


def template_of(build: Callable[[cdk.Stack], object]) -> assertions.Template:
    """Build constructs into a fresh stack (cdk.json feature flags) and return its template."""
    app = make_app()
    stack = cdk.Stack(app, "Test")
    build(stack)
    return assertions.Template.from_stack(stack)


def managed_policy_statements(template: assertions.Template) -> dict[str, list[dict[str, Any]]]:
    """Statements of every ``AWS::IAM::ManagedPolicy`` in ``template``, by logical ID."""
    policies = template.find_resources("AWS::IAM::ManagedPolicy")
    return {
        logical_id: resource["Properties"]["PolicyDocument"]["Statement"]
        for logical_id, resource in policies.items()
    }


def all_statements(template: assertions.Template) -> list[dict[str, Any]]:
    """Every managed-policy statement of ``template``, in logical-ID order."""
    found = managed_policy_statements(template)
    return [s for logical_id in sorted(found) for s in found[logical_id]]


def statement(template: assertions.Template, sid: str) -> dict[str, Any]:
    """The one managed-policy statement with Sid ``sid``."""
    matches = [s for s in all_statements(template) if s.get("Sid") == sid]
    assert len(matches) == 1, f"expected one statement {sid}, found {len(matches)}"
    return matches[0]


def trust_statements(template: assertions.Template) -> list[dict[str, Any]]:
    """The trust-policy statements of the single role in ``template``."""
    roles = template.find_resources("AWS::IAM::Role")
    assert len(roles) == 1, f"expected one role, found {len(roles)}"
    (role,) = roles.values()
    return role["Properties"]["AssumeRolePolicyDocument"]["Statement"]


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def run_cli(capsys: Any, *args: str) -> tuple[int, str, str]:
    """``lakehouse-iam ARGS`` run in this process (its jsii runtime is already running):
    (exit status, stdout, stderr); argparse's usage errors are its ``SystemExit``."""
    from lakehouse_iam.__main__ import main

    try:
        code = main(list(args))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
