"""``lakehouse-iam audit``: formats, exit codes (0 clean, 1 missing grant, 2 usage)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from lakehouse_iam.__main__ import main

from .conftest import LAKE_EXPORT, LOOKUP_EVENTS, STACK_RESOURCES, TRAIL

RESOURCES = ["--stack-resources", *map(str, STACK_RESOURCES)]


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["audit", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_a_missing_grant_exits_1_and_json_follows_the_schema(cdk_out, capsys):
    code, out, _ = run(
        capsys, str(cdk_out), "--events", str(LOOKUP_EVENTS), *RESOURCES, "--format", "json"
    )
    assert code == 1
    data = json.loads(out)
    assert data["schema_version"] == 1
    assert set(data) == {
        "schema_version",
        "principals",
        "unmatched_events",
        "unnamed_principals",
        "window",
    }
    assert set(data["window"]) == {
        "since",
        "until",
        "first_event",
        "last_event",
        "records",
        "s3_data_events",
    }
    principal = next(p for p in data["principals"] if p["denied"])
    assert set(principal) == {
        "construct",
        "vendor",
        "stack",
        "logical_id",
        "path",
        "kind",
        "name",
        "arn",
        "records",
        "denied",
        "used",
        "unused",
        "unmapped",
        "unresolved",
    }
    assert set(principal["denied"][0]) == {
        "time",
        "event_source",
        "event_name",
        "action",
        "resource",
        "cause",
        "prop",
        "suggestion",
        "evidence",
        "count",
        "error_code",
    }
    unused = next(p for p in data["principals"] if p["unused"])["unused"][0]
    assert set(unused) == {"action", "resources", "evidence", "visible"}


def test_no_missing_grant_exits_0(cdk_out, capsys):
    code, out, _ = run(capsys, str(cdk_out), "--events", str(TRAIL), *RESOURCES)
    assert code == 0
    assert "outside-library  s3:ListBucket" in out


def test_markdown_and_table_name_the_prop_and_suggestion(cdk_out, capsys):
    _, table, _ = run(capsys, str(cdk_out), "--events", str(LAKE_EXPORT), *RESOURCES)
    _, markdown, _ = run(
        capsys, str(cdk_out), "--events", str(LAKE_EXPORT), *RESOURCES, "--format", "markdown"
    )
    assert 'prefix="archive/2026"' in table
    assert "| `missing-grant` | `s3:GetObject` |" in markdown
    assert '`prefix="archive/2026"`' in markdown


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "pass --events"),
        (["--events", "x", "--since", "yesterday"], "--since/--until"),
        (["--events", "x", "--table", "t"], "--table goes with --emit-sql"),
    ],
)
def test_usage_errors_exit_2_without_a_traceback(tmp_path: Path, capsys, args, message):
    code, _, err = run(capsys, str(tmp_path), *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


def test_unreadable_inputs_exit_1_with_the_reason(cdk_out, tmp_path: Path, capsys):
    code, _, err = run(capsys, str(tmp_path / "nothing"), "--events", str(LOOKUP_EVENTS))
    assert (code, "does not exist" in err) == (1, True)
    code, _, err = run(capsys, str(cdk_out), "--events", str(tmp_path / "none.json"))
    assert (code, "does not exist" in err) == (1, True)


def test_the_installed_command_runs_without_the_cdk(cdk_out):
    # The audit reads JSON only: importing it starts no jsii runtime.
    code = (
        "import sys; from lakehouse_iam.__main__ import main; "
        f"rc = main(['audit', {str(cdk_out)!r}, '--events', {str(LOOKUP_EVENTS)!r}]); "
        "print(sorted(m for m in sys.modules if m.startswith(('aws_cdk', 'cdk_nag', 'jsii'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"


def test_the_audit_package_imports_neither_the_cdk_nor_test_tooling():
    from tests.test_layout import PACKAGE, imports_of

    for path in sorted((PACKAGE / "audit").rglob("*.py")):
        bad = {
            name
            for name in imports_of(path)
            if name.split(".")[0]
            in (
                "aws_cdk",
                "cdk_nag",
                "constructs",
                "jsii",
                "verification",
                "traces",
                "deploy_local",
            )
        }
        assert not bad, f"{path.name} imports {sorted(bad)}"
