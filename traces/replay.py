"""Replay committed fixtures against example stacks: engine-request rows, then IAM.

For each target of ``traces/targets.yaml`` and each of its fixtures, every recorded
request is mapped (:mod:`traces.mapping`) to its authorization requests, each one an
engine-request row (the row format shared with the engine call tables):
``stack, principal, variant, op, action, resource, context, source, confidence, expect``
plus ``known_gap`` where the manifest marks one. The rows become probe-table dicts that
``verification.probes.stack_probes`` turns into probes, and all of them are evaluated in
one ``verification.probes.evaluate`` batch (identical requests once). Nothing is recorded
here: fixtures only.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from verification.probes import Outcome, Probe, Synthesize, evaluate, stack_probes
from verification.resolver import Resolver

from . import fixture as fx
from .mapping import Environment, authorization_requests

TARGETS_PATH = Path(__file__).with_name("targets.yaml")

Row = dict[str, Any]


@dataclass(frozen=True)
class KnownGap:
    """A step whose requests the current roles deny: a finding, tested as strict xfail."""

    fixture: str
    step: str
    known_gap: str


@dataclass(frozen=True)
class DeniedStep:
    """A step whose requests must be denied: the engine is misconfigured, and the role is
    right to refuse (the docs tell users how to configure it instead)."""

    fixture: str
    step: str
    why: str


@dataclass(frozen=True)
class Target:
    """Fixtures replayed against principals of one (variant of an) example stack."""

    id: str
    stack: str
    principals: tuple[str, ...]
    prefix: str
    fixtures: tuple[str, ...]
    variant: Mapping[str, Any] | None = None
    bucket: str | None = None
    bucket_arn: str | None = None
    kms_key: str | None = None
    known_gaps: tuple[KnownGap, ...] = ()
    denied: tuple[DeniedStep, ...] = ()

    def denied_step(self, fixture: str, step: str) -> DeniedStep | None:
        for denied in self.denied:
            if (denied.fixture, denied.step) == (fixture, step):
                return denied
        return None

    def gap_for(self, fixture: str, step: str) -> KnownGap | None:
        for gap in self.known_gaps:
            if (gap.fixture, gap.step) == (fixture, step):
                return gap
        return None


def load_targets(path: Path = TARGETS_PATH) -> list[Target]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    targets = []
    for entry in data["targets"]:
        if (entry.get("bucket") is None) == (entry.get("bucket_arn") is None):
            raise ValueError(f"target {entry['id']}: give exactly one of bucket, bucket_arn")
        targets.append(
            Target(
                id=entry["id"],
                stack=entry["stack"],
                principals=tuple(entry["principals"]),
                prefix=str(entry["prefix"]).strip("/"),
                fixtures=tuple(entry["fixtures"]),
                variant=entry.get("variant"),
                bucket=entry.get("bucket"),
                bucket_arn=entry.get("bucket_arn"),
                kms_key=entry.get("kms_key"),
                known_gaps=tuple(KnownGap(**gap) for gap in entry.get("known_gaps", [])),
                denied=tuple(DeniedStep(**step) for step in entry.get("denied", [])),
            )
        )
    ids = [t.id for t in targets]
    if len(set(ids)) != len(ids):
        raise ValueError(f"duplicate target ids in {path}")
    return targets


# -- environment -------------------------------------------------------------------------


def environment(target: Target, template: Mapping[str, Any]) -> Environment:
    """The trace bucket's ARN and SSE-KMS settings on ``template``."""
    if target.bucket is None:
        return Environment(bucket_arn=str(target.bucket_arn), kms_key_arn=target.kms_key)
    resolver = Resolver(template, stack_name=target.stack)
    logical_id = resolver.logical_id(target.bucket)
    if logical_id is None:
        raise ValueError(f"{target.id}: no resource at construct path {target.bucket!r}")
    properties = template["Resources"][logical_id].get("Properties", {})
    rules = properties.get("BucketEncryption", {}).get("ServerSideEncryptionConfiguration", [])
    kms_key, bucket_key = None, False
    for rule in rules:
        default = rule.get("ServerSideEncryptionByDefault", {})
        if default.get("SSEAlgorithm") in ("aws:kms", "aws:kms:dsse"):
            kms_key = _key_reference(default.get("KMSMasterKeyID"), template, target)
            bucket_key = bool(rule.get("BucketKeyEnabled", False))
    return Environment(
        bucket_arn=f"${{{target.bucket}.Arn}}", kms_key_arn=kms_key, bucket_key=bucket_key
    )


