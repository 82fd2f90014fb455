"""SSE-KMS: the KMS permissions S3 needs to read and write objects under a key."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import aws_kms as kms
from constructs import Construct

from .._private.partitions import checked_region
from .._private.stack_facts import stack_facts
from ..catalog import kms as kms_catalog
from ..validation import PropsCheck, check_partitions, is_token
from .grant import AccessGrant, allow, pascal_sid
from .s3_location import S3Location


@dataclass(frozen=True, kw_only=True)
class SseKmsGrant(AccessGrant):
    """``kms:Decrypt`` (read) and ``kms:GenerateDataKey`` + ``kms:Decrypt`` (write) on one key.

    The statement is usable only through S3 (``kms:ViaService =
    s3.<region>.amazonaws.com``), so the principal cannot call KMS directly with the
    key. When ``locations`` are given it is further narrowed with
    ``kms:EncryptionContext:aws:s3:arn``: S3 sets that context to the object ARN, or
    to the bucket ARN when S3 Bucket Keys are enabled, so both are allowed.

    The key must be in the bucket's region: S3 uses an SSE-KMS key of its own region
    only. Where synthesis knows the regions (a literal key ARN or a ``kms.IKey`` of a
    stack with an explicit region; ``region``; a bucket ``s3.IBucket`` of such a stack; the
    stack's region) a mismatch raises a ``ValueError``; in an env-agnostic stack nothing
    tells, and the key region is not checked.

    Example::

        SseKmsGrant(key=lake_key, read=True, write=True, locations=[raw])

    :param key: the key ARN or a ``kms.IKey``. An alias is rejected: IAM policies
        cannot grant a key by alias ARN.
    :param read: grant what reading SSE-KMS objects needs. Default: ``True``.
    :param write: grant what writing (including multipart) needs. Default: ``False``.
    :param locations: S3 locations the key is used for; narrows the encryption
        context. Default: no encryption-context condition.
    :param region: region of the bucket (and key). Default: the region of the
        ``locations``' buckets when synthesis knows it (``s3.IBucket`` s of a stack with an
        explicit region), else the stack's region.
    :param name: stable alphanumeric name for the policy. Default: ``SseKms``.
    """

    key: str | kms.IKey
    read: bool = True
    write: bool = False
    locations: Sequence[S3Location] = ()
    region: str | None = None
    name: str = field(default="SseKms")
    _ikey_arn: str = field(init=False, repr=False, compare=False, default="")
    _ikey_region: str | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        check = PropsCheck("SseKmsGrant")
        check.kms_key("key", self.key)
        check.boolean("read", self.read)
        check.boolean("write", self.write)
        if self.read is False and self.write is False:
            check.add("read/write", (self.read, self.write), "at least one of read or write")
        check.sid("name", self.name)
        check.sequence_of("locations", self.locations, S3Location, "S3Location")
        if self.region is not None:
            check.aws_region("region", self.region)
        check.raise_if_any()
        check.keep_deferred(self)
        object.__setattr__(self, "locations", tuple(self.locations))

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and the prefix of its Sids."""
        return self.name

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "KMS access for SSE-KMS objects, only through S3"

    @property
    def actions(self) -> tuple[str, ...]:
        """The exact KMS actions granted."""
        chosen = set(kms_catalog.READ if self.read else ())
        chosen |= set(kms_catalog.WRITE if self.write else ())
        return tuple(sorted(chosen))

    def key_arn(self) -> str:
        """The key ARN the actions are granted on (an ``IKey``'s is fetched once)."""
        if isinstance(self.key, str):
            return self.key
        if not self._ikey_arn:
            object.__setattr__(self, "_ikey_arn", self.key.key_arn)
        return self._ikey_arn

    def key_region(self) -> str | None:
        """The key's region when synthesis knows it (a literal ARN, or an ``IKey`` of a stack
        with an explicit region), else ``None``."""
        if isinstance(self.key, str):
            return None if is_token(self.key) else self.key.split(":")[3]
        if self._ikey_region is None:
            region = self.key.env.region
            if not is_token(region):
                checked_region(
                    region,
                    where=f"SseKmsGrant: key {self.key.node.path}",
                    prop="key's region",
                    fix="the region of the key's stack, or its from_key_arn() ARN",
                )
            object.__setattr__(self, "_ikey_region", "" if is_token(region) else region)
        return self._ikey_region or None

    def bucket_region(self, scope: Construct) -> str:
        """The region in ``kms:ViaService``: ``region``; else the buckets' region when
        synthesis knows it (``s3.IBucket`` s of a stack with an explicit region); else the
        stack's region (a token in an env-agnostic stack)."""
        if self.region is not None:
            return self.region
        known = {r for r in (loc.known_region() for loc in self.locations) if r}
        if len(known) == 1:
            return known.pop()
        return stack_facts(scope).region

    def _check_regions(self, scope: Construct) -> None:
        facts = stack_facts(scope)
        check_partitions("SseKmsGrant", facts, {"key": self.key})
        check = PropsCheck("SseKmsGrant")
        region = self.bucket_region(scope)
        via = None if is_token(region) else region
        source = "region" if self.region else "the buckets' or the stack's region"
        key_region = self.key_region()
        if key_region and via and key_region != via:
            check.add(
                "key",
                self.key_arn() if isinstance(self.key, str) else f"a kms.IKey in {key_region}",
                f"a key in {via} ({source}, in kms:ViaService): S3 uses an SSE-KMS key of "
                "the bucket's own region only; pass a key of that region, or region= the "
                "bucket's region",
            )
        for i, location in enumerate(self.locations):
            bucket_region = location.known_region()
            if bucket_region and via and bucket_region != via:
                check.add(
                    f"locations[{i}]",
                    location.label or location,
                    f"a bucket in {via} ({source}); this bucket is in {bucket_region}: one "
                    "SSE-KMS grant covers buckets of one region (its key and kms:ViaService), "
                    "so use one grant per region",
                )
        check.raise_if_any()

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        self._check_regions(scope)
        region = self.bucket_region(scope)
        conditions: dict[str, dict[str, object]] = {
            "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"}
        }
        if self.locations:
            contexts: list[str] = []
            for loc in self.locations:
                for arn in (loc.bucket_arn(scope), loc.objects_arn(scope)):
                    if arn not in contexts:
                        contexts.append(arn)
            conditions["StringLike"] = {"kms:EncryptionContext:aws:s3:arn": contexts}
        return [allow(f"{self.sid}ViaS3", self.actions, [self.key_arn()], conditions)]


