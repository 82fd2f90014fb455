"""Two constructs that would create the same IAM name fail at construction, saying how to
tell them apart (IAM names are unique per account, case-insensitive)."""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest

from lakehouse_iam import (
    BoilStreamAccess,
    BoilStreamLevel,
    DataAccessRole,
    DataAccessUser,
    EcsTaskTrust,
    S3Location,
    StarRocksInstanceProfileAccess,
    StarRocksPermissions,
)
from tests.helpers import make_app

ACCOUNT_A = cdk.Environment(account="111111111111", region="us-east-1")
ACCOUNT_B = cdk.Environment(account="222222222222", region="us-east-1")


def vending(scope: cdk.Stack, id: str, **kwargs: object) -> BoilStreamAccess:
    return BoilStreamAccess(
        scope,
        id,
        principal=EcsTaskTrust(),
        bucket="lake-bucket",
        level=BoilStreamLevel.CREDENTIAL_VENDING,
        **kwargs,  # type: ignore[arg-type]
    )


def test_two_level3_boilstreams_on_one_bucket_name_the_clash_and_the_fix():
    # GIVEN a level-3 BoilStreamAccess on a bucket (creates ducklake-lake-bucket-access)
    stack = cdk.Stack(make_app(), "Stack")
    vending(stack, "First")
    # WHEN a second one is created on the same bucket THEN it fails, naming both and the fix
    with pytest.raises(ValueError) as error:
        vending(stack, "Second")
    message = str(error.value)
    assert "BoilStreamAccess at Stack/Second" in message
    assert "access_role_name='ducklake-lake-bucket-access'" in message
    assert "already created by Stack/First" in message
    assert "pass access_role_name=" in message
    # AND with its own name the second one is fine
    vending(stack, "Third", access_role_name="ducklake-lake-bucket-ingest-access")


def test_names_clash_across_stacks_of_one_account_and_case_insensitively():
    app = make_app()
    one = cdk.Stack(app, "One", env=ACCOUNT_A)
    two = cdk.Stack(app, "Two", env=cdk.Environment(account="111111111111", region="eu-west-1"))
    DataAccessRole(one, "Role", trust=EcsTaskTrust(), role_name="lake-reader")
    # IAM is global: another region of the same account clashes too, whatever the case
    with pytest.raises(ValueError, match=re.escape("role_name='Lake-Reader'")):
        DataAccessRole(two, "Role", trust=EcsTaskTrust(), role_name="Lake-Reader")


def test_the_same_name_in_another_account_is_fine():
    app = make_app()
    DataAccessRole(cdk.Stack(app, "A", env=ACCOUNT_A), "R", trust=EcsTaskTrust(), role_name="r")
    DataAccessRole(cdk.Stack(app, "B", env=ACCOUNT_B), "R", trust=EcsTaskTrust(), role_name="r")


def test_separate_apps_do_not_see_each_other():
    for _ in range(2):
        DataAccessRole(cdk.Stack(make_app(), "S"), "R", trust=EcsTaskTrust(), role_name="r")


def test_users_groups_and_instance_profiles_are_claimed_too():
    stack = cdk.Stack(make_app(), "Stack")
    DataAccessUser(stack, "One", grants=[], user_name="engine", group_name="engines")
    with pytest.raises(ValueError, match="IAM user name is already created by Stack/One"):
        DataAccessUser(stack, "Two", grants=[], user_name="engine")
    with pytest.raises(ValueError, match="IAM group name is already created by Stack/One"):
        DataAccessUser(stack, "Three", grants=[], group_name="engines")
    permissions = StarRocksPermissions(locations=[S3Location(bucket="lake-bucket")])
    StarRocksInstanceProfileAccess(
        stack, "SR1", permissions=permissions, instance_profile_name="starrocks"
    )
    with pytest.raises(ValueError, match="instance profile name is already created by Stack/SR1"):
        StarRocksInstanceProfileAccess(
            stack, "SR2", permissions=permissions, instance_profile_name="starrocks"
        )
