"""``python -m deploy_local`` on a user's own cdk.out: a clear refusal, never a traceback.

No moto here: the refusal comes before any server starts, and a moto failure is
simulated where botocore raises it.
"""

from __future__ import annotations

import json
from pathlib import Path

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from botocore.parsers import ResponseParserError

import deploy_local.__main__ as cli
from deploy_local.assembly import discover
from deploy_local.scope import refusal


def user_app(outdir: Path) -> Path:
    """A ``cdk init``-style app: a storage stack and a roles stack reading its bucket, in an
    explicit environment, with weak cross-stack references (cdk init's default now)."""
    app = cdk.App(outdir=str(outdir), context={"@aws-cdk/core:defaultCrossStackReferences": "weak"})
    env = cdk.Environment(account="111111111111", region="eu-west-1")
    storage = cdk.Stack(app, "Storage", env=env)
    bucket = s3.Bucket(storage, "Data")
    roles = cdk.Stack(app, "Roles", env=env)
    reader = iam.Role(roles, "Reader", assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"))
    bucket.grant_read(reader)
    app.synth()
    return outdir


def test_a_users_app_is_refused_with_what_would_break(tmp_path, capsys):
    # GIVEN a user's app with a storage stack and a roles stack
    cdk_out = user_app(tmp_path / "cdk.out")
    assert "Fn::GetStackOutput" in json.dumps(
        next(s.template for s in discover(cdk_out) if s.name == "Roles")
    )
    # WHEN deploy_local is pointed at its cdk.out
    code = cli.main(["--cdk-out", str(cdk_out), "--log-dir", str(tmp_path / "logs")])
    # THEN it exits 2 before starting moto, naming each stack and what would break
    err = capsys.readouterr().err
    assert code == 2
    assert "deploy_local: refusing this cloud assembly: it is not the example app's." in err
    assert (
        "  Roles: environment aws://111111111111/eu-west-1, not the one bootstrapped; "
        "a weak cross-stack reference (Fn::GetStackOutput)\n"
    ) in err
    assert "  Storage: environment aws://111111111111/eu-west-1, not the one bootstrapped\n" in err
    assert "deploys only this project's example stacks" in err
    assert "Traceback" not in err


def test_the_example_stacks_are_not_refused(example_assembly):
    cdk_out = Path(example_assembly.directory)
    assert refusal(cdk_out, discover(cdk_out)) is None


class _Server:
    endpoint = "http://localhost:1"

    def __init__(self, **_: object) -> None:
        pass

    def __enter__(self) -> _Server:
        return self

    def __exit__(self, *_: object) -> None:
        return None


def test_a_moto_500_is_a_message_not_a_traceback(
    example_assembly, tmp_path, capsys, monkeypatch: pytest.MonkeyPatch
):
    # GIVEN moto answers a request with a body botocore cannot parse (its HTTP 500 page)
    def fail(*_: object, **__: object) -> None:
        raise ResponseParserError("Unable to parse response (no element found), invalid XML")

    monkeypatch.setattr(cli, "MotoServer", _Server)
    monkeypatch.setattr(cli, "run_all", fail)
    # WHEN deploy_local runs
    code = cli.main(
        ["--cdk-out", example_assembly.directory, "--log-dir", str(tmp_path), "--via", "api"]
    )
    # THEN it exits 1 with one line saying moto failed, and where its log is
    err = capsys.readouterr().err
    assert code == 1
    assert err == (
        "deploy-local: FAILED: moto could not serve a request (ResponseParserError: Unable "
        f"to parse response (no element found), invalid XML); see {tmp_path / 'moto.log'}\n"
    )
