"""OrganizationStackSet and OperationPreferences: what they render and what they refuse."""

from __future__ import annotations

import json

import aws_cdk as cdk
import pytest
from aws_cdk import assertions

from lakehouse_iam.nag import add_compliance_checks
from lakehouse_iam.rollout import OperationPreferences, OrganizationStackSet, StackInstances
from lakehouse_iam.rollout.example import EXAMPLE_BUCKET_NAMES, RolloutExampleStack
from verification.template_checks import read_templates

TEMPLATE = read_templates()["risingwave-cross-account"]
VALUES = {
    "BucketName": "lake-data",
    "WorkloadIdentityRoleArn": "arn:aws:iam::222222222222:role/rw",
}


def test_the_example_renders_one_group_per_account_and_passes_the_four_nag_packs():
    # GIVEN the example app with cdk-nag's four packs WHEN synthesized THEN no finding
    app = cdk.App()
    stack = RolloutExampleStack(app, "LakehouseIam-Rollout")
    add_compliance_checks(app)
    app.synth()  # raises on any unacknowledged finding
    (props,) = [
        r["Properties"]
        for r in assertions.Template.from_stack(stack).to_json()["Resources"].values()
    ]
    # AND it is service-managed with auto-deployment, the template travels as a body
    assert props["PermissionModel"] == "SERVICE_MANAGED"
    assert props["AutoDeployment"] == {"Enabled": True, "RetainStacksOnAccountRemoval": False}
    assert props["TemplateBody"] == stack.stack_set.template_body
    assert json.loads(props["TemplateBody"])["Parameters"].keys() == TEMPLATE["Parameters"].keys()
    # AND each account gets its own bucket, narrowed to the account within the OU
    groups = {g["DeploymentTargets"]["Accounts"][0]: g for g in props["StackInstancesGroup"]}
    assert {a: g["ParameterOverrides"] for a, g in groups.items()} == {
        a: [{"ParameterKey": "BucketName", "ParameterValue": f"lakehouse-{a}"}]
        for a in EXAMPLE_BUCKET_NAMES
    }
    # AND the values every account shares are the StackSet's parameters
    assert {p["ParameterKey"] for p in props["Parameters"]} == {
        "Prefix",
        "WorkloadIdentityRoleArn",
    }
    assert {g["DeploymentTargets"]["AccountFilterType"] for g in groups.values()} == {
        "INTERSECTION"
    }
    assert props["OperationPreferences"] == {
        "ConcurrencyMode": "STRICT_FAILURE_TOLERANCE",
        "FailureToleranceCount": 0,
        "MaxConcurrentPercentage": 25,
        "RegionConcurrencyType": "SEQUENTIAL",
    }


def _stack_set(**kwargs):
    stack = cdk.Stack(cdk.App(), "S")
    defaults = {
        "stack_set_name": "lakehouse-iam-rw",
        "template": TEMPLATE,
        "parameters": VALUES,
        "instances": [
            StackInstances(organizational_units=["ou-ab12-cdef3456"], regions=["us-east-1"])
        ],
    }
    return OrganizationStackSet(stack, "Rollout", **{**defaults, **kwargs})


def test_parameter_values_are_checked_against_the_template_before_the_rollout():
    # GIVEN one account's bad bucket name, an unknown parameter, and another account's
    # group that gives no bucket name at all (the StackSet's parameters do not either)
    group = {"organizational_units": ["ou-ab12-cdef3456"], "regions": ["us-east-1"]}
    with pytest.raises(ValueError) as error:
        _stack_set(
            parameters={
                "WorkloadIdentityRoleArn": VALUES["WorkloadIdentityRoleArn"],
                "Colour": "x",
            },
            instances=[
                StackInstances(
                    **group,
                    accounts=["222222222222"],
                    parameter_overrides={"BucketName": "Lake_Data"},
                ),
                StackInstances(**group, accounts=["333333333333"]),
            ],
        )
    # THEN one error names each: the property, the value and what is accepted
    message = str(error.value)
    assert "OrganizationStackSet at S/Rollout: invalid properties:" in message
    assert "parameters[Colour]='x' is invalid: expected a parameter of the template" in message
    assert (
        "instances[0].parameter_overrides[BucketName]='Lake_Data' is invalid: expected an S3 "
        "bucket name" in message
    )
    assert "instances[1]='BucketName' is invalid: expected a value for the required parameter" in (
        message
    )
    # AND the group that does give one is not told it is missing
    assert "instances[0]='BucketName'" not in message


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {"max_concurrent_count": 0},
            "max_concurrent_count=0 is invalid: expected an integer from 1",
        ),
        ({"max_concurrent_percentage": 101}, "max_concurrent_percentage=101 is invalid"),
        ({"failure_tolerance_percentage": -1}, "failure_tolerance_percentage=-1 is invalid"),
        (
            {"max_concurrent_count": 2, "max_concurrent_percentage": 10},
            "expected at most one of max_concurrent_count, max_concurrent_percentage",
        ),
        (
            {"region_concurrency": "parallel"},
            "region_concurrency='parallel' is invalid: expected one of 'SEQUENTIAL', 'PARALLEL'",
        ),
        (
            {"max_concurrent_count": 5, "failure_tolerance_count": 1},
            "max_concurrent_count=5 is invalid: expected at most failure_tolerance_count + 1 = 2",
        ),
        ({"region_order": ["mars-1"]}, "region_order[0]='mars-1' is invalid"),
    ],
)
def test_operation_preferences_refuse_what_stacksets_refuse(kwargs, expected):
    with pytest.raises(ValueError, match="OperationPreferences: invalid properties") as error:
        OperationPreferences(**kwargs)
    assert expected in str(error.value)


