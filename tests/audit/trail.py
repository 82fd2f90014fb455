"""Recorded client requests as the CloudTrail records they would produce.

Shapes, field by field, follow AWS's documented examples (the sources are listed in
``tests/audit/fixtures/README.md``):

* every record: "CloudTrail record contents"
  (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-record-contents.html)
  and, for an assumed role, ``userIdentity`` with ``sessionContext.sessionIssuer``
  (https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-user-identity.html);
* S3 data events: ``requestParameters`` with ``bucketName``, ``key``, ``Host`` and the
  query parameters, ``resources`` with the object and bucket ARNs
  (https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-understanding-s3-entries.html);
* the KMS call S3 makes for an SSE-KMS object: its own record, ``sourceIPAddress``
  ``s3.amazonaws.com``, ``encryptionContext`` ``aws:s3:arn``
  (https://docs.aws.amazon.com/kms/latest/developerguide/ct-decrypt.html);
* Glue: the API's request members, camelCase
  (https://docs.aws.amazon.com/glue/latest/dg/monitor-cloudtrail.html).
"""

from __future__ import annotations

import json
import urllib.parse
import uuid
from collections.abc import Mapping
from typing import Any

from traces import fixture as fx
from traces import mapping as tm

ACCOUNT = "111122223333"
REGION = "us-east-1"
_NAMESPACE = uuid.UUID("0b6a1f3e-8f44-4c55-9d3a-6f2e1b7d9a21")

_S3_EVENT_NAMES = {
    "list_objects": "ListObjects",
    "list_object_versions": "ListObjectVersions",
    "list_multipart_uploads": "ListMultipartUploads",
    "get_bucket_location": "GetBucketLocation",
    "head_bucket": "HeadBucket",
    "delete_objects": "DeleteObjects",
    "get_object": "GetObject",
    "head_object": "HeadObject",
    "put_object": "PutObject",
    "copy_object": "CopyObject",
    "create_multipart_upload": "CreateMultipartUpload",
    "upload_part": "UploadPart",
    "complete_multipart_upload": "CompleteMultipartUpload",
    "abort_multipart_upload": "AbortMultipartUpload",
    "list_parts": "ListParts",
    "delete_object": "DeleteObject",
}
"""Trace mapping rule -> the S3 API call (CloudTrail ``eventName``) it identifies."""
_MANAGEMENT = {"GetBucketLocation", "ListMultipartUploads"}


def event_id(*parts: object) -> str:
    return str(uuid.uuid5(_NAMESPACE, "/".join(map(str, parts))))


def identity(kind: str, name: str, *, account: str = ACCOUNT) -> dict[str, Any]:
    """``userIdentity`` of a session of role ``name`` (``kind`` ``role``) or of IAM user
    ``name`` (``kind`` ``user``)."""
    if kind == "user":
        return {
            "type": "IAMUser",
            "principalId": "AIDA" + event_id("user", name)[:17].upper().replace("-", "X"),
            "arn": f"arn:aws:iam::{account}:user/{name}",
            "accountId": account,
            "accessKeyId": "AKIA" + event_id("key", name)[:16].upper().replace("-", "X"),
            "userName": name,
        }
    role_id = "AROA" + event_id("role", name)[:17].upper().replace("-", "X")
    return {
        "type": "AssumedRole",
        "principalId": f"{role_id}:engine-session",
        "arn": f"arn:aws:sts::{account}:assumed-role/{name}/engine-session",
        "accountId": account,
        "accessKeyId": "ASIA" + event_id("session", name)[:16].upper().replace("-", "X"),
        "sessionContext": {
            "sessionIssuer": {
                "type": "Role",
                "principalId": role_id,
                "arn": f"arn:aws:iam::{account}:role/{name}",
                "accountId": account,
                "userName": name,
            },
            "attributes": {"creationDate": "2026-11-02T09:00:00Z", "mfaAuthenticated": "false"},
        },
    }


