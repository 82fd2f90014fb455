"""Engine requests: what an engine really sends to AWS, as rows one evaluator judges.

A *row* is one request an engine makes with one of the example stacks' roles or users
(the row format of the project's engine-request contract)::

    stack: LakehouseIam-StarRocks           # example stack id
    principal: AssumedRole/DataRole/Role    # construct path of the role or user
    variant: null                           # or {name: ..., context: {cdk context}}
    op: "Hive catalog on Glue: first metadata call (client init)"
    action: glue:GetDatabase
    resource: "arn:${AWS::Partition}:glue:${AWS::Region}:${AWS::AccountId}:database/default"
    context: {}                             # condition keys the request carries
    source: "<owner>/<repo> <path>@<commit>#L<line> | issue | AWS doc URL"
    confidence: recorded | high | medium | low
    expect: allow                           # what the engine needs; deny documents a boundary
    known_gap: "what must change"           # optional: the current roles deny it (a defect)
    resource_account: "${AWS::AccountId}"   # optional: judge the identity side only (a
                                            # resource in another account with its own policy)

``kind: trust`` rows are requests to *assume* the principal (a role): ``caller`` is the
principal ARN or service that calls ``action`` (default ``sts:AssumeRole``), ``context``
the keys it sends; they map to the probe tables' ``trust`` rows.

Two producers make rows: the cited call tables ``verification/calls/*.yaml``
(:func:`load_tables`) and the trace replay (``traces/replay.py``); both hand plain dicts
to :func:`rows_from`, so one evaluator (:func:`evaluate_rows`) and one mutation test
handle both. Resource and context strings are ``Fn::Sub`` templates over the synthesized
stack, exactly as in the probe tables (``${Data/Bucket.Arn}``, ``${AWS::Region}``).
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from lakehouse_iam.catalog.evidence import EXACT_ACTION

from .policies import principals_of
from .probes import PROBES_DIR, Outcome, Probe, Synthesize, evaluate, stack_probes

CALLS_DIR = Path(__file__).with_name("calls")
CONFIDENCES = ("recorded", "high", "medium", "low")
KINDS = ("identity", "trust")
EXPECTS = ("allow", "deny")
DEFAULT_TRUST_ACTION = "sts:AssumeRole"

_REQUIRED = ("stack", "principal", "op", "action", "source", "confidence")
_FIELDS = frozenset(
    (
        *_REQUIRED,
        *("variant", "resource", "resource_account", "context", "expect", "known_gap"),
        *("kind", "caller", "why"),
    )
)
# A citation: a URL, a repository file at a commit (owner/repo path@commit), an issue, or
# a named vendor page that has no public URL, or a recorded client trace in this repository.
_CITATION = re.compile(
    r"https?://\S+"
    r"|traces/fixtures/[\w.-]+\.json#\d+"
    r"|[\w.-]+/[\w.-]+ \S+@[0-9a-f]{7,40}"
    r"|[\w.-]+/[\w.-]+ (issue|pull request|PR) #\d+"
    r'|vendor page "[^"]+"'
)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
"""libyaml's safe loader when PyYAML has it: ten times faster on the call tables."""


class RowError(ValueError):
    """Rows that break the row format; lists every problem at once."""


@dataclass(frozen=True)
class Variant:
    """The example stack synthesized with extra cdk context."""

    name: str
    context: Mapping[str, Any]

    @property
    def key(self) -> str:
        """Identity of the synthesis: equal contexts share one template."""
        return json.dumps(dict(self.context), sort_keys=True)


@dataclass(frozen=True)
class Row:
    """One request an engine sends; see the module docstring for the fields."""

    origin: str
    stack: str
    principal: str
    op: str
    action: str
    source: str
    confidence: str
    expect: str = "allow"
    kind: str = "identity"
    resource: str | None = None
    caller: str | None = None
    context: Mapping[str, Any] = field(default_factory=dict)
    variant: Variant | None = None
    known_gap: str | None = None
    why: str = ""
    resource_account: str | None = None

    def request(self) -> str:
        """The request in one line, for messages."""
        context = f" {json.dumps(dict(self.context))}" if self.context else ""
        if self.kind == "trust":
            return f"{self.caller} {self.action} {self.principal} (trust){context}"
        return f"{self.principal} {self.action} {self.resource}{context}"

    def describe(self) -> str:
        variant = f" [variant {self.variant.name}]" if self.variant else ""
        return (
            f"{self.origin}{variant}: {self.stack}\n"
            f"  op:      {self.op}\n"
            f"  request: {self.request()}\n"
            f"  source:  {self.source} ({self.confidence})"
        )


