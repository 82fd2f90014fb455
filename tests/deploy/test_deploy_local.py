"""Deploy one example stack per vendor to a local moto endpoint; IAM must match the template.

Fast path of ``make deploy-local``: boto3 ``CreateStack`` with the synthesized template
(the same templates the snapshot and cdk-nag tests use), read every IAM resource back,
compare per resource and property, delete the stack, check nothing but RETAIN is left.
moto does not evaluate IAM; allow/deny behaviour is proven elsewhere.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from deploy_local import MotoServer
from deploy_local.assembly import cannot_deploy, one_per_vendor
from deploy_local.deploy import delete_managed_policies_for_moto, deploy_api, destroy_api
from deploy_local.findings import Finding, Kind, failing
from deploy_local.moto_gaps import (
    GETATT_DIFFERENCES,
    IGNORED_PROPERTIES,
    NOT_DELETED,
    OUTPUTS_CRASH,
)
from deploy_local.policy_diff import diff_documents
from deploy_local.run import verify_deployed
from lakehouse_iam.stacks import EXAMPLES

pytestmark = pytest.mark.deploy

VENDORS = one_per_vendor(sorted(EXAMPLES))
KNOWN_GAPS = (
    *IGNORED_PROPERTIES.values(),
    *NOT_DELETED.values(),
    *GETATT_DIFFERENCES.values(),
    OUTPUTS_CRASH,
    "no CloudFormation support",  # the type is not implemented: nothing was created
    "moto created no",  # a reference to such a resource
)


@pytest.fixture(scope="module")
def ready(background_deploys) -> MotoServer:
    """The moto server once the background per-vendor deployments are done."""
    return background_deploys.idle_server()


def report(findings: list[Finding]) -> str:
    return "\n".join(str(f) for f in findings)


@pytest.mark.parametrize("vendor", sorted(VENDORS))
def test_deployed_iam_is_exactly_the_synthesized_iam(vendor, example_templates, background_deploys):
    # GIVEN one example stack of the vendor, synthesized with cdk.json's context
    name = background_deploys.chosen[vendor]
    if name is None:
        pytest.skip(f"no stack of {vendor} deploys to moto from its template alone")
    template = example_templates[name]
    # WHEN it is deployed to moto, read back through IAM, destroyed and checked for leftovers
    # (in the background, started right after synthesis: tests/deploy/background.py)
    findings = background_deploys.result(vendor)
    # THEN IAM returns exactly the template's trust, policies and attachments, and nothing
    # but RETAIN resources (and resources moto never deletes) is left
    assert failing(findings) == [], report(findings)
    # AND every limitation reported is a known moto gap, not an unexplained difference
    unexplained = [
        f for f in findings if f.kind is Kind.GAP and not any(g in f.message for g in KNOWN_GAPS)
    ]
    assert unexplained == [], report(unexplained)
    # AND the stack really had IAM to compare
    iam_types = {r["Type"] for r in template["Resources"].values()}
    assert iam_types & {"AWS::IAM::Role", "AWS::IAM::User"}, f"{name} declares no principal"


def first_role_and_policy(templates: dict[str, dict[str, Any]]) -> tuple[str, str, str]:
    for name in sorted(templates):
        resources = templates[name]["Resources"]
        roles = sorted(k for k, v in resources.items() if v["Type"] == "AWS::IAM::Role")
        policies = sorted(k for k, v in resources.items() if v["Type"] == "AWS::IAM::ManagedPolicy")
        if roles and policies and not cannot_deploy(templates[name], via_api=True):
            return name, roles[0], policies[0]
    pytest.skip("no deployable example stack with a role and a managed policy")


def test_a_changed_trust_and_policy_are_reported_per_resource_and_property(
    example_templates, ready
):
    # GIVEN an example stack deployed to moto (under its own name: moto state is shared)
    source, role_id, policy_id = first_role_and_policy(example_templates)
    template = copy.deepcopy(example_templates[source])
    name = f"{source}-Mutated"
    assert failing(deploy_api(ready, name, template)) == []
    cfn, iam = ready.client("cloudformation"), ready.client("iam")
    physical = {
        r["LogicalResourceId"]: r["PhysicalResourceId"]
        for r in cfn.list_stack_resources(StackName=name)["StackResourceSummaries"]
    }
    try:
        # WHEN someone widens the trust to any principal and adds an action to the policy
        role = iam.get_role(RoleName=physical[role_id])["Role"]
        trust = role["AssumeRolePolicyDocument"]
        original_principal = set(trust["Statement"][0]["Principal"]) - {"AWS"}
        trust["Statement"][0]["Principal"] = {"AWS": "*"}
        iam.update_assume_role_policy(RoleName=physical[role_id], PolicyDocument=json.dumps(trust))
        arn = physical[policy_id]
        version = iam.get_policy(PolicyArn=arn)["Policy"]["DefaultVersionId"]
        document = iam.get_policy_version(PolicyArn=arn, VersionId=version)["PolicyVersion"][
            "Document"
        ]
        first = document["Statement"][0]
        first["Action"] = [*as_list(first["Action"]), "iam:PassRole"]
        iam.create_policy_version(
            PolicyArn=arn, PolicyDocument=json.dumps(document), SetAsDefault=True
        )
        findings, _ = verify_deployed(ready, name, template)
    finally:
        delete_managed_policies_for_moto(ready, name, template, physical)
        assert destroy_api(ready, name) is None
    # THEN exactly these differences are reported, naming the resource and property path
    mismatches = {(f.resource, f.prop): f.message for f in failing(findings)}
    label = f"Statement[Sid={first['Sid']}]" if "Sid" in first else "Statement[0]"
    trust_principal = "AssumeRolePolicyDocument.Statement[0].Principal"
    expected_props = {
        (policy_id, f"PolicyDocument.{label}.Action"),
        *((role_id, f"{trust_principal}.{key}") for key in ("AWS", *original_principal)),
    }
    assert set(mismatches) == expected_props, report(findings)
    assert mismatches[(role_id, f"{trust_principal}.AWS")] == 'IAM has ["*"], template none'
    assert (
        mismatches[(policy_id, f"PolicyDocument.{label}.Action")]
        == 'IAM has ["iam:PassRole"] that the template lacks'
    )
    assert all(f.kind is Kind.MISMATCH for f in failing(findings)), report(findings)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def test_policy_comparison_follows_iam_meaning_not_json_spelling():
    # GIVEN the same policy spelled two ways IAM treats as equal
    template = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "A",
                "Effect": "Allow",
                "Action": ["s3:GetObject", "s3:ListBucket"],
                "Resource": "arn:aws:s3:::b",
                "Condition": {"Bool": {"aws:SecureTransport": True}},
            }
        ],
    }
    iam = {
        "Version": "2012-10-17",
        "Statement": {
            "Sid": "A",
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetObject"],
            "Resource": ["arn:aws:s3:::b"],
            "Condition": {"Bool": {"aws:SecureTransport": "true"}},
        },
    }
    # THEN no difference; and a changed condition value is named by its path
    assert diff_documents(template, iam) == []
    iam["Statement"]["Condition"]["Bool"]["aws:SecureTransport"] = "false"
    assert diff_documents(template, iam) == [
        (
            "Statement[Sid=A].Condition.Bool.aws:SecureTransport",
            'template has ["true"] that IAM lacks; IAM has ["false"] that the template lacks',
        )
    ]
