"""RedshiftTrust and CompositeTrust: Redshift only for named database users, next to
another trust whose conditions stay its own."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import CrossAccountTrust, DataAccessRole, Ec2InstanceTrust, RoleTrust
from lakehouse_iam.constructs.composite_trust import CompositeTrust
from lakehouse_iam.constructs.redshift_trust import RedshiftTrust
from tests.helpers import make_app, template_of, trust_statements

USER = "arn:aws:redshift:us-east-1:111111111111:dbuser:analytics/risingwave"
OTHER = "arn:aws:redshift:us-east-1:111111111111:dbuser:analytics/loader"
VENDOR = "arn:aws:iam::222222222222:role/vendor"
REDSHIFT = ["redshift-serverless.amazonaws.com", "redshift.amazonaws.com"]


def trust_of(trust) -> list[dict]:
    return trust_statements(template_of(lambda s: DataAccessRole(s, "Role", trust=trust)))


def test_redshift_trust_requires_the_database_users_as_external_id():
    assert trust_of(RedshiftTrust(database_users=[USER, OTHER])) == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": [USER, OTHER]}},
            "Effect": "Allow",
            "Principal": {"Service": REDSHIFT},
        }
    ]


@pytest.mark.parametrize(
    ("users", "expected"),
    [
        ([], "database_users=[] is invalid: expected at least one Redshift database user ARN"),
        (USER, "database_users='arn:aws:redshift:"),
        ([USER, 7], "database_users[1]=7 is invalid"),
        ([f"{USER}*"], "database_users[0]="),
    ],
)
def test_redshift_trust_refuses_no_users_and_anything_but_user_arns(users, expected):
    with pytest.raises(ValueError, match="RedshiftTrust: invalid properties") as error:
        RedshiftTrust(database_users=users)
    assert expected in str(error.value)


def test_composite_trust_keeps_each_trusts_conditions_in_its_own_statement():
    # GIVEN a cross-account trust with an ExternalId and a Redshift trust
    statements = trust_of(
        CompositeTrust(
            trusts=[
                CrossAccountTrust(role_arn=VENDOR, external_id="tenant-7"),
                RedshiftTrust(database_users=[USER]),
            ]
        )
    )
    # THEN the vendor role needs its ExternalId, Redshift the database user's ARN: neither
    # condition applies to the other principal
    assert statements == [
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": "tenant-7"}},
            "Effect": "Allow",
            "Principal": {"AWS": VENDOR},
        },
        {
            "Action": "sts:AssumeRole",
            "Condition": {"StringEquals": {"sts:ExternalId": [USER]}},
            "Effect": "Allow",
            "Principal": {"Service": REDSHIFT},
        },
    ]


def test_composite_trust_returns_the_one_binding_a_trust_created():
    stack = cdk.Stack(make_app(), "Test")
    role = DataAccessRole(
        stack,
        "Role",
        trust=CompositeTrust(
            trusts=[Ec2InstanceTrust(), RedshiftTrust(database_users=[USER])],
        ),
    )
    assert isinstance(role.trust_binding, iam.InstanceProfile)


def test_composite_trust_refuses_two_bindings_it_could_not_expose():
    stack = cdk.Stack(make_app(), "Test")
    cluster = iam.Role(stack, "Cluster", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    with pytest.raises(ValueError, match="2 trusts created a binding"):
        DataAccessRole(
            stack,
            "Role",
            trust=CompositeTrust(trusts=[Ec2InstanceTrust(), RoleTrust(role=cluster)]),
        )


@pytest.mark.parametrize(
    ("trusts", "expected"),
    [
        ([RedshiftTrust(database_users=[USER])], "expected two or more trusts"),
        ([RedshiftTrust(database_users=[USER]), "role"], "trusts[1]='role' is invalid"),
        (RedshiftTrust(database_users=[USER]), "expected a list of lakehouse_iam Trust"),
    ],
)
def test_composite_trust_needs_two_or_more_trusts(trusts, expected):
    with pytest.raises(ValueError, match="CompositeTrust: invalid properties") as error:
        CompositeTrust(trusts=trusts)
    assert expected in str(error.value)
