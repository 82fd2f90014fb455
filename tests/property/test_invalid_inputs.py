"""Property tests: a generated invalid input always fails at construction, and only so.

For each prop rule a valid value is broken one way (see ``strategies.bad_*``). The
building block must raise a ``ValueError`` that names its owner and the property, never
another exception type, and nothing IAM may be left in the stack.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import aws_cdk as cdk
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lakehouse_iam import (
    CrossAccountTrust,
    DataAccessRole,
    DataAccessUser,
    Ec2InstanceTrust,
    EcsTaskTrust,
    RisingWaveAccess,
    RoleTrust,
    S3Grant,
    S3Location,
    SseKmsGrant,
)
from tests.property import strategies as gen

ROLE = "arn:aws:iam::222222222222:role/vendor"
KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"

bad_actions = st.one_of(
    st.sampled_from(["s3:*", "s3:Get*", "s3:GetObjec?", "*", "s3:GetObjectX", "S3:GetObject"]).map(
        lambda a: gen.Broken(["s3:GetObject", a], "wildcard or unknown action")
    ),
    st.sampled_from(["s3:GetObject", [], (), None, 5]).map(
        lambda v: gen.Broken(v, "not a non-empty list")
    ),
)

# (owner, prop, bad values, build(stack, value)) - the stack is a fresh one per example.
DATA_RULES: list[tuple[str, str, st.SearchStrategy[gen.Broken], Callable[[Any, Any], object]]] = [
    ("S3Location", "bucket", gen.bad_bucket_names, lambda _, v: S3Location(bucket=v)),
    ("S3Location", "prefix", gen.bad_prefixes, lambda _, v: S3Location(bucket="data", prefix=v)),
    (
        "S3Grant",
        "actions",
        bad_actions,
        lambda _, v: S3Grant(location=S3Location(bucket="data"), actions=v),
    ),
    ("SseKmsGrant", "key", gen.bad_kms_keys, lambda _, v: SseKmsGrant(key=v)),
    (
        "CrossAccountTrust",
        "role_arn",
        gen.bad_role_arns,
        lambda _, v: CrossAccountTrust(role_arn=v, external_id="tenant"),
    ),
    (
        "CrossAccountTrust",
        "external_id",
        gen.bad_external_ids,
        lambda _, v: CrossAccountTrust(role_arn=ROLE, external_id=v),
    ),
    ("RoleTrust", "role", gen.bad_role_arns, lambda _, v: RoleTrust(role=v)),
    (
        "RoleTrust",
        "external_id",
        gen.bad_external_ids,
        lambda _, v: RoleTrust(role=ROLE, external_id=v),
    ),
    ("EcsTaskTrust", "account", gen.bad_accounts, lambda _, v: EcsTaskTrust(account=v)),
    (
        "DataAccessRole at Stack/Subject",
        "role_name",
        gen.bad_role_names,
        lambda s, v: DataAccessRole(s, "Subject", trust=Ec2InstanceTrust(), role_name=v),
    ),
    (
        "DataAccessUser at Stack/Subject",
        "user_name",
        gen.bad_role_names,
        lambda s, v: DataAccessUser(s, "Subject", grants=[], user_name=v),
    ),
]

RISINGWAVE_VALID: dict[str, Any] = {
    "workload_identity_role_arn": ROLE,
    "bucket": "data-bucket",
    "prefix": "risingwave",
    "external_id": None,
    "kms_key": None,
    "role_name": None,
    "redshift_database_users": None,
}
RISINGWAVE_BAD: dict[str, st.SearchStrategy[gen.Broken]] = {
    "workload_identity_role_arn": gen.bad_role_arns,
    "bucket": gen.bad_bucket_names,
    "prefix": gen.bad_prefixes,
    # RisingWave never sends an ExternalId: every value is refused, well-formed or not.
    "external_id": st.one_of(gen.bad_external_ids, gen.any_external_id),
    "kms_key": gen.bad_kms_keys,
    "role_name": gen.bad_role_names,
    "redshift_database_users": gen.bad_redshift_database_users,
}


def iam_resources(stack: cdk.Stack) -> list[str]:
    return [
        c.cfn_resource_type
        for c in stack.node.find_all()
        if isinstance(c, cdk.CfnResource) and c.cfn_resource_type.startswith("AWS::IAM::")
    ]


def reported_props(message: str) -> list[str]:
    """The props an error names; an item of a list prop (``users[0]``) counts as the prop."""
    return [re.sub(r"\[\d+\]$", "", line[4:].split("=", 1)[0]) for line in message.splitlines()[1:]]


@settings(max_examples=settings.default.max_examples * 2, deadline=None)
@given(data=st.data())
def test_each_broken_rule_raises_a_value_error_naming_the_prop(data):
    # GIVEN one building block and one of its props broken one way
    owner, prop, bad, construct = data.draw(st.sampled_from(DATA_RULES), label="rule")
    broken = data.draw(bad, label=f"{owner}.{prop}")
    stack = cdk.Stack(cdk.App(), "Stack")
    # WHEN it is built THEN a ValueError (nothing else) names the owner and the prop
    with pytest.raises(ValueError) as error:
        construct(stack, broken.value)
    message = str(error.value)
    assert message.startswith(f"{owner}: invalid properties:\n"), message
    assert prop in reported_props(message), (broken.rule, message)
    # AND nothing IAM was created
    assert iam_resources(stack) == []


@settings(max_examples=settings.default.max_examples, deadline=None)
@given(data=st.data())
def test_risingwave_reports_every_broken_prop_at_once(data):
    # GIVEN RisingWaveAccess props, some of them broken
    props = dict(RISINGWAVE_VALID)
    broken_props = data.draw(
        st.lists(st.sampled_from(sorted(RISINGWAVE_BAD)), min_size=1, unique=True), label="props"
    )
    for prop in broken_props:
        props[prop] = data.draw(RISINGWAVE_BAD[prop], label=prop).value
    stack = cdk.Stack(cdk.App(), "Stack")
    # WHEN it is built THEN one ValueError names the construct path and every broken prop
    with pytest.raises(ValueError) as error:
        RisingWaveAccess(stack, "RisingWave", **props)
    message = str(error.value)
    assert message.startswith("RisingWaveAccess at Stack/RisingWave: invalid properties:\n")
    assert sorted(reported_props(message)) == sorted(broken_props), message
    assert iam_resources(stack) == []


def test_a_valid_baseline_builds():
    # The baselines above are valid: only the broken props fail.
    stack = cdk.Stack(cdk.App(), "Stack")
    RisingWaveAccess(stack, "RisingWave", **RISINGWAVE_VALID)
    SseKmsGrant(key=KEY)
    assert "AWS::IAM::Role" in iam_resources(stack)
