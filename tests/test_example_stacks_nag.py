"""cdk-nag: zero unacknowledged findings, and every acknowledgment is exact and earned."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from constructs import IConstruct

from lakehouse_iam.nag import (
    AUDIT_CONTEXT_KEY,
    MIN_REASON_LENGTH,
    acknowledged_findings,
    compliance_packs,
)
from lakehouse_iam.stacks import build_example_stacks
from tests.helpers import cdk_json_context


def walk(node: IConstruct):
    yield node
    for child in node.node.children:
        yield from walk(child)


def violations(scope: IConstruct) -> set[tuple[str, str]]:
    """(rule finding, construct path) for every finding of the four packs under ``scope``."""
    found = set()
    for pack in compliance_packs():
        report = pack(scope).validate_scope(scope)
        for violation in report.violations:
            for resource in violation.violating_resources:
                found.add((violation.rule_name, resource.construct_path))
    return found


@pytest.fixture(scope="session")
def audit_findings() -> set[tuple[str, str]]:
    """Findings of the example stacks with every acknowledgment switched off."""
    app = cdk.App(context=cdk_json_context(**{AUDIT_CONTEXT_KEY: True}))
    build_example_stacks(app)
    return violations(app)


def test_synth_with_all_four_packs_succeeds(example_assembly):
    # GIVEN the example app with the packs added WHEN synthesized THEN it did not raise
    assert {s.stack_name for s in example_assembly.stacks} >= {"LakehouseIam-RisingWave"}


def test_no_unacknowledged_findings(example_app):
    assert violations(example_app) == set()


def test_every_acknowledgment_matches_a_real_finding_and_has_a_reason(example_app, audit_findings):
    acknowledged = []
    for node in walk(example_app):
        for finding, reason in acknowledged_findings(node).items():
            acknowledged.append((finding, node.node.path, reason))
    assert acknowledged, "the example stacks acknowledge at least the object wildcards"
    for finding, path, reason in acknowledged:
        assert len(reason.strip()) >= MIN_REASON_LENGTH, (finding, path)
        if finding.startswith("AwsSolutions-IAM5"):
            assert "[Resource::" in finding, f"{path}: IAM5 must name its exact resource"
        # The acknowledged finding is really reported there (or under it) in audit mode.
        assert any(
            rule == finding and (where == path or where.startswith(path + "/"))
            for rule, where in audit_findings
        ), f"stale acknowledgment {finding} at {path}"
