"""docs/composing.md "With aws-cdk-lib grants" says what ``bucket.grant_read(construct)``
adds and what the packs then report; this synthesizes it and compares with its lists."""

from __future__ import annotations

import re

import aws_cdk as cdk
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3

from lakehouse_iam import RisingWaveAccess
from lakehouse_iam.nag import compliance_packs
from lakehouse_iam.report.intrinsics import IntrinsicRenderer, readable_names
from tests.helpers import ROOT, make_app


def doc_block(marker: str) -> list[str]:
    """The lines of the fenced block right after ``<!-- marker -->`` in docs/composing.md."""
    text = (ROOT / "docs" / "composing.md").read_text(encoding="utf-8")
    match = re.search(rf"<!-- {re.escape(marker)} -->\n```text\n(.*?)```", text, re.S)
    assert match, f"docs/composing.md has no block after <!-- {marker} -->"
    return [line for line in match.group(1).splitlines() if line.strip()]


def build() -> cdk.App:
    app = make_app()
    stack = cdk.Stack(app, "Lake")
    key = kms.Key(stack, "Key", enable_key_rotation=True)
    bucket = s3.Bucket(stack, "Bucket", encryption_key=key, enforce_ssl=True)
    risingwave = RisingWaveAccess(
        stack,
        "RisingWave",
        workload_identity_role_arn="arn:aws:iam::222222222222:role/risingwave-workload",
        bucket=bucket,
        prefix="risingwave",
        kms_key=key,
    )
    bucket.grant_read(risingwave)
    return app


def test_the_guide_lists_exactly_the_statements_grant_read_adds():
    app = build()
    template = app.synth().get_stack_by_name("Lake").template
    resources = template["Resources"]
    inline = [r for r in resources.values() if r["Type"] == "AWS::IAM::Policy"]
    assert len(inline) == 1, "grant_read adds one inline AWS::IAM::Policy"
    render = IntrinsicRenderer(readable_names(resources))
    # aws-cdk-lib does not keep the order of its actions stable: compare them as sets.
    rendered = [
        (set(s["Action"]), render.render(s["Resource"]))
        for s in inline[0]["Properties"]["PolicyDocument"]["Statement"]
    ]
    documented = []
    for line in doc_block("cdk-grant-read: statements"):
        actions, resources = line.split(" on ", 1)
        documented.append((set(actions.split(", ")), resources))
    assert rendered == documented


def test_the_guide_lists_exactly_the_findings_the_packs_report_on_it():
    app = build()
    found = set()
    for pack in compliance_packs():
        for violation in pack(app).validate_scope(app).violations:
            for resource in violation.violating_resources:
                if resource.construct_path.startswith("Lake/RisingWave/"):
                    found.add((violation.rule_name, resource.construct_path))
    paths = {path for _, path in found}
    assert paths == {"Lake/RisingWave/DataAccess/Role/DefaultPolicy/Resource"}
    documented = doc_block("cdk-grant-read: findings")
    shown = {rule.replace("<Bucket83908E77.Arn>", "<Bucket.Arn>") for rule, _ in found}
    assert sorted(shown) == sorted(documented)
