"""Standalone CloudFormation templates of the vendor scenarios, for teams without CDK.

``lakehouse-iam template <vendor> --mode <mode>`` (and ``make templates``, which writes
``templates/<vendor>-<mode>.yaml``) synthesizes a vendor's construct with CloudFormation
parameters for its inputs and writes a template that deploys with the console's
"Launch stack", ``aws cloudformation deploy`` or a StackSet: no assets, no CDK metadata,
no bootstrap. Each vendor declares its templates in
``lakehouse_iam/vendors/<vendor>/template.py`` and lists them in its ``VENDOR``
(``templates=(TemplateMode(...), ...)``); this package holds what they share:

* :mod:`.rules`: ``AllowedPattern``/``ConstraintDescription`` from the construct validation;
* :mod:`.scenario`: the parameters, choices and settings a scenario declares;
* :mod:`.synth`: one synthesis with a bootstrapless synthesizer and readable logical IDs;
* :mod:`.merge` and :mod:`.conditions`: optional inputs as ``Conditions``/``Fn::If``;
* :mod:`.generate`: the whole pipeline; :mod:`.yaml_out`: the YAML writer.

Example::

    from lakehouse_iam.templates import generate, scenario_of, to_yaml

    print(to_yaml(generate(scenario_of("risingwave", "cross-account"))))
"""

from __future__ import annotations

from .generate import generate
from .scenario import TemplateScenario
from .yaml_out import to_yaml


def scenarios() -> list[TemplateScenario]:
    """Every registered template scenario, in registry order (imports each vendor's
    template module)."""
    from ..vendors import VENDORS

    return [v.template_scenario(t.mode) for v in VENDORS for t in v.templates]


def scenario_of(vendor: str, mode: str) -> TemplateScenario:
    """The scenario of ``vendor``'s template ``mode``.

    :raises KeyError: naming the registered vendors (or the vendor's modes).
    """
    from ..vendors import VENDORS

    by_key = {v.key: v for v in VENDORS}
    if vendor not in by_key:
        raise KeyError(f"no vendor {vendor!r} (vendors: {', '.join(by_key)})")
    return by_key[vendor].template_scenario(mode)


__all__ = ["TemplateScenario", "generate", "scenario_of", "scenarios", "to_yaml"]
