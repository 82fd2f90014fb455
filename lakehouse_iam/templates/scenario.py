"""What a standalone template is made of: its inputs and the function that builds it.

A vendor folder declares each template it ships as a :class:`TemplateScenario` (in
``lakehouse_iam/vendors/<vendor>/template.py``): CloudFormation parameters, choices,
generation-time settings and a ``build`` function that creates the vendor's construct
from them. The shared machinery (:mod:`lakehouse_iam.templates.generate`) synthesizes it
once per variant of its optional inputs and merges the variants into one template with
CloudFormation ``Conditions``.

Example::

    def build(stack: cdk.Stack, inputs: TemplateInputs) -> None:
        RisingWaveAccess(
            stack,
            "RisingWave",
            workload_identity_role_arn=inputs.value("WorkloadIdentityRoleArn"),
            bucket=inputs.bucket(stack, "BucketName"),
            prefix=inputs.value("Prefix"),
        )

    SCENARIO = TemplateScenario(
        vendor="risingwave",
        mode="cross-account",
        description="RisingWave Cloud: cross-account role on one bucket prefix",
        parameters=(
            TemplateParameter(name="BucketName", rule=rules.BUCKET_NAME, description="..."),
            TemplateParameter(name="Prefix", rule=rules.PREFIX, description="...", default="rw"),
            TemplateParameter(
                name="WorkloadIdentityRoleArn", rule=rules.ROLE_ARN, description="..."
            ),
            TemplateParameter(
                name="ExternalId", rule=rules.EXTERNAL_ID, description="...", optional=True
            ),
        ),
        build=build,
    )
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..validation import PropsCheck
from .rules import ParameterRule

if TYPE_CHECKING:
    import aws_cdk as cdk
    from aws_cdk import aws_logs as logs
    from aws_cdk import aws_s3 as s3
    from aws_cdk import aws_secretsmanager as secretsmanager
    from constructs import Construct

_LOGICAL_NAME = re.compile(r"^[A-Z][A-Za-z0-9]{0,99}$")
_CHOICE_VALUE = re.compile(r"^[a-z0-9][a-z0-9_-]{0,62}$")
_MODE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True, kw_only=True)
class TemplateParameter:
    """A CloudFormation ``Parameter`` of type ``String`` checked by one validation rule.

    :param name: the parameter's logical ID (PascalCase), e.g. ``BucketName``.
    :param rule: the validation rule: ``AllowedPattern`` and ``ConstraintDescription``.
    :param description: shown next to the field in the console.
    :param optional: an empty value means "not given": the template gets a condition
        ``Has<Name>`` and whatever the input adds is created only when it is true.
        Default: required.
    :param default: the parameter's ``Default``. Default: none (an optional parameter's
        default is the empty string).
    :param max_length: a ``MaxLength`` tighter than the rule's. Default: the rule's.
    """

    name: str
    rule: ParameterRule
    description: str
    optional: bool = False
    default: str | None = None
    max_length: int | None = None

    @property
    def condition(self) -> str:
        """The condition that is true when an optional parameter is given."""
        return f"Has{self.name}"


@dataclass(frozen=True, kw_only=True)
class TemplateChoice:
    """A parameter with ``AllowedValues``; the first value is the default.

    The construct needs the value itself (it decides which statements exist), so the
    template is synthesized once per value and each value other than the first gets a
    condition ``<Name>Is<Value>``.

    :param name: the parameter's logical ID (PascalCase), e.g. ``S3Access``.
    :param values: the allowed values (lowercase), the default first.
    :param description: shown next to the field in the console.
    """

    name: str
    values: tuple[str, ...]
    description: str

    def condition(self, value: str) -> str:
        """The condition that is true when ``value`` is chosen."""
        words = re.split(r"[^a-z0-9]+", value)
        return f"{self.name}Is" + "".join(w[:1].upper() + w[1:] for w in words if w)


@dataclass(frozen=True, kw_only=True)
class TemplateSetting:
    """An input fixed when the template is generated (a command-line flag), because
    CloudFormation cannot take it as a parameter.

    :param name: the flag, ``--<name>`` (kebab-case), e.g. ``oidc-issuer``.
    :param rule: the validation rule the value must pass.
    :param description: what it is, and why it cannot be a parameter.
    :param default: the value of the committed template (a documented placeholder);
        ``lakehouse-iam template`` never uses it: there the flag is required.
    """

    name: str
    rule: ParameterRule
    description: str
    default: str


Build = Callable[["cdk.Stack", "TemplateInputs"], None]
"""``build(stack, inputs)``: creates the scenario's constructs (and outputs) in ``stack``."""