def test_soft_failure_tolerance_allows_more_concurrency_than_tolerance():
    OperationPreferences(
        max_concurrent_count=10,
        failure_tolerance_count=1,
        concurrency_mode="SOFT_FAILURE_TOLERANCE",
    )


def test_instances_need_an_ou_and_valid_ids():
    with pytest.raises(ValueError) as error:
        StackInstances(organizational_units=[], regions=["us-east-1"], accounts=["12"])
    assert "organizational_units=[] is invalid: expected at least one OU or root ID" in str(
        error.value
    )
    assert "accounts[0]='12' is invalid: expected a 12-digit AWS account ID" in str(error.value)
    with pytest.raises(ValueError, match="organizational_units\\[0\\]='ou-x' is invalid"):
        StackInstances(organizational_units=["ou-x"], regions=["us-east-1"])


# -- IAM names are global per account -------------------------------------------------
LEVEL_3 = read_templates()["boilstream-level-3-credential-vending"]
OU = ["ou-ab12-cdef3456"]


def _level_3(*instances: StackInstances, template=LEVEL_3) -> OrganizationStackSet:
    return _stack_set(
        template=template, parameters={"BucketName": "lake-data"}, instances=list(instances)
    )


def test_fixed_iam_names_in_two_regions_of_one_group_are_refused():
    # GIVEN BoilStream level 3 (RoleName ducklake-<bucket>-access, ManagedPolicyName ...)
    # WHEN it is rolled out to two regions per account
    with pytest.raises(ValueError) as error:
        _level_3(StackInstances(organizational_units=OU, regions=["eu-west-1", "us-east-1"]))
    # THEN it is refused before the rollout, naming the group, the names and the fix
    message = str(error.value)
    assert "instances[0].regions=['eu-west-1', 'us-east-1'] is invalid" in message
    assert "BoilStreamAccessRole" in message and ".RoleName" in message
    assert ".ManagedPolicyName" in message
    assert "EntityAlreadyExists" in message


def test_fixed_iam_names_in_two_groups_of_different_regions_that_may_share_an_account():
    # GIVEN two groups on the same OU, one region each, same parameter values
    with pytest.raises(ValueError, match=r"instances\[0\].regions \+ instances\[1\].regions"):
        _level_3(
            StackInstances(organizational_units=OU, regions=["eu-west-1"]),
            StackInstances(organizational_units=OU, regions=["us-east-1"]),
        )


def test_fixed_iam_names_pass_in_one_region_or_in_disjoint_accounts_or_names():
    # GIVEN one region per account: every account gets each name once
    _level_3(StackInstances(organizational_units=OU, regions=["eu-west-1"]))
    # AND two regions, but for different accounts
    _level_3(
        StackInstances(organizational_units=OU, accounts=["222222222222"], regions=["eu-west-1"]),
        StackInstances(organizational_units=OU, accounts=["333333333333"], regions=["us-east-1"]),
    )
    # AND two regions of one account whose names differ (each region its own bucket)
    _level_3(
        StackInstances(
            organizational_units=OU,
            regions=["eu-west-1"],
            parameter_overrides={"BucketName": "lake-eu"},
        ),
        StackInstances(
            organizational_units=OU,
            regions=["us-east-1"],
            parameter_overrides={"BucketName": "lake-us"},
        ),
    )


def test_a_template_whose_iam_names_carry_the_region_passes_in_two_regions():
    # GIVEN level 3 with each fixed name followed by its region (Fn::Sub ${AWS::Region})
    template = json.loads(json.dumps(LEVEL_3))
    for resource in template["Resources"].values():
        properties = resource.get("Properties", {})
        for prop in ("RoleName", "ManagedPolicyName"):
            if prop in properties:
                properties[prop] = {"Fn::Join": ["-", [properties[prop], {"Ref": "AWS::Region"}]]}
    # THEN two regions per account are fine
    _level_3(
        StackInstances(organizational_units=OU, regions=["eu-west-1", "us-east-1"]),
        template=template,
    )
    # AND the RisingWave template (no fixed IAM name) too
    _stack_set(
        instances=[StackInstances(organizational_units=OU, regions=["eu-west-1", "us-east-1"])]
    )
