"""Every fixture case gets the right cause, prop and suggestion, from each input shape."""

from __future__ import annotations

from pathlib import Path

import pytest

from lakehouse_iam.audit import AuditResult, Denial, audit

from .conftest import LAKE_EXPORT, LOOKUP_EVENTS, STACK_RESOURCES, TRAIL

RW_ROLE = "LakehouseIam-RisingWave/RisingWave/DataAccess/Role"
RW_BUCKET = "lakehouseiam-risingwave-databucket-4d5dbb110c8b"
DL_ROLE = "LakehouseIam-DuckLakeEcs/DuckLake/TaskRole/Role"
SR_ROLE = "LakehouseIam-StarRocks/AssumedRole/DataRole/Role"
BS_ACCESS = "LakehouseIam-BoilStream/CredentialVending/AccessRole/Role"
OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/0f6c2f3a-7d1e-4c55-8a9b-3e2d1c0b9a87"


def denials(result: AuditResult, principal: str) -> list[Denial]:
    (found,) = [p for p in result.principals if f"{p.stack}/{p.path}" == principal]
    return list(found.denied)


def only(result: AuditResult, principal: str, action: str) -> Denial:
    (found,) = [d for d in denials(result, principal) if d.action == action]
    return found


@pytest.fixture(scope="module")
def lake(cdk_out: Path) -> AuditResult:
    return audit(cdk_out, events=[LAKE_EXPORT], stack_resources=STACK_RESOURCES)


@pytest.fixture(scope="module")
def lookup(cdk_out: Path) -> AuditResult:
    return audit(cdk_out, events=[LOOKUP_EVENTS], stack_resources=STACK_RESOURCES)


def test_missing_prefix_names_the_prefix_prop_and_the_folder_read(lake):
    # GIVEN RisingWave (prefix "risingwave") denied a read under archive/2026/ (Lake rows)
    denial = only(lake, RW_ROLE, "s3:GetObject")
    # THEN the cause is a missing grant of the prefix prop, with the folder as the value
    assert denial.cause == "missing-grant"
    assert denial.prop == "prefix"
    assert denial.suggestion == 'prefix="archive/2026"'
    assert denial.resource == f"arn:aws:s3:::{RW_BUCKET}/archive/2026/part-0.parquet"
    assert [e.record for e in denial.evidence] == ["need"]


def test_an_omitted_action_cites_its_omission_record(lake):
    # GIVEN RisingWave denied a GetObject with versionId (s3:GetObjectVersion)
    denial = only(lake, RW_ROLE, "s3:GetObjectVersion")
    # THEN it is not granted by design, citing the omission and its docs link
    assert denial.cause == "not-granted-by-design"
    assert denial.prop is None
    (evidence,) = denial.evidence
    assert evidence.record == "omission"
    assert "never sends a versionId" in evidence.why
    assert "https://docs.aws.amazon.com/AmazonS3/latest/userguide/DeletingObjectVersions.html" in [
        s.url for s in evidence.sources
    ]


def test_a_permissions_boundary_denial_is_an_explicit_deny(lake):
    (denial,) = denials(lake, BS_ACCESS)
    assert (denial.action, denial.cause, denial.prop) == ("s3:PutObject", "explicit-deny", None)
    assert "permissions boundary" in denial.evidence[0].why


def test_a_bucket_root_listing_is_outside_the_library(lake):
    denial = only(lake, RW_ROLE, "s3:ListBucket")
    assert (denial.cause, denial.prop) == ("outside-library", None)
    assert "bucket root" in str(denial.suggestion)


def test_records_of_other_principals_are_counted_never_attributed(lake, lookup):
    # lake: the IAM user "analyst"; lookup: the role "data-science-notebook"
    assert lake.unmatched_events == 1
    assert lookup.unmatched_events == 1
    names = {p.name for p in [*lake.principals, *lookup.principals]}
    assert "analyst" not in names and "data-science-notebook" not in names


def test_missing_glue_database_names_the_glue_prop(lookup):
    # GIVEN StarRocks denied GetDatabase on "sales" (lookup-events output)
    denial = only(lookup, SR_ROLE, "glue:GetDatabase")
    assert denial.cause == "missing-grant"
    assert denial.prop == "permissions.glue"
    assert denial.suggestion == 'add "sales" to GlueCatalogGrant(databases=[...])'
    assert denial.resource == "arn:aws:glue:us-east-1:111122223333:database/sales"


def test_wrong_kms_key_names_the_kms_key_prop(lookup):
    # GIVEN DuckLake denied kms:Decrypt (through S3) on a key it was not given
    denial = only(lookup, DL_ROLE, "kms:Decrypt")
    assert denial.cause == "missing-grant"
    assert denial.prop == "kms_key"
    assert denial.suggestion == f'kms_key="{OTHER_KEY}"'


def test_an_scp_denial_is_an_explicit_deny_on_the_resource_the_message_names(lookup):
    denial = only(lookup, SR_ROLE, "glue:CreateTable")
    assert denial.cause == "explicit-deny"
    assert denial.resource == (
        "arn:aws:glue:us-east-1:111122223333:table/lakehouse_iam_starrocks/events"
    )
    assert "service control policy" in denial.evidence[0].why


def test_an_action_the_construct_never_grants_is_outside_the_library(lookup):
    denial = only(lookup, RW_ROLE, "glue:GetDatabases")
    assert (denial.cause, denial.prop, denial.suggestion) == ("outside-library", None, None)


def test_the_recorded_traces_are_allowed_except_the_misconfigured_root_listing(cdk_out):
    # GIVEN every replayed trace request as CloudTrail records in gzipped log files
    result = audit(cdk_out, events=[TRAIL], stack_resources=STACK_RESOURCES)
    # THEN the only denial is RisingWave's source without match_pattern (targets.yaml,
    # "denied"), which is not a missing grant
    found = [
        (f"{p.stack}/{p.path}", d.action, d.cause) for p in result.principals for d in p.denied
    ]
    assert found == [(RW_ROLE, "s3:ListBucket", "outside-library")]
    assert result.missing_grants == 0
    assert result.window.s3_data_events is True
    assert result.unmatched_events == 0


def test_without_stack_resources_generated_names_cannot_be_matched(cdk_out):
    # GIVEN no describe-stack-resources output WHEN auditing THEN only fixed names match
    # (the BoilStream access role's RoleName is built from the bucket's generated name)
    result = audit(cdk_out, events=[LOOKUP_EVENTS])
    assert result.unmatched_events == 5
    assert RW_ROLE in result.unnamed_principals