# -- producing rows ----------------------------------------------------------------------


def rows_from(raw_rows: Iterable[Mapping[str, Any]], *, origin: str) -> list[Row]:
    """Validated rows from plain dicts (any producer); raises :class:`RowError`.

    ``origin`` names the producer in messages (a file name, a trace); each row's origin
    is ``origin#index``.
    """
    rows: list[Row] = []
    problems: list[str] = []
    for index, raw in enumerate(raw_rows):
        try:
            rows.append(parse_row(raw, origin=f"{origin}#{index}"))
        except RowError as error:
            problems.append(str(error))
    if problems:
        raise RowError("\n".join(problems))
    return rows


def parse_row(raw: Mapping[str, Any], *, origin: str) -> Row:
    """One validated row; every problem of the row in one :class:`RowError`."""
    problems: list[str] = []
    if not isinstance(raw, Mapping):
        raise RowError(f"{origin}: a row is a mapping, not {type(raw).__name__}")
    unknown = sorted(set(raw) - _FIELDS)
    if unknown:
        problems.append(f"unknown field(s) {unknown}")
    kind = raw.get("kind", "identity")
    for name in _REQUIRED:
        value = raw.get(name, DEFAULT_TRUST_ACTION if (name, kind) == ("action", "trust") else None)
        if not isinstance(value, str) or not value.strip():
            problems.append(f"missing {name}")
    expect = raw.get("expect", "allow")
    confidence = raw.get("confidence")
    action = raw.get("action", DEFAULT_TRUST_ACTION if kind == "trust" else None)
    if kind not in KINDS:
        problems.append(f"kind must be one of {KINDS}, not {kind!r}")
    if expect not in EXPECTS:
        problems.append(f"expect must be one of {EXPECTS}, not {expect!r}")
    if isinstance(confidence, str) and confidence not in CONFIDENCES:
        problems.append(f"confidence must be one of {CONFIDENCES}, not {confidence!r}")
    if isinstance(action, str) and not EXACT_ACTION.match(action):
        problems.append(f"action {action!r} is not one exact IAM action (service:Action)")
    source = raw.get("source")
    if isinstance(source, str) and confidence != "recorded" and not _CITATION.search(source):
        problems.append(
            f"source {source!r} cites nothing: give a URL, 'owner/repo path@commit', "
            "'owner/repo issue #N' or 'vendor page \"<title>\"'"
        )
    if kind == "trust":
        if not isinstance(raw.get("caller"), str) or not raw["caller"]:
            problems.append("a trust row needs caller (principal ARN or service)")
        if "resource" in raw or "resource_account" in raw:
            problems.append("a trust row has no resource: the principal is what is assumed")
    else:
        if not isinstance(raw.get("resource"), str) or not raw["resource"]:
            problems.append("missing resource")
        if "caller" in raw:
            problems.append("caller belongs to trust rows only")
    context = raw.get("context") or {}
    if not isinstance(context, Mapping) or not all(isinstance(k, str) for k in context):
        problems.append("context must map condition keys to values")
    known_gap = raw.get("known_gap")
    if known_gap is not None and (not isinstance(known_gap, str) or not known_gap.strip()):
        problems.append("known_gap must say in one line what must change")
    if known_gap is not None and expect != "allow":
        problems.append("known_gap marks a request the engine needs: expect must be allow")
    variant = _variant(raw.get("variant"), problems)
    if problems:
        raise RowError(f"{origin}: " + "; ".join(problems))
    return Row(
        origin=origin,
        stack=str(raw["stack"]),
        principal=str(raw["principal"]),
        op=str(raw["op"]),
        action=str(action),
        source=str(source),
        confidence=str(confidence),
        expect=str(expect),
        kind=str(kind),
        resource=raw.get("resource"),
        caller=raw.get("caller"),
        context=dict(context),
        variant=variant,
        known_gap=known_gap,
        why=str(raw.get("why", "")),
        resource_account=raw.get("resource_account"),
    )


def _variant(raw: Any, problems: list[str]) -> Variant | None:
    if raw is None:
        return None
    if (
        not isinstance(raw, Mapping)
        or not isinstance(raw.get("name"), str)
        or not isinstance(raw.get("context"), Mapping)
        or set(raw) - {"name", "context"}
    ):
        problems.append("variant must be null or {name: ..., context: {...}}")
        return None
    return Variant(name=raw["name"], context=dict(raw["context"]))


