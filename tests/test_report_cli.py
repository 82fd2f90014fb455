"""The report CLI on the example stacks' cdk.out, and its error handling."""

from __future__ import annotations

import json
from importlib.metadata import entry_points
from pathlib import Path
from typing import Any

import pytest

from lakehouse_iam.__main__ import main
from lakehouse_iam.report import build_report

RISINGWAVE_ROLE = "RisingWave/DataAccess/Role"


@pytest.fixture(scope="session")
def cdk_out(example_assembly) -> Path:
    """The example stacks' cloud assembly, written to disk once by the session fixture."""
    return Path(example_assembly.directory)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def risingwave_role(report: dict[str, Any]) -> dict[str, Any]:
    (stack,) = [s for s in report["stacks"] if s["stack"] == "LakehouseIam-RisingWave"]
    (role,) = [p for p in stack["principals"] if p["name"] == RISINGWAVE_ROLE]
    return role


def condition(operator: str, key: str, *values: str) -> dict[str, Any]:
    return {"operator": operator, "key": key, "values": list(values)}


def test_json_shows_risingwave_trust_and_actions_per_resource(capsys, cdk_out):
    # WHEN the CLI prints JSON for the example stacks
    code, out, err = run(capsys, "report", str(cdk_out), "--format", "json")
    assert (code, err) == (0, "")
    role = risingwave_role(json.loads(out))
    # THEN the trust is exactly the workload-identity role, with no condition by default
    (trust,) = role["trust"]
    assert trust["principals"] == [
        {
            "type": "AWS",
            "value": "arn:aws:iam::222222222222:role/risingwave-workload-identity-PLACEHOLDER",
        }
    ]
    assert (trust["actions"], trust["conditions"]) == (["sts:AssumeRole"], [])
    # AND each catalog action sits on the resource S3 authorizes it against
    rows = [
        (p["effect"], p["actions"], p["resource"], p["scope"], p["conditions"], p["policies"])
        for p in role["permissions"]
    ]
    assert rows == [
        (
            "Allow",
            ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"],
            "<DataBucket.Arn>/risingwave/*",
            "objects under risingwave/",
            [],
            ["S3Data"],
        ),
        (
            "Allow",
            ["s3:ListBucket"],
            "<DataBucket.Arn>",
            "bucket",
            [condition("StringLike", "s3:prefix", "risingwave", "risingwave/", "risingwave/*")],
            ["S3Data"],
        ),
        ("Allow", ["s3:GetBucketLocation"], "<DataBucket.Arn>", "bucket", [], ["S3Data"]),
        (
            "Allow",
            ["kms:Decrypt", "kms:GenerateDataKey"],
            "<DataKey.Arn>",
            "KMS key",
            [
                condition("StringEquals", "kms:ViaService", "s3.<AWS::Region>.amazonaws.com"),
                condition(
                    "StringLike",
                    "kms:EncryptionContext:aws:s3:arn",
                    "<DataBucket.Arn>",
                    "<DataBucket.Arn>/risingwave/*",
                ),
            ],
            ["SseKms"],
        ),
    ]
    granted_s3 = {a for p in role["permissions"] for a in p["actions"] if a.startswith("s3:")}
    assert granted_s3 == {
        "s3:DeleteObject",
        "s3:GetBucketLocation",
        "s3:GetObject",
        "s3:ListBucket",
        "s3:PutObject",
    }
    # AND the object wildcard carries the reason the construct acknowledged it with
    assert role["permissions"][0]["note"].startswith(
        "S3 object actions are authorized per object ARN"
    )


def test_every_wildcard_resource_of_the_example_stacks_has_its_reason(cdk_out):
    # GIVEN cdk-nag forces an exact IAM5[Resource::...] acknowledgment for each `*` resource
    report = build_report(cdk_out)
    # THEN the report finds that reason for every allowed `*` resource
    missing = [
        (p.stack, p.name, permission.resource)
        for p in report.principals
        for permission in p.permissions
        if permission.effect == "Allow" and "*" in permission.resource and not permission.note
    ]
    assert missing == []


