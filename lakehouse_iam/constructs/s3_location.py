"""An S3 location: a bucket and an optional key prefix."""

from __future__ import annotations

from dataclasses import dataclass, field

import aws_cdk as cdk
from aws_cdk import aws_s3 as s3
from constructs import Construct

from .._private.partitions import checked_region
from .._private.stack_facts import stack_facts
from ..validation import PropsCheck, is_token


@dataclass(frozen=True, kw_only=True)
class S3Location:
    """A bucket, given as a name, an ARN or an ``s3.IBucket``, and an optional prefix.

    The prefix is normalised: ``/raw/orders/`` and ``raw/orders`` are the same
    location. Wildcards, policy variables (``${``), ``.``/``..`` segments and control
    characters are rejected, because IAM would read them as patterns or variables and
    widen the grant; so are unbalanced brackets, which the cdk-nag acknowledgment of the
    prefix's object ARN cannot carry (see :meth:`PropsCheck.prefix`). The same rules hold
    for the literal text beside a token (``f"raw/{env}"`` is a prefix, ``f"{env}*"`` is
    refused), a ``CfnParameter`` in a bucket or prefix is checked through its allowed
    values, default and pattern, and a ``Lazy`` on its value at synthesis
    (``docs/inputs.md``).

    Example::

        raw = S3Location(bucket="my-lake-bucket", prefix="raw/orders")
        same = S3Location(bucket=lake_bucket, prefix="/raw/orders/")  # an s3.IBucket

    :param bucket: bucket name (``my-bucket``), bucket ARN (``arn:aws:s3:::my-bucket``)
        or an ``s3.IBucket`` (also one from another stack, ``s3.Bucket.from_bucket_name``
        or ``from_bucket_arn``). A token string is taken as a name or an ARN only when
        lakehouse-iam can tell which (``bucket.bucket_name``, ``bucket.bucket_arn``,
        ``f"lake-{suffix}"``); for a ``CfnParameter``, ``Fn.import_value`` and the like,
        pass ``s3.Bucket.from_bucket_name(...)`` instead (a ``ValueError`` says so).
    :param prefix: key prefix the grant is confined to. Default: the whole bucket.
    """

    bucket: str | s3.IBucket
    prefix: str | None = None
    _prefix: str | None = field(init=False, repr=False, compare=False, default=None)
    _label: str = field(init=False, repr=False, compare=False, default="")
    _is_arn: bool = field(init=False, repr=False, compare=False, default=False)
    _ibucket_arn: str = field(init=False, repr=False, compare=False, default="")
    _ibucket_name: str = field(init=False, repr=False, compare=False, default="")
    _ibucket_region: str | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        check = PropsCheck("S3Location")
        form = check.s3_bucket("bucket", self.bucket)
        normal = check.prefix("prefix", self.prefix)
        check.raise_if_any()
        check.keep_deferred(self)
        object.__setattr__(self, "_is_arn", form == "arn")
        object.__setattr__(self, "_prefix", normal)
        object.__setattr__(self, "_label", self._make_label())

    @property
    def normalized_prefix(self) -> str | None:
        """The prefix without leading or trailing ``/``; ``None`` for the whole bucket."""
        return self._prefix

    @property
    def label(self) -> str:
        """A readable name for Sids and docs: the bucket name (or construct ID) and prefix."""
        return self._label

    def described(self) -> str:
        """The location as a description names it: :attr:`label`, except for an imported
        bucket whose name is known only at deploy time (``s3.Bucket.from_bucket_name``
        with a ``CfnParameter`` or ``Fn.import_value``), whose label would be the import's
        construct ID (a template's ``BucketName parameter``): there the bucket name and
        prefix, as tokens CloudFormation fills in. ``""`` when neither says anything (the
        caller names the location another way).

        Descriptions of a bucket given any other way read as they always have: a managed
        policy's description cannot change without CloudFormation replacing the policy.
        """
        bucket = self.bucket
        if isinstance(bucket, (str, s3.Bucket)):
            return self.label
        name = self.bucket_name()
        if not is_token(name):
            return self.label
        # At most 1000 characters once deployed: a bucket name has at most 63.
        if self._prefix and len(self._prefix) <= 900:
            return f"{name}/{self._prefix}"
        return name

    def _make_label(self) -> str:
        if isinstance(self.bucket, str):
            name = self.bucket.rsplit(":", 1)[-1] if self._is_arn else self.bucket
            if is_token(name):
                name = ""
        else:
            name = self.bucket.node.id
        return f"{name}/{self._prefix}" if self._prefix and not is_token(self._prefix) else name

    def bucket_arn(self, scope: Construct) -> str:
        """The bucket ARN, in the partition of ``scope``'s stack."""
        if not isinstance(self.bucket, str):
            # A bucket's ARN is one stable token; fetch it from jsii once, and tell the
            # stack's sizer it is a bucket ARN (at most 83 characters once deployed).
            if not self._ibucket_arn:
                object.__setattr__(self, "_ibucket_arn", self.bucket.bucket_arn)
            stack_facts(scope).bucket_arn_tokens.add(self._ibucket_arn)
            return self._ibucket_arn
        if self._is_arn:
            return self.bucket
        return f"arn:{stack_facts(scope).partition}:s3:::{self.bucket}"

    def known_region(self) -> str | None:
        """The bucket's region when synthesis knows it: an ``s3.IBucket`` of a stack with an
        explicit region (or imported with ``region=``). ``None`` for a name or an ARN, which
        do not say (a bucket ARN has no region field)."""
        if isinstance(self.bucket, str):
            return None
        if self._ibucket_region is None:
            region = self.bucket.env.region
            if not is_token(region):
                checked_region(
                    region,
                    where=f"S3Location at {self.bucket.node.path}",
                    prop="bucket's region",
                    fix="the region of the bucket's stack, or its from_bucket_attributes(region=)",
                )
            object.__setattr__(self, "_ibucket_region", "" if is_token(region) else region)
        return self._ibucket_region or None

    def bucket_name(self) -> str:
        """The bucket name (may be a token)."""
        if not isinstance(self.bucket, str):
            if not self._ibucket_name:
                object.__setattr__(self, "_ibucket_name", self.bucket.bucket_name)
            return self._ibucket_name
        if self._is_arn:
            if ":::" in self.bucket:
                return self.bucket.split(":::", 1)[1]
            # A token ARN (bucket.bucket_arn): the name is its 6th ':'-separated field.
            return cdk.Fn.select(5, cdk.Fn.split(":", self.bucket))
        return self.bucket

    def objects_arn(self, scope: Construct, *, bucket_arn: str | None = None) -> str:
        """The ARN pattern of every object in the location: ``bucket/prefix/*``.

        :param bucket_arn: the bucket ARN if already rendered (saves a lookup).
        """
        arn = bucket_arn or self.bucket_arn(scope)
        return f"{arn}/{self._prefix}/*" if self._prefix else f"{arn}/*"

    def list_prefixes(self, *, bare: bool = False) -> list[str] | None:
        """``s3:prefix`` values that allow listing the prefix and everything under it.

        ``prefix/`` is the prefix itself (what ``aws s3 ls s3://bucket/prefix/`` sends);
        ``prefix/*`` everything below it. ``None`` when the location is the whole bucket.

        :param bare: also allow exactly ``prefix``, without the slash, as engines that
            treat the prefix as a directory send it (no wildcard: the value matches only
            itself). Default: ``False``.
        """
        if not self._prefix:
            return None
        bare_value = [self._prefix] if bare else []
        return [*bare_value, f"{self._prefix}/", f"{self._prefix}/*"]

    def prefix_key_arn(self, scope: Construct, *, bucket_arn: str | None = None) -> str | None:
        """The ARN of the object whose key is the prefix itself (``bucket/prefix``), the
        "directory" key some clients probe; ``None`` for the whole bucket."""
        if not self._prefix:
            return None
        return f"{bucket_arn or self.bucket_arn(scope)}/{self._prefix}"

    def uri(self) -> str:
        """``s3://bucket/prefix/`` (or ``s3://bucket``)."""
        base = f"s3://{self.bucket_name()}"
        return f"{base}/{self._prefix}/" if self._prefix else base


def check_locations(check: PropsCheck, prop: str, locations: object) -> None:
    """Add to ``check`` what is wrong with ``locations``: a sequence of distinct
    :class:`S3Location` s is accepted (empty included)."""
    if isinstance(locations, (str, S3Location)) or not isinstance(locations, (list, tuple)):
        check.add(prop, locations, "a sequence of S3Location")
        return
    for i, loc in enumerate(locations):
        if not isinstance(loc, S3Location):
            check.add(f"{prop}[{i}]", loc, "an S3Location")
    if len(set(map(repr, locations))) != len(locations):
        check.add(prop, locations, "distinct locations (one is repeated)")