def load_tables(directory: Path = CALLS_DIR, probes_dir: Path | None = None) -> list[Row]:
    """Every row of every call table ``directory/*.yaml``, and of the ``engine_requests``
    section of every probe table (``verification/probes/<stack>.yaml``): a vendor with
    one example stack may keep its cited engine requests next to its probes."""
    rows: list[Row] = []
    for path in sorted(directory.glob("*.yaml")):
        rows += load_table(path)
    for path in sorted((probes_dir or PROBES_DIR).glob("*.yaml")):
        probe_table = yaml.load(path.read_text(), Loader=_YAML_LOADER) or {}
        section = probe_table.get("engine_requests")
        if section:
            defaults = {"stack": path.stem, **(section.get("defaults") or {})}
            data = {**section, "defaults": defaults}
            rows += _table_rows(data, f"probes/{path.name}")
    return rows


def load_table(path: Path) -> list[Row]:
    """The rows of one call table.

    A table is ``{vars: {...}, defaults: {...}, rows: [...]}``: ``defaults`` fill missing
    fields, ``${name}`` of ``vars`` is replaced in strings (so rows stay readable), and a
    row may list several ``stack`` or ``principal`` values or give ``resources`` (a list):
    it stands for one row per stack, principal and resource, because one engine call is
    authorized against every ARN (Glue checks the catalog, the database and the table).
    """
    data = yaml.load(path.read_text(), Loader=_YAML_LOADER) or {}
    return _table_rows(data, path.name)


def _table_rows(data: Mapping[str, Any], name: str) -> list[Row]:
    variables = {str(k): str(v) for k, v in (data.get("vars") or {}).items()}
    defaults = data.get("defaults") or {}
    expanded: list[Mapping[str, Any]] = []
    origins: list[str] = []
    for index, raw in enumerate(data.get("rows") or []):
        for suffix, row in _expand({**defaults, **raw}):
            expanded.append(_substitute(row, variables))
            origins.append(f"{name}#{index}{suffix}")
    rows: list[Row] = []
    problems: list[str] = []
    for origin, raw in zip(origins, expanded, strict=True):
        try:
            rows.append(parse_row(raw, origin=origin))
        except RowError as error:
            problems.append(str(error))
    if problems:
        raise RowError("\n".join(problems))
    return rows