def test_table_shows_trust_permissions_and_wildcard_note(capsys, cdk_out):
    code, out, _ = run(capsys, "report", str(cdk_out), "--format", "table")
    assert code == 0
    block = out.split(f"role {RISINGWAVE_ROLE}\n", 1)[1].split("\n\n", 1)[0]
    assert (
        "Allow   sts:AssumeRole  "
        "AWS: arn:aws:iam::222222222222:role/risingwave-workload-identity-PLACEHOLDER  -"
    ) in block
    lines = block.splitlines()
    at = next(i for i, line in enumerate(lines) if "s3:ListBucket" in line)
    # THEN a multi-value condition lists each value on its own line, in the same column
    assert lines[at].split() == [
        "Allow",
        "s3:ListBucket",
        "<DataBucket.Arn>",
        "StringLike",
        "s3:prefix",
        "in:",
        "S3Data",
    ]
    column = lines[at].index("StringLike")
    assert lines[at + 1][column:].strip() == "risingwave"
    assert lines[at + 2][column:].strip() == "risingwave/"
    assert lines[at + 3][column:].strip() == "risingwave/*"
    assert "[note 1] why the wildcard: S3 object actions are authorized" in block


def test_markdown_renders_one_row_per_resource(capsys, cdk_out):
    code, out, _ = run(capsys, "report", str(cdk_out), "--format", "markdown")
    assert code == 0
    assert f"### role `{RISINGWAVE_ROLE}`" in out
    assert (
        "| Allow | `s3:ListBucket` | `<DataBucket.Arn>` | bucket | "
        "`StringLike s3:prefix in [risingwave, risingwave/, risingwave/*]` | S3Data |"
    ) in out
    assert "| Allow | `s3:GetBucketLocation` | `<DataBucket.Arn>` | bucket | none | S3Data |" in out


# -- errors ----------------------------------------------------------------------------

STACK_MANIFEST = {
    "version": "55.0.0",
    "artifacts": {
        "S": {"type": "aws:cloudformation:stack", "properties": {"templateFile": "S.template.json"}}
    },
}


def write(directory: Path, files: dict[str, object]) -> Path:
    directory.mkdir(exist_ok=True)
    for name, content in files.items():
        text = content if isinstance(content, str) else json.dumps(content)
        (directory / name).write_text(text)
    return directory


@pytest.mark.parametrize(
    ("files", "message"),
    [
        (None, "does not exist: synthesize the app first (`npx cdk synth`)"),
        ({}, "is not a CDK cloud assembly: it has no manifest.json"),
        ({"manifest.json": "{not json"}, "manifest.json' is not valid JSON"),
        ({"manifest.json": []}, "is malformed: expected a JSON object with 'version'"),
        ({"manifest.json": STACK_MANIFEST}, "template of stack 'S' "),
        (
            {"manifest.json": STACK_MANIFEST, "S.template.json": "{"},
            "S.template.json' is not valid JSON",
        ),
        (
            {"manifest.json": STACK_MANIFEST, "S.template.json": {"Resources": []}},
            "is malformed: 'Resources' is not an object",
        ),
    ],
    ids=[
        "missing",
        "no-manifest",
        "manifest-not-json",
        "manifest-not-object",
        "template-missing",
        "template-not-json",
        "resources-not-object",
    ],
)
def test_bad_cdk_out_exits_1_with_a_clear_message(capsys, tmp_path, files, message):
    # GIVEN a missing or malformed cloud assembly
    target = tmp_path / "cdk.out"
    if files is not None:
        write(target, files)
    # WHEN reported on THEN the command fails with one line naming the problem
    code, out, err = run(capsys, "report", str(target))
    assert code == 1
    assert out == ""
    assert err.startswith("lakehouse-iam report: error: ")
    assert message in err
    assert err.count("\n") == 1


def test_a_file_instead_of_a_directory_is_rejected(capsys, tmp_path):
    path = tmp_path / "cdk.out"
    path.write_text("")
    code, _, err = run(capsys, "report", str(path))
    assert code == 1
    assert "is not a directory" in err


def test_unknown_format_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["report", "--format", "xml"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'xml'" in capsys.readouterr().err


def test_console_script_runs_this_main(capsys, tmp_path):
    # GIVEN the installed `lakehouse-iam` console script (pyproject [project.scripts]);
    # its wrapper is sys.exit(main()), so the exit status is main's return value
    (script,) = entry_points(group="console_scripts", name="lakehouse-iam")
    assert script.value == "lakehouse_iam.__main__:main"
    # WHEN it runs on a directory that does not exist THEN it exits 1 with the message
    assert script.load()(["report", str(tmp_path / "nowhere")]) == 1
    assert "does not exist" in capsys.readouterr().err