def _key_reference(value: Any, template: Mapping[str, Any], target: Target) -> str:
    """An ``Fn::Sub`` string for the bucket's KMSMasterKeyID (a GetAtt of the stack's key,
    or a literal ARN)."""
    if isinstance(value, str):
        return value
    if isinstance(value, Mapping) and "Fn::GetAtt" in value:
        logical_id, attribute = value["Fn::GetAtt"]
        return f"${{{logical_id}.{attribute}}}"
    raise ValueError(f"{target.id}: cannot read the bucket's KMS key {value!r}")


# -- rows --------------------------------------------------------------------------------


def _with_prefix(request: fx.Request, prefix: str) -> fx.Request:
    text = json.dumps(request.to_dict()).replace(fx.PREFIX, prefix)
    return fx.Request.from_dict(json.loads(text))


def target_rows(
    target: Target, template: Mapping[str, Any], fixtures: Mapping[str, fx.Fixture]
) -> list[Row]:
    """Engine-request rows of every fixture of ``target`` for each of its principals."""
    env = environment(target, template)
    variant = None
    if target.variant is not None:
        variant = {"name": target.variant["name"], "context": dict(target.variant["context"])}
    rows: list[Row] = []
    for name in target.fixtures:
        recorded = fixtures[name]
        for index, request in enumerate(recorded.requests):
            concrete = _with_prefix(request, target.prefix)
            gap = target.gap_for(name, request.step)
            denied = target.denied_step(name, request.step)
            for auth in authorization_requests(concrete, env):
                for principal in target.principals:
                    row: Row = {
                        "stack": target.stack,
                        "principal": principal,
                        "variant": variant,
                        "op": f"{name}: {request.step}",
                        "action": auth.action,
                        "resource": auth.resource,
                        "context": dict(auth.context),
                        "source": f"traces/fixtures/{name}.json#{index}; {recorded.client}",
                        "confidence": "medium" if auth.inferred else "recorded",
                        "expect": "deny" if denied is not None else "allow",
                        # Not part of the row format: what the failure message shows.
                        "target": target.id,
                        "request": concrete.describe(),
                        "rule": auth.rule,
                    }
                    if gap is not None:
                        row["known_gap"] = gap.known_gap
                    if denied is not None:
                        row["why"] = denied.why
                    rows.append(row)
    return rows


# -- evaluation ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    """A row and the evaluator's decision for it."""

    row: Row
    outcome: Outcome

    @property
    def allowed(self) -> bool:
        return self.outcome.ok

    def describe(self) -> str:
        row = self.row
        got = self.outcome.error or self.outcome.decision
        context = f" {json.dumps(row['context'], sort_keys=True)}" if row["context"] else ""
        return (
            f"[{row['target']}] {row['principal']}: {row['action']} {row['resource']}{context}"
            f" -> {got}\n    op: {row['op']}\n    request: {row['request']}"
            f"\n    source: {row['source']} (rule {row['rule']}, confidence {row['confidence']})"
        )


def _probe_row(row: Row) -> dict[str, Any]:
    return {
        "expect": row["expect"],
        "action": row["action"],
        "resource": row["resource"],
        "context": row["context"],
    }


def probe_tables(rows: Iterable[Row]) -> dict[str, dict[str, Any]]:
    """Rows -> one probe table per stack (base principals plus variants), each distinct
    request once."""
    tables: dict[str, dict[str, Any]] = {}
    seen: dict[str, dict[str, int]] = {}
    for row in rows:
        table = tables.setdefault(row["stack"], {"principals": [], "variants": []})
        if row["variant"] is None:
            section = table
        else:
            name = row["variant"]["name"]
            found = [v for v in table["variants"] if v["name"] == name]
            if found and found[0]["context"] != row["variant"]["context"]:
                raise ValueError(f"{row['stack']}: variant {name!r} with two contexts")
            section = found[0] if found else {**row["variant"], "principals": []}
            if not found:
                table["variants"].append(section)
        entries = [e for e in section["principals"] if e["path"] == row["principal"]]
        entry = entries[0] if entries else {"path": row["principal"], "identity": []}
        if not entries:
            section["principals"].append(entry)
        probe = _probe_row(row)
        key = json.dumps([row["stack"], row["variant"], row["principal"], probe], sort_keys=True)
        index = seen.setdefault(row["stack"], {})
        if key not in index:
            index[key] = len(index)
            entry["identity"].append(probe)
    return tables


