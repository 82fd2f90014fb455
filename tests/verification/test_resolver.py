"""The intrinsic resolver turns template values into deterministic plain JSON."""

from __future__ import annotations

import pytest

from verification.resolver import Resolver, UnresolvableError

TEMPLATE = {
    "Parameters": {"Env": {"Type": "String", "Default": "prod"}},
    "Conditions": {"IsProd": {"Fn::Equals": [{"Ref": "Env"}, "prod"]}},
    "Resources": {
        "DataBucketE6B0FAA8": {
            "Type": "AWS::S3::Bucket",
            "Metadata": {"aws:cdk:path": "Stack/Data/Bucket/Resource"},
        },
        "NamedBucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "my-lake"}},
        "Key": {"Type": "AWS::KMS::Key"},
        "RoleABC": {"Type": "AWS::IAM::Role", "Properties": {"RoleName": "reader"}},
        "Issuer": {
            "Type": "Custom::AWSCDKCfnJson",
            "Properties": {
                "Value": {
                    "Fn::Join": [
                        "",
                        ['{"', {"Fn::Select": [1, ["x", "oidc.example/id/1"]]}, ':sub":"sa"}'],
                    ]
                }
            },
        },
    },
}


@pytest.fixture
def r() -> Resolver:
    return Resolver(TEMPLATE, stack_name="Stack")


def test_pseudo_parameters_and_join(r):
    value = {
        "Fn::Join": [
            "",
            ["arn:", {"Ref": "AWS::Partition"}, ":iam::", {"Ref": "AWS::AccountId"}, ":root"],
        ]
    }
    assert r.resolve(value) == "arn:aws:iam::111111111111:root"
    assert r.resolve({"Ref": "AWS::Region"}) == "us-east-1"


def test_bucket_arn_is_deterministic_and_uses_explicit_names(r):
    # GIVEN a bucket without a name and one with BucketName
    arn = r.resolve({"Fn::GetAtt": ["DataBucketE6B0FAA8", "Arn"]})
    # THEN the generated name is a valid, lower-case bucket name derived from the IDs
    assert arn == "arn:aws:s3:::stack-databuckete6b0faa8"
    assert r.resolve({"Fn::GetAtt": ["DataBucketE6B0FAA8", "Arn"]}) == arn
    assert r.resolve({"Ref": "NamedBucket"}) == "my-lake"
    assert r.resolve({"Fn::GetAtt": ["NamedBucket", "Arn"]}) == "arn:aws:s3:::my-lake"


def test_role_and_key_arns(r):
    assert r.resolve({"Fn::GetAtt": ["RoleABC", "Arn"]}) == "arn:aws:iam::111111111111:role/reader"
    key_arn = r.resolve({"Fn::GetAtt": ["Key", "Arn"]})
    assert key_arn.startswith("arn:aws:kms:us-east-1:111111111111:key/")
    assert key_arn.endswith(r.resolve({"Ref": "Key"}))


def test_sub_with_construct_paths_variables_and_literals(r):
    assert r.sub("${Data/Bucket.Arn}/raw/*") == "arn:aws:s3:::stack-databuckete6b0faa8/raw/*"
    assert r.sub("${Data/Bucket}") == "stack-databuckete6b0faa8"
    assert r.sub("${x}-${!Literal}", {"x": "v"}) == "v-${Literal}"
    assert r.resolve({"Fn::Sub": ["s3.${AWS::Region}.${Suffix}", {"Suffix": "amazonaws.com"}]}) == (
        "s3.us-east-1.amazonaws.com"
    )


def test_select_split_if_and_no_value(r):
    assert r.resolve({"Fn::Select": [1, {"Fn::Split": ["/", "a/b/c"]}]}) == "b"
    assert r.resolve({"Fn::If": ["IsProd", "yes", "no"]}) == "yes"
    assert r.resolve(["a", {"Ref": "AWS::NoValue"}]) == ["a"]
    assert r.resolve({"k": {"Ref": "AWS::NoValue"}, "j": 1}) == {"j": 1}


def test_cfn_json_value_is_parsed_json(r):
    # CDK renders IRSA conditions whose keys contain tokens through CfnJson.
    assert r.resolve({"Fn::GetAtt": ["Issuer", "Value"]}) == {"oidc.example/id/1:sub": "sa"}


def test_unknown_references_fail_loudly(r):
    with pytest.raises(UnresolvableError, match="Nope"):
        r.resolve({"Ref": "Nope"})
    with pytest.raises(UnresolvableError, match="Fn::Cidr"):
        r.resolve({"Fn::Cidr": ["10.0.0.0/16", 2, 8]})
    with pytest.raises(UnresolvableError, match="Missing/Path"):
        r.sub("${Missing/Path.Arn}")
