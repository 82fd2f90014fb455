"""IrsaTrust: one service account of one cluster, also when the issuer is a token."""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import aws_iam as iam

from lakehouse_iam import DataAccessRole, IrsaTrust
from tests.helpers import template_of, trust_statements

ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/5C0FFEE0123456789ABCDEF012345678"
PROVIDER_ARN = f"arn:aws:iam::111111111111:oidc-provider/{ISSUER}"


def trust_of(trust: IrsaTrust) -> list[dict]:
    return trust_statements(template_of(lambda s: DataAccessRole(s, "Role", trust=trust)))


def test_provider_arn_renders_exact_sub_and_aud_conditions():
    # GIVEN the cluster's OIDC provider ARN and one service account
    trust = IrsaTrust(oidc_provider=PROVIDER_ARN, namespace="lake", service_account="ducklake")
    # THEN only that service account, with the STS audience, may assume the role
    assert trust_of(trust) == [
        {
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    f"{ISSUER}:aud": "sts.amazonaws.com",
                    f"{ISSUER}:sub": "system:serviceaccount:lake:ducklake",
                }
            },
            "Effect": "Allow",
            "Principal": {"Federated": PROVIDER_ARN},
        }
    ]


def test_imported_provider_and_issuer_url_render_the_same_trust():
    # GIVEN the same provider imported as iam.IOpenIdConnectProvider, or as issuer URL
    def with_provider(stack: cdk.Stack) -> None:
        provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            stack, "Provider", PROVIDER_ARN
        )
        DataAccessRole(
            stack,
            "Role",
            trust=IrsaTrust(oidc_provider=provider, namespace="lake", service_account="ducklake"),
        )

    (imported,) = trust_statements(template_of(with_provider))
    (by_url,) = trust_of(
        IrsaTrust(oidc_provider=f"https://{ISSUER}", namespace="lake", service_account="ducklake")
    )
    # THEN the conditions are identical and the URL form names the stack account's provider
    assert imported["Condition"] == by_url["Condition"]
    assert imported["Principal"] == {"Federated": PROVIDER_ARN}
    assert by_url["Principal"] == {
        "Federated": {
            "Fn::Join": [
                "",
                [
                    "arn:",
                    {"Ref": "AWS::Partition"},
                    ":iam::",
                    {"Ref": "AWS::AccountId"},
                    f":oidc-provider/{ISSUER}",
                ],
            ]
        }
    }


def test_token_issuer_goes_through_cfn_json():
    # GIVEN a provider whose ARN (and so issuer) is only known at deploy time
    def build(stack: cdk.Stack) -> None:
        arn = cdk.Fn.import_value("ClusterOidcProviderArn")
        provider = iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(
            stack, "Provider", arn
        )
        DataAccessRole(
            stack,
            "Role",
            trust=IrsaTrust(oidc_provider=provider, namespace="lake", service_account="ducklake"),
        )

    template = template_of(build)
    # THEN the trust's StringEquals is the CfnJson value, rendered at deploy time
    ((json_id, json_resource),) = template.find_resources("Custom::AWSCDKCfnJson").items()
    roles = template.find_resources("AWS::IAM::Role")
    (role,) = [r for logical_id, r in roles.items() if logical_id.startswith("Role")]
    assert role["Properties"]["AssumeRolePolicyDocument"]["Statement"] == [
        {
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {"StringEquals": {"Fn::GetAtt": [json_id, "Value"]}},
            "Effect": "Allow",
            "Principal": {"Federated": {"Fn::ImportValue": "ClusterOidcProviderArn"}},
        }
    ]
    # AND the CfnJson value keys both conditions by the issuer cut from the provider ARN
    issuer = {
        "Fn::Select": [
            1,
            {"Fn::Split": [":oidc-provider/", {"Fn::ImportValue": "ClusterOidcProviderArn"}]},
        ]
    }
    assert json_resource["Properties"]["Value"] == {
        "Fn::Join": [
            "",
            [
                '{"',
                issuer,
                ':aud":"sts.amazonaws.com","',
                issuer,
                ':sub":"system:serviceaccount:lake:ducklake"}',
            ],
        ]
    }


def test_concrete_issuer_creates_no_custom_resource():
    template = template_of(
        lambda s: DataAccessRole(
            s,
            "Role",
            trust=IrsaTrust(oidc_provider=PROVIDER_ARN, namespace="lake", service_account="sa"),
        )
    )
    template.resource_count_is("Custom::AWSCDKCfnJson", 0)
    template.resource_count_is("AWS::Lambda::Function", 0)


@pytest.mark.parametrize(
    ("props", "bad"),
    [
        ({"namespace": "Lake"}, "namespace='Lake'"),
        ({"namespace": "lake_house"}, "namespace='lake_house'"),
        ({"namespace": "x" * 64}, "namespace='xxxx"),
        ({"namespace": "-lake"}, "namespace='-lake'"),
        ({"service_account": "DuckLake"}, "service_account='DuckLake'"),
        ({"service_account": "duck..lake"}, "service_account='duck..lake'"),
        ({"service_account": "a" * 254}, "service_account='aaaa"),
        ({"oidc_provider": "arn:aws:iam::111111111111:role/x"}, "oidc_provider="),
        ({"oidc_provider": "http://oidc.example.com"}, "oidc_provider="),
        ({"oidc_provider": f"arn:aws:iam::1111:oidc-provider/{ISSUER}"}, "oidc_provider="),
    ],
)
def test_bad_names_and_arns_raise_value_error(props, bad):
    base = {"oidc_provider": PROVIDER_ARN, "namespace": "lake", "service_account": "ducklake"}
    with pytest.raises(ValueError, match="IrsaTrust: invalid properties") as raised:
        IrsaTrust(**{**base, **props})
    assert bad in str(raised.value)


def test_dotted_service_account_is_accepted():
    trust = IrsaTrust(oidc_provider=PROVIDER_ARN, namespace="lake", service_account="duck.lake")
    assert trust.subject == "system:serviceaccount:lake:duck.lake"
