"""Input validation shared by every construct.

Each check takes the property name and the value, and appends a message to a
:class:`PropsCheck` instead of raising, so a construct reports every problem in
one ``ValueError`` (the ``CheckProps`` pattern of aws-solutions-constructs).
Values that are unresolved CDK tokens are accepted unchecked: their real value
is only known at deploy time.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import aws_cdk as cdk

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_PARTITION_RE = "(?:aws|aws-cn|aws-us-gov)"

_ACCOUNT_RE = re.compile(r"^\d{12}$")
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IPV4_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_BUCKET_ARN_RE = re.compile(rf"^arn:{_PARTITION_RE}:s3:::(?P<name>[^/*?]+)$")
# Role names may carry a path: role/path/to/name
_ROLE_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:iam::(?P<account>\d{{12}}):role/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]{{1,64}})$"
)
_KMS_KEY_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:kms:[a-z0-9-]+:\d{{12}}:key/(?:[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}|mrk-[0-9a-f]{{32}})$"
)
_EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
_IAM_NAME_RE = re.compile(r"^[\w+=,.@-]+$")
_SID_RE = re.compile(r"^[A-Za-z0-9]+$")
_PREFIX_FORBIDDEN = re.compile(r"[*?\x00-\x1f\x7f]")


def is_token(value: Any) -> bool:
    """True when ``value`` is (or contains) an unresolved CDK token.

    A string token is encoded as ``${Token[...]}`` (lists as ``#{Token[...]}``); a string
    without that marker is resolved, and is answered here without a jsii round trip.
    """
    if not isinstance(value, str) or "{Token[" not in value:
        return False
    return cdk.Token.is_unresolved(value)


class PropsCheck:
    """Collects validation problems of one construct and raises them together.

    Usage::

        check = PropsCheck("RisingWaveRole")
        check.account_id("account", account)
        check.raise_if_any()
    """

    def __init__(self, owner: str) -> None:
        self.owner = owner
        self.problems: list[str] = []

    # -- bookkeeping -------------------------------------------------------------------
    def add(self, prop: str, value: Any, accepted: str) -> None:
        """Record that ``prop`` got ``value``, and what would have been accepted."""
        self.problems.append(f"{prop}={value!r} is invalid: expected {accepted}")

    def raise_if_any(self) -> None:
        """Raise one ``ValueError`` listing every recorded problem."""
        if self.problems:
            lines = "\n".join(f"  - {p}" for p in self.problems)
            raise ValueError(f"{self.owner}: invalid properties:\n{lines}")

    # -- individual checks -------------------------------------------------------------
    def _match(self, prop: str, value: Any, pattern: re.Pattern[str], accepted: str) -> bool:
        if is_token(value):
            return True
        if not isinstance(value, str) or not pattern.match(value):
            self.add(prop, value, accepted)
            return False
        return True

    def account_id(self, prop: str, value: Any) -> None:
        self._match(prop, value, _ACCOUNT_RE, "a 12-digit AWS account ID")

    def bucket_name(self, prop: str, value: Any) -> None:
        accepted = (
            "an S3 bucket name: 3-63 characters of lowercase letters, digits, '.' and '-', "
            "starting and ending with a letter or digit, not an IP address, no '..'"
        )
        if is_token(value):
            return
        if (
            not isinstance(value, str)
            or not _BUCKET_RE.match(value)
            or ".." in value
            or _IPV4_RE.match(value)
            or value.startswith("xn--")
            or value.endswith("-s3alias")
        ):
            self.add(prop, value, accepted)

    def bucket_arn(self, prop: str, value: Any) -> None:
        if is_token(value):
            return
        m = _BUCKET_ARN_RE.match(value) if isinstance(value, str) else None
        if not m:
            self.add(prop, value, "a bucket ARN such as arn:aws:s3:::my-bucket (no key part)")
        else:
            self.bucket_name(prop, m.group("name"))

    def role_arn(self, prop: str, value: Any) -> None:
        self._match(
            prop,
            value,
            _ROLE_ARN_RE,
            "an IAM role ARN such as arn:aws:iam::123456789012:role/name "
            f"(partition one of {', '.join(PARTITIONS)})",
        )

    def kms_key_arn(self, prop: str, value: Any) -> None:
        if isinstance(value, str) and ":alias/" in value and not is_token(value):
            self.add(
                prop,
                value,
                "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); an alias cannot be "
                "used in an IAM policy resource to grant access to the key",
            )
            return
        self._match(
            prop,
            value,
            _KMS_KEY_ARN_RE,
            "a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<uuid or mrk-id>",
        )

    def external_id(self, prop: str, value: Any) -> None:
        self._match(
            prop, value, _EXTERNAL_ID_RE, "2-1224 characters of letters, digits and +=,.@:/-"
        )

    def iam_name(self, prop: str, value: Any, *, max_length: int) -> None:
        if is_token(value):
            return
        if (
            not isinstance(value, str)
            or not 1 <= len(value) <= max_length
            or not _IAM_NAME_RE.match(value)
        ):
            self.add(prop, value, f"1-{max_length} characters of letters, digits and +=,.@_-")

    def sid(self, prop: str, value: Any) -> None:
        self._match(prop, value, _SID_RE, "letters and digits only (an IAM statement Sid)")

    def prefix(self, prop: str, value: Any) -> str | None:
        """Validate an S3 key prefix and return its normal form.

        Normal form: no leading or trailing ``/`` (``/raw/orders/`` and ``raw/orders``
        name the same prefix). Rejected: empty after normalising, wildcards ``*``/``?``
        (IAM would read them as patterns), ``.``/``..`` segments, empty segments
        (``a//b``) and control characters.
        """
        if value is None:
            return None
        if is_token(value):
            return value
        accepted = (
            "an S3 key prefix such as 'raw/orders' (leading/trailing '/' are dropped); "
            "no '*', '?', control characters, '.' or '..' segments, or empty segments"
        )
        if not isinstance(value, str):
            self.add(prop, value, accepted)
            return None
        normal = value.strip("/")
        segments = normal.split("/")
        if (
            not normal
            or _PREFIX_FORBIDDEN.search(normal)
            or any(s in ("", ".", "..") for s in segments)
            or len(normal) > 1000
        ):
            self.add(prop, value, accepted)
            return None
        return normal

    def actions(self, prop: str, values: Iterable[str], known: Iterable[str]) -> None:
        """Every action must be exact (no wildcard) and one of ``known``."""
        known_set = set(known)
        for action in values:
            if "*" in action or "?" in action:
                self.add(prop, action, "an exact IAM action; wildcards are never granted")
            elif action not in known_set:
                self.add(prop, action, f"one of {', '.join(sorted(known_set))}")

    # -- appended for the Glue Data Catalog (StarRocks issue) ---------------------------
    def glue_name(self, prop: str, value: Any, *, kind: str = "database") -> None:
        """A Glue database or table name usable in an IAM ARN.

        Glue stores database and table names in lowercase (Hive compatibility), and IAM
        compares ARNs case-sensitively, so an uppercase name would never match.
        ``*``, ``?`` and ``/`` would turn the ARN into a pattern or another path.
        https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-tables.html
        """
        self._match(
            prop,
            value,
            _GLUE_NAME_RE,
            f"a Glue {kind} name: 1-255 characters of lowercase letters, digits, '_' and '-' "
            "(Glue stores names in lowercase; no '*', '?' or '/')",
        )

    def glue_connection_name(self, prop: str, value: Any) -> None:
        """A Glue connection name usable in an IAM ARN (no wildcard or path characters)."""
        self._match(
            prop,
            value,
            _GLUE_CONNECTION_RE,
            "a Glue connection name: 1-255 characters of letters, digits and _.+=@-",
        )

    def aws_region(self, prop: str, value: Any) -> None:
        """An AWS Region code such as ``us-east-1``, ``cn-north-1`` or ``us-gov-west-1``."""
        self._match(prop, value, _REGION_RE, "an AWS Region code such as us-east-1")


_GLUE_NAME_RE = re.compile(r"^[a-z0-9_-]{1,255}$")
_GLUE_CONNECTION_RE = re.compile(r"^[A-Za-z0-9_.+=@-]{1,255}$")
_REGION_RE = re.compile(r"^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$")
