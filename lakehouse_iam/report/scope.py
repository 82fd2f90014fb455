"""Say in words what a policy resource covers: ``bucket``, ``objects under raw/``, ``KMS key``.

The kind comes from the referenced resource's CloudFormation type when the ARN is a
reference (``Fn::GetAtt`` / ``Ref``, possibly joined with a suffix), otherwise from the
service and resource type of the ARN text itself.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_ARN = re.compile(
    r"^arn:[^:]*:(?P<service>[^:]*):(?P<region>[^:]*):(?P<account>[^:]*):(?P<rest>.*)$"
)

_PLACEHOLDER = re.compile(r"<[^<>]*>")
_COLON = "\x00"

_TYPE_NAMES = {
    "AWS::S3::Bucket": "bucket",
    "AWS::KMS::Key": "KMS key",
    "AWS::KMS::Alias": "KMS alias",
    "AWS::SecretsManager::Secret": "secret",
    "AWS::Logs::LogGroup": "log group",
    "AWS::ECR::Repository": "ECR repository",
    "AWS::IAM::Role": "IAM role",
    "AWS::IAM::User": "IAM user",
    "AWS::IAM::ManagedPolicy": "IAM policy",
    "AWS::Glue::Database": "Glue database",
    "AWS::Glue::Table": "Glue table",
}


def describe(raw: Any, rendered: str, resources: Mapping[str, Any]) -> str:
    """What ``raw`` (a template value, ``rendered`` as text) covers, in a few words."""
    if raw == "*":
        return "any resource"
    base, suffix = _reference(raw)
    if base is not None and isinstance(resources.get(base), dict):
        resource_type = str(resources[base].get("Type", ""))
        if resource_type == "AWS::S3::Bucket":
            return _s3_objects(suffix) if suffix else "bucket"
        if not suffix and resource_type in _TYPE_NAMES:
            return _TYPE_NAMES[resource_type]
        if not suffix:
            return _type_words(resource_type)
    return _from_arn(rendered)


def _reference(raw: Any) -> tuple[str | None, str]:
    """``(logical ID, literal suffix)`` for ``GetAtt X.Arn``/``Ref X`` optionally + text."""
    if isinstance(raw, dict) and len(raw) == 1:
        ((function, arg),) = raw.items()
        if function == "Ref" and isinstance(arg, str):
            return arg, ""
        if function == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            if isinstance(parts, list) and len(parts) == 2 and parts[1] == "Arn":
                return str(parts[0]), ""
        if function == "Fn::Join" and isinstance(arg, list) and len(arg) == 2:
            delimiter, items = arg
            if delimiter == "" and isinstance(items, list) and items:
                base, suffix = _reference(items[0])
                rest = items[1:]
                if base is not None and not suffix and all(isinstance(i, str) for i in rest):
                    return base, "".join(rest)
    return None, ""


def _s3_objects(key_part: str) -> str:
    """``/raw/orders/*`` -> ``objects under raw/orders/``; ``/*`` -> every object."""
    key = key_part.lstrip("/")
    if key == "*":
        return "every object in the bucket"
    if key.endswith("/*") and "*" not in key[:-2]:
        return f"objects under {key[:-1]}"
    if "*" in key or "?" in key:
        return f"objects matching {key}"
    return f"object {key}"


def _type_words(resource_type: str) -> str:
    parts = resource_type.split("::")
    return " ".join(parts[1:]) if len(parts) == 3 else resource_type or "resource"


def _from_arn(text: str) -> str:
    # Rendered references (<AWS::Partition>) contain colons; hide them while splitting.
    hidden = _PLACEHOLDER.sub(lambda m: m[0].replace(":", _COLON), text)
    match = _ARN.match(hidden)
    if not match:
        return "see resource"
    service, rest = match["service"], match["rest"].replace(_COLON, ":")
    if service == "s3":
        bucket, _, key = rest.partition("/")
        if not key:
            return "every bucket" if "*" in bucket else "bucket"
        return _s3_objects("/" + key)
    if service == "kms":
        return "KMS alias" if rest.startswith("alias/") else "KMS key"
    if service == "glue":
        kind, _, name = rest.partition("/")
        if kind == "catalog":
            return "Glue Data Catalog"
        if kind == "database":
            return "every Glue database" if name == "*" else f"Glue database {name}"
        if kind == "table":
            database, _, table = name.partition("/")
            if table == "*":
                return f"every Glue table in {database}"
            return f"Glue table {database}.{table}"
        return f"Glue {kind}"
    if service == "secretsmanager":
        return "secret"
    if service == "logs":
        return "log stream" if ":log-stream:" in rest else "log group"
    if service == "ecr":
        return "ECR repository"
    if service == "iam":
        kind = rest.split("/", 1)[0]
        return f"IAM {kind}".replace("-", " ")
    kind = re.split(r"[/:]", rest, maxsplit=1)[0]
    return f"{service} {kind}".strip() if kind and kind != "*" else service