@dataclass(frozen=True, kw_only=True)
class SseKmsKey:
    """A customer-managed SSE-KMS key and the S3 locations whose objects it encrypts: one
    entry per key when the buckets (or prefixes) of one identity use different keys.

    Each entry becomes its own :class:`SseKmsGrant`, so a key is usable only through S3
    and only for its own locations (``kms:EncryptionContext:aws:s3:arn`` of those
    buckets and prefixes), never for another entry's.

    Example::

        SseKmsKey(key=landing_key, locations=[landing])

    :param key: the key ARN or a ``kms.IKey``. An alias is rejected: IAM policies cannot
        grant a key by alias ARN.
    :param locations: the locations whose objects the key encrypts (at least one).
    """

    key: str | kms.IKey
    locations: Sequence[S3Location]

    def __post_init__(self) -> None:
        check = PropsCheck("SseKmsKey")
        check.kms_key("key", self.key)
        if check.sequence_of("locations", self.locations, S3Location, "S3Location") and not (
            self.locations
        ):
            check.add("locations", self.locations, "at least one S3Location")
        check.raise_if_any()
        object.__setattr__(self, "locations", tuple(self.locations))


def sse_kms_grants(
    keys: Sequence[SseKmsKey], *, write: bool, region: str | None = None
) -> list[SseKmsGrant]:
    """One :class:`SseKmsGrant` per key (read, plus write when ``write``), each named
    ``SseKms<first location's label>`` (``SseKms<n>`` when labels are unnamed or repeat)."""
    names = [pascal_sid(k.locations[0].label) for k in keys]
    return [
        SseKmsGrant(
            key=k.key,
            read=True,
            write=write,
            locations=k.locations,
            region=region,
            name=f"SseKms{name}" if name and names.count(name) == 1 else f"SseKms{i + 1}",
        )
        for i, (k, name) in enumerate(zip(keys, names, strict=True))
    ]
