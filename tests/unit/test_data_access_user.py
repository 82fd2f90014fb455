"""DataAccessUser: permissions via a group, access key secret never in clear text."""

from __future__ import annotations

import json

import aws_cdk as cdk

from lakehouse_iam import DataAccessUser, S3Grant, S3Location
from tests.helpers import make_app

GRANT = S3Grant(location=S3Location(bucket="lake-bucket", prefix="p"), actions=S3Grant.READ)


def synth(**kwargs) -> dict:
    app = make_app()
    stack = cdk.Stack(app, "Test")
    DataAccessUser(stack, "Reader", grants=[GRANT], **kwargs)
    cdk.CfnOutput(stack, "Anything", value="x")
    return app.synth().get_stack_by_name("Test").template


def test_user_has_no_policies_and_the_group_carries_them():
    template = synth()
    resources = template["Resources"]
    (user,) = [r for r in resources.values() if r["Type"] == "AWS::IAM::User"]
    assert "Policies" not in user["Properties"] and "ManagedPolicyArns" not in user["Properties"]
    (group_id,) = [k for k, r in resources.items() if r["Type"] == "AWS::IAM::Group"]
    assert resources[group_id]["Properties"]["ManagedPolicyArns"] == [
        {"Ref": next(k for k, r in resources.items() if r["Type"] == "AWS::IAM::ManagedPolicy")}
    ]
    assert user["Properties"]["Groups"] == [{"Ref": group_id}]


def test_secret_access_key_is_a_reference_never_a_value_or_output():
    template = synth()
    (secret,) = [
        r for r in template["Resources"].values() if r["Type"] == "AWS::SecretsManager::Secret"
    ]
    parts = secret["Properties"]["SecretString"]["Fn::Join"][1]
    assert {"Fn::GetAtt": [parts[3]["Fn::GetAtt"][0], "SecretAccessKey"]} in parts
    assert "KmsKeyId" in secret["Properties"]
    outputs = json.dumps(template.get("Outputs", {}))
    assert "SecretAccessKey" not in outputs


def test_without_access_key_there_is_no_secret():
    template = synth(create_access_key=False)
    types = {r["Type"] for r in template["Resources"].values()}
    assert "AWS::IAM::AccessKey" not in types and "AWS::SecretsManager::Secret" not in types
