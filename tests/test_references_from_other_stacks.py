"""Wildcards stay acknowledged when the bucket (or key, log group) comes from somewhere else.

cdk-nag names a finding after the resource as the synthesized template holds it. A bucket
of another stack reads ``<Bucket.Arn>`` at construction and ``Fn::ImportValue`` (strong
reference), ``Fn::GetStackOutput`` (weak), a nested-stack parameter or output, or a
cross-region reader's attribute once synthesis resolves it. One app holds every form; it
is synthesized with the four packs (which raise on an unacknowledged finding), and again
with acknowledgments off, to prove each acknowledgment names a finding that occurs.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import aws_cdk as cdk
import pytest
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from constructs import Construct, IConstruct

from lakehouse_iam import (
    BoilStreamAccess,
    BoilStreamLevel,
    DuckLakeAccess,
    EcsTaskTrust,
    RisingWaveAccess,
)
from lakehouse_iam.nag import AUDIT_CONTEXT_KEY, acknowledged_findings, compliance_packs
from tests.helpers import cdk_json_context

WORKLOAD = "arn:aws:iam::222222222222:role/risingwave-workload"
EAST = cdk.Environment(account="111111111111", region="us-east-1")
WEST = cdk.Environment(account="111111111111", region="eu-west-1")
LIBRARY = ("RisingWave", "BoilStream", "DuckLake")
"""Construct IDs of the library constructs in every consuming stack."""


class Storage(cdk.Stack):
    """Owns the bucket, its key and a log group, as a user's storage stack does."""

    def __init__(self, scope: Construct, id: str, **kwargs: object) -> None:
        super().__init__(scope, id, **kwargs)  # type: ignore[arg-type]
        self.key = kms.Key(self, "Key", enable_key_rotation=True)
        self.bucket = s3.Bucket(self, "Bucket", encryption_key=self.key, enforce_ssl=True)
        self.log_group = logs.LogGroup(self, "Logs", log_group_name=f"/lake/{id}")


def consumers(scope: Construct, bucket: s3.IBucket, key: kms.IKey | None, logs_: object) -> None:
    """The library constructs whose wildcards take the bucket's (or log group's) ARN.

    BoilStream level 3 acknowledges ``bucket/prefix/*`` on three paths: its role's managed
    policy, its access role's policy and the access role's permissions boundary; DuckLake
    adds the log group's ``log-group:NAME:*`` when the log group is given by name.
    """
    BoilStreamAccess(
        scope,
        "BoilStream",
        principal=EcsTaskTrust(),
        bucket=bucket,
        prefix="bs",
        level=BoilStreamLevel.CREDENTIAL_VENDING,
        kms_key=key,
        access_role_name=f"ducklake-{cdk.Names.unique_id(scope)[-40:]}-access",
    )
    if isinstance(logs_, str) or not isinstance(logs_, logs.LogGroup):
        DuckLakeAccess(
            scope, "DuckLake", trust=EcsTaskTrust(), bucket=bucket, prefix="dl", log_group=logs_
        )


def build_app(*, audit: bool) -> cdk.App:
    context = cdk_json_context(**({AUDIT_CONTEXT_KEY: True} if audit else {}))
    app = cdk.App(context=context)
    storage = Storage(app, "Storage")

    # Strong cross-stack references (Fn::ImportValue of an export); cdk.json's default is weak.
    strong = cdk.Stack(app, "Strong")
    cdk.CrossStackReferences.of(strong).consume(cdk.ReferenceStrength.STRONG)
    consumers(strong, storage.bucket, storage.key, storage.log_group)

    # Weak references (Fn::GetStackOutput), chosen on the consuming side.
    weak = cdk.Stack(app, "Weak")
    cdk.CrossStackReferences.of(weak).consume(cdk.ReferenceStrength.WEAK)
    consumers(weak, storage.bucket, storage.key, storage.log_group)

    # A nested stack consuming its parent's bucket (a nested-stack parameter) ...
    parent = Storage(app, "Parent")
    nested = cdk.NestedStack(parent, "Nested")
    consumers(nested, parent.bucket, parent.key, parent.log_group)
    # ... and a parent consuming a nested stack's bucket (the nested stack's output).
    inner = cdk.NestedStack(strong, "Inner")
    inner_key = kms.Key(inner, "Key", enable_key_rotation=True)
    inner_bucket = s3.Bucket(inner, "Bucket", encryption_key=inner_key, enforce_ssl=True)
    outer = Construct(strong, "FromNested")
    consumers(outer, inner_bucket, inner_key, "/lake/inner")

    # A Stage with an explicit environment: its own storage and roles stacks.
    stage = cdk.Stage(app, "Prod", env=EAST)
    prod_storage = Storage(stage, "Storage")
    prod_roles = cdk.Stack(stage, "Roles")
    consumers(prod_roles, prod_storage.bucket, prod_storage.key, prod_storage.log_group)

    # Strong cross-region references (an ExportsReader custom resource in the consumer).
    west = Storage(app, "West", env=WEST)
    east = cdk.Stack(app, "East", env=EAST, cross_region_references=True)
    cdk.CrossStackReferences.of(east).consume(cdk.ReferenceStrength.STRONG)
    consumers(east, west.bucket, west.key, west.log_group)

    # Fn.import_value and a CfnParameter, given in the construct form they need.
    imports = cdk.Stack(app, "Imports")
    imported = s3.Bucket.from_bucket_name(imports, "Lake", cdk.Fn.import_value("LakeBucketName"))
    consumers(imports, imported, None, "/lake/imported")
    params = cdk.Stack(app, "Params")
    name = cdk.CfnParameter(params, "BucketName", type="String")
    key_arn = cdk.CfnParameter(params, "KeyArn", type="String")
    consumers(
        params,
        s3.Bucket.from_bucket_name(params, "Lake", name.value_as_string),
        kms.Key.from_key_arn(params, "LakeKey", key_arn.value_as_string),
        logs.LogGroup.from_log_group_name(params, "Logs", name.value_as_string),
    )
    return app


