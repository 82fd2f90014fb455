"""Trust.bind returns what it created; DataAccessRole exposes it as trust_binding."""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_eks as eks
from aws_cdk import aws_iam as iam

from lakehouse_iam import (
    CrossAccountTrust,
    DataAccessRole,
    Ec2InstanceTrust,
    EcsTaskTrust,
    PodIdentityTrust,
    RoleTrust,
)
from tests.helpers import make_app


def role_with(trust):
    stack = cdk.Stack(make_app(), "Test")
    return DataAccessRole(stack, "Role", trust=trust)


def test_ec2_instance_trust_returns_the_instance_profile_of_the_role():
    role = role_with(Ec2InstanceTrust(instance_profile_name="starrocks"))
    profile = role.trust_binding
    # THEN the binding is the instance profile, created next to the role
    assert isinstance(profile, iam.InstanceProfile)
    assert profile.node.scope is role
    assert cdk.Stack.of(role).resolve(profile.instance_profile_name) == {
        "Ref": cdk.Stack.of(role).get_logical_id(profile.node.default_child)
    }


def test_pod_identity_trust_returns_the_association_only_when_it_creates_one():
    with_association = role_with(
        PodIdentityTrust(
            cluster_name="lake",
            namespace="ducklake",
            service_account="ducklake",
            create_association=True,
        )
    )
    assert isinstance(with_association.trust_binding, eks.CfnPodIdentityAssociation)
    assert with_association.trust_binding.cluster_name == "lake"
    assert role_with(PodIdentityTrust(cluster_name="lake")).trust_binding is None


def test_role_trust_returns_the_assuming_roles_policy():
    stack = cdk.Stack(make_app(), "Test")
    cluster = iam.Role(stack, "Cluster", assumed_by=iam.ServicePrincipal("ec2.amazonaws.com"))
    data = DataAccessRole(stack, "Data", trust=RoleTrust(role=cluster))
    policy = data.trust_binding
    assert isinstance(policy, iam.ManagedPolicy)
    statement = stack.resolve(policy.document.to_json())["Statement"][0]
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Resource"] == stack.resolve(data.role_arn)
    # grant_assume=False: nothing is created
    other = DataAccessRole(stack, "Other", trust=RoleTrust(role=cluster, grant_assume=False))
    assert other.trust_binding is None


def test_trusts_that_create_nothing_return_none():
    assert role_with(EcsTaskTrust()).trust_binding is None
    trust = CrossAccountTrust(
        role_arn="arn:aws:iam::222222222222:role/vendor", external_id="x-4711"
    )
    assert role_with(trust).trust_binding is None
