"""A service-managed StackSet that rolls a standalone template out to OUs and accounts."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from aws_cdk import aws_cloudformation as cfn
from constructs import Construct

from ..validation import PropsCheck, is_token
from .global_names import fixed_iam_names, may_share_an_account, render_name
from .operation_preferences import OperationPreferences

TEMPLATE_BODY_LIMIT = 51_200
"""Bytes of ``TemplateBody`` CloudFormation accepts (larger templates need a URL)."""
_OU_RE = re.compile(r"^(?:ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}|r-[a-z0-9]{4,32})$")
_STACK_SET_NAME_RE = re.compile(r"^[a-zA-Z][-a-zA-Z0-9]{0,127}$")
CALL_AS = ("SELF", "DELEGATED_ADMIN")


@dataclass(frozen=True, kw_only=True)
class StackInstances:
    """One group of stack instances: where they go and their parameter overrides.

    A service-managed StackSet targets organizational units. ``accounts`` narrows a
    group to those accounts of its OUs (``AccountFilterType: INTERSECTION``), which is
    how one account gets its own parameter values (say its own ExternalId).

    Example::

        StackInstances(
            organizational_units=["ou-ab12-cdef3456"],
            accounts=["222222222222"],
            regions=["eu-west-1"],
            parameter_overrides={"ExternalId": "tenant-222222222222"},
        )

    :param organizational_units: OU IDs (``ou-...``) or the root ID (``r-...``); every
        account in them (and, with auto-deployment, every account moved in later).
    :param regions: the Regions of the instances.
    :param accounts: only these accounts of the OUs. Default: every account in them.
    :param parameter_overrides: parameter values for these instances. Default: the
        StackSet's parameters.
    """

    organizational_units: Sequence[str]
    regions: Sequence[str]
    accounts: Sequence[str] = ()
    parameter_overrides: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        check = PropsCheck("StackInstances")
        for prop in ("organizational_units", "regions", "accounts"):
            if isinstance(getattr(self, prop), str):
                check.add(prop, getattr(self, prop), "a sequence (not a string)")
        check.raise_if_any()
        if not self.organizational_units:
            check.add(
                "organizational_units",
                list(self.organizational_units),
                "at least one OU or root ID: a service-managed StackSet targets OUs (name "
                "an account's OU and the account in accounts= to target one account)",
            )
        for i, ou in enumerate(self.organizational_units):
            if not is_token(ou) and not (isinstance(ou, str) and _OU_RE.fullmatch(ou)):
                check.add(
                    f"organizational_units[{i}]",
                    ou,
                    "an OU ID (ou-xxxx-xxxxxxxx) or root ID (r-xxxx)",
                )
        if not self.regions:
            check.add("regions", list(self.regions), "at least one Region code")
        for i, region in enumerate(self.regions):
            check.aws_region(f"regions[{i}]", region)
        for i, account in enumerate(self.accounts):
            check.account_id(f"accounts[{i}]", account)
        if not isinstance(self.parameter_overrides, Mapping):
            check.add("parameter_overrides", self.parameter_overrides, "a mapping of name to value")
        check.raise_if_any()
        object.__setattr__(self, "organizational_units", tuple(self.organizational_units))
        object.__setattr__(self, "regions", tuple(self.regions))
        object.__setattr__(self, "accounts", tuple(self.accounts))
        object.__setattr__(self, "parameter_overrides", dict(self.parameter_overrides))

    def to_cfn(self) -> cfn.CfnStackSet.StackInstancesProperty:
        """The ``StackInstancesGroup`` item."""
        targets = cfn.CfnStackSet.DeploymentTargetsProperty(
            organizational_unit_ids=list(self.organizational_units),
            accounts=list(self.accounts) or None,
            account_filter_type="INTERSECTION" if self.accounts else None,
        )
        overrides = [
            cfn.CfnStackSet.ParameterProperty(parameter_key=k, parameter_value=v)
            for k, v in sorted(self.parameter_overrides.items())
        ]
        return cfn.CfnStackSet.StackInstancesProperty(
            deployment_targets=targets,
            regions=list(self.regions),
            parameter_overrides=overrides or None,
        )


class OrganizationStackSet(Construct):
    """A service-managed StackSet of one standalone template, with auto-deployment.

    The template travels as ``TemplateBody`` (compact JSON), so nothing is uploaded and
    no assets bucket is needed in the management or target accounts. Parameter values
    (the StackSet's and each group's overrides) are checked against the template's
    ``Parameters`` at synth: unknown names, missing required values and values the
    ``AllowedPattern`` rejects fail with one ``ValueError``, instead of failing in some
    accounts during the rollout.

    Deploy it in the organization's management account or in a delegated administrator
    account (``call_as="DELEGATED_ADMIN"``); trusted access for StackSets must be on.

    Example::

        from lakehouse_iam.templates import generate, scenario_of

        OrganizationStackSet(
            stack,
            "RisingWave",
            stack_set_name="lakehouse-iam-risingwave",
            template=generate(scenario_of("risingwave", "cross-account")),
            parameters={
                "BucketName": "lake",
                "WorkloadIdentityRoleArn": "arn:aws:iam::222222222222:role/rw",
            },
            instances=[
                StackInstances(organizational_units=["ou-ab12-cdef3456"], regions=["eu-west-1"])
            ],
            operation_preferences=OperationPreferences(max_concurrent_percentage=25),
        )

    :param stack_set_name: the StackSet's name (a letter, then letters, digits and ``-``).
    :param template: the template (a dict, e.g. from
        :func:`lakehouse_iam.templates.generate`).
    :param instances: the stack-instance groups.
    :param parameters: parameter values for every instance. Default: the template's
        defaults.
    :param auto_deployment: deploy to accounts that join a target OU later, and remove
        instances from accounts that leave. Default: ``True``.
    :param retain_stacks_on_account_removal: with auto-deployment, keep an account's
        stack (and its IAM) when the account leaves the OU. Default: ``False``.
    :param operation_preferences: concurrency and failure tolerance. Default:
        ``OperationPreferences()`` (one account at a time, stop at the first failure).
    :param call_as: ``SELF`` (management account) or ``DELEGATED_ADMIN``. Default: ``SELF``.
    :param description: the StackSet's description. Default: the template's.
    :param managed_execution: let StackSets run non-conflicting operations concurrently.
        Default: ``True``.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        stack_set_name: str,
        template: Mapping[str, Any],
        instances: Sequence[StackInstances],
        parameters: Mapping[str, str] | None = None,
        auto_deployment: bool = True,
        retain_stacks_on_account_removal: bool = False,
        operation_preferences: OperationPreferences | None = None,
        call_as: str = "SELF",
        description: str | None = None,
        managed_execution: bool = True,
    ) -> None:
        super().__init__(scope, id)
        parameters = dict(parameters or {})
        preferences = operation_preferences or OperationPreferences()
        check = PropsCheck("OrganizationStackSet", at=self)
        if not isinstance(stack_set_name, str) or not _STACK_SET_NAME_RE.fullmatch(stack_set_name):
            check.add(
                "stack_set_name", stack_set_name, "a letter, then up to 127 letters, digits and '-'"
            )
        check.sequence_of("instances", instances, StackInstances, "StackInstances")
        if not instances:
            check.add("instances", list(instances), "at least one StackInstances group")
        check.boolean("auto_deployment", auto_deployment)
        check.boolean("retain_stacks_on_account_removal", retain_stacks_on_account_removal)
        check.boolean("managed_execution", managed_execution)
        check.instance_of(
            "operation_preferences", preferences, OperationPreferences, "an OperationPreferences"
        )
        check.one_of("call_as", call_as, CALL_AS)
        body = json.dumps(template, separators=(",", ":"), sort_keys=False)
        if len(body.encode()) > TEMPLATE_BODY_LIMIT:
            check.add(
                "template",
                f"{len(body.encode())} bytes",
                f"at most {TEMPLATE_BODY_LIMIT} bytes of TemplateBody",
            )
        declared = template.get("Parameters", {}) if isinstance(template, Mapping) else {}
        _check_values(check, "parameters", parameters, declared)
        for i, group in enumerate(instances if isinstance(instances, (list, tuple)) else []):
            if isinstance(group, StackInstances):
                prop = f"instances[{i}].parameter_overrides"
                _check_values(check, prop, group.parameter_overrides, declared)
                for name, spec in declared.items():
                    if (
                        "Default" not in spec
                        and name not in parameters
                        and (name not in group.parameter_overrides)
                    ):
                        check.add(
                            f"instances[{i}]",
                            name,
                            f"a value for the required parameter {name} (in parameters= or "
                            "parameter_overrides=)",
                        )
        if isinstance(template, Mapping) and isinstance(instances, (list, tuple)):
            groups = [g for g in instances if isinstance(g, StackInstances)]
            _check_global_names(check, template, declared, parameters, groups)
        check.raise_if_any()
        self.template_body = body
        self.stack_set = cfn.CfnStackSet(
            self,
            "StackSet",
            stack_set_name=stack_set_name,
            permission_model="SERVICE_MANAGED",
            template_body=body,
            description=description or str(template.get("Description", ""))[:1024] or None,
            capabilities=["CAPABILITY_NAMED_IAM"],
            auto_deployment=cfn.CfnStackSet.AutoDeploymentProperty(
                enabled=auto_deployment,
                retain_stacks_on_account_removal=retain_stacks_on_account_removal,
            ),
            call_as=call_as,
            managed_execution={"Active": managed_execution},
            operation_preferences=preferences.to_cfn(),
            parameters=[
                cfn.CfnStackSet.ParameterProperty(parameter_key=k, parameter_value=v)
                for k, v in sorted(parameters.items())
            ]
            or None,
            stack_instances_group=[g.to_cfn() for g in instances],
        )


