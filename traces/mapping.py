"""Recorded HTTP request -> the IAM authorization requests AWS makes for it.

:func:`authorization_requests` identifies the API operation of a fixture request (S3 by
method, key and sub-resource; Glue by ``X-Amz-Target``; STS by its ``Action``) and applies
the one rule for it. Each rule is a function below whose docstring cites the AWS
documentation section it follows (:data:`DOCS` holds the URLs). A request no rule
covers raises :class:`UnmappedRequest`: a trace never silently tests less than it sent.

Resources are ``Fn::Sub`` strings the probe machinery resolves over a synthesized stack:
the trace's bucket ``${bucket}`` becomes :attr:`Environment.bucket_arn` (e.g.
``${Data/Bucket.Arn}``); Glue and KMS ARNs use ``${AWS::Partition}``,
``${AWS::Region}`` and ``${AWS::AccountId}``.
"""

from __future__ import annotations

import urllib.parse
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from lakehouse_iam._private.authorization import DOCS, AuthorizationRequest

from .fixture import BUCKET, Request

__all__ = [
    "DOCS",
    "AuthorizationRequest",
    "Environment",
    "UnmappedRequest",
    "authorization_requests",
]


class UnmappedRequest(ValueError):
    """A recorded request no rule maps; the trace cannot be judged until one does."""


@dataclass(frozen=True)
class Environment:
    """What the mapping needs to know about the stack the trace is replayed against."""

    bucket_arn: str = "arn:${AWS::Partition}:s3:::" + BUCKET
    """ARN (``Fn::Sub`` string) of the trace's ``${bucket}``."""
    kms_key_arn: str | None = None
    """The bucket's default SSE-KMS key, or ``None`` (SSE-S3, or not known)."""
    bucket_key: bool = False
    """S3 Bucket Keys enabled: the KMS encryption context is the bucket ARN."""
    region: str = "${AWS::Region}"
    account: str = "${AWS::AccountId}"
    partition: str = "${AWS::Partition}"


Rule = Callable[[Request, Environment], list[AuthorizationRequest]]

# -- S3 helpers --------------------------------------------------------------------------

_OBJECT_HEADERS_WITHOUT_EFFECT = frozenset(
    {
        "x-amz-copy-source",  # read by the copy rules themselves
        "x-amz-copy-source-range",
        "x-amz-metadata-directive",
        "x-amz-storage-class",
        "x-amz-expected-bucket-owner",
        "x-amz-checksum-mode",
        "x-amz-server-side-encryption",
        "x-amz-server-side-encryption-aws-kms-key-id",
        "x-amz-server-side-encryption-bucket-key-enabled",
        "x-amz-server-side-encryption-context",
    }
)
"""``x-amz-*`` headers whose effect on authorization the rules below account for, or
that have none of their own. Any other header (``x-amz-acl``, ``x-amz-grant-*``,
``x-amz-tagging``, ``x-amz-object-lock-*`` ...) needs another permission: unmapped."""


def _split(request: Request) -> tuple[str, str]:
    """(bucket, key) of a path-style S3 request; the key is percent-decoded."""
    path = request.path.lstrip("/")
    bucket, _, key = path.partition("/")
    return bucket, urllib.parse.unquote(key)


def _bucket_arn(bucket: str, env: Environment) -> str:
    return env.bucket_arn if bucket == BUCKET else f"arn:{env.partition}:s3:::{bucket}"


def _object_arn(bucket: str, key: str, env: Environment) -> str:
    return f"{_bucket_arn(bucket, env)}/{key}"


def _s3(
    action: str, resource: str, rule: str, doc: str = "s3-api-permissions", **ctx: str
) -> AuthorizationRequest:
    return AuthorizationRequest(action, resource, dict(ctx), rule=rule, doc=doc)


def _check_headers(request: Request) -> None:
    unknown = sorted(set(request.headers) - _OBJECT_HEADERS_WITHOUT_EFFECT)
    if unknown:
        raise UnmappedRequest(
            f"headers {unknown} may need more permissions; no rule maps them: {request.describe()}"
        )


