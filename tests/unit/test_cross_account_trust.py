"""CrossAccountTrust: an exact role ARN, guarded by sts:ExternalId unless opted out."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import CrossAccountTrust, DataAccessRole
from tests.helpers import template_of, trust_statements

VENDOR = "arn:aws:iam::222222222222:role/vendor-role"


def trust_of(trust: CrossAccountTrust) -> list[dict]:
    return trust_statements(template_of(lambda stack: DataAccessRole(stack, "Role", trust=trust)))


def test_external_id_condition_on_exact_role():
    assert trust_of(CrossAccountTrust(role_arn=VENDOR, external_id="tenant-42")) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "tenant-42"}},
            "Effect": "Allow",
            "Principal": {"AWS": VENDOR},
        }
    ]


def test_external_id_is_required_by_default():
    with pytest.raises(ValueError, match="require_external_id=False"):
        CrossAccountTrust(role_arn=VENDOR)


def test_explicit_opt_out_trusts_exact_role_only():
    assert trust_of(CrossAccountTrust(role_arn=VENDOR, require_external_id=False)) == [
        {"Action": "sts:AssumeRole", "Effect": "Allow", "Principal": {"AWS": VENDOR}}
    ]


@pytest.mark.parametrize(
    "role_arn",
    [
        "arn:aws:iam::222222222222:root",
        "222222222222",
        "arn:aws:iam::2222:role/x",
        "arn:aws:iam::222222222222:user/x",
        "arn:aws:iam::222222222222:role/*",
        "arn:aws:sts::222222222222:assumed-role/x/y",
    ],
)
def test_anything_but_an_exact_role_arn_is_rejected(role_arn):
    with pytest.raises(ValueError, match="role_arn="):
        CrossAccountTrust(role_arn=role_arn, external_id="abc")


@pytest.mark.parametrize("external_id", ["a", "x" * 1225, "has space", "semi;colon"])
def test_bad_external_id_is_rejected(external_id):
    with pytest.raises(ValueError, match="external_id="):
        CrossAccountTrust(role_arn=VENDOR, external_id=external_id)


@pytest.mark.parametrize(
    "role_arn",
    [
        "arn:aws-cn:iam::222222222222:role/x",
        "arn:aws-us-gov:iam::222222222222:role/path/to/x",
    ],
)
def test_partitions_and_paths_are_accepted(role_arn):
    CrossAccountTrust(role_arn=role_arn, external_id="abc")


def test_token_role_arn_is_accepted():
    token = cdk.Token.as_string(cdk.Fn.ref("VendorRoleArn"))
    CrossAccountTrust(role_arn=token, external_id="abc")