def _check_values(
    check: PropsCheck, prop: str, values: Mapping[str, str], declared: Mapping[str, Any]
) -> None:
    for name, value in values.items():
        spec = declared.get(name)
        if spec is None:
            check.add(
                f"{prop}[{name}]", value, f"a parameter of the template ({', '.join(declared)})"
            )
            continue
        if is_token(value):
            continue
        if not isinstance(value, str):
            check.add(f"{prop}[{name}]", value, "a string")
            continue
        allowed = spec.get("AllowedValues")
        pattern = spec.get("AllowedPattern")
        if allowed is not None and value not in allowed:
            check.add(f"{prop}[{name}]", value, f"one of {', '.join(allowed)}")
        elif pattern is not None and re.fullmatch(pattern, value, flags=re.ASCII) is None:
            check.add(f"{prop}[{name}]", value, str(spec.get("ConstraintDescription", pattern)))
        elif "MaxLength" in spec and len(value) > int(spec["MaxLength"]):
            check.add(f"{prop}[{name}]", value, f"at most {spec['MaxLength']} characters")


def _check_global_names(
    check: PropsCheck,
    template: Mapping[str, Any],
    declared: Mapping[str, Any],
    parameters: Mapping[str, str],
    groups: Sequence[StackInstances],
) -> None:
    """Refuse fixed IAM names (:mod:`.global_names`) that one account could get in two
    Regions: a group with several Regions, or two groups of different Regions that may
    reach one account and render the same name (or a name synth cannot tell)."""
    fixed = fixed_iam_names(template)
    if not fixed:
        return
    why = (
        f"one Region per account for a template with fixed IAM names ({', '.join(fixed)}): "
        "IAM names are global per account, so the instance in a second Region fails with "
        "EntityAlreadyExists. Deploy such a template to one Region (its IAM works in every "
        "Region of the account), or put the Region in each name (${AWS::Region})"
    )
    names: list[dict[str, str | None]] = []
    for group in groups:
        values = {
            name: str(spec["Default"])
            for name, spec in declared.items()
            if isinstance(spec, Mapping) and "Default" in spec
        }
        values.update(parameters)
        values.update(group.parameter_overrides)
        known = {k: v for k, v in values.items() if isinstance(v, str) and not is_token(v)}
        names.append({key: render_name(expression, known) for key, expression in fixed.items()})
    for i, group in enumerate(groups):
        if len(set(group.regions)) > 1:
            check.add(f"instances[{i}].regions", list(group.regions), why)
            continue
        for j in range(i):
            other = groups[j]
            if len(set(other.regions)) > 1 or set(other.regions) == set(group.regions):
                continue
            if not may_share_an_account(group.accounts, other.accounts):
                continue
            if any(names[i][key] is None or names[i][key] == names[j][key] for key in fixed):
                check.add(
                    f"instances[{j}].regions + instances[{i}].regions",
                    [*other.regions, *group.regions],
                    f"{why}; these two groups may reach one account with the same names",
                )
