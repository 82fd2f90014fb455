"""Checks 1-4 for the standalone templates (``templates/*.yaml``), with parameters filled in.

A template has no values of its own: ``verification/probes/templates/<name>.yaml`` lists
``instances``, each a set of parameter values (a deployment) with its probe rows::

    instances:
      - name: external-id
        parameters: {BucketName: lake-data, Prefix: rw, ExternalId: tenant-4711, ...}
        vars: {bucket: "arn:aws:s3:::${BucketName}"}
        principals:
          - path: RisingWaveDataAccessRole     # logical ID (templates carry no paths)
            identity: [...]
            trust: [...]

The resolver substitutes the values (``Ref`` to a parameter, ``Conditions``, ``Fn::If``,
resources whose ``Condition`` is false left out), so parliament, cloudsplaining and the
probes judge each instance as CloudFormation would create it. cfn-lint reads the
template itself.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from .probes import PROBES_DIR, Probe, _probes_for

ROOT = Path(__file__).resolve().parent.parent
TEMPLATES_DIR = ROOT / "templates"
TABLES_DIR = PROBES_DIR / "templates"


def read_templates(directory: Path = TEMPLATES_DIR) -> dict[str, dict[str, Any]]:
    """Every committed template, by file name without ``.yaml``."""
    return {
        path.stem: yaml.safe_load(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("*.yaml"))
    }


def table_path(name: str) -> Path:
    return TABLES_DIR / f"{name}.yaml"


def load_table(name: str) -> dict[str, Any]:
    return yaml.safe_load(table_path(name).read_text(encoding="utf-8")) or {}


def with_parameters(template: Mapping[str, Any], values: Mapping[str, str]) -> dict[str, Any]:
    """A copy of ``template`` whose parameters default to ``values`` (what tools that read
    one template, such as the policy checks, then resolve with).

    :raises ValueError: for an unknown parameter, a value its ``AllowedPattern`` or
        ``AllowedValues`` rejects (CloudFormation would refuse the stack), or a required
        parameter without a value.
    """
    import re

    result = copy.deepcopy(dict(template))
    declared = result.get("Parameters", {})
    problems = []
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            problems.append(f"{name}: no such parameter")
            continue
        pattern = spec.get("AllowedPattern")
        if pattern is not None and re.fullmatch(pattern, value, flags=re.ASCII) is None:
            problems.append(f"{name}={value!r}: AllowedPattern rejects it")
        if "AllowedValues" in spec and value not in spec["AllowedValues"]:
            problems.append(f"{name}={value!r}: not one of {spec['AllowedValues']}")
        spec["Default"] = value
    problems += [f"{n}: required, no value" for n, s in declared.items() if "Default" not in s]
    if problems:
        raise ValueError("; ".join(problems))
    return result


def instances(templates: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``<template>@<instance>`` -> the template with that instance's values, for every
    instance of every table."""
    found = {}
    for name, template in sorted(templates.items()):
        for instance in load_table(name).get("instances", []):
            found[f"{name}@{instance['name']}"] = with_parameters(
                template, instance.get("parameters", {})
            )
    return found


def template_probes(
    name: str, template: Mapping[str, Any], table: Mapping[str, Any]
) -> list[Probe]:
    """Every probe of ``table`` (its instances) against ``template``."""
    probes: list[Probe] = []
    for instance in table.get("instances", []):
        parameters = dict(instance.get("parameters", {}))
        with_parameters(template, parameters)  # refuse values CloudFormation would refuse
        probes += _probes_for(
            f"{name}@{instance['name']}", name, template, instance, parameters=parameters
        )
    return probes


def cfn_lint_findings_of_templates() -> list[dict[str, str]]:
    """cfn-lint over every committed template (picklable: the suite runs it in a worker)."""
    from .checks import cfn_lint_findings

    return cfn_lint_findings(read_templates())
