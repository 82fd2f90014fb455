"""Hypothesis strategies: valid inputs of the building blocks, and ways to break them.

Valid values are built from the AWS rules directly (not from the validators under
test); invalid values are valid ones with one rule broken, so each names the rule.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import strategies as st

from lakehouse_iam.catalog.s3 import S3_ACTION_SCOPES

PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
REGIONS = ("us-east-1", "eu-west-1", "ap-southeast-2", "cn-north-1", "us-gov-west-1")
_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")

partitions = st.sampled_from(PARTITIONS)
regions = st.sampled_from(REGIONS)
accounts = st.from_regex(r"[0-9]{12}", fullmatch=True)

_bucket_label = st.from_regex(r"[a-z0-9](?:[a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
bucket_names = (
    st.tuples(
        st.from_regex(r"[a-z0-9][a-z0-9-]{1,10}[a-z0-9]", fullmatch=True),
        st.lists(_bucket_label, max_size=2),
    )
    .map(lambda t: ".".join([t[0], *t[1]]))
    .filter(lambda n: not n.startswith(_RESERVED_PREFIXES))
    .filter(lambda n: not n.endswith(_RESERVED_SUFFIXES))
)
"""S3 general purpose bucket names (at most three labels, so never an IPv4 address)."""

# Key characters S3 stores as-is, non-ASCII included; never '*', '?', '{' or controls,
# and brackets only in pairs.
_segment = st.text(
    alphabet=st.sampled_from(list("abcXYZ019-_.=!'&+,;@ $\u00e9\u00fc\u65e5")),
    min_size=1,
    max_size=8,
).filter(lambda s: s not in (".", ".."))
_segment = _segment | _segment.map(lambda s: f"({s})") | _segment.map(lambda s: f"[{s}]")
prefix_segments = st.lists(_segment, min_size=1, max_size=3)


@st.composite
def prefixes(draw: st.DrawFn) -> tuple[str | None, str | None]:
    """``(prefix as the user writes it, its normal form)``, or ``(None, None)``."""
    if draw(st.booleans()):
        return None, None
    normal = "/".join(draw(prefix_segments))
    lead = draw(st.sampled_from(["", "/", "//"]))
    trail = draw(st.sampled_from(["", "/"]))
    return f"{lead}{normal}{trail}", normal


_iam_name = st.from_regex(r"[A-Za-z0-9+=,.@_-]{1,64}", fullmatch=True)
_iam_path = st.lists(st.from_regex(r"[A-Za-z0-9_-]{1,8}", fullmatch=True), max_size=2).map(
    lambda parts: "".join(f"{p}/" for p in parts)
)


@st.composite
def role_arns(draw: st.DrawFn) -> str:
    return f"arn:{draw(partitions)}:iam::{draw(accounts)}:role/{draw(_iam_path)}{draw(_iam_name)}"


external_ids = st.from_regex(r"[A-Za-z0-9_+=,.@:/-]{2,64}", fullmatch=True)


@st.composite
def kms_key_arns(draw: st.DrawFn) -> str:
    key = draw(st.one_of(st.uuids().map(str), st.uuids().map(lambda u: f"mrk-{u.hex}")))
    return f"arn:{draw(partitions)}:kms:{draw(regions)}:{draw(accounts)}:key/{key}"


s3_actions = st.sets(st.sampled_from(sorted(S3_ACTION_SCOPES)), min_size=1).map(sorted)


# -- specs: plain data a test turns into constructs -----------------------------------


@dataclass(frozen=True)
class LocationSpec:
    bucket: str  # a name or an ARN
    bucket_name: str
    prefix: str | None
    normal: str | None


@st.composite
def locations(draw: st.DrawFn) -> LocationSpec:
    name = draw(bucket_names)
    bucket = draw(st.sampled_from([name, f"arn:{draw(partitions)}:s3:::{name}"]))
    prefix, normal = draw(prefixes())
    return LocationSpec(bucket=bucket, bucket_name=name, prefix=prefix, normal=normal)


@dataclass(frozen=True)
class TrustSpec:
    kind: str  # cross_account, role, ecs, ec2
    role_arn: str | None = None
    external_id: str | None = None
    account: str | None = None
    region: str | None = None
    guard_off: bool = False


@st.composite
def trusts(draw: st.DrawFn) -> TrustSpec:
    kind = draw(st.sampled_from(["cross_account", "role", "ecs", "ec2"]))
    if kind in ("cross_account", "role"):
        return TrustSpec(
            kind=kind,
            role_arn=draw(role_arns()),
            external_id=draw(st.none() | external_ids),
        )
    if kind == "ecs":
        if draw(st.integers(0, 4)) == 0:
            return TrustSpec(kind=kind, guard_off=True)
        return TrustSpec(
            kind=kind, account=draw(st.none() | accounts), region=draw(st.none() | regions)
        )
    return TrustSpec(kind=kind)


@dataclass(frozen=True)
class GrantSpec:
    location: LocationSpec
    actions: list[str]


@dataclass(frozen=True)
class KmsSpec:
    key: str
    read: bool
    write: bool
    location_indexes: tuple[int, ...]


@dataclass(frozen=True)
class RoleSpec:
    """A DataAccessRole: one trust, S3 grants on distinct names, optionally SSE-KMS."""

    trust: TrustSpec
    grants: list[GrantSpec]
    kms: KmsSpec | None = None


@dataclass(frozen=True)
class RisingWaveSpec:
    role_arn: str
    location: LocationSpec
    kms_key: str | None


@st.composite
def role_specs(draw: st.DrawFn) -> RoleSpec:
    grants = draw(
        st.lists(
            st.builds(GrantSpec, location=locations(), actions=s3_actions), min_size=1, max_size=3
        )
    )
    kms = None
    if draw(st.booleans()):
        read, write = draw(st.sampled_from([(True, False), (False, True), (True, True)]))
        indexes = draw(st.sets(st.integers(0, len(grants) - 1)).map(lambda s: tuple(sorted(s))))
        kms = KmsSpec(key=draw(kms_key_arns()), read=read, write=write, location_indexes=indexes)
    return RoleSpec(trust=draw(trusts()), grants=grants, kms=kms)


risingwave_specs = st.builds(
    RisingWaveSpec,
    role_arn=role_arns(),
    location=locations(),
    kms_key=st.none() | kms_key_arns(),
)

cases = st.one_of(role_specs(), risingwave_specs)
"""One construct to build: a DataAccessRole or a RisingWaveAccess."""


# -- invalid values: a valid value with one rule broken -------------------------------


@dataclass(frozen=True)
class Broken:
    """A bad value for a prop, and the rule it breaks (for failure messages)."""

    value: Any
    rule: str = field(default="")


def _broken(strategy: st.SearchStrategy[Any], rule: str) -> st.SearchStrategy[Broken]:
    return strategy.map(lambda v: Broken(v, rule))


bad_bucket_names = st.one_of(
    _broken(bucket_names.map(lambda n: "X" + n), "uppercase"),
    _broken(bucket_names.map(lambda n: n + "_x"), "underscore"),
    _broken(bucket_names.map(lambda n: n[:1] + "..a"), "adjacent dots"),
    _broken(bucket_names.map(lambda n: "-" + n), "leading dash"),
    _broken(bucket_names.map(lambda n: n + "*"), "wildcard"),
    _broken(bucket_names.map(lambda n: (n * 64)[:64]), "64 characters"),
    _broken(st.sampled_from(_RESERVED_PREFIXES).map(lambda p: p + "bucket"), "reserved prefix"),
    _broken(st.sampled_from(_RESERVED_SUFFIXES).map(lambda s: "bucket" + s), "reserved suffix"),
    _broken(st.just("192.168.5.4"), "IP address"),
    _broken(bucket_names.map(lambda n: f"arn:aws:s3:::{n}/key"), "object ARN"),
    _broken(bucket_names.map(lambda n: f"arn:aws-iso:s3:::{n}"), "unknown partition"),
    _broken(st.integers(), "not a string"),
)

bad_prefixes = st.one_of(
    _broken(
        st.tuples(prefix_segments, st.sampled_from(["*", "?", "${aws:username}"])).map(
            lambda t: "/".join(t[0]) + t[1]
        ),
        "pattern or policy variable",
    ),
    _broken(
        st.tuples(prefix_segments, st.sampled_from(["..", "."])).map(
            lambda t: "/".join([*t[0], t[1], "x"])
        ),
        "dot segment",
    ),
    _broken(prefix_segments.map(lambda s: "//".join([*s, "x"])), "empty segment"),
    _broken(
        st.tuples(prefix_segments, st.sampled_from(["\x00", "\t", "\n", "\x1f", "\x7f"])).map(
            lambda t: "/".join(t[0]) + t[1]
        ),
        "control character",
    ),
    _broken(st.sampled_from(["", "/", "///"]), "empty"),
    _broken(
        st.tuples(prefix_segments, st.sampled_from(["(", ")", "[", "]", "}", "(]"])).map(
            lambda t: "/".join(t[0]) + t[1]
        ),
        "unbalanced bracket",
    ),
    _broken(st.just("k" * 1001), "too long"),
)

bad_role_arns = st.one_of(
    _broken(accounts.map(lambda a: f"arn:aws:iam::{a}:root"), "account root"),
    _broken(accounts.map(lambda a: f"arn:aws:iam::{a}:role/*"), "wildcard"),
    _broken(accounts.map(lambda a: f"arn:aws:iam::{a}:user/vendor"), "user ARN"),
    _broken(accounts.map(lambda a: f"arn:aws:iam::{a[:11]}:role/vendor"), "11-digit account"),
    _broken(role_arns().map(lambda r: r + "\n"), "trailing newline"),
    _broken(role_arns().map(lambda r: r.replace("arn:aws", "arn:aws-iso", 1)), "partition"),
    _broken(accounts, "bare account ID"),
)

bad_external_ids = st.one_of(
    _broken(st.from_regex(r"[A-Za-z0-9]", fullmatch=True), "1 character"),
    _broken(st.just("x" * 1225), "1225 characters"),
    _broken(external_ids.map(lambda e: e + " "), "space"),
    _broken(external_ids.map(lambda e: e + "\u00e9"), "non-ASCII"),
    _broken(external_ids.map(lambda e: e + "*"), "wildcard"),
)

any_external_id = _broken(external_ids, "any ExternalId (RisingWave never sends one)")

bad_redshift_database_users = st.one_of(
    _broken(st.just([]), "no user"),
    _broken(accounts.map(lambda a: f"arn:aws:redshift:us-east-1:{a}:dbuser:c/u"), "a string"),
    _broken(accounts.map(lambda a: [f"arn:aws:redshift:us-east-1:{a}:cluster:c"]), "cluster ARN"),
    _broken(accounts.map(lambda a: [f"arn:aws:redshift:us-east-1:{a}:dbuser:c/*"]), "wildcard"),
)

bad_kms_keys = st.one_of(
    _broken(kms_key_arns().map(lambda k: k.rsplit(":", 1)[0] + ":alias/lake"), "alias"),
    _broken(kms_key_arns().map(lambda k: k.rsplit("/", 1)[0] + "/*"), "wildcard"),
    _broken(st.uuids().map(str), "bare key ID"),
)

bad_accounts = st.one_of(
    _broken(accounts.map(lambda a: a[:11]), "11 digits"),
    _broken(accounts.map(lambda a: a + "0"), "13 digits"),
    _broken(accounts.map(lambda a: a[:11] + "x"), "letter"),
)

bad_role_names = st.one_of(
    _broken(st.just("r" * 65), "65 characters"),
    _broken(_iam_name.map(lambda n: n[:60] + "/x"), "slash"),
    _broken(_iam_name.map(lambda n: n[:60] + " x"), "space"),
    _broken(st.just(""), "empty"),
)
