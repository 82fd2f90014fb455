"""Property tests: the never-widen invariant on the validation layer, without synthesis.

A token beside literal text (``f"raw/{env}*"``) renders the text as written, so the text
must follow the prop's rules whatever the token becomes. Each example builds a value from
literal parts and tokens, and either keeps every part valid (the rules are written here
from the AWS naming rules, not read from the validation under test) or breaks one part
one way: a ``*``, ``?`` or ``${`` in the text, a ``..``, or an empty or dot segment. A
valid value is accepted; a broken one is refused, naming the prop.

No app is synthesized, so each test runs hundreds of examples within a second or two;
the count is fixed here, above the suite-wide profile's (``tests/conftest.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

import aws_cdk as cdk
from hypothesis import given, settings
from hypothesis import strategies as st

from lakehouse_iam.validation import PropsCheck

EXAMPLES = 500

_STACK = cdk.Stack(cdk.App(), "Tokens")
TOKENS = (
    cdk.Aws.REGION,
    cdk.Aws.ACCOUNT_ID,
    cdk.Fn.import_value("SharedName"),
    cdk.CfnParameter(_STACK, "Narrow", allowed_pattern="[a-z0-9]{1,8}").value_as_string,
)
"""Tokens that may stand for any text: pseudo parameters, an import, a parameter of a
pattern every prop accepts (its values are checked in tests/unit/test_never_wider.py)."""

tokens = st.sampled_from(TOKENS)
WILDCARDS = ("*", "?", "${")


@dataclass(frozen=True)
class Case:
    """A value made of literal parts and tokens, and how it was broken (``None``: valid)."""

    value: str
    broken: str | None


def refused(rule: str, value: str, **kwargs: object) -> list[str]:
    check = PropsCheck("Owner")
    getattr(check, rule)("p", value, **kwargs)
    return check.problems


def check(rule: str, case: Case, **kwargs: object) -> None:
    problems = refused(rule, case.value, **kwargs)
    if case.broken is None:
        assert problems == [], (case, problems)
    else:
        assert problems, (case, "accepted")
        assert problems[0].startswith("p="), problems


@st.composite
def spliced(
    draw: st.DrawFn, parts: list[str | None], bad: st.SearchStrategy[str], *, broken: bool = False
) -> Case:
    """``parts`` (``None`` = a token) joined, valid or (always, when ``broken``) with
    ``bad`` put into a literal part."""
    texts = [p if p is not None else draw(tokens) for p in parts]
    literal = [i for i, p in enumerate(parts) if p is not None]
    if not literal or (not broken and draw(st.booleans())):
        return Case("".join(texts), None)
    i = draw(st.sampled_from(literal))
    fragment = draw(bad)
    at = draw(st.integers(0, len(texts[i])))
    texts[i] = texts[i][:at] + fragment + texts[i][at:]
    return Case("".join(texts), fragment)


def _has_token(parts: list[str | None]) -> bool:
    return None in parts


def _not_dots(text: str) -> bool:
    return text.strip(".") != ""


def with_token(literals: st.SearchStrategy[str], size: int = 4) -> st.SearchStrategy[list]:
    """Lists of literal parts and tokens (``None``), at least one token. Strategies are
    built once, at import: hypothesis reads a new strategy's functions from their source."""
    part = st.one_of(st.none(), literals)
    return st.lists(part, min_size=1, max_size=size).filter(_has_token)


wildcards = st.sampled_from(WILDCARDS)

# -- key prefixes: '/'-separated, no wildcard, no empty / '.' / '..' segment -------------
_PREFIX_TEXT = st.text(
    alphabet=st.sampled_from(list("abcXYZ019-_.=!'&+,;@ \u00e9\u65e5")), min_size=1, max_size=6
).filter(_not_dots)
_PREFIX_SEGMENTS = st.lists(
    with_token(_PREFIX_TEXT, 2) | st.lists(_PREFIX_TEXT, min_size=1, max_size=1),
    min_size=1,
    max_size=4,
)


