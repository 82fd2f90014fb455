"""Secrets Manager access to one secret, on its real ARN pattern."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from constructs import Construct

from .._private.stack_facts import stack_facts
from ..catalog import secretsmanager as sm_catalog
from ..catalog.secretsmanager import SecretsScope
from ..validation import PropsCheck
from .grant import allow
from .service_grant import ServiceActionsGrant

if TYPE_CHECKING:
    from aws_cdk import aws_kms as kms
    from aws_cdk import aws_secretsmanager as secretsmanager


@dataclass(frozen=True, kw_only=True)
class SecretsGrant(ServiceActionsGrant):
    """Exact Secrets Manager actions on one secret, plus the few that need ``*``.

    Renders up to three statements:

    * ``<Sid>Secret``: secret-scoped actions on the secret ARN. A secret given by name
      becomes ``arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-??????``:
      Secrets Manager appends ``-`` and six random characters to every name, and each
      ``?`` matches exactly one character, so no other secret can match;
    * ``<Sid>NoResourceLevel``: ``BatchGetSecretValue``/``ListSecrets`` on ``*`` (they
      have no resource type), only when asked for, each with its reason;
    * ``<Sid>KmsViaSecretsManager``: ``kms:Decrypt`` on the secret's customer-managed
      key, usable only through Secrets Manager and only for this secret (encryption
      context ``SecretARN``), when ``kms_key`` is given.

    Example::

        SecretsGrant(secret="lokryn/ducklake/config", actions=["secretsmanager:GetSecretValue"])

    :param secret: the secret name (e.g. ``lokryn/ducklake/config``), its ARN (complete
        or partial) or a ``secretsmanager.ISecret``.
    :param actions: exact actions from
        :data:`lakehouse_iam.catalog.secretsmanager.SECRETS_ACTION_SCOPES`. Default:
        ``DescribeSecret`` and ``GetSecretValue``.
    :param kms_key: the customer-managed key the secret is encrypted with. Default: none
        (the AWS managed key ``aws/secretsmanager`` needs no IAM permission).
    :param region: region of a secret given by name. Default: the stack's.
    :param account: account of a secret given by name. Default: the stack's.
    :param name: stable alphanumeric name for the policy and Sids. Default: ``Secret``.
    """

    SERVICE: ClassVar[str] = "Secrets Manager"
    ACTION_SCOPES = sm_catalog.SECRETS_ACTION_SCOPES
    SCOPED = SecretsScope.SECRET
    UNSCOPED = SecretsScope.NONE
    NO_RESOURCE_REASONS = sm_catalog.NO_RESOURCE_LEVEL_REASONS
    SCOPED_SID = "Secret"

    secret: str | secretsmanager.ISecret
    actions: Sequence[str] = sm_catalog.READ
    kms_key: str | kms.IKey | None = None
    region: str | None = None
    account: str | None = None
    name: str = "Secret"

    def _check(self, check: PropsCheck) -> None:
        if isinstance(self.secret, str):
            if self.secret.startswith("arn:"):
                check.secret_arn("secret", self.secret)
            else:
                check.secret_name("secret", self.secret)
        elif not hasattr(self.secret, "secret_arn"):
            check.add(
                "secret", self.secret, "a secret name, a secret ARN or a secretsmanager.ISecret"
            )
        if isinstance(self.kms_key, str):
            check.kms_key_arn("kms_key", self.kms_key)
        elif self.kms_key is not None and not hasattr(self.kms_key, "key_arn"):
            check.add("kms_key", self.kms_key, "a KMS key ARN or a kms.IKey")
        if self.account is not None:
            check.account_id("account", self.account)

    @property
    def description(self) -> str:
        return "Secrets Manager access to one secret"

    def secret_arn(self, scope: Construct) -> str:
        """The secret's ARN, or ``...:secret:NAME-??????`` for a secret given by name."""
        if not isinstance(self.secret, str):
            return self.secret.secret_full_arn or self.secret.secret_arn
        if self.secret.startswith("arn:"):
            return self.secret
        stack = stack_facts(scope)
        region = self.region or stack.region
        account = self.account or stack.account
        return (
            f"arn:{stack.partition}:secretsmanager:{region}:{account}:secret:"
            f"{self.secret}{sm_catalog.RANDOM_SUFFIX_PATTERN}"
        )

    def resource_arn(self, scope: Construct) -> str:
        return self.secret_arn(scope)

    def extra_statements(self, scope: Construct) -> list[dict[str, Any]]:
        # Values stay guarded by GetSecretValue on the one secret ARN: the unscoped actions
        # on '*' (BatchGetSecretValue, ListSecrets) return no value by themselves.
        if self.kms_key is None or "secretsmanager:GetSecretValue" not in self.actions:
            return []
        key_arn = self.kms_key if isinstance(self.kms_key, str) else self.kms_key.key_arn
        region = self.region or stack_facts(scope).region
        conditions = {
            "StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"},
            # Secrets Manager encrypts each version with the encryption context
            # SecretARN = the secret's full ARN.
            "StringLike": {"kms:EncryptionContext:SecretARN": self.secret_arn(scope)},
        }
        return [allow(f"{self.sid}KmsViaSecretsManager", ["kms:Decrypt"], [key_arn], conditions)]