def _ok(request: Request) -> bool:
    return request.status < 300


# -- S3 bucket operations ----------------------------------------------------------------

_LIST_KEYS = (("prefix", "s3:prefix"), ("delimiter", "s3:delimiter"), ("max-keys", "s3:max-keys"))


def _listing_context(request: Request) -> dict[str, str]:
    # s3:prefix is always evaluated: a request without a prefix has the empty prefix.
    context = {"s3:prefix": request.param("prefix") or ""}
    for param, key in _LIST_KEYS[1:]:
        value = request.param(param)
        if value is not None:
            context[key] = value
    return context


def list_objects(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """ListObjects / ListObjectsV2 (``GET /bucket`` [``?list-type=2``]) -> ``s3:ListBucket``
    on the bucket with ``s3:prefix`` (empty when none is sent), ``s3:delimiter`` and
    ``s3:max-keys`` when sent. DOCS["s3-api-permissions"]; condition keys:
    DOCS["s3-actions"] (ListBucket) and DOCS["s3-condition-keys"]."""
    bucket, _ = _split(request)
    return [
        _s3("s3:ListBucket", _bucket_arn(bucket, env), "list_objects", **_listing_context(request))
    ]


def list_object_versions(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """ListObjectVersions (``GET /bucket?versions``) -> ``s3:ListBucketVersions`` with the
    same listing keys. DOCS["s3-api-permissions"], DOCS["s3-actions"]."""
    bucket, _ = _split(request)
    return [
        _s3(
            "s3:ListBucketVersions",
            _bucket_arn(bucket, env),
            "list_object_versions",
            **_listing_context(request),
        )
    ]


def list_multipart_uploads(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """ListMultipartUploads (``GET /bucket?uploads``) -> ``s3:ListBucketMultipartUploads``
    on the bucket (no ``s3:prefix`` key). DOCS["mpu-permissions"]."""
    bucket, _ = _split(request)
    return [
        _s3(
            "s3:ListBucketMultipartUploads",
            _bucket_arn(bucket, env),
            "list_multipart_uploads",
            doc="mpu-permissions",
        )
    ]


def get_bucket_location(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """GetBucketLocation (``GET /bucket?location``) -> ``s3:GetBucketLocation`` on the
    bucket; it carries no ``s3:prefix``. DOCS["s3-api-permissions"], DOCS["s3-actions"]."""
    bucket, _ = _split(request)
    return [_s3("s3:GetBucketLocation", _bucket_arn(bucket, env), "get_bucket_location")]


def head_bucket(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """HeadBucket (``HEAD /bucket``) -> ``s3:ListBucket`` on the bucket with no
    ``s3:prefix`` key: a prefix-conditioned grant does not allow it.
    DOCS["s3-api-permissions"] (HeadBucket: s3:ListBucket)."""
    bucket, _ = _split(request)
    return [_s3("s3:ListBucket", _bucket_arn(bucket, env), "head_bucket")]


def delete_objects(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """DeleteObjects (``POST /bucket?delete``) -> ``s3:DeleteObject`` on every key of the
    body (S3 checks each key; there is no s3:DeleteObjects action). DOCS["s3-api-permissions"]."""
    bucket, _ = _split(request)
    if request.delete_keys is None:
        raise UnmappedRequest(f"DeleteObjects without its keys: {request.describe()}")
    return [
        _s3("s3:DeleteObject", _object_arn(bucket, key, env), "delete_objects")
        for key in request.delete_keys
    ]


# -- S3 object operations ----------------------------------------------------------------


def _not_found_listing(
    request: Request, bucket: str, key: str, env: Environment, rule: str
) -> list[AuthorizationRequest]:
    # HeadObject/GetObject answer 404 (not 403) for a missing key only when the caller
    # may also s3:ListBucket. Which s3:prefix that check carries is not documented; the
    # key itself is assumed (a listing of exactly that name). Marked inferred.
    if request.status != 404:
        return []
    return [
        AuthorizationRequest(
            "s3:ListBucket",
            _bucket_arn(bucket, env),
            {"s3:prefix": key},
            rule=rule,
            doc="head-object",
            inferred=True,
        )
    ]


def _kms(
    action: str, request: Request, bucket: str, key: str, env: Environment, rule: str
) -> list[AuthorizationRequest]:
    """The KMS request S3 makes on the caller's behalf for an SSE-KMS object."""
    kms_key = request.headers.get("x-amz-server-side-encryption-aws-kms-key-id", env.kms_key_arn)
    if request.headers.get("x-amz-server-side-encryption") == "AES256":
        kms_key = None
    if bucket != BUCKET or kms_key is None or not _ok(request):
        return []
    context_arn = _bucket_arn(bucket, env) if env.bucket_key else _object_arn(bucket, key, env)
    return [
        AuthorizationRequest(
            action,
            kms_key,
            {
                "kms:ViaService": f"s3.{env.region}.amazonaws.com",
                "kms:EncryptionContext:aws:s3:arn": context_arn,
            },
            rule=rule,
            doc="bucket-keys" if env.bucket_key else "sse-kms",
        )
    ]


def get_object(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """GetObject (``GET /bucket/key``) -> ``s3:GetObject`` (``s3:GetObjectVersion`` with
    ``versionId``); on an SSE-KMS bucket ``kms:Decrypt`` with ``kms:ViaService`` and
    the encryption context (DOCS["sse-kms"], DOCS["bucket-keys"]); a 404 also needs
    ``s3:ListBucket`` (DOCS["head-object"]). DOCS["s3-api-permissions"]."""
    bucket, key = _split(request)
    action = "s3:GetObjectVersion" if request.has_param("versionId") else "s3:GetObject"
    return [
        _s3(action, _object_arn(bucket, key, env), "get_object"),
        *_kms("kms:Decrypt", request, bucket, key, env, "get_object"),
        *_not_found_listing(request, bucket, key, env, "get_object"),
    ]


def head_object(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """HeadObject (``HEAD /bucket/key``) -> ``s3:GetObject`` (``s3:GetObjectVersion`` with
    ``versionId``); no KMS call (metadata only); a 404 also needs ``s3:ListBucket``.
    DOCS["head-object"]."""
    bucket, key = _split(request)
    action = "s3:GetObjectVersion" if request.has_param("versionId") else "s3:GetObject"
    return [
        _s3(action, _object_arn(bucket, key, env), "head_object", doc="head-object"),
        *_not_found_listing(request, bucket, key, env, "head_object"),
    ]


def put_object(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """PutObject (``PUT /bucket/key``) -> ``s3:PutObject``; on an SSE-KMS bucket
    ``kms:GenerateDataKey`` (DOCS["sse-kms"]). DOCS["s3-api-permissions"]."""
    bucket, key = _split(request)
    return [
        _s3("s3:PutObject", _object_arn(bucket, key, env), "put_object"),
        *_kms("kms:GenerateDataKey", request, bucket, key, env, "put_object"),
    ]


def _copy_source(request: Request) -> tuple[str, str, bool]:
    source = urllib.parse.unquote(request.headers["x-amz-copy-source"]).lstrip("/")
    path, _, query = source.partition("?")
    bucket, _, key = path.partition("/")
    return bucket, key, "versionId=" in query


def copy_object(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """CopyObject (``PUT /bucket/key`` with ``x-amz-copy-source``) -> ``s3:GetObject``
    (``s3:GetObjectVersion`` for a versioned source) on the source and ``s3:PutObject``
    on the target; SSE-KMS: ``kms:Decrypt`` for the source, ``kms:GenerateDataKey`` for
    the target. DOCS["s3-api-permissions"], DOCS["sse-kms"]."""
    bucket, key = _split(request)
    src_bucket, src_key, versioned = _copy_source(request)
    read = "s3:GetObjectVersion" if versioned else "s3:GetObject"
    return [
        _s3(read, _object_arn(src_bucket, src_key, env), "copy_object"),
        *_kms("kms:Decrypt", request, src_bucket, src_key, env, "copy_object"),
        _s3("s3:PutObject", _object_arn(bucket, key, env), "copy_object"),
        *_kms("kms:GenerateDataKey", request, bucket, key, env, "copy_object"),
    ]


def create_multipart_upload(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """CreateMultipartUpload (``POST /bucket/key?uploads``) -> ``s3:PutObject``; SSE-KMS:
    ``kms:GenerateDataKey`` (DOCS["create-mpu"]). DOCS["mpu-permissions"]."""
    bucket, key = _split(request)
    return [
        _s3(
            "s3:PutObject",
            _object_arn(bucket, key, env),
            "create_multipart_upload",
            doc="mpu-permissions",
        ),
        *_kms("kms:GenerateDataKey", request, bucket, key, env, "create_multipart_upload"),
    ]


def upload_part(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """UploadPart (``PUT /bucket/key?partNumber&uploadId``) -> ``s3:PutObject``; SSE-KMS:
    ``kms:Decrypt`` ("the requester needs permissions for the kms:Decrypt action on the
    UploadPart and UploadPartCopy APIs", DOCS["create-mpu"]). UploadPartCopy (with
    ``x-amz-copy-source``) also reads the source. DOCS["mpu-permissions"]."""
    bucket, key = _split(request)
    result = [
        _s3("s3:PutObject", _object_arn(bucket, key, env), "upload_part", doc="mpu-permissions")
    ]
    if "x-amz-copy-source" in request.headers:
        src_bucket, src_key, versioned = _copy_source(request)
        read = "s3:GetObjectVersion" if versioned else "s3:GetObject"
        result += [_s3(read, _object_arn(src_bucket, src_key, env), "upload_part")]
        result += _kms("kms:Decrypt", request, src_bucket, src_key, env, "upload_part")
    return result + _kms("kms:Decrypt", request, bucket, key, env, "upload_part")


def complete_multipart_upload(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """CompleteMultipartUpload (``POST /bucket/key?uploadId``) -> ``s3:PutObject``; SSE-KMS:
    ``kms:Decrypt`` ("Amazon S3 must decrypt and read data from the encrypted file parts
    before it completes the multipart upload", DOCS["mpu-permissions"])."""
    bucket, key = _split(request)
    return [
        _s3(
            "s3:PutObject",
            _object_arn(bucket, key, env),
            "complete_multipart_upload",
            doc="mpu-permissions",
        ),
        *_kms("kms:Decrypt", request, bucket, key, env, "complete_multipart_upload"),
    ]


def abort_multipart_upload(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """AbortMultipartUpload (``DELETE /bucket/key?uploadId``) -> ``s3:AbortMultipartUpload``.
    DOCS["mpu-permissions"]."""
    bucket, key = _split(request)
    return [
        _s3(
            "s3:AbortMultipartUpload",
            _object_arn(bucket, key, env),
            "abort_multipart_upload",
            doc="mpu-permissions",
        )
    ]


def list_parts(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """ListParts (``GET /bucket/key?uploadId``) -> ``s3:ListMultipartUploadParts``.
    DOCS["mpu-permissions"]."""
    bucket, key = _split(request)
    return [
        _s3(
            "s3:ListMultipartUploadParts",
            _object_arn(bucket, key, env),
            "list_parts",
            doc="mpu-permissions",
        )
    ]


def delete_object(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """DeleteObject (``DELETE /bucket/key``) -> ``s3:DeleteObject`` (``s3:DeleteObjectVersion``
    with ``versionId``). DOCS["s3-api-permissions"]."""
    bucket, key = _split(request)
    action = "s3:DeleteObjectVersion" if request.has_param("versionId") else "s3:DeleteObject"
    return [_s3(action, _object_arn(bucket, key, env), "delete_object")]


_BUCKET_SUBRESOURCES = ("versions", "uploads", "location", "delete")
_LISTING_PARAMS = frozenset(
    {
        "list-type",
        "prefix",
        "delimiter",
        "max-keys",
        "encoding-type",
        "continuation-token",
        "start-after",
        "fetch-owner",
        "marker",
    }
)


def s3_rule(request: Request) -> Rule:
    """The rule for an S3 request, by method, key and sub-resource."""
    _check_headers(request)
    _, key = _split(request)
    params = {name for name, _ in request.query}
    method = request.method
    if not key:
        if method == "GET" and "versions" in params:
            return list_object_versions
        if method == "GET" and "uploads" in params:
            return list_multipart_uploads
        if method == "GET" and "location" in params:
            return get_bucket_location
        if method == "GET" and params <= _LISTING_PARAMS:
            return list_objects
        if method == "HEAD" and not params:
            return head_bucket
        if method == "POST" and params == {"delete"}:
            return delete_objects
    else:
        multipart = {"partNumber", "uploadId"} <= params
        if method == "GET" and params == {"uploadId"}:
            return list_parts
        if method in ("GET", "HEAD") and params <= {"versionId", "partNumber"}:
            return get_object if method == "GET" else head_object
        if method == "PUT" and multipart and params <= {"partNumber", "uploadId"}:
            return upload_part
        if method == "PUT" and not params:
            return copy_object if "x-amz-copy-source" in request.headers else put_object
        if method == "POST" and params == {"uploads"}:
            return create_multipart_upload
        if method == "POST" and params == {"uploadId"}:
            return complete_multipart_upload
        if method == "DELETE" and params == {"uploadId"}:
            return abort_multipart_upload
        if method == "DELETE" and params <= {"versionId"}:
            return delete_object
    raise UnmappedRequest(f"no S3 rule for {request.describe()}")


# -- Glue ----------------------------------------------------------------------------------


def _glue_arn(env: Environment, request: Request, resource: str) -> str:
    catalog = (request.json or {}).get("CatalogId") or env.account
    return f"arn:{env.partition}:glue:{env.region}:{catalog}:{resource}"


def _glue(
    request: Request, env: Environment, operation: str, resources: list[str], rule: str
) -> list[AuthorizationRequest]:
    return [
        AuthorizationRequest(
            f"glue:{operation}", _glue_arn(env, request, r), {}, rule=rule, doc="glue-arns"
        )
        for r in resources
    ]


def _field(request: Request, *path: str) -> str:
    value: object = request.json or {}
    for name in path:
        if not isinstance(value, Mapping) or name not in value:
            raise UnmappedRequest(f"Glue request without {'.'.join(path)}: {request.describe()}")
        value = value[name]
    return str(value)


def glue_catalog_listing(
    request: Request, env: Environment, operation: str
) -> list[AuthorizationRequest]:
    """GetDatabases -> the catalog, and every database it returned: Data Catalog
    resources are authorized on the resource and its ancestors (DOCS["glue-arns"]), and
    the Reference lists catalog and database as GetDatabases' resource types
    (DOCS["glue-actions"])."""
    databases = [f"database/{name}" for name in request.returned or ()]
    return _glue(request, env, operation, ["catalog", *databases], "glue_catalog_listing")


def glue_database(request: Request, env: Environment, operation: str) -> list[AuthorizationRequest]:
    """GetDatabase / CreateDatabase / UpdateDatabase -> the catalog and ``database/DB``
    (DOCS["glue-arns"], DOCS["glue-actions"])."""
    if operation == "CreateDatabase":
        name = _field(request, "DatabaseInput", "Name")
    else:
        name = _field(request, "Name")
    return _glue(request, env, operation, ["catalog", f"database/{name}"], "glue_database")


def glue_table_listing(
    request: Request, env: Environment, operation: str
) -> list[AuthorizationRequest]:
    """GetTables -> the catalog, ``database/DB`` and every table it returned
    (DOCS["glue-arns"], DOCS["glue-actions"])."""
    database = _field(request, "DatabaseName")
    tables = [f"table/{database}/{name}" for name in request.returned or ()]
    return _glue(
        request, env, operation, ["catalog", f"database/{database}", *tables], "glue_table_listing"
    )


def glue_table(request: Request, env: Environment, operation: str) -> list[AuthorizationRequest]:
    """A table, table-version or partition action -> the catalog, ``database/DB`` and
    ``table/DB/TABLE`` (partitions and versions have no ARN of their own).
    DOCS["glue-arns"], DOCS["glue-actions"]."""
    database = _field(request, "DatabaseName")
    json = request.json or {}
    if "TableInput" in json:
        names = [_field(request, "TableInput", "Name")]
    elif "TablesToDelete" in json:
        names = [str(n) for n in json["TablesToDelete"]]
    elif "TableName" in json:
        names = [_field(request, "TableName")]
    else:
        names = [_field(request, "Name")]
    resources = ["catalog", f"database/{database}"] + [f"table/{database}/{n}" for n in names]
    return _glue(request, env, operation, resources, "glue_table")


GLUE_RULES: dict[str, Callable[[Request, Environment, str], list[AuthorizationRequest]]] = {
    "GetDatabases": glue_catalog_listing,
    "GetDatabase": glue_database,
    "CreateDatabase": glue_database,
    "UpdateDatabase": glue_database,
    "GetTables": glue_table_listing,
    **{
        operation: glue_table
        for operation in (
            "GetTable",
            "CreateTable",
            "UpdateTable",
            "DeleteTable",
            "BatchDeleteTable",
            "GetTableVersions",
            "GetPartition",
            "GetPartitions",
            "BatchGetPartition",
            "CreatePartition",
            "BatchCreatePartition",
            "UpdatePartition",
            "BatchUpdatePartition",
            "DeletePartition",
            "BatchDeletePartition",
        )
    },
}
"""Glue Data Catalog operations the mapping knows (``X-Amz-Target: AWSGlue.<op>``)."""


def glue_rule(request: Request) -> Callable[[Request, Environment], list[AuthorizationRequest]]:
    target = request.headers.get("x-amz-target", "")
    service, _, operation = target.partition(".")
    if service != "AWSGlue" or operation not in GLUE_RULES:
        raise UnmappedRequest(f"no Glue rule for {target!r}: {request.describe()}")
    rule = GLUE_RULES[operation]
    return lambda req, env: rule(req, env, operation)


# -- STS -----------------------------------------------------------------------------------


def sts_get_caller_identity(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """GetCallerIdentity -> nothing: "No permissions are required to perform this
    operation" (DOCS["sts-get-caller-identity"])."""
    return []


def sts_assume_role(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """AssumeRole -> ``sts:AssumeRole`` on the role ARN (the caller's side; the role's
    trust policy is judged by the trust probes). DOCS["sts-assume-role"]."""
    role = (request.form or {}).get("RoleArn")
    if not role:
        raise UnmappedRequest(f"AssumeRole without RoleArn: {request.describe()}")
    return [
        AuthorizationRequest(
            "sts:AssumeRole", role, {}, rule="sts_assume_role", doc="sts-assume-role"
        )
    ]


STS_RULES: dict[str, Rule] = {
    "GetCallerIdentity": sts_get_caller_identity,
    "AssumeRole": sts_assume_role,
}


def sts_rule(request: Request) -> Rule:
    action = (request.form or {}).get("Action") or request.param("Action") or ""
    if action not in STS_RULES:
        raise UnmappedRequest(f"no STS rule for Action={action!r}: {request.describe()}")
    return STS_RULES[action]


# -- entry point ---------------------------------------------------------------------------


def authorization_requests(request: Request, env: Environment) -> list[AuthorizationRequest]:
    """Every IAM authorization request AWS makes for ``request``; raises
    :class:`UnmappedRequest` when no rule covers it."""
    if request.service == "s3":
        return s3_rule(request)(request, env)
    if request.service == "glue":
        return glue_rule(request)(request, env)
    if request.service == "sts":
        return sts_rule(request)(request, env)
    raise UnmappedRequest(f"no rules for service {request.service!r}: {request.describe()}")