@st.composite
def prefixes(draw: st.DrawFn) -> Case:
    # segments, each of literal text and tokens; literal text never dot-only
    segments = draw(_PREFIX_SEGMENTS)
    if not any(None in s for s in segments):
        segments[0] = [*segments[0], None]
    how = draw(st.sampled_from(["valid", "wildcard", "segment"]))
    parts: list[str | None] = []
    for i, segment in enumerate(segments):
        if i:
            parts.append("/")
        parts.extend(segment)
    if how == "segment":
        # an empty, '.' or '..' segment written between two others, or a '.'/'..' one
        # at either end
        bad = draw(st.sampled_from(["", ".", ".."]))
        at = draw(st.integers(0, len(segments)))
        if bad == "" and at in (0, len(segments)):
            at = 1 if len(segments) > 1 else at
            if len(segments) == 1:
                bad = ".."
        joined = ["".join(p if p is not None else draw(tokens) for p in s) for s in segments]
        joined.insert(at, bad)
        return Case("/".join(joined), f"segment {bad!r}")
    if how == "wildcard":
        return draw(spliced(parts, wildcards, broken=True))
    return Case("".join(p if p is not None else draw(tokens) for p in parts), None)


@settings(max_examples=EXAMPLES, deadline=None)
@given(case=prefixes())
def test_a_prefix_beside_tokens_is_refused_exactly_when_its_text_is_bad(case):
    check("prefix", case)


# -- bucket names: lowercase letters, digits, '.' and '-'; no '..'; alphanumeric ends ----
_BUCKET_PIECE = st.tuples(
    st.text(alphabet="abz09", min_size=1, max_size=3),
    st.sampled_from(["", "-", ".", "-x", ".9"]),
).map("".join)


_BUCKET_PARTS = with_token(_BUCKET_PIECE)
_BUCKET_BAD = st.sampled_from([*WILDCARDS, "..", "/", "A", "_", ":"])


@st.composite
def bucket_names(draw: st.DrawFn) -> Case:
    parts = draw(_BUCKET_PARTS)
    if parts[-1] is not None:
        parts[-1] = parts[-1].rstrip("-.")
    return draw(spliced(parts, _BUCKET_BAD))


@settings(max_examples=EXAMPLES, deadline=None)
@given(case=bucket_names())
def test_a_bucket_name_beside_tokens_is_refused_exactly_when_its_text_is_bad(case):
    check("bucket_name", case)
    # As a bucket prop, the text before the first token must also rule out an ARN
    # ("a" + token may become "arn:..."), or the value's form cannot be told.
    head = case.value.split("${Token[", 1)[0]
    if head and not "arn:".startswith(head[:4]):
        check("s3_bucket", case)


# -- ARNs: an ARN's characters, never a wildcard ----------------------------------------
@st.composite
def kms_key_arns(draw: st.DrawFn) -> Case:
    fields = [
        draw(st.sampled_from(["aws", None])),
        draw(st.sampled_from(["us-east-1", None])),
        draw(st.sampled_from(["111111111111", None])),
        draw(st.sampled_from(["1234abcd-12ab-34cd-56ef-1234567890ab", None])),
    ]
    if None not in fields:
        fields[draw(st.integers(0, 3))] = None
    partition, region, account, key = fields
    parts = ["arn:", partition, ":kms:", region, ":", account, ":key/", key]
    return draw(spliced(parts, wildcards))


@settings(max_examples=EXAMPLES, deadline=None)
@given(case=kms_key_arns())
def test_a_kms_key_arn_beside_tokens_is_refused_exactly_when_it_holds_a_wildcard(case):
    check("kms_key_arn", case)


# -- names: each prop's characters ------------------------------------------------------
NAMES = {
    "glue_name": st.text(alphabet="az09_-", min_size=1, max_size=6),
    "secret_name": st.text(alphabet="aZ09/_+=.@-", min_size=1, max_size=6),
    "log_group_name": st.text(alphabet="aZ09._/#-", min_size=1, max_size=6),
    "iam_name": st.text(alphabet="aZ09+=,.@_-", min_size=1, max_size=6),
}


_NAME_PARTS = {rule: with_token(text) for rule, text in NAMES.items()}


@st.composite
def names(draw: st.DrawFn) -> tuple[str, Case]:
    rule = draw(_NAME_RULES)
    return rule, draw(spliced(draw(_NAME_PARTS[rule]), wildcards))


_NAME_RULES = st.sampled_from(sorted(NAMES))


@settings(max_examples=EXAMPLES, deadline=None)
@given(named=names())
def test_a_name_beside_tokens_is_refused_exactly_when_it_holds_a_wildcard(named):
    rule, case = named
    check(rule, case, **({"max_length": 64} if rule == "iam_name" else {}))
