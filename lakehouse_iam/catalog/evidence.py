"""Evidence: why each granted action is needed, and why each left-out one is not.

Every action a vendor's constructs can grant carries a :class:`Need` in that vendor's
catalog, and every action deliberately left out (one the vendor page lists, or one an
engine is known to try) an :class:`Omission`. Each names its :class:`Source` es: the
vendor's public page, the engine's source at a commit, a recorded client trace in this
repository (``traces/fixtures/``), or an AWS documentation section. ``docs/permissions.md``
renders them next to the synthesized policies, and the test suite checks that every
granted action has a need, no need is stale, and no omitted action is granted.

Example::

    from lakehouse_iam.catalog.evidence import Need, aws_doc, engine, vendor_page

    LIST = Need(
        actions=("s3:ListBucket",),
        why="the sink validates s3.path by listing it",
        sources=(
            engine("risingwavelabs/risingwave src/connector/src/sink/file_sink/"
                   "opendal_sink.rs@448c6570b1b9d636736708340f61a85900c2b7d7"),
            vendor_page("Step 1"),
        ),
    )
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum

__all__ = [
    "EXACT_ACTION",
    "Need",
    "Omission",
    "Source",
    "SourceKind",
    "aws_doc",
    "doc",
    "engine",
    "evidence_by_action",
    "trace",
    "vendor_doc",
    "vendor_page",
]


class SourceKind(str, Enum):
    """What kind of evidence a :class:`Source` is."""

    VENDOR_PAGE = "vendor page"
    """The vendor's public IAM page (the vendor's ``page``); ``ref`` names its section, or
    is the ``https://`` URL of another page of the vendor's documentation."""
    ENGINE_SOURCE = "engine source"
    """A file of the engine (or the client it embeds) at a commit."""
    TRACE = "recorded trace"
    """A client trace recorded against moto and committed under ``traces/fixtures/``."""
    AWS_DOC = "AWS doc"
    """An AWS documentation section (Service Authorization Reference, user guides)."""
    DOC = "doc"
    """Another public documentation page: the vendor's docs beyond its IAM page (what
    engine it runs on), an engine's or client's documentation (Hadoop S3A)."""


_ENGINE_REF = re.compile(r"^[\w.-]+/[\w.-]+ \S+@[0-9a-f]{7,40}(#L\d+)?$")
_TRACE_REF = re.compile(r"^traces/fixtures/[\w.-]+\.json$")
_URL = re.compile(r"^https://\S+$")


@dataclass(frozen=True, kw_only=True)
class Source:
    """One piece of evidence.

    :param kind: what it is.
    :param ref: where it is: for ``VENDOR_PAGE`` the section of the vendor's page
        (the page itself is the vendor's ``page``); for ``ENGINE_SOURCE``
        ``"owner/repo path@commit"`` (optionally ``#L<line>``); for ``TRACE`` the fixture
        path ``traces/fixtures/<name>.json``; for ``AWS_DOC`` and ``DOC`` an ``https://``
        URL.
    :param detail: what in it shows the need (a function, a request, a sentence).
        Default: none.
    :raises ValueError: when ``ref`` does not have the form its ``kind`` needs.
    """

    kind: SourceKind
    ref: str
    detail: str = ""

    def __post_init__(self) -> None:
        form = {
            SourceKind.VENDOR_PAGE: (re.compile(r"^\S.*$"), "a section name of the vendor page"),
            SourceKind.ENGINE_SOURCE: (_ENGINE_REF, "'owner/repo path@commit' (7-40 hex)"),
            SourceKind.TRACE: (_TRACE_REF, "'traces/fixtures/<name>.json'"),
            SourceKind.AWS_DOC: (_URL, "an https:// URL"),
            SourceKind.DOC: (_URL, "an https:// URL"),
        }[self.kind]
        if not form[0].match(self.ref):
            raise ValueError(
                f"Source: ref {self.ref!r} is not valid for kind {self.kind.value!r}: "
                f"expected {form[1]}"
            )