def record(
    *,
    who: Mapping[str, Any],
    time: str,
    source: str,
    name: str,
    parameters: Mapping[str, Any] | None,
    resources: list[dict[str, str]] | None = None,
    error: tuple[str, str] | None = None,
    data_event: bool = False,
    via: str | None = None,
    account: str = ACCOUNT,
    region: str = REGION,
    seed: object = "",
) -> dict[str, Any]:
    """One CloudTrail record."""
    result: dict[str, Any] = {
        "eventVersion": "1.10" if data_event else "1.09",
        "userIdentity": dict(who),
        "eventTime": time,
        "eventSource": source,
        "eventName": name,
        "awsRegion": region,
        "sourceIPAddress": via or "198.51.100.7",
        "userAgent": via or "engine/1.0",
        "requestParameters": dict(parameters) if parameters is not None else None,
        "responseElements": None,
        "requestID": event_id("request", seed, time, name)[:16].upper(),
        "eventID": event_id("event", seed, time, name),
        "readOnly": name.startswith(("Get", "Head", "List", "Describe", "Decrypt")),
        "eventType": "AwsApiCall",
        "managementEvent": not data_event,
        "recipientAccountId": account,
        "eventCategory": "Data" if data_event else "Management",
    }
    if resources is not None:
        result["resources"] = resources
    if error is not None:
        result["errorCode"], result["errorMessage"] = error
    return result


def _glue_parameters(value: Any) -> Any:
    if isinstance(value, dict):
        return {k[:1].lower() + k[1:]: _glue_parameters(v) for k, v in value.items()}
    return value


def trace_records(
    request: fx.Request,
    env: tm.Environment,
    *,
    who: Mapping[str, Any],
    bucket: str,
    time: str,
    denied: bool,
    seed: object,
) -> list[dict[str, Any]]:
    """The CloudTrail records ``request`` (``${bucket}`` = ``bucket``) would produce:
    its own, and for SSE-KMS objects the KMS record S3 writes on the caller's behalf."""
    error = None
    if denied:
        error = ("AccessDenied", "Access Denied")
    elif request.status == 404:
        error = ("NoSuchKey", "The specified key does not exist.")
    if request.service == "glue":
        operation = request.headers["x-amz-target"].split(".", 1)[1]
        return [
            record(
                who=who,
                time=time,
                source="glue.amazonaws.com",
                name=operation,
                parameters=_glue_parameters(dict(request.json or {})),
                error=error,
                seed=seed,
            )
        ]
    if request.service != "s3":
        raise ValueError(f"no CloudTrail shape for {request.describe()}")
    rule = tm.s3_rule(request)
    name = _S3_EVENT_NAMES[rule.__name__]
    if name == "UploadPart" and "x-amz-copy-source" in request.headers:
        name = "UploadPartCopy"
    path = request.path.lstrip("/").replace(fx.BUCKET, bucket)
    _, _, key = path.partition("/")
    key = urllib.parse.unquote(key)
    parameters: dict[str, Any] = {
        "bucketName": bucket,
        "Host": f"{bucket}.s3.{REGION}.amazonaws.com",
    }
    if key:
        parameters["key"] = key
    for param, value in request.query:
        parameters[param] = value
    if "x-amz-copy-source" in request.headers:
        parameters["x-amz-copy-source"] = request.headers["x-amz-copy-source"].replace(
            fx.BUCKET, bucket
        )
    bucket_arn = f"arn:aws:s3:::{bucket}"
    resources = [{"type": "AWS::S3::Bucket", "ARN": bucket_arn, "accountId": ACCOUNT}]
    if name == "DeleteObjects":
        parameters["delete"] = {"Object": [{"Key": k} for k in request.delete_keys or ()]}
        resources = [
            {"type": "AWS::S3::Object", "ARN": f"{bucket_arn}/{k}"}
            for k in request.delete_keys or ()
        ] + resources
    elif key:
        resources = [{"type": "AWS::S3::Object", "ARN": f"{bucket_arn}/{key}"}, *resources]
    records = [
        record(
            who=who,
            time=time,
            source="s3.amazonaws.com",
            name=name,
            parameters=parameters,
            resources=resources,
            error=error,
            data_event=name not in _MANAGEMENT,
            seed=seed,
        )
    ]
    if error is None:
        for auth in tm.authorization_requests(request, env):
            if not auth.action.startswith("kms:"):
                continue
            records.append(
                record(
                    who=who,
                    time=time,
                    source="kms.amazonaws.com",
                    name=auth.action.split(":", 1)[1],
                    parameters={
                        "encryptionContext": {
                            "aws:s3:arn": auth.context["kms:EncryptionContext:aws:s3:arn"]
                        },
                        "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
                    },
                    resources=[
                        {"type": "AWS::KMS::Key", "ARN": auth.resource, "accountId": ACCOUNT}
                    ],
                    via="s3.amazonaws.com",
                    seed=(seed, "kms"),
                )
            )
    return records


def dumps_records(records: list[dict[str, Any]]) -> str:
    """A log file's body as CloudTrail delivers it: ``{"Records": [...]}``."""
    return json.dumps({"Records": records}, sort_keys=True, separators=(",", ":"))
