"""``require_<name>()``: what a construct creates in some modes only, typed as present.

The optional properties (``BoilStreamAccess.access_role`` ...) stay as they are; each has a
``require_<name>()`` beside it that returns the same object, or raises a ``ValueError``
naming the construct, the mode the value needs and the mode the construct has.
"""

from __future__ import annotations

import re

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import (
    BoilStreamAccess,
    BoilStreamLevel,
    DuckLakeAccess,
    EcsTaskTrust,
    IrsaTrust,
    QualyticsAuthentication,
    QualyticsDatastore,
    QualyticsDatastoreAccess,
)
from tests.helpers import make_app

PROVIDER_ARN = (
    "arn:aws:iam::111111111111:oidc-provider/"
    "oidc.eks.us-east-1.amazonaws.com/id/0123456789ABCDEF0123456789ABCDEF"
)


@pytest.fixture
def stack() -> cdk.Stack:
    return cdk.Stack(make_app(), "S")


def boilstream(stack: cdk.Stack, level: BoilStreamLevel, **kwargs: object) -> BoilStreamAccess:
    props: dict[str, object] = {"principal": EcsTaskTrust(), "bucket": "lake-bucket"}
    props.update(kwargs)
    return BoilStreamAccess(stack, "BS", level=level, **props)  # type: ignore[arg-type]


def test_level_3_require_access_role_is_the_access_role(stack):
    # GIVEN a level-3 construct WHEN its access role is required THEN it is the same object
    access = boilstream(stack, BoilStreamLevel.CREDENTIAL_VENDING, cluster_mode=True)
    assert access.require_access_role() is access.access_role
    assert access.require_access_role_boundary() is access.access_role_boundary
    assert access.require_role() is access.role
    assert access.require_data_access_role() is access.data_access_role
    assert access.require_cluster_location() is access.cluster_location


def test_below_level_3_require_access_role_names_both_levels(stack):
    # GIVEN a level-2 construct, whose access_role is None
    access = boilstream(stack, BoilStreamLevel.DUCKLAKE)
    assert access.access_role is None
    # WHEN its access role is required THEN the error names the construct and both levels
    with pytest.raises(ValueError) as raised:
        access.require_access_role()
    assert str(raised.value) == (
        "BoilStreamAccess at S/BS has no access_role: it exists only with "
        "level=BoilStreamLevel.CREDENTIAL_VENDING, and this one has "
        "level=BoilStreamLevel.DUCKLAKE. Use .access_role, which is None here, to handle both."
    )
    with pytest.raises(ValueError, match=r"no access_role_boundary: .* level=BoilStreamLevel"):
        access.require_access_role_boundary()
    with pytest.raises(ValueError, match=re.escape("only with cluster_mode=True")):
        access.require_cluster_location()


def test_a_user_principal_has_no_role_to_require(stack):
    # GIVEN BoilStream attached to an existing user
    user = iam.User(stack, "User")
    access = boilstream(stack, BoilStreamLevel.INGEST, principal=user)
    assert access.role is None and access.data_access_role is None
    # THEN requiring its role says what principal it has
    with pytest.raises(ValueError, match=re.escape("and this one has principal=an existing user")):
        access.require_role()
    with pytest.raises(ValueError, match=re.escape("only with principal=a Trust, and")):
        access.require_data_access_role()


def test_ducklake_execution_role_on_ecs_and_on_eks(stack):
    # GIVEN DuckLake on ECS and on EKS (IRSA)
    ecs = DuckLakeAccess(
        stack, "Ecs", trust=EcsTaskTrust(), bucket="lake-bucket", log_group="/ecs/ducklake"
    )
    eks = DuckLakeAccess(
        stack,
        "Eks",
        trust=IrsaTrust(oidc_provider=PROVIDER_ARN, namespace="lake", service_account="ducklake"),
        bucket="lake-bucket",
        log_group="/eks/ducklake",
    )
    # THEN ECS has one, and EKS says it needs EcsTaskTrust
    assert ecs.require_execution_role() is ecs.execution_role
    with pytest.raises(ValueError) as raised:
        eks.require_execution_role()
    assert str(raised.value).startswith(
        "DuckLakeAccess at S/Eks has no execution_role: it exists only with "
        "trust=EcsTaskTrust(...), and this one has run_mode='irsa'."
    )


def test_qualytics_each_mode_requires_its_own_identity(stack):
    # GIVEN one datastore per authentication mode
    role_mode = QualyticsDatastoreAccess(
        stack,
        "Role",
        bucket="lake-bucket",
        datastore=QualyticsDatastore.SOURCE,
        dataplane_role_arn="arn:aws:iam::222222222222:role/dataplane",
    )
    key_mode = QualyticsDatastoreAccess(
        stack,
        "Key",
        bucket="lake-bucket",
        datastore=QualyticsDatastore.ENRICHMENT,
        authentication=QualyticsAuthentication.ACCESS_KEY,
    )
    # THEN each returns its own identity and refuses the other mode's
    assert role_mode.require_role_arn() == role_mode.role_arn
    assert role_mode.require_data_access_role() is role_mode.data_access_role
    assert key_mode.require_data_access_user() is key_mode.data_access_user
    assert key_mode.require_secret() is key_mode.secret
    needs_key = "only with authentication=QualyticsAuthentication.ACCESS_KEY, and this one has "
    with pytest.raises(ValueError, match=re.escape(needs_key + "authentication=Qualytics")):
        role_mode.require_secret()
    with pytest.raises(
        ValueError, match=r"QualyticsDatastoreAccess at S/Key has no data_access_role"
    ):
        key_mode.require_role_arn()
    with pytest.raises(ValueError, match=r"IAM_ROLE, and this one has .*ACCESS_KEY"):
        key_mode.require_data_access_role()
    with pytest.raises(ValueError, match="no data_access_user"):
        role_mode.require_data_access_user()
