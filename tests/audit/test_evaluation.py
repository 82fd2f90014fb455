"""PolicyIndex (many requests against one principal's policies) decides as the shared
statement matcher and condition checker do; PropControl rejects a suggestion it cannot
fill."""

from __future__ import annotations

import pytest

from lakehouse_iam._private.evaluation import (
    ALLOW,
    EXPLICIT_DENY,
    IMPLICIT_DENY,
    PolicyIndex,
    allowing_statements,
    allows,
)
from lakehouse_iam.catalog.prop_control import PropControl, ResourceKind

BUCKET = "arn:aws:s3:::lake"
STATEMENTS = [
    {"Effect": "Allow", "Action": ["s3:GetObject", "s3:PutObject"], "Resource": f"{BUCKET}/raw/*"},
    {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": BUCKET,
        "Condition": {"StringLike": {"s3:prefix": ["raw/", "raw/*"]}},
    },
    {
        "Effect": "Allow",
        "Action": "kms:Decrypt",
        "Resource": "arn:aws:kms:us-east-1:111122223333:key/k",
        "Condition": {"StringEquals": {"kms:ViaService": "s3.us-east-1.amazonaws.com"}},
    },
    {"Effect": "Deny", "Action": "s3:PutObject", "Resource": f"{BUCKET}/raw/locked/*"},
]
REQUESTS = [
    ("s3:GetObject", f"{BUCKET}/raw/a.parquet", {}),
    ("s3:GetObject", f"{BUCKET}/other/a.parquet", {}),
    ("s3:getobject", f"{BUCKET}/raw/a.parquet", {}),
    ("s3:ListBucket", BUCKET, {"s3:prefix": "raw/x"}),
    ("s3:ListBucket", BUCKET, {"s3:prefix": "other/"}),
    ("s3:ListBucket", BUCKET, {}),
    (
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:111122223333:key/k",
        {"kms:ViaService": "s3.us-east-1.amazonaws.com"},
    ),
    ("kms:Decrypt", "arn:aws:kms:us-east-1:111122223333:key/k", {}),
    (
        "kms:Decrypt",
        "arn:aws:kms:us-east-1:111122223333:key/other",
        {"kms:ViaService": "s3.us-east-1.amazonaws.com"},
    ),
]


@pytest.mark.parametrize(("action", "resource", "context"), REQUESTS)
def test_the_index_allows_what_the_statement_matcher_allows(action, resource, context):
    allow_only = [s for s in STATEMENTS if s["Effect"] == "Allow"]
    expected = allows(
        allowing_statements([{"Statement": allow_only}], action=action, resource=resource), context
    )
    decision = PolicyIndex(allow_only).decide(action, resource, context)
    assert decision == (ALLOW if expected else IMPLICIT_DENY)


def test_an_explicit_deny_wins():
    index = PolicyIndex(STATEMENTS)
    assert index.decide("s3:PutObject", f"{BUCKET}/raw/locked/x", {}) == EXPLICIT_DENY
    assert index.decide("s3:PutObject", f"{BUCKET}/raw/open/x", {}) == ALLOW


def test_wildcards_stay_inside_an_arn_component():
    index = PolicyIndex(
        [
            {
                "Effect": "Allow",
                "Action": "glue:Get*",
                "Resource": "arn:aws:glue:*:111122223333:table/db/*",
            }
        ]
    )
    assert (
        index.decide("glue:GetTable", "arn:aws:glue:us-east-1:111122223333:table/db/t", {}) == ALLOW
    )
    # '*' in the Region component does not swallow the account's colon
    assert (
        index.decide("glue:GetTable", "arn:aws:glue:us-east-1:999:111122223333:table/db/t", {})
        == IMPLICIT_DENY
    )


def test_a_suggestion_may_only_use_the_fields_of_its_kind():
    PropControl(kind=ResourceKind.GLUE_DATABASE, prop="glue", suggestion='"{database}"')
    with pytest.raises(
        ValueError, match=r"uses \['prefix'\]; glue-database provides \['database'\]"
    ):
        PropControl(kind=ResourceKind.GLUE_DATABASE, prop="glue", suggestion="{prefix}")
