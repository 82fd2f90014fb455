"""SecretsGrant: the real secret ARN pattern, '*' only for actions without resource level."""

from __future__ import annotations

import aws_cdk as cdk
import pytest

from lakehouse_iam import DataAccessRole, EcsTaskTrust, SecretsGrant
from lakehouse_iam.nag import acknowledged_findings
from tests.helpers import all_statements, template_of

SECRET_PATTERN = {
    "Fn::Join": [
        "",
        [
            "arn:",
            {"Ref": "AWS::Partition"},
            ":secretsmanager:",
            {"Ref": "AWS::Region"},
            ":",
            {"Ref": "AWS::AccountId"},
            ":secret:lokryn/ducklake/config-??????",
        ],
    ]
}
KEY = "arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab"


def render(grant: SecretsGrant):
    holder = {}

    def build(stack: cdk.Stack) -> None:
        holder["role"] = DataAccessRole(stack, "Role", trust=EcsTaskTrust(), grants=[grant])

    return template_of(build), holder["role"]


def test_name_becomes_the_six_character_suffix_pattern():
    template, role = render(SecretsGrant(secret="lokryn/ducklake/config"))
    assert all_statements(template) == [
        {
            "Action": ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"],
            "Effect": "Allow",
            "Resource": SECRET_PATTERN,
            "Sid": "SecretSecret",
        }
    ]
    assert acknowledged_findings(role.policies["Secret"].node.default_child) == {}


def test_actions_without_resource_level_go_alone_on_star():
    grant = SecretsGrant(
        secret="lokryn/ducklake/config",
        actions=[
            "secretsmanager:ListSecrets",
            "secretsmanager:GetSecretValue",
            "secretsmanager:BatchGetSecretValue",
        ],
        name="Config",
    )
    template, role = render(grant)
    assert all_statements(template) == [
        {
            "Action": "secretsmanager:GetSecretValue",
            "Effect": "Allow",
            "Resource": SECRET_PATTERN,
            "Sid": "ConfigSecret",
        },
        {
            "Action": ["secretsmanager:BatchGetSecretValue", "secretsmanager:ListSecrets"],
            "Effect": "Allow",
            "Resource": "*",
            "Sid": "ConfigNoResourceLevel",
        },
    ]
    (finding,) = acknowledged_findings(role.policies["Config"].node.default_child)
    assert finding == "AwsSolutions-IAM5[Resource::*]"


def test_customer_managed_key_is_usable_only_via_secrets_manager_for_this_secret():
    template, _ = render(SecretsGrant(secret="lokryn/ducklake/config", kms_key=KEY))
    kms = next(s for s in all_statements(template) if s["Sid"] == "SecretKmsViaSecretsManager")
    assert kms == {
        "Action": "kms:Decrypt",
        "Condition": {
            "StringEquals": {
                "kms:ViaService": {
                    "Fn::Join": [
                        "",
                        ["secretsmanager.", {"Ref": "AWS::Region"}, ".amazonaws.com"],
                    ]
                }
            },
            "StringLike": {"kms:EncryptionContext:SecretARN": SECRET_PATTERN},
        },
        "Effect": "Allow",
        "Resource": KEY,
        "Sid": "SecretKmsViaSecretsManager",
    }


def test_full_arn_is_used_as_is():
    arn = "arn:aws:secretsmanager:eu-west-1:111111111111:secret:lokryn/ducklake/config-AbCdEf"
    template, _ = render(SecretsGrant(secret=arn))
    assert all_statements(template)[0]["Resource"] == arn


@pytest.mark.parametrize(
    ("props", "bad"),
    [
        # the vendor page's ARN: 'secret:' twice
        (
            {"secret": "arn:aws:secretsmanager:*:*:secret:secret:lokryn/ducklake/config*"},
            "secret='arn:aws:secretsmanager:*:*:secret:secret:",
        ),
        ({"secret": "lokryn/ducklake/config*"}, "secret='lokryn/ducklake/config*'"),
        ({"secret": ""}, "secret=''"),
        ({"actions": ["secretsmanager:Get*"]}, "actions='secretsmanager:Get*'"),
        ({"actions": ["secretsmanager:PutSecretValue"]}, "actions='secretsmanager:PutSecretValue'"),
        ({"kms_key": "arn:aws:kms:us-east-1:111111111111:alias/x"}, "kms_key="),
    ],
)
def test_bad_props_raise_value_error(props, bad):
    with pytest.raises(ValueError, match="SecretsGrant: invalid properties") as raised:
        SecretsGrant(**{"secret": "lokryn/ducklake/config", **props})
    assert bad in str(raised.value)