def _expand(raw: Mapping[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    """One row per stack x principal x resource when a table row lists several."""
    out: list[tuple[str, dict[str, Any]]] = [
        ("", {k: v for k, v in raw.items() if k != "resources"})
    ]
    for name, values in (
        ("stack", raw.get("stack")),
        ("principal", raw.get("principal")),
        ("resource", raw.get("resources")),
    ):
        if not isinstance(values, list):
            continue
        out = [
            (
                suffix + (f"[{value}]" if name != "resource" else f"[resource {position}]"),
                {**row, name: value},
            )
            for suffix, row in out
            for position, value in enumerate(values)
        ]
    return out


def _substitute(value: Any, variables: Mapping[str, str]) -> Any:
    if isinstance(value, str):
        for _ in range(3):  # vars may name other vars; three levels are plenty
            value = re.sub(r"\$\{([^}]+)\}", lambda m: variables.get(m.group(1), m.group(0)), value)
        return value
    if isinstance(value, list):
        return [_substitute(v, variables) for v in value]
    if isinstance(value, Mapping):
        # Keys too: condition keys such as <issuer>:sub name the OIDC issuer.
        return {_substitute(k, variables): _substitute(v, variables) for k, v in value.items()}
    return value


# -- judging rows --------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProbe:
    """A row and the evaluator request built for it."""

    row: Row
    probe: Probe


@dataclass(frozen=True)
class RowOutcome:
    """A row with the evaluator's answer."""

    row: Row
    outcome: Outcome

    @property
    def decision(self) -> str | None:
        return self.outcome.decision

    @property
    def ok(self) -> bool:
        return not self.outcome.error and self.outcome.decision == self.row.expect

    def describe(self) -> str:
        got = f"error {self.outcome.error}" if self.outcome.error else f"got {self.decision}"
        return (
            f"{self.row.describe()}\n  sent:    {self.sent()}\n  expected {self.row.expect}, {got}"
        )

    def sent(self) -> str:
        """The request as the evaluator judged it (placeholders resolved)."""
        request = self.outcome.probe.simulation["request"]
        return (
            f"{request['principal']} {request['action']} {request['resource']['resource']} "
            f"{json.dumps(request['contextVariables'])}"
        )


Templates = Mapping[str, Mapping[str, Any]]


def group_rows(rows: Iterable[Row]) -> dict[tuple[str, str], list[Row]]:
    """Rows by (stack, variant key); the variant key is ``""`` for the default context."""
    groups: dict[tuple[str, str], list[Row]] = {}
    for row in rows:
        groups.setdefault((row.stack, row.variant.key if row.variant else ""), []).append(row)
    return groups


def build_probes(
    rows: Sequence[Row],
    templates: Templates,
    *,
    synthesize: Synthesize | None = None,
    id_prefix: str = "",
    check: bool = True,
) -> list[RowProbe]:
    """One evaluator request per row, in row order.

    Rows are grouped by (stack, variant); each group becomes one probe table for
    :func:`verification.probes.stack_probes`, against ``templates[stack]`` or, for a
    variant, the template ``synthesize(stack, context)`` returns (pass a cached one).
    ``check=False`` skips the check that every principal exists, for rows already built
    once against the same stack (the mutation test rebuilds them hundreds of times).
    """
    by_row: dict[int, RowProbe] = {}
    position = {id(row): index for index, row in enumerate(rows)}
    for (stack, _key), group in group_rows(rows).items():
        if stack not in templates:
            raise RowError(f"{group[0].origin}: no example stack {stack!r}")
        variant = group[0].variant
        if variant is None:
            template = templates[stack]
        elif synthesize is None:
            raise RowError(f"{group[0].origin}: variant {variant.name!r} needs a synthesizer")
        else:
            template = synthesize(stack, variant.context)
        if check:
            _check_principals(stack, template, group)
        table = {"principals": [_table_entry(row) for row in group]}
        for row, probe in zip(group, stack_probes(stack, template, table=table), strict=True):
            probe = dataclasses.replace(probe, id=f"{id_prefix}{row.origin}", why=row.op)
            by_row[position[id(row)]] = RowProbe(row, probe)
    return [by_row[index] for index in range(len(rows))]


def _check_principals(stack: str, template: Mapping[str, Any], rows: Iterable[Row]) -> None:
    principals = {p.path: p for p in principals_of(template, stack_name=stack)}
    problems = []
    for row in rows:
        principal = principals.get(row.principal)
        if principal is None:
            problems.append(
                f"{row.origin}: no role or user at {row.principal!r} in {stack}; "
                f"roles and users here: {sorted(principals)}"
            )
        elif row.kind == "trust" and principal.trust is None:
            problems.append(f"{row.origin}: {row.principal} is not a role (no trust policy)")
    if problems:
        raise RowError("\n".join(problems))


def _table_entry(row: Row) -> dict[str, Any]:
    request: dict[str, Any] = {"expect": row.expect, "action": row.action}
    if row.context:
        request["context"] = dict(row.context)
    if row.kind == "trust":
        request["principal"] = row.caller
        return {"path": row.principal, "trust": [request]}
    request["resource"] = row.resource
    if row.resource_account is not None:
        request["resource_account"] = row.resource_account
    return {"path": row.principal, "identity": [request]}


def evaluate_rows(
    rows: Sequence[Row],
    templates: Templates,
    *,
    synthesize: Synthesize | None = None,
    extra: Sequence[Probe] = (),
) -> tuple[list[RowOutcome], list[Outcome]]:
    """Every row (and ``extra`` probes) in ONE evaluator run: (row outcomes, extra outcomes)."""
    row_probes = build_probes(rows, templates, synthesize=synthesize)
    outcomes = evaluate([rp.probe for rp in row_probes] + list(extra))
    mine = outcomes[: len(row_probes)]
    return [RowOutcome(rp.row, o) for rp, o in zip(row_probes, mine, strict=True)], outcomes[
        len(row_probes) :
    ]


def all_rows() -> list[Row]:
    """Rows of the cited call tables (``verification/calls/``), read once per process:
    collection and fixtures share them. The trace replay's rows need the synthesized
    templates: :func:`trace_rows`."""
    return list(_all_rows())


@functools.cache
def _all_rows() -> tuple[Row, ...]:
    return tuple(load_tables())


def trace_rows(templates: Templates, *, synthesize: Synthesize | None = None) -> list[Row]:
    """Rows of the recorded traces (``traces/replay.py``'s ``engine_rows``, confidence
    ``recorded``), for the stacks in ``templates``: the same row format as the tables."""
    from traces import replay

    return rows_from(replay.engine_rows(templates, synthesize=synthesize), origin="traces")
