"""The cdk-nag gate holds for stacks inside a ``cdk.Stage``, through the CDK CLI.

The CLI drops every validation finding whose construct path does not start with a
selected top-level stack (aws/aws-cdk-cli#1974), so ``npx cdk synth`` used to exit 0
with findings inside a Stage. These tests run the pinned CLI (``node_modules/.bin/cdk``)
on a small app in a temporary directory, as a user does.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_s3 as s3

from lakehouse_iam._private import stage_gate
from lakehouse_iam.nag import acknowledge_findings, add_compliance_checks, compliance_packs

REPO = Path(__file__).resolve().parent.parent
CDK_CLI = REPO / "node_modules" / ".bin" / "cdk"

APP = """\
import sys

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3

from lakehouse_iam.nag import add_compliance_checks

app = cdk.App()
s3.CfnBucket(cdk.Stack(cdk.Stage(app, "Prod"), "Storage"), "Bucket")
if "--outside" in sys.argv:
    s3.CfnBucket(cdk.Stack(app, "Top"), "Bucket")
add_compliance_checks(app)
app.synth()
"""

FINDING_LINE = re.compile(r"^  \[(?P<rule>[^\]]+)\] (?P<path>\S+): ", re.MULTILINE)


def cdk_synth(tmp_path: Path, *app_args: str) -> subprocess.CompletedProcess[str]:
    """``cdk synth`` of :data:`APP` with the pinned CLI, ``app`` = this venv's python."""
    (tmp_path / "app.py").write_text(APP)
    app = " ".join([sys.executable, "app.py", *app_args])
    (tmp_path / "cdk.json").write_text(json.dumps({"app": app}))
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION": "1",
        "JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION": "1",
        "CDK_DISABLE_VERSION_CHECK": "1",
    }
    return subprocess.run(
        [str(CDK_CLI), "synth", "--no-notices", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def report_findings(tmp_path: Path) -> set[tuple[str, str]]:
    """(rule, construct path) of every unacknowledged error in cdk.out's report."""
    report = json.loads((tmp_path / "cdk.out" / "validation-report.json").read_text())
    return {
        (v["ruleName"], c["constructPath"])
        for p in report["pluginReports"]
        for v in p["violations"]
        if v["severity"] == "error"
        for c in v["violatingConstructs"]
    }


pytestmark = pytest.mark.skipif(not CDK_CLI.exists(), reason="the pinned CDK CLI is missing")


def test_cli_synth_fails_on_findings_only_inside_a_stage(tmp_path):
    # GIVEN an app whose only unacknowledged findings are in a stack inside a Stage
    # WHEN the CDK CLI synthesizes it
    result = cdk_synth(tmp_path)
    # THEN synth fails
    assert result.returncode != 0, result.stderr
    assert "Successfully synthesized" not in result.stdout + result.stderr
    # AND names every finding of the report, all of them inside the Stage
    findings = report_findings(tmp_path)
    assert {path for _, path in findings} == {"Prod/Storage/Bucket"}
    assert {("AwsSolutions-S1", "Prod/Storage/Bucket")} <= findings
    printed = {(m["rule"], m["path"]) for m in FINDING_LINE.finditer(result.stderr)}
    assert printed == findings


def test_cli_synth_reports_findings_inside_and_outside_a_stage(tmp_path):
    # GIVEN an app with the same findings inside a Stage and in a top-level stack
    # WHEN the CDK CLI synthesizes it
    result = cdk_synth(tmp_path, "--outside")
    # THEN synth fails and prints every finding, not only the top-level stack's half
    assert result.returncode != 0, result.stderr
    findings = report_findings(tmp_path)
    inside = {rule for rule, path in findings if path == "Prod/Storage/Bucket"}
    outside = {rule for rule, path in findings if path == "Top/Bucket"}
    assert inside == outside and "AwsSolutions-S10" in inside
    printed = {(m["rule"], m["path"]) for m in FINDING_LINE.finditer(result.stderr)}
    assert printed == findings


def test_gate_passes_a_stage_whose_findings_are_acknowledged():
    # GIVEN an app as the CLI runs it (the CLI decides validation) with a Stage whose
    # only findings are acknowledged
    app = cdk.App(context={stage_gate.FAIL_SYNTH_CONTEXT: False})
    stack = cdk.Stack(cdk.Stage(app, "Prod"), "Storage")
    s3.CfnBucket(stack, "Bucket")
    cdk.Validations.of(app).add_plugins(*[pack(app) for pack in compliance_packs()])
    report = app.synth()  # the packs without the gate: the findings to acknowledge
    findings = stage_gate.unacknowledged_findings(
        json.loads((Path(report.directory) / "validation-report.json").read_text())
    )
    reason = "a test bucket that the gate test acknowledges on purpose, nothing else"
    app = cdk.App(context={stage_gate.FAIL_SYNTH_CONTEXT: False})
    stack = cdk.Stack(cdk.Stage(app, "Prod"), "Storage")
    # (acknowledged on the resource that holds them, as lakehouse_iam.nag requires)
    bucket = s3.CfnBucket(stack, "Bucket")
    acknowledge_findings(bucket, {f.rule: reason for f in findings})
    add_compliance_checks(app)
    # WHEN it synthesizes
    # THEN it returns normally (no SystemExit)
    app.synth()


def test_gate_exits_1_in_process_when_the_cli_decides(capsys):
    # GIVEN an app as the CLI runs it, with an unacknowledged finding inside a Stage
    app = cdk.App(context={stage_gate.FAIL_SYNTH_CONTEXT: False})
    s3.CfnBucket(cdk.Stack(cdk.Stage(app, "Prod"), "Storage"), "Bucket")
    add_compliance_checks(app)
    # WHEN it synthesizes
    with pytest.raises(SystemExit) as exit_info:
        app.synth()
    # THEN it exits 1 and names the finding and the upstream issue
    assert exit_info.value.code == 1
    err = capsys.readouterr().err
    assert "[AwsSolutions-S1] Prod/Storage/Bucket: " in err
    assert "aws/aws-cdk-cli#1974" in err
