"""Read back every IAM resource of a deployed stack and compare it with the template.

For each role, user, group, managed policy, inline policy, instance profile and access
key the template declares, the resolved template value is compared with what the IAM
API returns, per property: trust policy, default policy version, attachments (from
either side: ``Role.ManagedPolicyArns`` or ``ManagedPolicy.Roles``), inline policies,
group membership, path, description, session duration and permissions boundary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from botocore.exceptions import ClientError

from .deployed import DeployedStack
from .findings import Finding, Kind
from .intrinsics import Unresolvable
from .moto_gaps import GETATT_DIFFERENCES, IGNORED_PROPERTIES, UNSUPPORTED_TYPE
from .policy_diff import diff_documents

MISSING = object()
PRINCIPAL_TYPES = {"role": "AWS::IAM::Role", "user": "AWS::IAM::User", "group": "AWS::IAM::Group"}
Source = tuple[str, str]  # (logical ID, property) the expectation comes from


def _not_found(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") in ("NoSuchEntity", "NoSuchEntityException")


class IamComparison:
    """Collects findings for one deployed stack; call :meth:`run`."""

    def __init__(self, stack: DeployedStack) -> None:
        self.stack = stack
        self.iam = stack.clients("iam")
        self.findings: list[Finding] = []
        # (kind, name) -> {policy ARN: source}
        self.managed: dict[tuple[str, str], dict[str, Source]] = {}
        # (kind, name) -> {policy name: (document, source)}
        self.inline: dict[tuple[str, str], dict[str, tuple[Any, Source]]] = {}
        # user name -> {group name: source}
        self.groups_of_user: dict[str, dict[str, Source]] = {}
        self.principals: dict[tuple[str, str], str] = {}  # (kind, name) -> logical ID

    # -- reporting -------------------------------------------------------------------

    def add(self, kind: Kind, logical_id: str, prop: str, message: str) -> None:
        self.findings.append(
            Finding(
                kind=kind,
                stack=self.stack.name,
                resource=logical_id,
                resource_type=self.stack.resolver.resource_type(logical_id),
                physical_id=self.stack.physical_ids.get(logical_id, ""),
                prop=prop,
                message=message,
            )
        )

    def value(self, logical_id: str, prop: str, default: Any = MISSING) -> Any:
        """The resolved template property, or MISSING (with a finding if unresolvable)."""
        props = self.stack.template["Resources"][logical_id].get("Properties", {})
        if prop not in props:
            return default
        try:
            return self.stack.resolve(props[prop])
        except Unresolvable as e:
            kind = Kind.GAP if e.unsupported else Kind.ERROR
            self.add(kind, logical_id, prop, f"cannot resolve the template value: {e}")
            return MISSING

    def gap(self, source: Source) -> str | None:
        """Why moto dropped what ``source`` declares, or None if moto implements it."""
        logical_id, prop = source
        rtype = self.stack.resolver.resource_type(logical_id)
        if not self.stack.physical_ids.get(logical_id):
            return UNSUPPORTED_TYPE.format(type=rtype)
        return IGNORED_PROPERTIES.get((rtype, prop))

    def compare(self, logical_id: str, prop: str, expected: Any, deployed: Any) -> None:
        if expected is MISSING:
            return
        if str(expected) != str(deployed):
            self.add(Kind.MISMATCH, logical_id, prop, f"template {expected!r}, IAM {deployed!r}")

    def compare_document(
        self, logical_id: str, prop: str, expected: Any, deployed: Any, *, raw: Any = None
    ) -> None:
        """Diff a resolved document; ``raw`` (the template value) lets a difference that
        comes only from moto's own GetAtt values be reported as a GAP."""
        if expected is MISSING:
            return
        diffs = diff_documents(expected, deployed)
        if diffs and raw is not None:
            used = [
                note
                for (rtype, attr), note in GETATT_DIFFERENCES.items()
                if self._uses_get_att(raw, rtype, attr)
            ]
            if used and not diff_documents(self.stack.resolve_as_moto(raw), deployed):
                self.add(
                    Kind.GAP,
                    logical_id,
                    prop,
                    "equal once Fn::GetAtt resolves as moto does: " + "; ".join(used),
                )
                return
        for path, message in diffs:
            self.add(Kind.MISMATCH, logical_id, f"{prop}.{path}", message)

    def _uses_get_att(self, raw: Any, rtype: str, attribute: str) -> bool:
        if isinstance(raw, list):
            return any(self._uses_get_att(v, rtype, attribute) for v in raw)
        if not isinstance(raw, dict):
            return False
        target = raw.get("Fn::GetAtt")
        if (
            isinstance(target, list)
            and len(target) == 2
            and target[1] == attribute
            and self.stack.resolver.resource_type(target[0]) == rtype
        ):
            return True
        return any(self._uses_get_att(v, rtype, attribute) for v in raw.values())

    def raw(self, logical_id: str, prop: str) -> Any:
        return self.stack.template["Resources"][logical_id].get("Properties", {}).get(prop)

    # -- expectations from the template ----------------------------------------------

    def expect_managed(self, kind: str, name: str, arns: Any, source: Source) -> None:
        if arns is MISSING:
            return
        for arn in arns:
            self.managed.setdefault((kind, name), {})[arn] = source

    def expect_inline(self, kind: str, name: str, policies: Any, source: Source) -> None:
        if policies is MISSING:
            return
        for policy in policies:
            entry = (policy["PolicyDocument"], source)
            self.inline.setdefault((kind, name), {})[policy["PolicyName"]] = entry

    def collect(self) -> None:
        for kind, rtype in PRINCIPAL_TYPES.items():
            for logical_id in self.stack.resources(rtype):
                name = self.stack.physical_ids.get(logical_id, "")
                if not name:
                    self.add(
                        Kind.GAP,
                        logical_id,
                        "",
                        UNSUPPORTED_TYPE.format(type=rtype)
                        + "; its attachments and membership cannot be checked (the documents "
                        "of its managed policies are compared as AWS::IAM::ManagedPolicy)",
                    )
                    continue
                self.principals[(kind, name)] = logical_id
                self.managed.setdefault((kind, name), {})
                self.inline.setdefault((kind, name), {})
                arns = self.value(logical_id, "ManagedPolicyArns", [])
                self.expect_managed(kind, name, arns, (logical_id, "ManagedPolicyArns"))
                policies = self.value(logical_id, "Policies", [])
                self.expect_inline(kind, name, policies, (logical_id, "Policies"))
                if kind == "user":
                    self.groups_of_user.setdefault(name, {})
                    groups = self.value(logical_id, "Groups", [])
                    for group in [] if groups is MISSING else groups:
                        self.groups_of_user[name][group] = (logical_id, "Groups")
        for logical_id in self.stack.resources("AWS::IAM::ManagedPolicy"):
            arn = self.stack.physical_ids.get(logical_id, "")
            for kind, prop in (("role", "Roles"), ("user", "Users"), ("group", "Groups")):
                names = self.value(logical_id, prop, [])
                for name in [] if names is MISSING else names:
                    self.expect_managed(kind, name, [arn], (logical_id, prop))
        for logical_id in self.stack.resources("AWS::IAM::Policy"):
            name = self.value(logical_id, "PolicyName")
            document = self.value(logical_id, "PolicyDocument")
            if MISSING in (name, document):
                continue
            for kind, prop in (("role", "Roles"), ("user", "Users"), ("group", "Groups")):
                names = self.value(logical_id, prop, [])
                for principal in [] if names is MISSING else names:
                    self.inline.setdefault((kind, principal), {})[name] = (
                        document,
                        (logical_id, prop),
                    )
        for logical_id in self.stack.resources("AWS::IAM::UserToGroupAddition"):
            group = self.value(logical_id, "GroupName")
            users = self.value(logical_id, "Users", [])
            if group is MISSING or users is MISSING:
                continue
            for user in users:
                self.groups_of_user.setdefault(user, {})[group] = (logical_id, "Users")

    # -- comparisons -----------------------------------------------------------------

    def run(self) -> list[Finding]:
        self.collect()
        self.check_roles()
        self.check_managed_policies()
        self.check_instance_profiles()
        self.check_access_keys()
        self.check_users_and_groups()
        for (kind, name), logical_id in sorted(self.principals.items()):
            self.check_attachments(kind, name, logical_id)
        for (kind, name), expected in sorted(self.managed.items()):
            if (kind, name) not in self.principals and expected:
                # A principal the stack does not own (imported): only our policies count.
                self.check_attachments(kind, name, next(iter(expected.values()))[0])
        return self.findings

    def check_roles(self) -> None:
        for logical_id in self.stack.resources("AWS::IAM::Role"):
            name = self.stack.physical_ids.get(logical_id, "")
            if not name:
                continue
            try:
                role = self.iam.get_role(RoleName=name)["Role"]
            except ClientError as e:
                self.add(Kind.MISMATCH, logical_id, "", f"role {name!r} not in IAM: {e}")
                continue
            self.compare_document(
                logical_id,
                "AssumeRolePolicyDocument",
                self.value(logical_id, "AssumeRolePolicyDocument"),
                role["AssumeRolePolicyDocument"],
                raw=self.raw(logical_id, "AssumeRolePolicyDocument"),
            )
            self.compare(logical_id, "RoleName", self.value(logical_id, "RoleName"), name)
            self.compare(logical_id, "Path", self.value(logical_id, "Path", "/"), role["Path"])
            self.compare(
                logical_id,
                "Description",
                self.value(logical_id, "Description", ""),
                role.get("Description", ""),
            )
            self.compare(
                logical_id,
                "MaxSessionDuration",
                self.value(logical_id, "MaxSessionDuration", 3600),
                role.get("MaxSessionDuration", 3600),
            )
            self.compare(
                logical_id,
                "PermissionsBoundary",
                self.value(logical_id, "PermissionsBoundary", ""),
                role.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn", ""),
            )

    def check_managed_policies(self) -> None:
        for logical_id in self.stack.resources("AWS::IAM::ManagedPolicy"):
            arn = self.stack.physical_ids.get(logical_id, "")
            try:
                policy = self.iam.get_policy(PolicyArn=arn)["Policy"]
                version = self.iam.get_policy_version(
                    PolicyArn=arn, VersionId=policy["DefaultVersionId"]
                )["PolicyVersion"]
            except ClientError as e:
                self.add(Kind.MISMATCH, logical_id, "", f"policy {arn!r} not in IAM: {e}")
                continue
            self.compare_document(
                logical_id,
                "PolicyDocument",
                self.value(logical_id, "PolicyDocument"),
                version["Document"],
                raw=self.raw(logical_id, "PolicyDocument"),
            )
            self.compare(logical_id, "Path", self.value(logical_id, "Path", "/"), policy["Path"])
            self.compare(
                logical_id,
                "ManagedPolicyName",
                self.value(logical_id, "ManagedPolicyName"),
                policy["PolicyName"],
            )
            self.compare(
                logical_id,
                "Description",
                self.value(logical_id, "Description", ""),
                policy.get("Description", ""),
            )

    def check_instance_profiles(self) -> None:
        for logical_id in self.stack.resources("AWS::IAM::InstanceProfile"):
            name = self.stack.physical_ids.get(logical_id, "")
            try:
                profile = self.iam.get_instance_profile(InstanceProfileName=name)["InstanceProfile"]
            except ClientError as e:
                self.add(Kind.MISMATCH, logical_id, "", f"instance profile {name!r}: {e}")
                continue
            roles = self.value(logical_id, "Roles")
            if roles is not MISSING:
                deployed = sorted(r["RoleName"] for r in profile["Roles"])
                self.compare(logical_id, "Roles", sorted(roles), deployed)
            self.compare(logical_id, "Path", self.value(logical_id, "Path", "/"), profile["Path"])
            self.compare(
                logical_id,
                "InstanceProfileName",
                self.value(logical_id, "InstanceProfileName"),
                name,
            )

    def check_access_keys(self) -> None:
        for logical_id in self.stack.resources("AWS::IAM::AccessKey"):
            key_id = self.stack.physical_ids.get(logical_id, "")
            user = self.value(logical_id, "UserName")
            if user is MISSING:
                continue
            try:
                keys = self.iam.list_access_keys(UserName=user)["AccessKeyMetadata"]
            except ClientError as e:
                self.add(Kind.MISMATCH, logical_id, "UserName", f"user {user!r}: {e}")
                continue
            found = [k for k in keys if k["AccessKeyId"] == key_id]
            if not found:
                self.add(Kind.MISMATCH, logical_id, "UserName", f"{user!r} has no key {key_id}")
                continue
            status = self.value(logical_id, "Status", "Active")
            self.compare(logical_id, "Status", status, found[0]["Status"])

    def check_users_and_groups(self) -> None:
        for logical_id in self.stack.resources("AWS::IAM::User"):
            name = self.stack.physical_ids.get(logical_id, "")
            try:
                user = self.iam.get_user(UserName=name)["User"]
            except ClientError as e:
                self.add(Kind.MISMATCH, logical_id, "", f"user {name!r} not in IAM: {e}")
                continue
            self.compare(logical_id, "UserName", self.value(logical_id, "UserName"), name)
            self.compare(logical_id, "Path", self.value(logical_id, "Path", "/"), user["Path"])
            boundary = self.value(logical_id, "PermissionsBoundary", "")
            deployed = user.get("PermissionsBoundary", {}).get("PermissionsBoundaryArn", "")
            reason = IGNORED_PROPERTIES.get(("AWS::IAM::User", "PermissionsBoundary"))
            if boundary not in (MISSING, "") and deployed == "" and reason:
                self.add(Kind.GAP, logical_id, "PermissionsBoundary", f"not set: {reason}")
            else:
                self.compare(logical_id, "PermissionsBoundary", boundary, deployed)
            groups = {
                g["GroupName"] for g in self.iam.list_groups_for_user(UserName=name)["Groups"]
            }
            expected = self.groups_of_user.get(name, {})
            for group, source in sorted(expected.items()):
                if group in groups:
                    continue
                why = self.gap(source)
                kind = Kind.GAP if why else Kind.MISMATCH
                self.add(
                    kind,
                    source[0],
                    source[1],
                    f"user {name} is not in group {group}" + (f": {why}" if why else ""),
                )
            for group in sorted(groups - set(expected)):
                self.add(
                    Kind.MISMATCH,
                    logical_id,
                    "Groups",
                    f"IAM has the user in {group}, which the template does not declare",
                )
        for logical_id in self.stack.resources("AWS::IAM::Group"):
            name = self.stack.physical_ids.get(logical_id, "")
            if not name:
                continue
            try:
                group = self.iam.get_group(GroupName=name)["Group"]
            except ClientError as e:
                self.add(Kind.MISMATCH, logical_id, "", f"group {name!r} not in IAM: {e}")
                continue
            self.compare(logical_id, "GroupName", self.value(logical_id, "GroupName"), name)
            self.compare(logical_id, "Path", self.value(logical_id, "Path", "/"), group["Path"])

    def _deployed_policies(self, kind: str, name: str) -> tuple[set[str], dict[str, Any]] | None:
        calls: dict[str, tuple[Callable[..., Any], Callable[..., Any], Callable[..., Any]]] = {
            "role": (
                self.iam.list_attached_role_policies,
                self.iam.list_role_policies,
                self.iam.get_role_policy,
            ),
            "user": (
                self.iam.list_attached_user_policies,
                self.iam.list_user_policies,
                self.iam.get_user_policy,
            ),
            "group": (
                self.iam.list_attached_group_policies,
                self.iam.list_group_policies,
                self.iam.get_group_policy,
            ),
        }
        list_attached, list_inline, get_inline = calls[kind]
        key = {"role": "RoleName", "user": "UserName", "group": "GroupName"}[kind]
        try:
            attached = {p["PolicyArn"] for p in list_attached(**{key: name})["AttachedPolicies"]}
            inline = {
                policy: get_inline(**{key: name, "PolicyName": policy})["PolicyDocument"]
                for policy in list_inline(**{key: name})["PolicyNames"]
            }
        except ClientError as e:
            if _not_found(e):
                return None
            raise
        return attached, inline

    def check_attachments(self, kind: str, name: str, logical_id: str) -> None:
        deployed = self._deployed_policies(kind, name)
        if deployed is None:
            self.add(Kind.MISMATCH, logical_id, "", f"{kind} {name!r} is not in IAM")
            return
        attached, inline = deployed
        owned = (kind, name) in self.principals
        for arn, source in sorted(self.managed.get((kind, name), {}).items()):
            if arn in attached:
                continue
            why = self.gap(source)
            if why is None:
                self.add(Kind.MISMATCH, source[0], source[1], f"{arn} is not attached to {name}")
                continue
            exists = self._policy_exists(arn)
            if not exists:
                self.add(
                    Kind.MISMATCH,
                    source[0],
                    source[1],
                    f"{arn} is not a policy in IAM (and is not attached to {name})",
                )
                continue
            self.add(
                Kind.GAP,
                source[0],
                source[1],
                f"{arn} not attached to {kind} {name}: {why}; checked instead that the "
                "policy exists in IAM (its document is compared separately)",
            )
        expected_arns = set(self.managed.get((kind, name), {}))
        for arn in sorted(attached - expected_arns) if owned else []:
            self.add(
                Kind.MISMATCH,
                logical_id,
                "ManagedPolicyArns",
                f"IAM has {arn} attached, which the template does not declare",
            )
        expected_inline = self.inline.get((kind, name), {})
        for policy_name, (document, source) in sorted(expected_inline.items()):
            if policy_name not in inline:
                why = self.gap(source)
                self.add(
                    Kind.GAP if why else Kind.MISMATCH,
                    source[0],
                    f"{source[1]}[{policy_name}]",
                    f"inline policy missing on {kind} {name}" + (f": {why}" if why else ""),
                )
                continue
            self.compare_document(
                source[0], f"{source[1]}[{policy_name}]", document, inline[policy_name]
            )
        for policy_name in sorted(set(inline) - set(expected_inline)) if owned else []:
            self.add(
                Kind.MISMATCH,
                logical_id,
                f"Policies[{policy_name}]",
                "IAM has this inline policy, which the template does not declare",
            )

    def _policy_exists(self, arn: str) -> bool:
        try:
            self.iam.get_policy(PolicyArn=arn)
        except ClientError as e:
            if _not_found(e):
                return False
            raise
        return True


def compare_iam(stack: DeployedStack) -> list[Finding]:
    """Every difference between ``stack``'s template and what IAM returns."""
    return IamComparison(stack).run()
