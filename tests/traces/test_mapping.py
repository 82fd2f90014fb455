"""Each mapping rule: GIVEN a recorded request WHEN mapped THEN exactly these requests."""

from __future__ import annotations

from typing import Any

import pytest

from traces.fixture import Request
from traces.mapping import (
    DOCS,
    GLUE_RULES,
    AuthorizationRequest,
    Environment,
    UnmappedRequest,
    authorization_requests,
)

BUCKET = "${Data/Bucket.Arn}"
KEY = "${Data/Key.Arn}"
PLAIN = Environment(bucket_arn=BUCKET)
KMS_BUCKET_KEY = Environment(bucket_arn=BUCKET, kms_key_arn=KEY, bucket_key=True)
KMS_PER_OBJECT = Environment(bucket_arn=BUCKET, kms_key_arn=KEY, bucket_key=False)
VIA = "s3.${AWS::Region}.amazonaws.com"
GLUE = "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}"


def s3(method: str, path: str, query: tuple[tuple[str, str], ...] = (), **kw: Any) -> Request:
    return Request(
        step="t",
        service="s3",
        method=method,
        path=path,
        status=kw.pop("status", 200),
        query=query,
        **kw,
    )


def glue(operation: str, body: dict[str, Any], returned: tuple[str, ...] | None = None) -> Request:
    return Request(
        step="t",
        service="glue",
        method="POST",
        path="/",
        status=200,
        headers={"x-amz-target": f"AWSGlue.{operation}"},
        json=body,
        returned=returned,
    )


def mapped(request: Request, env: Environment = PLAIN) -> list[tuple[str, str, dict[str, str]]]:
    return [(a.action, a.resource, dict(a.context)) for a in authorization_requests(request, env)]


def kms(action: str, context_arn: str) -> tuple[str, str, dict[str, str]]:
    return (action, KEY, {"kms:ViaService": VIA, "kms:EncryptionContext:aws:s3:arn": context_arn})


# -- S3 bucket operations ------------------------------------------------------------------


def test_list_objects_v2_carries_prefix_delimiter_and_max_keys() -> None:
    request = s3(
        "GET",
        "/${bucket}",
        (("list-type", "2"), ("prefix", "p/"), ("delimiter", "/"), ("max-keys", "1")),
    )
    assert mapped(request) == [
        ("s3:ListBucket", BUCKET, {"s3:prefix": "p/", "s3:delimiter": "/", "s3:max-keys": "1"})
    ]


def test_list_objects_without_prefix_has_the_empty_prefix() -> None:
    assert mapped(s3("GET", "/${bucket}", (("list-type", "2"), ("delimiter", "/")))) == [
        ("s3:ListBucket", BUCKET, {"s3:prefix": "", "s3:delimiter": "/"})
    ]


def test_list_objects_v1_is_list_bucket() -> None:
    assert mapped(s3("GET", "/${bucket}/", (("prefix", "p/"),))) == [
        ("s3:ListBucket", BUCKET, {"s3:prefix": "p/"})
    ]


def test_list_object_versions() -> None:
    assert mapped(s3("GET", "/${bucket}", (("versions", ""), ("prefix", "p/")))) == [
        ("s3:ListBucketVersions", BUCKET, {"s3:prefix": "p/"})
    ]


def test_list_multipart_uploads() -> None:
    assert mapped(s3("GET", "/${bucket}", (("uploads", ""),))) == [
        ("s3:ListBucketMultipartUploads", BUCKET, {})
    ]


def test_get_bucket_location_has_no_prefix() -> None:
    assert mapped(s3("GET", "/${bucket}", (("location", ""),))) == [
        ("s3:GetBucketLocation", BUCKET, {})
    ]


def test_head_bucket_is_list_bucket_without_prefix() -> None:
    assert mapped(s3("HEAD", "/${bucket}")) == [("s3:ListBucket", BUCKET, {})]


