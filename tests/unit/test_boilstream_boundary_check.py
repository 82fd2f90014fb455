"""iam.PermissionsBoundary.of(scope) replacing the level-3 access role's boundary is caught
at synthesis: the vending policy's iam:PutRolePolicy condition would name a boundary
nothing uses (error), or the construct's S3-only boundary would cap nothing (warning)."""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import BoilStreamAccess, BoilStreamLevel, EcsTaskTrust
from lakehouse_iam.vendors.boilstream.boundary_check import RULE
from tests.helpers import make_app


def app_with(*, writes: bool, org_boundary: bool, reapply: bool = False):
    app = make_app()
    stack = cdk.Stack(app, "Stack")
    access = BoilStreamAccess(
        stack,
        "BoilStream",
        principal=EcsTaskTrust(),
        bucket="lake-bucket",
        level=BoilStreamLevel.CREDENTIAL_VENDING,
        allow_access_role_policy_writes=writes,
    )
    if org_boundary:
        org = iam.ManagedPolicy.from_managed_policy_name(stack, "Org", "org-boundary")
        iam.PermissionsBoundary.of(stack).apply(org)
    if reapply:
        assert access.access_role is not None and access.access_role_boundary is not None
        iam.PermissionsBoundary.of(access.access_role).apply(access.access_role_boundary)
    return app


def report_of(outdir: str) -> list[dict]:
    """The lakehouse-iam plugin's violations in the app's validation report."""
    report = json.loads((Path(outdir) / "validation-report.json").read_text())
    return [
        v
        for plugin in report["pluginReports"]
        if plugin["pluginName"] == "lakehouse-iam"
        for v in plugin["violations"]
    ]


def test_a_replaced_boundary_with_policy_writes_fails_synth_naming_the_fix():
    # GIVEN policy writes under the construct's boundary, and a scope-wide boundary
    app = app_with(writes=True, org_boundary=True)
    # WHEN synthesized THEN synthesis fails with the rule, the rendered boundary and the fix
    with pytest.raises(RuntimeError, match="ValidationFailed"):
        app.synth()
    violations = report_of(app.outdir)
    assert [v["ruleName"] for v in violations] == [RULE]
    assert violations[0]["severity"] == "error"
    assert "policy/org-boundary" in violations[0]["description"]
    assert "PutRolePolicy is always denied" in violations[0]["description"]
    fix = violations[0]["suggestedFix"]
    assert "iam.PermissionsBoundary.of(access.require_access_role())" in fix


def test_a_replaced_boundary_without_policy_writes_is_a_warning():
    app = app_with(writes=False, org_boundary=True)
    app.synth()  # does not raise
    (violation,) = report_of(app.outdir)
    assert violation["severity"] == "warning"
    assert "caps nothing" in violation["description"]


@pytest.mark.parametrize("writes", [True, False])
def test_the_construct_boundary_and_the_documented_fix_pass(writes):
    for app in (
        app_with(writes=writes, org_boundary=False),
        app_with(writes=writes, org_boundary=True, reapply=True),
    ):
        app.synth()
        assert report_of(app.outdir) == []
