"""An IAM user that gets its grants through a group, for engines that need access keys."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

import aws_cdk as cdk
import jsii
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from constructs import Construct

from .._private.managed_policy import grant_policy
from .._private.physical_names import claim_physical_name
from .._private.stack_facts import inherit_stack_facts
from ..nag import acknowledge_findings
from ..validation import PropsCheck
from .grant import AccessGrant

if TYPE_CHECKING:
    from aws_cdk import aws_secretsmanager as secretsmanager


@jsii.implements(iam.IGrantable)
class DataAccessUser(Construct):
    """An IAM user in a group carrying the grants, with its access key in Secrets Manager.

    Use it only where the engine cannot assume a role: long-term keys leak and must be
    rotated by hand. Permissions sit on the group (one managed policy per grant), never
    on the user. The access key's secret goes straight into a KMS-encrypted Secrets
    Manager secret (JSON ``{"accessKeyId", "secretAccessKey"}``); the template holds a
    ``Fn::GetAtt`` reference, never the value, and no output exposes it.

    Example::

        user = DataAccessUser(stack, "Engine", grants=[S3Grant(location=raw, actions=S3Grant.READ)])
        cdk.CfnOutput(stack, "KeySecretArn", value=user.secret.secret_arn)

    :param grants: what the user may do.
    :param user_name: physical user name. Default: generated.
    :param group_name: physical group name. Default: generated.
    :param create_access_key: create the key and its secret. Default: ``True``.
    :param permissions_boundary: a boundary for the user. Default: none.
    :param secret_key: KMS key for the secret. Default: a new key with rotation.
    """

    def __init__(
        self,
        scope: Construct,
        id: str,
        *,
        grants: Sequence[AccessGrant],
        user_name: str | None = None,
        group_name: str | None = None,
        create_access_key: bool = True,
        permissions_boundary: iam.IManagedPolicy | None = None,
        secret_key: kms.IKey | None = None,
    ) -> None:
        super().__init__(scope, id)
        inherit_stack_facts(self, scope)
        check = PropsCheck("DataAccessUser", at=self)
        if isinstance(grants, Iterable) and not isinstance(grants, (str, bytes)):
            grants = list(grants)
        check.sequence_of("grants", grants, AccessGrant, "lakehouse_iam AccessGrant (e.g. S3Grant)")
        if user_name is not None:
            check.iam_name("user_name", user_name, max_length=64)
        if group_name is not None:
            check.iam_name("group_name", group_name, max_length=128)
        check.boolean("create_access_key", create_access_key)
        if permissions_boundary is not None and not hasattr(
            permissions_boundary, "managed_policy_arn"
        ):
            check.add("permissions_boundary", permissions_boundary, "an iam.IManagedPolicy")
        if secret_key is not None:
            check.kms_key("secret_key", secret_key)
            if create_access_key is False:
                check.exclusive(
                    {"secret_key": secret_key, "create_access_key=False": True},
                    why="secret_key encrypts the access key's secret, which "
                    "create_access_key=False does not create",
                )
        check.raise_if_any()
        for kind, name, prop in (
            ("user", user_name, "user_name"),
            ("group", group_name, "group_name"),
        ):
            claim_physical_name(
                self,
                kind=kind,
                name=name,
                owner="DataAccessUser",
                prop=prop,
                hint=f"Pass a different {prop} to one of them.",
            )

        self._group = iam.Group(self, "Group", group_name=group_name)
        self._user = iam.User(
            self, "User", user_name=user_name, permissions_boundary=permissions_boundary
        )
        self._group.add_user(self._user)
        self._policies: dict[str, iam.ManagedPolicy] = {}
        for grant in grants:
            if grant.sid in self._policies:
                raise ValueError(
                    f"DataAccessUser at {self.node.path}: grant name {grant.sid!r} is used "
                    "twice; pass a distinct name= to one of the grants"
                )
            policy = grant_policy(self, grant)
            self._group.add_managed_policy(policy)
            self._policies[grant.sid] = policy

        self._access_key: iam.AccessKey | None = None
        self._secret: secretsmanager.Secret | None = None
        if create_access_key:
            # Imported here: aws_secretsmanager is a large module only this branch needs.
            from aws_cdk import aws_secretsmanager as secretsmanager

            self._access_key = iam.AccessKey(self, "AccessKey", user=self._user)
            self._secret = secretsmanager.Secret(
                self,
                "AccessKeySecret",
                description=f"Access key of {self.node.path} (IAM user mode)",
                encryption_key=secret_key or kms.Key(self, "SecretKey", enable_key_rotation=True),
                secret_object_value={
                    "accessKeyId": cdk.SecretValue.unsafe_plain_text(
                        self._access_key.access_key_id
                    ),
                    "secretAccessKey": self._access_key.secret_access_key,
                },
            )
            rotation = (
                "An IAM access key cannot be rotated by Secrets Manager's managed rotation; "
                "rotate it by replacing the AccessKey (serial) and redeploying, as documented."
            )
            acknowledge_findings(
                self._secret,
                {
                    "AwsSolutions-SMG4": rotation,
                    "NIST.800.53.R5-SecretsManagerRotationEnabled": rotation,
                    "HIPAA.Security-SecretsManagerRotationEnabled": rotation,
                },
            )

    @property
    def group(self) -> iam.Group:
        """The group that carries the managed policies (one per grant)."""
        return self._group

    @property
    def user(self) -> iam.User:
        """The IAM user, a member of :attr:`group`; it has no policy of its own."""
        return self._user

    @property
    def policies(self) -> dict[str, iam.ManagedPolicy]:
        """The managed policies created for the grants, by grant Sid."""
        return dict(self._policies)

    @property
    def access_key(self) -> iam.AccessKey | None:
        """The user's access key (``create_access_key=True``), else ``None``."""
        return self._access_key

    @property
    def secret(self) -> secretsmanager.Secret | None:
        """The KMS-encrypted secret holding ``accessKeyId`` and ``secretAccessKey``
        (``create_access_key=True``), else ``None``."""
        return self._secret

    @property
    def grant_principal(self) -> iam.IPrincipal:
        """The group, so grants added later reach the user through it."""
        return self._group.grant_principal