def test_delete_objects_is_delete_object_per_key() -> None:
    request = s3("POST", "/${bucket}", (("delete", ""),), delete_keys=("p/a", "p/b"))
    assert mapped(request) == [
        ("s3:DeleteObject", f"{BUCKET}/p/a", {}),
        ("s3:DeleteObject", f"{BUCKET}/p/b", {}),
    ]


def test_another_bucket_gets_its_own_arn() -> None:
    assert mapped(s3("HEAD", "/other-bucket/p/a")) == [
        ("s3:GetObject", "arn:${AWS::Partition}:s3:::other-bucket/p/a", {})
    ]


# -- S3 object operations ------------------------------------------------------------------


def test_get_object_on_sse_kms_bucket_with_bucket_keys_decrypts_with_the_bucket_arn() -> None:
    assert mapped(s3("GET", "/${bucket}/p/a.parquet"), KMS_BUCKET_KEY) == [
        ("s3:GetObject", f"{BUCKET}/p/a.parquet", {}),
        kms("kms:Decrypt", BUCKET),
    ]


def test_get_object_without_bucket_keys_decrypts_with_the_object_arn() -> None:
    assert mapped(s3("GET", "/${bucket}/p/a%3D1.parquet", status=206), KMS_PER_OBJECT) == [
        ("s3:GetObject", f"{BUCKET}/p/a=1.parquet", {}),
        kms("kms:Decrypt", f"{BUCKET}/p/a=1.parquet"),
    ]


def test_get_object_version() -> None:
    assert mapped(s3("GET", "/${bucket}/p/a", (("versionId", "v1"),))) == [
        ("s3:GetObjectVersion", f"{BUCKET}/p/a", {})
    ]


def test_head_object_is_get_object_without_kms() -> None:
    assert mapped(s3("HEAD", "/${bucket}/p/a"), KMS_BUCKET_KEY) == [
        ("s3:GetObject", f"{BUCKET}/p/a", {})
    ]


def test_head_object_404_also_needs_list_bucket_inferred() -> None:
    # GIVEN a HEAD of a missing key WHEN mapped THEN ListBucket (404, not 403) is added
    requests = authorization_requests(s3("HEAD", "/${bucket}/p/new", status=404), KMS_BUCKET_KEY)
    assert [(a.action, a.resource, dict(a.context), a.inferred) for a in requests] == [
        ("s3:GetObject", f"{BUCKET}/p/new", {}, False),
        ("s3:ListBucket", BUCKET, {"s3:prefix": "p/new"}, True),
    ]


def test_put_object_generates_a_data_key() -> None:
    assert mapped(s3("PUT", "/${bucket}/p/a"), KMS_BUCKET_KEY) == [
        ("s3:PutObject", f"{BUCKET}/p/a", {}),
        kms("kms:GenerateDataKey", BUCKET),
    ]


def test_put_object_with_sse_s3_header_makes_no_kms_request() -> None:
    request = s3("PUT", "/${bucket}/p/a", headers={"x-amz-server-side-encryption": "AES256"})
    assert mapped(request, KMS_BUCKET_KEY) == [("s3:PutObject", f"{BUCKET}/p/a", {})]


def test_failed_put_makes_no_kms_request() -> None:
    assert mapped(s3("PUT", "/${bucket}/p/a", status=403), KMS_BUCKET_KEY) == [
        ("s3:PutObject", f"{BUCKET}/p/a", {})
    ]


def test_copy_object_reads_the_source_and_writes_the_target() -> None:
    request = s3("PUT", "/${bucket}/p/b", headers={"x-amz-copy-source": "/${bucket}/p/a"})
    assert mapped(request, KMS_PER_OBJECT) == [
        ("s3:GetObject", f"{BUCKET}/p/a", {}),
        kms("kms:Decrypt", f"{BUCKET}/p/a"),
        ("s3:PutObject", f"{BUCKET}/p/b", {}),
        kms("kms:GenerateDataKey", f"{BUCKET}/p/b"),
    ]


