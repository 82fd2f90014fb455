"""CloudTrail record -> the IAM authorization requests AWS made for it.

A record names its API call by ``eventSource`` and ``eventName`` and carries the call's
``requestParameters`` and, for data events, the ``resources`` it touched
(https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html).
Each rule below turns one family of calls into the action, resource ARN and condition
keys IAM evaluated, following the same AWS sections as the recorded-trace mapping
(:data:`lakehouse_iam._private.authorization.DOCS`, cited by key). A record no rule covers
maps to ``None`` and is counted as unmapped: the audit never guesses an action.

What CloudTrail cannot show is not invented: S3 calls KMS on the caller's behalf as a
record of its own (``eventSource`` ``kms.amazonaws.com``, ``sourceIPAddress``
``s3.amazonaws.com``), so an S3 record maps to its S3 action only, and the KMS record to
the KMS action with ``kms:ViaService`` and the encryption context it carries. A Glue
listing's returned names are not in CloudTrail (its ``responseElements`` are empty for
reads), so ``GetDatabases`` maps to the catalog only.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from typing import Any

from .._private.authorization import AuthorizationRequest
from .._private.partitions import partition_of_region

__all__ = ["S3_DATA_EVENTS", "authorization_requests", "is_s3_data_event"]

Record = Mapping[str, Any]


class _Call:
    """The parts of a record every rule reads."""

    __slots__ = ("account", "name", "parameters", "partition", "record", "region")

    def __init__(self, record: Record) -> None:
        self.record = record
        self.name = str(record.get("eventName", ""))
        params = record.get("requestParameters")
        self.parameters: Mapping[str, Any] = params if isinstance(params, dict) else {}
        self.region = str(record.get("awsRegion") or "")
        self.partition = _partition(self.region)
        identity = record.get("userIdentity")
        account = identity.get("accountId") if isinstance(identity, dict) else None
        self.account = str(account or record.get("recipientAccountId") or "")

    def param(self, *names: str) -> str | None:
        for name in names:
            value = self.parameters.get(name)
            if isinstance(value, str) and value:
                return value
        return None

    def resources(self, kind: str) -> list[str]:
        found = self.record.get("resources")
        return [
            str(r["ARN"])
            for r in (found if isinstance(found, list) else [])
            if isinstance(r, dict) and r.get("type") == kind and r.get("ARN")
        ]


@functools.lru_cache(maxsize=64)
def _partition(region: str) -> str:
    return partition_of_region(region)


def _request(
    action: str, resource: str, rule: str, doc: str, **context: str
) -> AuthorizationRequest:
    return AuthorizationRequest(action, resource, context, rule=rule, doc=doc)


# -- S3 (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html)

S3_DATA_EVENTS = frozenset(
    {
        "GetObject",
        "HeadObject",
        "PutObject",
        "CopyObject",
        "CreateMultipartUpload",
        "UploadPart",
        "UploadPartCopy",
        "CompleteMultipartUpload",
        "AbortMultipartUpload",
        "ListParts",
        "DeleteObject",
        "DeleteObjects",
        "ListObjects",
        "ListObjectsV2",
        "ListObjectVersions",
        "HeadBucket",
        "GetObjectAcl",
        "PutObjectAcl",
    }
)
"""S3 calls CloudTrail logs only as data events (a trail without S3 data-event selectors,
and ``lookup-events``, never show them)."""

_S3_OBJECT_ACTIONS = {
    "GetObject": "s3:GetObject",
    "HeadObject": "s3:GetObject",
    "PutObject": "s3:PutObject",
    "CreateMultipartUpload": "s3:PutObject",
    "UploadPart": "s3:PutObject",
    "CompleteMultipartUpload": "s3:PutObject",
    "AbortMultipartUpload": "s3:AbortMultipartUpload",
    "ListParts": "s3:ListMultipartUploadParts",
    "DeleteObject": "s3:DeleteObject",
    "PutObjectAcl": "s3:PutObjectAcl",
    "GetObjectAcl": "s3:GetObjectAcl",
}
_VERSIONED = {
    "s3:GetObject": "s3:GetObjectVersion",
    "s3:DeleteObject": "s3:DeleteObjectVersion",
    "s3:PutObjectAcl": "s3:PutObjectVersionAcl",
    "s3:GetObjectAcl": "s3:GetObjectVersionAcl",
}
_S3_BUCKET_ACTIONS = {
    "ListObjects": "s3:ListBucket",
    "ListObjectsV2": "s3:ListBucket",
    "ListObjectVersions": "s3:ListBucketVersions",
    "ListMultipartUploads": "s3:ListBucketMultipartUploads",
    "GetBucketLocation": "s3:GetBucketLocation",
    "HeadBucket": "s3:ListBucket",
}
_LISTINGS = {"ListObjects", "ListObjectsV2", "ListObjectVersions"}


def is_s3_data_event(record: Record) -> bool:
    """Whether ``record`` is an S3 data event (its presence shows the trail logs them)."""
    return record.get("eventSource") == "s3.amazonaws.com" and record.get("eventName") in (
        S3_DATA_EVENTS
    )


def _s3(call: _Call) -> list[AuthorizationRequest] | None:
    """Object calls -> the object action on ``arn:P:s3:::bucket/key`` (``...Version``
    with ``versionId``); CopyObject and UploadPartCopy also read the source; listings ->
    ``s3:ListBucket``/``ListBucketVersions`` with ``s3:prefix`` (empty when none was sent),
    ``s3:delimiter`` and ``s3:max-keys``; HeadBucket -> ``s3:ListBucket`` without
    ``s3:prefix``; DeleteObjects -> ``s3:DeleteObject`` per object of ``resources``.
    DOCS["s3-api-permissions"], DOCS["s3-condition-keys"], DOCS["mpu-permissions"]."""
    bucket = call.param("bucketName")
    if bucket is None:
        return None
    bucket_arn = f"arn:{call.partition}:s3:::{bucket}"
    name = call.name
    if name in _S3_BUCKET_ACTIONS:
        context: dict[str, str] = {}
        if name in _LISTINGS:
            context["s3:prefix"] = call.param("prefix") or ""
            for param, condition_key in (
                ("delimiter", "s3:delimiter"),
                ("max-keys", "s3:max-keys"),
            ):
                value = call.param(param)
                if value is not None:
                    context[condition_key] = value
        return [
            _request(
                _S3_BUCKET_ACTIONS[name], bucket_arn, "s3_bucket", "s3-api-permissions", **context
            )
        ]
    if name == "DeleteObjects":
        objects = call.resources("AWS::S3::Object")
        if not objects:
            return None
        return [
            _request("s3:DeleteObject", arn, "s3_delete_objects", "s3-api-permissions")
            for arn in objects
        ]
    key = call.param("key")
    if key is None:
        return None
    object_arn = f"{bucket_arn}/{key}"
    requests: list[AuthorizationRequest] = []
    if name in ("CopyObject", "UploadPartCopy"):
        source = call.param("x-amz-copy-source")
        if source is None:
            return None
        path, _, query = source.lstrip("/").partition("?")
        read = "s3:GetObjectVersion" if "versionId=" in query else "s3:GetObject"
        requests.append(
            _request(read, f"arn:{call.partition}:s3:::{path}", "s3_copy", "s3-api-permissions")
        )
        requests.append(_request("s3:PutObject", object_arn, "s3_copy", "s3-api-permissions"))
        return requests
    action = _S3_OBJECT_ACTIONS.get(name)
    if action is None:
        return None
    if call.param("versionId") is not None:
        action = _VERSIONED.get(action, action)
    return [_request(action, object_arn, "s3_object", "s3-api-permissions")]


# -- KMS (https://docs.aws.amazon.com/kms/latest/developerguide/logging-using-cloudtrail.html)

_KMS_ACTIONS = frozenset(
    {
        "Decrypt",
        "Encrypt",
        "GenerateDataKey",
        "GenerateDataKeyWithoutPlaintext",
        "ReEncrypt",
        "DescribeKey",
    }
)


def _kms(call: _Call) -> list[AuthorizationRequest] | None:
    """A KMS call -> ``kms:<eventName>`` on the key of ``resources``; a call S3 made for
    the caller (``sourceIPAddress`` / ``invokedBy`` ``s3.amazonaws.com``) carries
    ``kms:ViaService = s3.<region>.amazonaws.com``; ``encryptionContext`` entries become
    ``kms:EncryptionContext:<key>``. DOCS["sse-kms"], DOCS["kms-via-service"]."""
    if call.name not in _KMS_ACTIONS:
        return None
    keys = call.resources("AWS::KMS::Key")
    key = keys[0] if keys else call.param("keyId")
    if key is None or not key.startswith("arn:"):
        return None
    context: dict[str, str] = {}
    identity = call.record.get("userIdentity")
    invoked = identity.get("invokedBy") if isinstance(identity, dict) else None
    via = call.record.get("sourceIPAddress") if invoked is None else invoked
    if isinstance(via, str) and via.endswith(".amazonaws.com"):
        context["kms:ViaService"] = f"{via.split('.')[0]}.{call.region}.amazonaws.com"
    encryption = call.parameters.get("encryptionContext")
    if isinstance(encryption, dict):
        for name, value in encryption.items():
            context[f"kms:EncryptionContext:{name}"] = str(value)
    return [_request(f"kms:{call.name}", key, "kms", "sse-kms", **context)]


# -- Glue (https://docs.aws.amazon.com/glue/latest/dg/monitor-cloudtrail.html) ----------


def _glue(call: _Call) -> list[AuthorizationRequest] | None:
    """A Data Catalog call -> ``glue:<eventName>`` on the catalog, ``database/DB`` and
    ``table/DB/TABLE`` as far as the call names them (Data Catalog resources are
    authorized on the resource and its ancestors). DOCS["glue-arns"], DOCS["glue-actions"]."""
    catalog = call.param("catalogId") or call.account
    prefix = f"arn:{call.partition}:glue:{call.region}:{catalog}:"
    resources = ["catalog"]
    database = call.param("databaseName")
    if call.name in ("GetDatabase", "UpdateDatabase", "DeleteDatabase"):
        database = call.param("name")
    if call.name == "CreateDatabase":
        inner = call.parameters.get("databaseInput")
        database = inner.get("name") if isinstance(inner, dict) else None
    if database:
        resources.append(f"database/{database}")
        table = call.param("tableName")
        if call.name in ("GetTable", "DeleteTable", "GetTableVersions"):
            table = call.param("name")
        inner = call.parameters.get("tableInput")
        if isinstance(inner, dict) and inner.get("name"):
            table = str(inner["name"])
        if table:
            resources.append(f"table/{database}/{table}")
        elif call.name not in (
            "GetTables",
            "GetDatabase",
            "CreateDatabase",
            "UpdateDatabase",
            "DeleteDatabase",
        ):
            return None
    elif call.name != "GetDatabases":
        return None
    return [_request(f"glue:{call.name}", prefix + r, "glue", "glue-arns") for r in resources]


# -- STS, Secrets Manager, ECR, CloudWatch Logs, Marketplace -----------------------------


def _sts(call: _Call) -> list[AuthorizationRequest] | None:
    """AssumeRole -> ``sts:AssumeRole`` on ``roleArn`` (DOCS["sts-assume-role"]);
    GetCallerIdentity needs no permission (DOCS["sts-get-caller-identity"])."""
    if call.name == "GetCallerIdentity":
        return []
    role = call.param("roleArn")
    if call.name == "AssumeRole" and role:
        return [_request("sts:AssumeRole", role, "sts", "sts-assume-role")]
    return None


def _secrets(call: _Call) -> list[AuthorizationRequest] | None:
    """GetSecretValue / DescribeSecret -> the action on the secret ARN (only when the
    record names the ARN: a bare name has no six-character suffix to match). DOCS["secrets"]."""
    secret = call.param("secretId")
    if (
        call.name not in ("GetSecretValue", "DescribeSecret")
        or not secret
        or not secret.startswith("arn:")
    ):
        return None
    return [_request(f"secretsmanager:{call.name}", secret, "secrets", "secrets")]


def _ecr(call: _Call) -> list[AuthorizationRequest] | None:
    """GetAuthorizationToken -> ``*`` (no resource type); image reads -> the repository
    ARN. DOCS["ecr"]."""
    if call.name == "GetAuthorizationToken":
        return [_request("ecr:GetAuthorizationToken", "*", "ecr", "ecr")]
    repository = call.param("repositoryName")
    if (
        call.name in ("BatchGetImage", "GetDownloadUrlForLayer", "BatchCheckLayerAvailability")
        and repository
    ):
        registry = call.param("registryId") or call.account
        arn = f"arn:{call.partition}:ecr:{call.region}:{registry}:repository/{repository}"
        return [_request(f"ecr:{call.name}", arn, "ecr", "ecr")]
    return None


def _logs(call: _Call) -> list[AuthorizationRequest] | None:
    """CreateLogStream -> the log stream ARN of its group. DOCS["logs"]."""
    group, stream = call.param("logGroupName"), call.param("logStreamName")
    if call.name != "CreateLogStream" or not group or not stream:
        return None
    arn = f"arn:{call.partition}:logs:{call.region}:{call.account}:log-group:{group}"
    arn += f":log-stream:{stream}"
    return [_request("logs:CreateLogStream", arn, "logs", "logs")]


def _metering(call: _Call) -> list[AuthorizationRequest] | None:
    """RegisterUsage / MeterUsage -> ``*`` (no resource type). DOCS["metering"]."""
    if call.name in ("RegisterUsage", "MeterUsage"):
        return [_request(f"aws-marketplace:{call.name}", "*", "metering", "metering")]
    return None


_RULES: dict[str, Callable[[_Call], list[AuthorizationRequest] | None]] = {
    "s3.amazonaws.com": _s3,
    "kms.amazonaws.com": _kms,
    "glue.amazonaws.com": _glue,
    "sts.amazonaws.com": _sts,
    "secretsmanager.amazonaws.com": _secrets,
    "ecr.amazonaws.com": _ecr,
    "logs.amazonaws.com": _logs,
    "metering-marketplace.amazonaws.com": _metering,
}
"""``eventSource`` -> its rule."""


def authorization_requests(record: Record) -> list[AuthorizationRequest] | None:
    """The IAM authorization requests of ``record``, or ``None`` when no rule maps it."""
    rule = _RULES.get(str(record.get("eventSource", "")))
    return rule(_Call(record)) if rule is not None else None
