"""Synth-time check: the level-3 access role still has the boundary its vending policy names.

:class:`~lakehouse_iam.BoilStreamAccess` (level 3) caps the ``ducklake-<bucket>-access``
role with a permissions boundary, and with ``allow_access_role_policy_writes`` lets
BoilStream call ``iam:PutRolePolicy`` on that role only while
``iam:PermissionsBoundary`` is that boundary. aws-cdk-lib's
``iam.PermissionsBoundary.of(scope).apply(policy)`` (or ``.clear()``) rewrites every role's
boundary under ``scope`` at synthesis, through an Aspect and a property override that
no construct property shows. The role then carries another boundary (or none), and:

* with policy writes, the condition names a boundary nothing uses: every
  ``iam:PutRolePolicy`` BoilStream sends is denied (an error);
* without, the S3-only boundary this construct created caps nothing (a warning: the
  role's own policies still grant S3 only).

Only the synthesized template shows the rendered boundary, so the check is an aws-cdk-lib
policy-validation plugin (``Validations.of(stage).add_plugins``), which reads the
templates after synthesis, like cdk-nag. Each construct registers what to compare when
the tree is validated (logical IDs are final by then); one plugin per stage compares.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from constructs import IConstruct, IValidation

from ...catalog import iam as iam_catalog

RULE = "BoilStreamAccessRoleBoundary"


@dataclass(frozen=True)
class _Expectation:
    """What one BoilStreamAccess renders: where its access role and vending policy are."""

    construct_path: str
    template_file: str
    role_id: str
    boundary: Any
    policy_id: str | None
    sid: str | None


@jsii.implements(cdk.IPolicyValidationPlugin)
class AccessRoleBoundaryPlugin:
    """Compares each access role's rendered ``PermissionsBoundary`` with the boundary its
    construct created (and its vending policy's ``iam:PermissionsBoundary`` condition)."""

    _BY_STAGE: weakref.WeakKeyDictionary[IConstruct, AccessRoleBoundaryPlugin] = (
        weakref.WeakKeyDictionary()
    )

    @classmethod
    def of(cls, scope: IConstruct) -> AccessRoleBoundaryPlugin:
        """The plugin of ``scope``'s stage, added to the stage on first use."""
        stage = cdk.Stage.of(scope)
        assert stage is not None, "a construct of a stack is always in a stage"
        plugin = cls._BY_STAGE.get(stage)
        if plugin is None:
            plugin = cls._BY_STAGE[stage] = cls()
            cdk.Validations.of(stage).add_plugins(plugin)
        return plugin

    def __init__(self) -> None:
        self.expectations: list[_Expectation] = []

    @property
    def name(self) -> str:
        return "lakehouse-iam"

    @property
    def version(self) -> str | None:
        from ... import __version__

        return __version__

    @property
    def rule_ids(self) -> list[str] | None:
        return [RULE]

    def validate(self, context: cdk.IPolicyValidationContext) -> cdk.PolicyValidationPluginReport:
        templates = {Path(p).name: p for p in context.template_paths}
        violations = []
        for expected in self.expectations:
            path = templates.get(expected.template_file)
            if path is None:
                continue
            violation = _violation(expected, path)
            if violation is not None:
                violations.append(violation)
        return cdk.PolicyValidationPluginReport(
            success=not any(v.severity == "error" for v in violations), violations=violations
        )


def _violation(expected: _Expectation, template_path: str) -> cdk.PolicyViolation | None:
    resources = json.loads(Path(template_path).read_text(encoding="utf-8")).get("Resources", {})
    role = resources.get(expected.role_id, {}).get("Properties", {})
    rendered = role.get("PermissionsBoundary")
    writes = expected.policy_id is not None
    required = _condition(resources, expected) if writes else expected.boundary
    if rendered == required:
        return None
    where = (
        f"the iam:PutRolePolicy condition of its vending policy ({expected.policy_id}) names "
        f"{json.dumps(required)}, so BoilStream's PutRolePolicy is always denied"
        if writes
        else "the S3-only boundary BoilStreamAccess created caps nothing (the role's own "
        "policies still grant S3 only)"
    )
    return cdk.PolicyViolation(
        rule_name=RULE,
        description=(
            f"BoilStreamAccess at {expected.construct_path}: the access role's permissions "
            f"boundary is {json.dumps(rendered)} in the template, not the boundary the "
            f"construct created ({json.dumps(expected.boundary)}), e.g. because "
            f"iam.PermissionsBoundary.of(...) replaced it; {where}."
        ),
        fix=(
            "Re-apply the construct's boundary on the access role after the scope-wide one: "
            "iam.PermissionsBoundary.of(access.require_access_role())"
            ".apply(access.require_access_role_boundary())"
            + (", or set allow_access_role_policy_writes=False" if writes else "")
            + "."
        ),
        severity="error" if writes else "warning",
        violating_resources=[
            cdk.PolicyViolatingResource(
                locations=["Properties/PermissionsBoundary"],
                resource_logical_id=expected.role_id,
                template_path=template_path,
            )
        ],
    )


def _condition(resources: dict[str, Any], expected: _Expectation) -> Any:
    """The ``iam:PermissionsBoundary`` value the vending policy's PutRolePolicy requires."""
    policy = resources.get(expected.policy_id or "", {}).get("Properties", {})
    for statement in policy.get("PolicyDocument", {}).get("Statement", []):
        if statement.get("Sid") == expected.sid:
            equals = statement.get("Condition", {}).get("StringEquals", {})
            return equals.get(iam_catalog.PERMISSIONS_BOUNDARY_KEY)
    return None


@jsii.implements(IValidation)
class _Register:
    """Records the construct's expectation once logical IDs are final (tree validation,
    after aspects and reference resolution, before the plugins read the templates)."""

    def __init__(
        self,
        owner: IConstruct,
        role: iam.Role,
        boundary: iam.ManagedPolicy,
        policy: iam.ManagedPolicy | None,
        sid: str | None,
    ) -> None:
        self._owner, self._role, self._boundary = owner, role, boundary
        self._policy, self._sid = policy, sid
        self._done = False

    def validate(self) -> list[str]:
        if self._done:
            return []
        self._done = True
        stack = cdk.Stack.of(self._role)
        role = self._role.node.default_child
        assert isinstance(role, iam.CfnRole)
        policy_id = None
        if self._policy is not None:
            cfn_policy = self._policy.node.default_child
            assert isinstance(cfn_policy, cdk.CfnElement)
            policy_id = stack.resolve(stack.get_logical_id(cfn_policy))
        AccessRoleBoundaryPlugin.of(self._owner).expectations.append(
            _Expectation(
                construct_path=self._owner.node.path,
                template_file=stack.template_file,
                role_id=stack.resolve(stack.get_logical_id(role)),
                boundary=stack.resolve(self._boundary.managed_policy_arn),
                policy_id=policy_id,
                sid=self._sid,
            )
        )
        return []


def check_access_role_boundary(
    owner: IConstruct,
    *,
    role: iam.Role,
    boundary: iam.ManagedPolicy,
    vending_policy: iam.ManagedPolicy | None,
    sid: str | None,
) -> None:
    """Check at synthesis that ``role`` is still capped by ``boundary``.

    :param vending_policy: the policy whose ``iam:PutRolePolicy`` statement (Sid ``sid``)
        is conditioned on ``iam:PermissionsBoundary`` = ``boundary``, if policy writes are
        granted.
    """
    AccessRoleBoundaryPlugin.of(owner)  # added to the stage now, before synthesis starts
    owner.node.add_validation(_Register(owner, role, boundary, vending_policy, sid))
