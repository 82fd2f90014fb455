"""Secrets Manager access to one secret, on its real ARN pattern."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

from constructs import Construct

from .._private.stack_facts import stack_facts
from ..catalog import secretsmanager as sm_catalog
from ..catalog.secretsmanager import SecretsScope
from ..validation import PropsCheck, check_partitions
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

    :param secret: the secret name (e.g. ``lokryn/ducklake/config``), its complete ARN
        (with the 6-character suffix Secrets Manager appends) or a
        ``secretsmanager.ISecret``, e.g. ``Secret.from_secret_name_v2(...)`` or
        ``Secret.from_secret_partial_arn(...)`` for a secret known by name or partial ARN
        (granted as ``...:secret:NAME-??????``). A token string must be one lakehouse-iam
        can tell (``secret.secret_arn``); otherwise pass an ``ISecret``.
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
    _is_arn: bool = field(init=False, repr=False, compare=False, default=False)
    _resource_arn: str = field(init=False, repr=False, compare=False, default="")

    def _check(self, check: PropsCheck) -> None:
        form = check.secret("secret", self.secret)
        object.__setattr__(self, "_is_arn", form == "arn")
        if self.kms_key is not None:
            check.kms_key("kms_key", self.kms_key)
        if self.account is not None:
            check.account_id("account", self.account)
        if self.region is not None:
            check.aws_region("region", self.region)

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "Secrets Manager access to one secret"

    def secret_arn(self, scope: Construct) -> str:
        """The secret's ARN, or ``...:secret:NAME-??????`` for a secret given by name (or an
        ``ISecret`` that only knows its partial ARN)."""
        if not isinstance(self.secret, str):
            if not self._resource_arn:
                # An ISecret imported by name or partial ARN has no full ARN; its partial ARN
                # alone matches no secret in IAM, the random suffix must be matched too.
                full = self.secret.secret_full_arn
                arn = full or f"{self.secret.secret_arn}{sm_catalog.RANDOM_SUFFIX_PATTERN}"
                object.__setattr__(self, "_resource_arn", arn)
            return self._resource_arn
        if self._is_arn:
            return self.secret
        stack = stack_facts(scope)
        region = self.region or stack.region
        account = self.account or stack.account
        return (
            f"arn:{stack.partition}:secretsmanager:{region}:{account}:secret:"
            f"{self.secret}{sm_catalog.RANDOM_SUFFIX_PATTERN}"
        )

    def resource_arn(self, scope: Construct) -> str:
        check_partitions("SecretsGrant", stack_facts(scope), {"secret": self.secret})
        return self.secret_arn(scope)

    def extra_statements(self, scope: Construct) -> list[dict[str, Any]]:
        # Values stay guarded by GetSecretValue on the one secret ARN: the unscoped actions
        # on '*' (BatchGetSecretValue, ListSecrets) return no value by themselves.
        if self.kms_key is None or "secretsmanager:GetSecretValue" not in self.actions:
            return []
        key_arn = self.kms_key if isinstance(self.kms_key, str) else self.kms_key.key_arn
        check_partitions(
            "SecretsGrant", stack_facts(scope), {"secret": self.secret, "kms_key": self.kms_key}
        )
        region = self.region or stack_facts(scope).region
        conditions = {
            "StringEquals": {"kms:ViaService": f"secretsmanager.{region}.amazonaws.com"},
            # Secrets Manager encrypts each version with the encryption context
            # SecretARN = the secret's full ARN.
            "StringLike": {"kms:EncryptionContext:SecretARN": self.secret_arn(scope)},
        }
        return [allow(f"{self.sid}KmsViaSecretsManager", ["kms:Decrypt"], [key_arn], conditions)]