def test_create_multipart_upload_is_put_object_and_a_data_key() -> None:
    assert mapped(s3("POST", "/${bucket}/p/a", (("uploads", ""),)), KMS_BUCKET_KEY) == [
        ("s3:PutObject", f"{BUCKET}/p/a", {}),
        kms("kms:GenerateDataKey", BUCKET),
    ]


def test_upload_part_is_put_object_and_decrypt() -> None:
    query = (("partNumber", "1"), ("uploadId", "upload-0001"))
    assert mapped(s3("PUT", "/${bucket}/p/a", query), KMS_BUCKET_KEY) == [
        ("s3:PutObject", f"{BUCKET}/p/a", {}),
        kms("kms:Decrypt", BUCKET),
    ]


def test_upload_part_copy_also_reads_the_source() -> None:
    query = (("partNumber", "1"), ("uploadId", "upload-0001"))
    request = s3("PUT", "/${bucket}/p/b", query, headers={"x-amz-copy-source": "${bucket}/p/a"})
    assert mapped(request) == [
        ("s3:PutObject", f"{BUCKET}/p/b", {}),
        ("s3:GetObject", f"{BUCKET}/p/a", {}),
    ]


def test_complete_multipart_upload_is_put_object_and_decrypt() -> None:
    assert mapped(s3("POST", "/${bucket}/p/a", (("uploadId", "upload-0001"),)), KMS_BUCKET_KEY) == [
        ("s3:PutObject", f"{BUCKET}/p/a", {}),
        kms("kms:Decrypt", BUCKET),
    ]


def test_abort_multipart_upload() -> None:
    assert mapped(s3("DELETE", "/${bucket}/p/a", (("uploadId", "upload-0001"),))) == [
        ("s3:AbortMultipartUpload", f"{BUCKET}/p/a", {})
    ]


def test_list_parts() -> None:
    assert mapped(s3("GET", "/${bucket}/p/a", (("uploadId", "upload-0001"),))) == [
        ("s3:ListMultipartUploadParts", f"{BUCKET}/p/a", {})
    ]


def test_delete_object_and_object_version() -> None:
    assert mapped(s3("DELETE", "/${bucket}/p/a", status=204)) == [
        ("s3:DeleteObject", f"{BUCKET}/p/a", {})
    ]
    assert mapped(s3("DELETE", "/${bucket}/p/a", (("versionId", "v1"),))) == [
        ("s3:DeleteObjectVersion", f"{BUCKET}/p/a", {})
    ]


# -- Glue ----------------------------------------------------------------------------------


def test_get_databases_is_authorized_on_the_catalog_and_each_returned_database() -> None:
    assert mapped(glue("GetDatabases", {}, returned=("db1", "db2"))) == [
        ("glue:GetDatabases", f"{GLUE}:catalog", {}),
        ("glue:GetDatabases", f"{GLUE}:database/db1", {}),
        ("glue:GetDatabases", f"{GLUE}:database/db2", {}),
    ]


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("GetDatabase", {"Name": "db"}),
        ("CreateDatabase", {"DatabaseInput": {"Name": "db"}}),
        ("UpdateDatabase", {"Name": "db"}),
    ],
)
def test_database_operations_are_authorized_on_catalog_and_database(
    operation: str, body: dict[str, Any]
) -> None:
    assert mapped(glue(operation, body)) == [
        (f"glue:{operation}", f"{GLUE}:catalog", {}),
        (f"glue:{operation}", f"{GLUE}:database/db", {}),
    ]


def test_get_tables_is_authorized_on_catalog_database_and_each_returned_table() -> None:
    assert mapped(glue("GetTables", {"DatabaseName": "db"}, returned=("t1",))) == [
        ("glue:GetTables", f"{GLUE}:catalog", {}),
        ("glue:GetTables", f"{GLUE}:database/db", {}),
        ("glue:GetTables", f"{GLUE}:table/db/t1", {}),
    ]


