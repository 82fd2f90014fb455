"""PodIdentityTrust: pods.eks.amazonaws.com, session tags, account and cluster scoping."""

from __future__ import annotations

import pytest

from lakehouse_iam import DataAccessRole, PodIdentityTrust
from tests.helpers import template_of, trust_statements

ACCOUNT = {"Ref": "AWS::AccountId"}
CLUSTER_ARN = {
    "Fn::Join": [
        "",
        [
            "arn:",
            {"Ref": "AWS::Partition"},
            ":eks:",
            {"Ref": "AWS::Region"},
            ":",
            ACCOUNT,
            ":cluster/lake-cluster",
        ],
    ]
}


def render(trust: PodIdentityTrust):
    return template_of(lambda s: DataAccessRole(s, "Role", trust=trust))


def test_default_trust_is_scoped_to_account_cluster_namespace_and_service_account():
    trust = PodIdentityTrust(cluster_name="lake-cluster", namespace="lake", service_account="dl")
    assert trust_statements(render(trust)) == [
        {
            "Action": ["sts:AssumeRole", "sts:TagSession"],
            "Condition": {
                "StringEquals": {
                    "aws:SourceAccount": ACCOUNT,
                    "aws:RequestTag/eks-cluster-arn": CLUSTER_ARN,
                    "aws:RequestTag/kubernetes-namespace": "lake",
                    "aws:RequestTag/kubernetes-service-account": "dl",
                }
            },
            "Effect": "Allow",
            "Principal": {"Service": "pods.eks.amazonaws.com"},
        }
    ]


def test_without_cluster_the_account_guard_stays():
    (s,) = trust_statements(render(PodIdentityTrust()))
    assert s["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    assert s["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT}}


def test_session_tags_disabled_pins_the_cluster_by_association_source_arn():
    # GIVEN an association with disableSessionTags: no aws:RequestTag keys arrive
    trust = PodIdentityTrust(
        cluster_name="lake-cluster",
        namespace="lake",
        service_account="dl",
        account="111111111111",
        region="eu-west-1",
        session_tag_conditions=False,
    )
    (s,) = trust_statements(render(trust))
    # THEN the account and the cluster's association ARNs are required instead
    assert s["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "111111111111"},
        "ArnLike": {
            "aws:SourceArn": {
                "Fn::Join": [
                    "",
                    [
                        "arn:",
                        {"Ref": "AWS::Partition"},
                        ":eks:eu-west-1:111111111111:podidentityassociation/lake-cluster/*",
                    ],
                ]
            }
        },
    }


def test_opt_out_is_explicit():
    (s,) = trust_statements(render(PodIdentityTrust(confused_deputy_protection=False)))
    assert "Condition" not in s
    assert s["Principal"] == {"Service": "pods.eks.amazonaws.com"}


def test_create_association_binds_the_role_to_the_service_account():
    template = render(
        PodIdentityTrust(
            cluster_name="lake-cluster",
            namespace="lake",
            service_account="dl",
            create_association=True,
        )
    )
    (role_id,) = template.find_resources("AWS::IAM::Role")
    (association,) = template.find_resources("AWS::EKS::PodIdentityAssociation").values()
    assert association["Properties"] == {
        "ClusterName": "lake-cluster",
        "Namespace": "lake",
        "RoleArn": {"Fn::GetAtt": [role_id, "Arn"]},
        "ServiceAccount": "dl",
    }


def test_no_association_unless_asked():
    template = render(PodIdentityTrust(cluster_name="c", namespace="lake", service_account="dl"))
    template.resource_count_is("AWS::EKS::PodIdentityAssociation", 0)


@pytest.mark.parametrize(
    ("props", "bad"),
    [
        ({"cluster_name": "-cluster"}, "cluster_name='-cluster'"),
        ({"cluster_name": "c" * 101}, "cluster_name='ccc"),
        ({"namespace": "Lake"}, "namespace='Lake'"),
        ({"service_account": "dl_sa"}, "service_account='dl_sa'"),
        ({"account": "12345"}, "account='12345'"),
        ({"create_association": True, "cluster_name": None}, "cluster_name=None"),
        ({"create_association": True, "service_account": None}, "service_account=None"),
    ],
)
def test_bad_props_raise_value_error(props, bad):
    base = {"cluster_name": "lake-cluster", "namespace": "lake", "service_account": "dl"}
    with pytest.raises(ValueError, match="PodIdentityTrust: invalid properties") as raised:
        PodIdentityTrust(**{**base, **props})
    assert bad in str(raised.value)
