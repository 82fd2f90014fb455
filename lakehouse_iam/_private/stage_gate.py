"""Make cdk-nag findings inside a ``cdk.Stage`` fail ``cdk synth`` run by the CDK CLI.

Why this exists: since aws-cdk-lib's ``@aws-cdk/core:failSynthOnValidationErrors``
(aws/aws-cdk#37909) the CLI, not the app, decides whether validation failed: the CLI sets
that context to ``false`` for every app it runs (toolkit-lib ``contextFromSettings``), the
app only writes ``cdk.out/validation-report.json``, and the CLI reads it back
(cloud-assembly-api ``lib/validation/loading.ts``, ``loadUnifiedValidationReport``). Its
``filterReportsByStacks`` keeps a violation only when the construct path starts with the
hierarchical ID of a *selected* stack, and ``cdk synth`` selects the top-level stacks, so
every finding under ``Stage/Stack/...`` is dropped and the report's conclusion becomes
``success`` (aws/aws-cdk-cli#1974; seen with CLI 2.1148.1 and 2.1149.0).

The gate: when the CLI decides, :func:`install` wraps ``app.synth()`` so that, after
aws-cdk-lib has written the report (acknowledgments applied), any unacknowledged error
the CLI would drop makes the app print every unacknowledged finding and exit 1. Findings
only in top-level stacks are left to the CLI, which reports them itself.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk

FAIL_SYNTH_CONTEXT = "@aws-cdk/core:failSynthOnValidationErrors"
"""aws-cdk-lib's context key; the CDK CLI sets it to ``false`` for the apps it runs."""

UPSTREAM_ISSUE = "aws/aws-cdk-cli#1974"

_INSTALLED = "_lakehouse_iam_stage_gate"


@dataclass(frozen=True)
class Finding:
    """One unacknowledged error of a validation plugin on one construct."""

    plugin: str
    rule: str
    construct_path: str
    description: str


def cli_decides(app: cdk.App) -> bool:
    """Whether the CDK CLI, not the app, decides if validation failed (the CLI set
    :data:`FAIL_SYNTH_CONTEXT` to false)."""
    value = app.node.try_get_context(FAIL_SYNTH_CONTEXT)
    return value is False or value == "false"


def unacknowledged_findings(report: dict[str, Any]) -> list[Finding]:
    """The errors of every failed plugin report in a ``validation-report.json``, one per
    violating construct, acknowledged ones excluded (aws-cdk-lib moves those to
    ``suppressedViolations``)."""
    findings: list[Finding] = []
    for plugin in report.get("pluginReports", []):
        if plugin.get("conclusion") != "failure":
            continue
        for violation in plugin.get("violations", []):
            if violation.get("severity") not in ("error", "fatal"):
                continue
            constructs = violation.get("violatingConstructs") or [{"constructPath": ""}]
            findings.extend(
                Finding(
                    plugin=str(plugin.get("pluginName", "")),
                    rule=str(violation.get("ruleName", "")),
                    construct_path=str(construct.get("constructPath", "")),
                    description=str(violation.get("description", "")).splitlines()[0]
                    if violation.get("description")
                    else "",
                )
                for construct in constructs
            )
    return findings


def dropped_by_cli(findings: Sequence[Finding], top_level_stacks: Sequence[str]) -> list[Finding]:
    """The findings the CLI's ``filterReportsByStacks`` drops: a construct path whose
    first segment is no top-level stack (a stack inside a Stage)."""
    return [
        f
        for f in findings
        if f.construct_path and f.construct_path.split("/", 1)[0] not in top_level_stacks
    ]


def render(findings: Sequence[Finding], dropped: int, report_path: Path) -> str:
    """The message the app prints before exiting 1."""
    lines = [
        f"lakehouse-iam: {len(findings)} unacknowledged cdk-nag finding(s); the CDK CLI "
        f"would not report the {dropped} inside a cdk.Stage ({UPSTREAM_ISSUE}), so the app "
        "fails synthesis itself:",
    ]
    lines += [
        f"  [{f.rule}] {f.construct_path or '(no construct)'}: {f.description}"
        for f in sorted(findings, key=lambda f: (f.construct_path, f.plugin, f.rule))
    ]
    lines.append(f"Full report: {report_path}")
    return "\n".join(lines)


def check_assembly(app: cdk.App, directory: str) -> None:
    """Exit 1 (after printing every finding) when ``directory``'s validation report holds
    an unacknowledged error the CLI would drop."""
    report_path = Path(directory) / "validation-report.json"
    if not report_path.is_file():
        return
    findings = unacknowledged_findings(json.loads(report_path.read_text(encoding="utf-8")))
    top_level = [c.node.id for c in app.node.children if cdk.Stack.is_stack(c)]
    dropped = dropped_by_cli(findings, top_level)
    if not dropped:
        return
    print(render(findings, len(dropped), report_path), file=sys.stderr)
    sys.stderr.flush()
    raise SystemExit(1)


def install(app: cdk.App) -> None:
    """Wrap ``app.synth()`` with :func:`check_assembly` when the CLI decides (once per app).

    The wrapper is an attribute of this ``App`` instance only; jsii never calls it, and an
    app run directly (``python app.py``, tests) keeps aws-cdk-lib's own failure.
    """
    if getattr(app, _INSTALLED, False) or not cli_decides(app):
        return
    original: Callable[..., cdk.cx_api.CloudAssembly] = app.synth

    def synth(**kwargs: Any) -> cdk.cx_api.CloudAssembly:
        assembly = original(**kwargs)
        check_assembly(app, assembly.directory)
        return assembly

    setattr(app, "synth", synth)  # noqa: B010 - an instance attribute, on purpose
    setattr(app, _INSTALLED, True)