def vendor_page(section: str, detail: str = "") -> Source:
    """The vendor page's ``section`` (e.g. ``"Level 2: DuckLake"``)."""
    return Source(kind=SourceKind.VENDOR_PAGE, ref=section, detail=detail)


def vendor_doc(url: str, detail: str = "") -> Source:
    """Another public page of the vendor's documentation than its ``page`` (a vendor
    whose IAM set-up spans several pages), by ``https://`` URL."""
    if not _URL.match(url):
        raise ValueError(f"vendor_doc: {url!r} is not an https:// URL")
    return Source(kind=SourceKind.VENDOR_PAGE, ref=url, detail=detail)


def engine(ref: str, detail: str = "") -> Source:
    """An engine (or embedded client) file at a commit: ``"owner/repo path@commit"``."""
    return Source(kind=SourceKind.ENGINE_SOURCE, ref=ref, detail=detail)


def trace(fixture: str, detail: str = "") -> Source:
    """A recorded trace: ``"traces/fixtures/<name>.json"``."""
    return Source(kind=SourceKind.TRACE, ref=fixture, detail=detail)


def aws_doc(url: str, detail: str = "") -> Source:
    """An AWS documentation section (``https://docs.aws.amazon.com/...``)."""
    return Source(kind=SourceKind.AWS_DOC, ref=url, detail=detail)


def doc(url: str, detail: str = "") -> Source:
    """Another public documentation page (``https://...``): a vendor's user guide beyond
    its IAM page, an engine's documentation."""
    return Source(kind=SourceKind.DOC, ref=url, detail=detail)


EXACT_ACTION = re.compile(r"^[a-z0-9-]+:[A-Za-z0-9]+$")
"""An exact IAM action, ``service:Action``: no wildcard, no NotAction form."""


def _checked(owner: str, actions: tuple[str, ...], why: str, sources: tuple[Source, ...]) -> None:
    problems = []
    if not actions:
        problems.append("actions: at least one exact action (service:Action)")
    problems += [
        f"actions: {a!r} is not an exact action (service:Action, no wildcard)"
        for a in actions
        if not EXACT_ACTION.match(a)
    ]
    if not why.strip():
        problems.append("why: say what the engine does that needs (or does not need) it")
    if not sources:
        problems.append("sources: at least one Source")
    if problems:
        raise ValueError(f"{owner} {actions!r}: " + "; ".join(problems))


@dataclass(frozen=True, kw_only=True)
class Need:
    """Why an engine needs ``actions``, with the sources that show it.

    :param actions: exact actions (``service:Action``) the engine sends.
    :param why: what the engine does that sends them.
    :param sources: the evidence; at least one.
    :param opt_in: the construct prop that grants them, when they are not granted by
        default (``"manage_databases=True"``). Default: granted by default.
    :raises ValueError: for an empty or wildcard action, an empty ``why`` or no source.
    """

    actions: tuple[str, ...]
    why: str
    sources: tuple[Source, ...]
    opt_in: str = ""

    def __post_init__(self) -> None:
        _checked("Need", self.actions, self.why, self.sources)


@dataclass(frozen=True, kw_only=True)
class Omission:
    """Actions deliberately not granted, and the evidence that the engine works without.

    :param actions: the exact actions left out.
    :param why: why the engine does not need them (or why granting them is worse).
    :param sources: the evidence; at least one.
    :raises ValueError: for an empty or wildcard action, an empty ``why`` or no source.
    """

    actions: tuple[str, ...]
    why: str
    sources: tuple[Source, ...]

    def __post_init__(self) -> None:
        _checked("Omission", self.actions, self.why, self.sources)


def evidence_by_action(needs: Iterable[Need]) -> dict[str, list[Need]]:
    """Action -> the needs that justify it, in the order given."""
    found: dict[str, list[Need]] = {}
    for need in needs:
        for action in need.actions:
            found.setdefault(action, []).append(need)
    return found