@dataclass(frozen=True, kw_only=True)
class TemplateScenario:
    """One standalone template: ``templates/<vendor>-<mode>.yaml``.

    :param vendor: the vendor's registry key (``risingwave``).
    :param mode: the scenario within the vendor (``cross-account``, ``level-1-ingest``).
    :param description: the template's ``Description``.
    :param parameters: the template's ``String`` parameters, in console order.
    :param choices: parameters with ``AllowedValues``. Default: none.
    :param settings: inputs fixed at generation time. Default: none.
    :param build: creates the constructs from :class:`TemplateInputs`.
    """

    vendor: str
    mode: str
    description: str
    parameters: tuple[TemplateParameter, ...]
    build: Build
    choices: tuple[TemplateChoice, ...] = ()
    settings: tuple[TemplateSetting, ...] = ()

    def __post_init__(self) -> None:
        check = PropsCheck(f"TemplateScenario {self.vendor}-{self.mode}")
        if not _MODE.fullmatch(self.mode):
            check.add("mode", self.mode, "lowercase words joined by '-'")
        names = [p.name for p in self.parameters] + [c.name for c in self.choices]
        for name in names:
            if not _LOGICAL_NAME.fullmatch(name):
                check.add("parameters", name, "a PascalCase parameter name")
        if len(set(names)) != len(names):
            check.add("parameters", names, "distinct parameter names")
        for choice in self.choices:
            if len(choice.values) < 2 or len(set(choice.values)) != len(choice.values):
                check.add(f"choices[{choice.name}]", choice.values, "two or more distinct values")
            for value in choice.values:
                if not _CHOICE_VALUE.fullmatch(value):
                    check.add(f"choices[{choice.name}]", value, "a lowercase value")
        check.raise_if_any()

    @property
    def name(self) -> str:
        """``<vendor>-<mode>``: the template's file name without ``.yaml``."""
        return f"{self.vendor}-{self.mode}"

    def setting(self, name: str) -> TemplateSetting:
        """The setting called ``name``."""
        (found,) = [s for s in self.settings if s.name == name]
        return found


@dataclass(frozen=True)
class TemplateInputs:
    """What ``build`` receives for one synthesized variant.

    Parameter values are CloudFormation references (``Ref``) as CDK tokens; an optional
    parameter that is off in this variant is ``None``; a choice is its value; a setting
    is the value given at generation time.
    """

    values: Mapping[str, str | None]
    choices: Mapping[str, str]
    settings: Mapping[str, str] = field(default_factory=dict)

    def value(self, name: str) -> str:
        """A required parameter (a token)."""
        value = self.values[name]
        if value is None:
            raise KeyError(f"{name} is optional: read it with optional()")
        return value

    def bucket(self, scope: Construct, name: str) -> s3.IBucket:
        """A bucket-name parameter as an imported ``s3.IBucket``: a bare parameter token
        could be a name or an ARN, so the constructs ask for the construct form.

        The import's construct ID is the bucket's label where a description cannot hold a
        deploy-time value (a policy with a fixed name, which CloudFormation cannot replace
        when its description changes): ``BucketName parameter`` reads as a person writes
        it, and makes the same Sids and logical IDs (``S3BucketNameParameter...``) as the
        ``BucketNameParameter`` it replaced."""
        from aws_cdk import aws_s3 as s3

        return s3.Bucket.from_bucket_name(scope, f"{name} parameter", self.value(name))

    def log_group(self, scope: Construct, name: str) -> logs.ILogGroup:
        """A log-group-name parameter as an imported ``logs.ILogGroup``."""
        from aws_cdk import aws_logs as logs

        return logs.LogGroup.from_log_group_name(scope, f"{name}Parameter", self.value(name))

    def secret(self, scope: Construct, name: str) -> secretsmanager.ISecret:
        """A secret-name parameter as an imported ``secretsmanager.ISecret``."""
        from aws_cdk import aws_secretsmanager as secretsmanager

        return secretsmanager.Secret.from_secret_name_v2(
            scope, f"{name}Parameter", self.value(name)
        )

    def optional(self, name: str) -> str | None:
        """An optional parameter: its token, or ``None`` in the variant without it."""
        return self.values[name]

    def choice(self, name: str) -> str:
        """The value of a choice in this variant."""
        return self.choices[name]

    def setting(self, name: str) -> str:
        """A generation-time setting."""
        return self.settings[name]