def _row_key(row: Row) -> str:
    return json.dumps(
        [row["stack"], row["variant"], row["principal"], _probe_row(row)], sort_keys=True
    )


def _table_keys(stack: str, table: Mapping[str, Any]) -> list[str]:
    """Row keys of a table's probes, in the order ``stack_probes`` returns them."""
    keys = []
    sections = [(None, table)] + [(v, v) for v in table.get("variants", [])]
    for variant, section in sections:
        marker = (
            None if variant is None else {"name": variant["name"], "context": variant["context"]}
        )
        for entry in section["principals"]:
            for probe in entry["identity"]:
                keys.append(json.dumps([stack, marker, entry["path"], probe], sort_keys=True))
    return keys


def replay_rows(
    rows: Sequence[Row],
    templates: Mapping[str, Mapping[str, Any]],
    *,
    synthesize: Synthesize | None = None,
) -> list[Result]:
    """Evaluate ``rows`` in one batch; one result per row, in order."""
    probes: list[Probe] = []
    by_key: dict[str, int] = {}
    for stack, table in probe_tables(rows).items():
        stack_list = stack_probes(stack, templates[stack], synthesize=synthesize, table=table)
        keys = _table_keys(stack, table)
        if len(keys) != len(stack_list):
            raise RuntimeError(f"{stack}: {len(stack_list)} probes for {len(keys)} rows")
        for key, probe in zip(keys, stack_list, strict=True):
            by_key[key] = len(probes)
            probes.append(probe)
    outcomes = evaluate(probes)
    return [Result(row, outcomes[by_key[_row_key(row)]]) for row in rows]


def all_rows(
    targets: Iterable[Target],
    templates: Mapping[str, Mapping[str, Any]],
    *,
    synthesize: Synthesize | None = None,
    fixtures: Mapping[str, fx.Fixture] | None = None,
) -> list[Row]:
    """Rows of every target; a variant's rows are built on its synthesized template."""
    fixtures = fixtures if fixtures is not None else {n: fx.load(n) for n in fx.names()}
    rows: list[Row] = []
    for target in targets:
        template = templates[target.stack]
        if target.variant is not None:
            if synthesize is None:
                raise ValueError(f"{target.id}: the variant needs a synthesizer")
            template = synthesize(target.stack, target.variant["context"])
        rows += target_rows(target, template, fixtures)
    return rows


ROW_FORMAT = (
    *("stack", "principal", "variant", "op", "action", "resource", "context"),
    *("source", "confidence", "expect", "known_gap", "why"),
)
"""The engine-request row fields (``verification/engine_requests.py``); the rest of a
replay row (target, request, rule) is for this module's own messages."""


def engine_rows(
    templates: Mapping[str, Mapping[str, Any]], *, synthesize: Synthesize | None = None
) -> list[Row]:
    """Every target's rows in the engine-request row format, each distinct request of a
    principal once (the first recorded step that sends it names the op and the source):
    what the call tables' evaluator and the mutation test read as recorded evidence."""
    synthesize = cached(synthesize) if synthesize is not None else None
    seen: set[str] = set()
    rows: list[Row] = []
    for row in all_rows(load_targets(), templates, synthesize=synthesize):
        key = _row_key(row)
        if key in seen:
            continue
        seen.add(key)
        rows.append({k: row[k] for k in ROW_FORMAT if row.get(k) is not None})
    return rows


def replay(
    targets: Iterable[Target],
    templates: Mapping[str, Mapping[str, Any]],
    *,
    synthesize: Synthesize | None = None,
) -> list[Result]:
    """Rows of every target evaluated in one batch."""
    synthesize = cached(synthesize) if synthesize is not None else None
    rows = all_rows(targets, templates, synthesize=synthesize)
    return replay_rows(rows, templates, synthesize=synthesize)


def cached(synthesize: Synthesize) -> Synthesize:
    """``synthesize`` that builds each (stack, context) once."""
    memo: dict[str, dict[str, Any]] = {}

    def run(stack: str, context: Mapping[str, Any]) -> dict[str, Any]:
        key = json.dumps([stack, context], sort_keys=True)
        if key not in memo:
            memo[key] = synthesize(stack, context)
        return memo[key]

    return run
