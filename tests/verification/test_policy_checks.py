"""Checks 1-3 over every example stack, and proof that each check can fail."""

from __future__ import annotations

import copy

import pytest

from lakehouse_iam.stacks import EXAMPLES
from verification.allowlist import Allowlist
from verification.checks import judge
from verification.escalation import scan_document, scan_principal
from verification.policies import PolicyRecord, principals_of
from verification.policy_lint import lint_document, lint_policy
from verification.probes import vendor_policy
from verification.template_lint import lint_template

RISINGWAVE = "LakehouseIam-RisingWave"


def _listing(findings) -> str:
    return "fix these or allowlist them with a reason (verification/allowlist.yaml):\n" + (
        "\n".join(str(f) for f in findings)
    )


def test_every_example_stack_is_checked(verified_templates):
    # GIVEN the registry WHEN the assembly is read THEN every example stack is in it,
    # so a new stack is checked without editing the verification code.
    assert set(EXAMPLES) <= set(verified_templates)


# -- check 1: parliament ----------------------------------------------------------------


def test_parliament_finds_nothing_unexpected(parliament_result):
    assert parliament_result.unexpected == [], _listing(parliament_result.unexpected)
    assert parliament_result.stale == [], "allowlist entries that match nothing: remove them"


def test_parliament_reports_an_unknown_action():
    policy = {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "arn:aws:s3:::b/*"}
        ],
    }
    assert {"issue": "UNKNOWN_ACTION", "detail": "Unknown action s3:GetObjekt"} in lint_document(
        policy
    )


def test_parliament_reports_the_risingwave_vendor_condition_mismatch():
    # GIVEN RisingWave's page: s3:GetBucketLocation in a statement conditioned on s3:prefix
    policy = vendor_policy("risingwave-getbucketlocation-under-s3-prefix")
    # THEN parliament reports the key as one the action never receives
    issues = {(f["issue"], f["detail"]) for f in lint_document(policy)}
    assert (
        "UNKNOWN_CONDITION_FOR_ACTION",
        "Unknown condition s3:prefix for action s3:GetBucketLocation",
    ) in issues


def test_parliament_lints_trust_policies_against_the_role():
    # GIVEN a trust policy with a malformed principal and a condition key sts:AssumeRole
    # never receives
    trust = PolicyRecord(
        stack="S",
        logical_id="Role",
        path="Role",
        kind="trust",
        document={
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Effect": "Allow",
                    "Action": "sts:AssumeRole",
                    "Principal": {"AWS": "risingwave"},
                    "Condition": {"StringEquals": {"s3:prefix": "x"}},
                }
            ],
        },
    )
    issues = {f["issue"] for f in lint_policy(trust, role_arn="arn:aws:iam::111111111111:role/r")}
    assert {"UNKNOWN_PRINCIPAL", "UNKNOWN_CONDITION_FOR_ACTION"} <= issues


# -- check 2: cloudsplaining ------------------------------------------------------------


def test_cloudsplaining_finds_nothing_unexpected(cloudsplaining_result):
    assert cloudsplaining_result.unexpected == [], _listing(cloudsplaining_result.unexpected)
    assert cloudsplaining_result.stale == [], "allowlist entries that match nothing: remove them"


def test_cloudsplaining_reports_boilstream_level3_escalation():
    findings = scan_document(vendor_policy("boilstream-level3-privilege-escalation"))
    assert {"category": "PrivilegeEscalation", "action": "PutRolePolicy: iam:putrolepolicy"} in (
        findings
    )


def _role_with_policies(*statements) -> dict:
    policies = {
        f"Policy{i}": {
            "Type": "AWS::IAM::ManagedPolicy",
            "Properties": {
                "PolicyDocument": {"Version": "2012-10-17", "Statement": [statement]},
                "Roles": [{"Ref": "Role"}],
            },
        }
        for i, statement in enumerate(statements)
    }
    role = {
        "Type": "AWS::IAM::Role",
        "Properties": {
            "AssumeRolePolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": "sts:AssumeRole",
                        "Principal": {"Service": "ec2.amazonaws.com"},
                    }
                ],
            }
        },
    }
    return {"Resources": {"Role": role, **policies}}


def test_cloudsplaining_sees_an_escalation_split_across_two_policies():
    # GIVEN iam:PassRole in one managed policy and ec2:RunInstances in another (an
    # instance launched with any role is an escalation path)
    template = _role_with_policies(
        {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"},
        {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"},
    )
    (principal,) = principals_of(template, stack_name="S")
    # THEN the principal's policies are scanned together and the path is found
    categories = {f["category"] for f in scan_principal(principal)}
    assert "PrivilegeEscalation" in categories


def test_privilege_escalation_cannot_be_allowlisted():
    allowlist = Allowlist.load()
    findings = [
        {"stack": "S", "principal": "Role", "category": "PrivilegeEscalation", "action": "x"}
    ]
    allowlist.entries.append(type(allowlist.entries[0])("cloudsplaining", {"stack": "*"}, "x" * 40))
    assert judge("cloudsplaining", findings, ["S"], allowlist).unexpected == findings


# -- check 3: cfn-lint ------------------------------------------------------------------


def test_cfn_lint_finds_nothing_unexpected(cfn_lint_result):
    assert cfn_lint_result.unexpected == [], _listing(cfn_lint_result.unexpected)
    assert cfn_lint_result.stale == [], "allowlist entries that match nothing: remove them"


def test_cfn_lint_reports_a_broken_template(verified_templates):
    # GIVEN the RisingWave template with a misspelt property and a dangling Ref
    template = copy.deepcopy(verified_templates[RISINGWAVE])
    template["Resources"]["Broken"] = {
        "Type": "AWS::S3::Bucket",
        "Properties": {"BucketNam": "x", "VersioningConfiguration": {"Status": "On"}},
    }
    role = next(r for r in template["Resources"].values() if r["Type"] == "AWS::IAM::Role")
    role["Properties"]["ManagedPolicyArns"].append({"Ref": "NoSuchPolicy"})
    # THEN cfn-lint reports all three
    rules = {f["rule"] for f in lint_template(template, stack_name=RISINGWAVE)}
    assert {"E3002", "E3030", "E1020"} <= rules


# -- the allowlist itself ---------------------------------------------------------------


def test_allowlist_entries_have_reasons_and_known_sections(tmp_path):
    assert all(len(e.reason) >= 40 for e in Allowlist.load().entries)
    bad = tmp_path / "allowlist.yaml"
    bad.write_text("parliament:\n  - issue: RESOURCE_STAR\n    reason: because\n")
    with pytest.raises(ValueError, match="reason of at least 40"):
        Allowlist.load(bad)


def test_an_unused_allowlist_entry_is_reported_as_stale_unless_general():
    # GIVEN a run over the RisingWave stack that produced no parliament finding
    allowlist = Allowlist.load()
    result = judge("parliament", [], [RISINGWAVE], allowlist)
    # THEN the stack-level KMS entry is stale; the general tool-gap entries are not
    assert [e.match["issue"] for e in result.stale] == ["RESOURCE_STAR"]
    assert any(e.general for e in allowlist.entries if e.section == "parliament")
