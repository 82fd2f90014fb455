"""The CDK apps the benchmark times, each run as ``python -m bench.apps CASE OUTDIR``.

Every case runs in a fresh process, like ``cdk synth`` does, with cdk.json's context
(feature flags and example inputs) passed the way the CDK CLI passes it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def context() -> dict:
    return json.loads((ROOT / "cdk.json").read_text())["context"]


def floor(outdir: str) -> None:
    """An empty app: jsii and aws-cdk-lib start-up plus an empty synth."""
    import aws_cdk as cdk

    cdk.App(outdir=outdir).synth()


def baseline(outdir: str) -> None:
    """What a user does without this library: the vendor JSON pasted into CfnRoles."""
    import aws_cdk as cdk
    from aws_cdk import aws_iam as iam

    roles = json.loads((ROOT / "bench" / "vendor_policies.json").read_text())["roles"]
    app = cdk.App(outdir=outdir, context=context())
    stack = cdk.Stack(app, "VendorJson")
    for name, role in roles.items():
        iam.CfnRole(
            stack,
            name,
            assume_role_policy_document=role["trust"],
            policies=[iam.CfnRole.PolicyProperty(policy_name=name, policy_document=role["policy"])],
        )
    app.synth()


def examples(outdir: str, *, nag: bool = True) -> None:
    """``app.py``: every example stack with the four cdk-nag packs (or without them)."""
    import aws_cdk as cdk

    from lakehouse_iam.nag import add_compliance_checks
    from lakehouse_iam.stacks import build_example_stacks

    app = cdk.App(outdir=outdir, context=context())
    build_example_stacks(app)
    if nag:
        add_compliance_checks(app)
    app.synth()


def prefixes(outdir: str, count: int) -> None:
    """One DataAccessRole with ``count`` prefixes spread over up to 50 buckets."""
    import aws_cdk as cdk

    from lakehouse_iam import CrossAccountTrust, DataAccessRole, S3Grant, S3Location

    app = cdk.App(outdir=outdir, context=context())
    stack = cdk.Stack(app, f"Prefixes{count}")
    buckets = min(count, 50)
    DataAccessRole(
        stack,
        "Role",
        trust=CrossAccountTrust(
            role_arn="arn:aws:iam::222222222222:role/vendor", external_id="bench-external-id"
        ),
        grants=[
            S3Grant(
                location=S3Location(
                    bucket=f"lake-bucket-{i % buckets:02d}", prefix=f"tables/t{i:04d}"
                ),
                actions=S3Grant.READ + S3Grant.WRITE + S3Grant.LIST,
            )
            for i in range(count)
        ],
        managed_policy_quota=20,
    )
    app.synth()


def main(argv: list[str]) -> None:
    case, outdir = argv[1], argv[2]
    if case.startswith("prefixes-"):
        prefixes(outdir, int(case.split("-", 1)[1]))
    else:
        cases = {
            "floor": floor,
            "baseline": baseline,
            "examples": examples,
            "examples-nonag": lambda out: examples(out, nag=False),
        }
        cases[case](outdir)


if __name__ == "__main__":
    main(sys.argv)
