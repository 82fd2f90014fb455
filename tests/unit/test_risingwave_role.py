"""RisingWaveAccess: the vendor's actions, correctly placed, trusting one exact role."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import RisingWaveAccess
from lakehouse_iam.vendors.risingwave import catalog as catalog
from tests.helpers import all_statements, as_list, statement, template_of, trust_statements

WORKLOAD = "arn:aws:iam::222222222222:role/risingwave-workload-identity"
BUCKET_ARN = {"Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::lake-bucket"]]}


def render(**kwargs):
    props = {"workload_identity_role_arn": WORKLOAD, "bucket": "lake-bucket", "prefix": "rw"}
    props.update(kwargs)
    holder = {}

    def build(stack: cdk.Stack) -> None:
        holder["role"] = RisingWaveAccess(stack, "RisingWave", **props)

    return template_of(build), holder["role"]


def test_object_actions_on_prefix_objects():
    template, _ = render()
    s = statement(template, "S3DataObjects")
    assert s["Action"] == list(catalog.OBJECT_ACTIONS)
    assert s["Resource"] == {
        "Fn::Join": ["", ["arn:", {"Ref": "AWS::Partition"}, ":s3:::lake-bucket/rw/*"]]
    }


def test_list_bucket_conditioned_on_prefix_and_get_bucket_location_unconditioned():
    # GIVEN the vendor page's deviation: GetBucketLocation under s3:prefix is denied by AWS
    template, _ = render()
    listing = statement(template, "S3DataList")
    # ... and the bare prefix: RisingWave's sinks validate by listing s3.path as written
    assert listing == {
        "Action": "s3:ListBucket",
        "Condition": {"StringLike": {"s3:prefix": ["rw", "rw/", "rw/*"]}},
        "Effect": "Allow",
        "Resource": BUCKET_ARN,
        "Sid": "S3DataList",
    }
    location = statement(template, "S3DataBucket")
    assert location == {
        "Action": "s3:GetBucketLocation",
        "Effect": "Allow",
        "Resource": BUCKET_ARN,
        "Sid": "S3DataBucket",
    }


def test_exactly_the_catalog_actions_and_nothing_else():
    template, _ = render()
    granted = {a for s in all_statements(template) for a in as_list(s["Action"])}
    assert granted == set(catalog.S3_ACTIONS)


def test_trust_is_the_exact_workload_identity_role():
    template, _ = render()
    assert trust_statements(template) == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": WORKLOAD}}
    ]


def test_external_id_is_required_when_configured():
    template, _ = render(external_id="rw-project-7")
    (trust,) = trust_statements(template)
    assert trust["Condition"] == {"StringEquals": {"sts:ExternalId": "rw-project-7"}}


def test_kms_key_adds_read_write_via_s3():
    key = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    template, _ = render(kms_key=key)
    s = statement(template, "SseKmsViaS3")
    assert s["Action"] == ["kms:Decrypt", "kms:GenerateDataKey"]
    assert s["Resource"] == key


def test_sql_with_clause_forms():
    _, role = render()
    stack = cdk.Stack.of(role)
    for form in ("assume_role", "iam_role_arn"):
        clause = stack.resolve(role.sql_with_clause(form=form, region="eu-west-1"))
        flat = "".join(p if isinstance(p, str) else "<token>" for p in clause["Fn::Join"][1])
        assert flat == (
            "s3.bucket_name = 'lake-bucket', s3.region_name = 'eu-west-1', "
            f"s3.path = 'rw', s3.{form} = '<token>', enable_config_load = 'true'"
        )
    with pytest.raises(ValueError, match="form="):
        role.sql_with_clause(form="access_key")


def test_bad_workload_identity_is_rejected():
    with pytest.raises(ValueError, match="role_arn="):
        render(workload_identity_role_arn="arn:aws:iam::222222222222:root")
