"""Synthesize one variant of a scenario into a clean, standalone template.

Standalone means: deployable with ``aws cloudformation deploy`` or the console, in any
account, with nothing bootstrapped. So the app uses ``cdk.BootstraplessSynthesizer``
(no bootstrap-version rule or parameter, and it fails on any asset), no analytics
(``AWS::CDK::Metadata``), no construct-path metadata, and logical IDs read from the
construct path (``RisingWaveDataAccessRole``) rather than hashed, so a console user sees
names they can follow. A resource CloudFormation cannot create by itself (a custom
resource, which would need a Lambda function and its code asset) is an error.
"""

from __future__ import annotations

import re
import tempfile
from typing import Any

import aws_cdk as cdk

from .scenario import TemplateInputs, TemplateScenario

FEATURE_FLAGS: dict[str, Any] = {
    # The flags of the project's cdk.json that change what IAM constructs render; the
    # installed package has no cdk.json, so generation names them (tests compare the two).
    "@aws-cdk/aws-iam:minimizePolicies": True,
    "@aws-cdk/core:enablePartitionLiterals": True,
    "@aws-cdk/aws-iam:importedRoleStackSafeDefaultPolicyName": True,
}
_CONTEXT: dict[str, Any] = {
    **FEATURE_FLAGS,
    "aws:cdk:enable-path-metadata": False,
    "aws:cdk:enable-asset-metadata": False,
    "aws:cdk:version-reporting": False,
}
_SKIPPED_PATH_PARTS = ("Resource", "Default")


class TemplateError(ValueError):
    """A scenario that cannot become a standalone template (and why)."""


class _TemplateStack(cdk.Stack):
    """A stack whose logical IDs are the construct path in PascalCase, without the
    ``Resource``/``Default`` leaves and without a hash (unique within the template)."""

    def __init__(self, scope: cdk.App, id: str, *, description: str) -> None:
        super().__init__(
            scope,
            id,
            description=description,
            synthesizer=cdk.BootstraplessSynthesizer(),
            analytics_reporting=False,
        )
        self._ids: dict[str, str] = {}

    def _allocate_logical_id(self, cfn_element: cdk.CfnElement) -> str:
        path = cfn_element.node.path.split("/")[1:]
        if len(path) == 1:
            # Top-level elements (parameters, outputs) keep their construct ID.
            return path[0]
        kept = [part for part in path if part not in _SKIPPED_PATH_PARTS] or path
        words = [w for part in kept for w in re.split(r"[^A-Za-z0-9]+", part) if w]
        logical_id = "".join(w[:1].upper() + w[1:] for w in words)[:255]
        owner = self._ids.setdefault(logical_id, cfn_element.node.path)
        if owner != cfn_element.node.path:
            raise TemplateError(
                f"construct paths {owner!r} and {cfn_element.node.path!r} both read as "
                f"logical ID {logical_id!r}; rename one of the constructs"
            )
        return logical_id


def synthesize(scenario: TemplateScenario, inputs: Inputs) -> dict[str, Any]:
    """The template of ``scenario`` built from ``inputs`` (one variant)."""
    with tempfile.TemporaryDirectory(prefix="lakehouse-iam-template-") as outdir:
        # builtin validation off: an optional parameter is unreferenced in the variant
        # without it; cfn-lint checks the merged template (tests, make templates).
        app = cdk.App(
            context=dict(_CONTEXT),
            outdir=outdir,
            analytics_reporting=False,
            builtin_cloud_formation_validation=False,
        )
        stack = _TemplateStack(app, "Template", description=scenario.description)
        values: dict[str, str | None] = {}
        for parameter in scenario.parameters:
            spec = parameter.rule
            cfn = cdk.CfnParameter(
                stack,
                parameter.name,
                type="String",
                description=parameter.description,
                allowed_pattern=(f"(?:{spec.pattern})?" if parameter.optional else spec.pattern),
                constraint_description=(
                    f"empty, or {spec.description}" if parameter.optional else spec.description
                ),
                default="" if parameter.optional else parameter.default,
                max_length=parameter.max_length or spec.max_length,
            )
            values[parameter.name] = (
                None if parameter.name in inputs.absent else cfn.value_as_string
            )
        for choice in scenario.choices:
            cdk.CfnParameter(
                stack,
                choice.name,
                type="String",
                description=choice.description,
                allowed_values=list(choice.values),
                default=choice.values[0],
            )
        scenario.build(
            stack,
            TemplateInputs(values=values, choices=inputs.choices, settings=inputs.settings),
        )
        template: dict[str, Any] = app.synth().get_stack_by_name(stack.stack_name).template
    return _checked(scenario, template)


class Inputs:
    """Which optional parameters are off, the value of each choice, and the settings."""

    def __init__(
        self,
        *,
        absent: frozenset[str] = frozenset(),
        choices: dict[str, str],
        settings: dict[str, str],
    ) -> None:
        self.absent = absent
        self.choices = choices
        self.settings = settings


def _checked(scenario: TemplateScenario, template: dict[str, Any]) -> dict[str, Any]:
    """``template`` without CDK leftovers; an error for what a standalone template cannot
    hold."""
    template.pop("Rules", None)  # none expected; BootstraplessSynthesizer adds no check
    for key in ("Metadata",):
        template.pop(key, None)
    for logical_id, resource in template.get("Resources", {}).items():
        rtype = str(resource.get("Type", ""))
        if rtype == "AWS::CDK::Metadata":
            raise TemplateError(f"{scenario.name}: {logical_id} is CDK metadata")
        if rtype.startswith("Custom::") or rtype == "AWS::CloudFormation::CustomResource":
            raise TemplateError(
                f"{scenario.name}: {logical_id} ({rtype}) is a custom resource; a standalone "
                "template cannot carry the Lambda function and code asset it needs (fix the "
                "input that needs it at generation time with a setting)"
            )
        resource.pop("Metadata", None)
    for name in template.get("Parameters", {}):
        if name == "BootstrapVersion":
            raise TemplateError(f"{scenario.name}: the bootstrap-version parameter is present")
    return template
