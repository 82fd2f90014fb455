"""Generate a scenario's standalone template: synthesize its variants, merge, prove.

Example::

    from lakehouse_iam.templates import generate, scenario_of, to_yaml

    template = generate(scenario_of("risingwave", "cross-account"))
    print(to_yaml(template))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ..validation import PropsCheck
from .conditions import specialize
from .merge import Variant, add_conditions, merge
from .scenario import TemplateScenario
from .synth import Inputs, TemplateError, synthesize

PRESENT = "given"
"""The stand-in value of an optional parameter that is given, when checking a merge."""


def _definitions(scenario: TemplateScenario) -> dict[str, Any]:
    definitions: dict[str, Any] = {}
    for parameter in scenario.parameters:
        if parameter.optional:
            definitions[parameter.condition] = {
                "Fn::Not": [{"Fn::Equals": [{"Ref": parameter.name}, ""]}]
            }
    for choice in scenario.choices:
        for value in choice.values[1:]:
            definitions[choice.condition(value)] = {"Fn::Equals": [{"Ref": choice.name}, value]}
    return definitions


def _parameters_of(
    scenario: TemplateScenario, absent: frozenset[str], choices: Mapping[str, str]
) -> dict[str, str]:
    """Parameter values that select one variant (for :func:`specialize`)."""
    values = {p.name: ("" if p.name in absent else PRESENT) for p in scenario.parameters}
    values.update(choices)
    return values


def _settings(scenario: TemplateScenario, settings: Mapping[str, str] | None) -> dict[str, str]:
    given = dict(settings or {})
    check = PropsCheck(f"template {scenario.name}")
    unknown = sorted(set(given) - {s.name for s in scenario.settings})
    for name in unknown:
        check.add(
            f"--{name}",
            given[name],
            f"one of {', '.join('--' + s.name for s in scenario.settings)}"
            if scenario.settings
            else f"no setting ({scenario.name} takes none)",
        )
    for setting in scenario.settings:
        given.setdefault(setting.name, setting.default)
        if not setting.rule.construct_accepts(given[setting.name]):
            check.add(f"--{setting.name}", given[setting.name], setting.rule.description)
    check.raise_if_any()
    return given


def generate(
    scenario: TemplateScenario, *, settings: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """The standalone template of ``scenario``.

    One synthesis with every optional parameter given and every choice at its first
    value (the base), one per optional parameter left out and per other choice value,
    merged (:func:`~lakehouse_iam.templates.merge.merge`); then the merged template is
    specialized back for each of those and for all inputs changed at once, and must
    equal what was synthesized for them.

    :param settings: generation-time settings by flag name (``{"oidc-issuer": ...}``).
        Default: each setting's documented default.
    :raises TemplateError: when the merge does not reproduce a synthesized variant.
    """
    fixed = _settings(scenario, settings)
    first = {c.name: c.values[0] for c in scenario.choices}
    base = synthesize(scenario, Inputs(choices=first, settings=fixed))
    checks: list[tuple[dict[str, str], dict[str, Any]]] = [
        (_parameters_of(scenario, frozenset(), first), base)
    ]
    variants = []
    for parameter in scenario.parameters:
        if parameter.optional:
            absent = frozenset({parameter.name})
            template = synthesize(scenario, Inputs(absent=absent, choices=first, settings=fixed))
            variants.append(Variant(template, parameter.condition, False))
            checks.append((_parameters_of(scenario, absent, first), template))
    for choice in scenario.choices:
        for value in choice.values[1:]:
            chosen = {**first, choice.name: value}
            template = synthesize(scenario, Inputs(choices=chosen, settings=fixed))
            variants.append(Variant(template, choice.condition(value), True))
            checks.append((_parameters_of(scenario, frozenset(), chosen), template))
    merged = add_conditions(merge(base, variants), _definitions(scenario))
    if variants:
        # Every input changed at once: catches inputs whose effects depend on each other.
        absent = frozenset(p.name for p in scenario.parameters if p.optional)
        last = {c.name: c.values[-1] for c in scenario.choices}
        template = synthesize(scenario, Inputs(absent=absent, choices=last, settings=fixed))
        checks.append((_parameters_of(scenario, absent, last), template))
    for parameters, expected in checks:
        if specialize(merged, parameters) != expected:
            raise TemplateError(
                f"{scenario.name}: the merged template does not reproduce the variant "
                f"{parameters}; an input's effect depends on another input"
            )
    return merged