def walk(node: IConstruct) -> Iterator[IConstruct]:
    yield node
    for child in node.node.children:
        yield from walk(child)


def library_findings(app: cdk.App) -> set[tuple[str, str]]:
    """(finding, construct path) of the four packs on library constructs only."""
    found = set()
    for pack in compliance_packs():
        for violation in pack(app).validate_scope(app).violations:
            for resource in violation.violating_resources:
                if any(f"/{name}/" in resource.construct_path for name in LIBRARY):
                    found.add((violation.rule_name, resource.construct_path))
    return found


@pytest.fixture(scope="module")
def checked_app() -> cdk.App:
    app = build_app(audit=False)
    for node in walk(app):
        # The user's own storage resources: not what this test is about.
        if isinstance(node, Storage):
            for pack in ("AwsSolutions-S1", "AwsSolutions-S10"):
                cdk.Validations.of(node).acknowledge(
                    cdk.Acknowledgment(id=pack, reason="the test's storage stack, not a library")
                )
    app.synth()
    return app


@pytest.fixture(scope="module")
def audit_app() -> cdk.App:
    app = build_app(audit=True)
    app.synth()
    return app


def test_every_library_wildcard_is_acknowledged_in_its_synthesized_form(checked_app):
    # GIVEN the library constructs consuming buckets, keys and log groups in every form
    # WHEN synthesized (references resolved) THEN no pack reports a library finding
    assert library_findings(checked_app) == set()


def test_acknowledgments_name_the_resolved_reference_forms(checked_app):
    # THEN the acknowledged IDs are the synthesized forms, not the construction-time ones
    acks = {f for node in walk(checked_app) for f in acknowledged_findings(node)}

    def acknowledged(fragment: str) -> bool:
        return any(fragment in f for f in acks)

    assert acknowledged("[Resource::Storage:ExportsOutputFnGetAttBucket"), "strong"
    assert acknowledged('{"Fn::GetStackOutput":{"StackName":"Storage"'), "weak"
    assert acknowledged('{"Fn::GetStackOutput":{"StackName":"Prod-Storage"'), "Stage"
    assert acknowledged("[Resource::<referencetoParentBucket"), "nested-stack parameter"
    assert acknowledged("[Resource::<InnerNestedStackInnerNestedStackResource"), "nested output"
    assert acknowledged("[Resource::<ExportsReader"), "cross-region reader"
    assert acknowledged("[Resource::arn:<AWS::Partition>:s3:::LakeBucketName/bs/*]"), "import"
    assert acknowledged("[Resource::arn:<AWS::Partition>:s3:::<BucketName>/bs/*]"), "parameter"
    assert acknowledged(":log-group:<BucketName>:*]"), "parameter log group name"


def test_every_acknowledgment_on_a_library_construct_matches_a_real_finding(checked_app, audit_app):
    # GIVEN the same app with acknowledgments off THEN each acknowledgment of the checked
    # app names a finding the packs really report there (none is stale or too broad)
    reported = library_findings(audit_app)
    for node in walk(checked_app):
        path = node.node.path
        if not any(f"/{name}/" in f"{path}/" for name in LIBRARY):
            continue
        for finding in acknowledged_findings(node):
            assert any(
                rule == finding and (where == path or where.startswith(path + "/"))
                for rule, where in reported
            ), f"stale acknowledgment {finding} at {path}"


def test_without_deferral_the_construction_time_form_would_not_match():
    # GIVEN a consumer of another stack's bucket, validated before synthesis resolved the
    # reference THEN its wildcard shows unacknowledged (the check above can fail)
    app = cdk.App(context=cdk_json_context())
    storage = Storage(app, "Storage")
    roles = cdk.Stack(app, "Roles")
    cdk.CrossStackReferences.of(roles).consume(cdk.ReferenceStrength.STRONG)
    RisingWaveAccess(
        roles, "RisingWave", workload_identity_role_arn=WORKLOAD, bucket=storage.bucket, prefix="rw"
    )
    before = {rule for rule, _ in library_findings(app)}
    assert any("Bucket83908E77.Arn>/rw/*" in rule for rule in before)
    app.synth()
    after = {rule for rule, _ in library_findings(app)}
    assert after == set()


def test_the_synthesized_templates_use_the_reference_forms(checked_app):
    # The forms asserted above are what the templates hold (not an artefact of the test).
    assembly = checked_app.synth()
    weak = json.dumps(assembly.get_stack_by_name("Weak").template)
    assert '"Fn::GetStackOutput"' in weak and '"Fn::ImportValue"' not in weak
    strong = json.dumps(assembly.get_stack_by_name("Strong").template)
    assert '"Fn::ImportValue": "Storage:ExportsOutputFnGetAttBucket' in strong
