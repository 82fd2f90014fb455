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


def one_resource(outdir: str) -> None:
    """The smallest real app: one stack with one IAM role, cdk.json's flags, the four
    cdk-nag packs (the harness every example stack is checked with)."""
    import aws_cdk as cdk
    from aws_cdk import aws_iam as iam

    app = cdk.App(outdir=outdir, context=context())
    stack = cdk.Stack(app, "OneResource")
    iam.CfnRole(
        stack,
        "Role",
        assume_role_policy_document={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Principal": {"Service": "ec2.amazonaws.com"},
                    "Action": "sts:AssumeRole",
                }
            ],
        },
    )
    _add_packs_expecting_findings(app)
    _synth(app, expect_findings=True)


def baseline(outdir: str, *, nag: bool = False) -> None:
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
    if nag:
        _add_packs_expecting_findings(app)
    _synth(app, expect_findings=nag)


def library_roles(outdir: str, *, nag: bool = False) -> None:
    """The same work as :func:`baseline` done with the library: the six vendors' roles
    (eight IAM roles) on an imported bucket, in one stack, with cdk.json's context."""
    import aws_cdk as cdk
    from aws_cdk import aws_s3 as s3

    from lakehouse_iam import (
        BoilStreamAccess,
        BoilStreamLevel,
        DuckLakeAccess,
        EcsTaskTrust,
        GlueCatalogGrant,
        QualyticsDatastore,
        QualyticsDatastoreAccess,
        RisingWaveAccess,
        S3Location,
        StarRocksAssumedRoleAccess,
        StarRocksPermissions,
    )

    app = cdk.App(outdir=outdir, context=context())
    stack = cdk.Stack(app, "VendorRoles")
    bucket = s3.Bucket.from_bucket_name(stack, "Bucket", "vendor-bucket")
    key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    BoilStreamAccess(
        stack,
        "BoilStream",
        principal=EcsTaskTrust(),
        bucket=bucket,
        level=BoilStreamLevel.CREDENTIAL_VENDING,
        prefix="boilstream",
    )
    DuckLakeAccess(
        stack,
        "DuckLake",
        trust=EcsTaskTrust(),
        bucket=bucket,
        prefix="ducklake",
        log_group="/ecs/ducklake",
        image="709825985650.dkr.ecr.us-east-1.amazonaws.com/lokryn/ducklake:1.0",
    )
    QualyticsDatastoreAccess(
        stack,
        "Qualytics",
        bucket=bucket,
        root_path="qualytics/enrichment",
        datastore=QualyticsDatastore.ENRICHMENT,
        dataplane_role_arn="arn:aws:iam::222222222222:role/qualytics-dataplane-role",
        kms_key=key,
    )
    RisingWaveAccess(
        stack,
        "RisingWave",
        workload_identity_role_arn="arn:aws:iam::222222222222:role/risingwave-workload",
        bucket=bucket,
        prefix="risingwave",
    )
    StarRocksAssumedRoleAccess(
        stack,
        "StarRocks",
        permissions=StarRocksPermissions(
            locations=[S3Location(bucket=bucket, prefix="starrocks")],
            s3_access="read_write",
            glue=GlueCatalogGrant(databases=["sales"], write=True),
        ),
    )
    if nag:
        _add_packs_expecting_findings(app)
    _synth(app, expect_findings=False)  # the library acknowledges its own findings


def library_template(outdir: str) -> None:
    """The template ``library-roles`` synthesizes, pasted back as plain ``CfnResource``s
    (same logical IDs, same properties): the same output as the library with no library
    work, so ``library-roles`` / ``library-template`` is the library's own cost and
    ``library-template`` / ``baseline`` the cost of the larger output (25 IAM resources
    where the pasted vendor JSON has 6). ``bench.run`` writes the template first
    (``LAKEHOUSE_IAM_BENCH_TEMPLATE``)."""
    import os

    import aws_cdk as cdk

    template = json.loads(Path(os.environ["LAKEHOUSE_IAM_BENCH_TEMPLATE"]).read_text())
    app = cdk.App(outdir=outdir, context=context())
    stack = cdk.Stack(app, "VendorRoles")
    for logical_id, resource in template["Resources"].items():
        if resource["Type"] == "AWS::CDK::Metadata":
            continue
        cfn = cdk.CfnResource(
            stack, logical_id, type=resource["Type"], properties=resource.get("Properties")
        )
        cfn.override_logical_id(logical_id)
    app.synth()


def _add_packs_expecting_findings(app: object) -> None:
    from lakehouse_iam.nag import add_compliance_checks

    add_compliance_checks(app)  # type: ignore[arg-type]


def _synth(app: object, *, expect_findings: bool) -> None:
    """``app.synth()``; with ``expect_findings``, the packs' error at the end is expected
    (the vendor JSON has findings nobody acknowledged): the work is the same either way."""
    try:
        app.synth()  # type: ignore[attr-defined]
    except Exception:
        if not expect_findings:
            raise


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
            "one-resource": one_resource,
            "baseline": baseline,
            "baseline-nag": lambda out: baseline(out, nag=True),
            "library-roles": library_roles,
            "library-roles-nag": lambda out: library_roles(out, nag=True),
            "library-template": library_template,
            "examples": examples,
            "examples-nonag": lambda out: examples(out, nag=False),
        }
        cases[case](outdir)


if __name__ == "__main__":
    main(sys.argv)