@pytest.mark.parametrize(
    ("operation", "body"),
    [
        ("GetTable", {"DatabaseName": "db", "Name": "t"}),
        ("CreateTable", {"DatabaseName": "db", "TableInput": {"Name": "t"}}),
        ("UpdateTable", {"DatabaseName": "db", "TableInput": {"Name": "t"}}),
        ("DeleteTable", {"DatabaseName": "db", "Name": "t"}),
        ("GetPartitions", {"DatabaseName": "db", "TableName": "t"}),
        ("BatchDeleteTable", {"DatabaseName": "db", "TablesToDelete": ["t"]}),
    ],
)
def test_table_operations_are_authorized_on_catalog_database_and_table(
    operation: str, body: dict[str, Any]
) -> None:
    assert mapped(glue(operation, body)) == [
        (f"glue:{operation}", f"{GLUE}:catalog", {}),
        (f"glue:{operation}", f"{GLUE}:database/db", {}),
        (f"glue:{operation}", f"{GLUE}:table/db/t", {}),
    ]


def test_glue_catalog_id_of_another_account_is_kept() -> None:
    assert mapped(glue("GetDatabase", {"CatalogId": "999999999999", "Name": "db"}))[0] == (
        "glue:GetDatabase",
        "arn:${AWS::Partition}:glue:${AWS::Region}:999999999999:catalog",
        {},
    )


# -- STS -----------------------------------------------------------------------------------


def _sts(form: dict[str, str]) -> Request:
    return Request(step="t", service="sts", method="POST", path="/", status=200, form=form)


def test_get_caller_identity_needs_no_permission() -> None:
    assert mapped(_sts({"Action": "GetCallerIdentity"})) == []


def test_assume_role_is_sts_assume_role_on_the_role() -> None:
    role = "arn:aws:iam::111111111111:role/data"
    assert mapped(_sts({"Action": "AssumeRole", "RoleArn": role})) == [("sts:AssumeRole", role, {})]


# -- unmapped requests raise -----------------------------------------------------------------


@pytest.mark.parametrize(
    "request_",
    [
        s3("GET", "/${bucket}", (("policy", ""),)),
        s3("PUT", "/${bucket}/p/a", (("tagging", ""),)),
        s3("PUT", "/${bucket}/p/a", headers={"x-amz-acl": "public-read"}),
        s3("PUT", "/${bucket}/p/a", headers={"x-amz-tagging": "a=b"}),
        s3("POST", "/${bucket}/p/a", (("restore", ""),)),
        s3("PUT", "/${bucket}"),
        glue("DeleteDatabase", {"Name": "db"}),
        glue("GetTable", {"Name": "t"}),
        Request(
            step="t",
            service="glue",
            method="POST",
            path="/",
            status=200,
            headers={"x-amz-target": "AWSGlue.StartJobRun"},
        ),
        _sts({"Action": "GetSessionToken"}),
        Request(step="t", service="dynamodb", method="POST", path="/", status=200),
    ],
    ids=lambda r: r.describe(),
)
def test_an_unknown_request_raises(request_: Request) -> None:
    with pytest.raises(UnmappedRequest):
        authorization_requests(request_, PLAIN)


def test_every_rule_cites_a_documented_section() -> None:
    requests: list[AuthorizationRequest] = []
    for request in [
        s3("GET", "/${bucket}/p/a"),
        s3("PUT", "/${bucket}/p/a"),
        s3("HEAD", "/${bucket}/p/a", status=404),
        s3("POST", "/${bucket}/p/a", (("uploads", ""),)),
        glue("GetTable", {"DatabaseName": "db", "Name": "t"}),
    ]:
        requests += authorization_requests(request, KMS_BUCKET_KEY)
    assert all(a.doc in DOCS and a.rule for a in requests)
    assert all(url.startswith("https://docs.aws.amazon.com/") for url, _ in DOCS.values())
    assert set(GLUE_RULES) >= {"GetTable", "UpdateTable", "CreateTable", "DeleteTable"}
