"""AWS Secrets Manager actions: which are authorized per secret and which need ``*``.

From the Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecretsmanager.html):
the read actions are authorized against the secret ARN
``arn:PARTITION:secretsmanager:REGION:ACCOUNT:secret:NAME-XXXXXX``. Secrets Manager
appends a hyphen and six random characters to every secret name, so a policy that
names the secret before it exists (or by name) must end in ``NAME-??????``: ``?``
matches exactly one character, so ``lokryn/ducklake/config-??????`` cannot match
``lokryn/ducklake/config-other-AbCdEf``, which ``config*`` would.
"""

from __future__ import annotations

from enum import Enum

from .evidence import Need, aws_doc, engine


class SecretsScope(Enum):
    """What a Secrets Manager action is authorized against."""

    SECRET = "secret"
    """The secret ARN (``...:secret:NAME-??????``)."""
    NONE = "none"
    """No resource-level permission: the statement needs ``Resource: *``."""


SECRETS_ACTION_SCOPES: dict[str, SecretsScope] = {
    "secretsmanager:DescribeSecret": SecretsScope.SECRET,
    "secretsmanager:GetResourcePolicy": SecretsScope.SECRET,
    "secretsmanager:GetSecretValue": SecretsScope.SECRET,
    "secretsmanager:ListSecretVersionIds": SecretsScope.SECRET,
    "secretsmanager:BatchGetSecretValue": SecretsScope.NONE,
    "secretsmanager:ListSecrets": SecretsScope.NONE,
}

NO_RESOURCE_LEVEL_REASONS: dict[str, str] = {
    "secretsmanager:BatchGetSecretValue": (
        "secretsmanager:BatchGetSecretValue has no resource type in the Service Authorization "
        "Reference, so it can only be granted on '*'. It opens no secret by itself: Secrets "
        "Manager also requires secretsmanager:GetSecretValue on each secret it returns, and "
        "that is granted on the one config secret ARN only."
    ),
    "secretsmanager:ListSecrets": (
        "secretsmanager:ListSecrets has no resource type in the Service Authorization "
        "Reference, so it can only be granted on '*'. BatchGetSecretValue with Filters "
        "requires it; it returns secret metadata (names, ARNs, descriptions, tags), never "
        "secret values."
    ),
}
"""Why each action with no resource-level permission is granted on ``*``."""

READ: tuple[str, ...] = ("secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue")
"""Read one secret's value and metadata."""
INJECT: tuple[str, ...] = ("secretsmanager:GetSecretValue",)
"""What ECS needs on the task execution role to inject a secret into a container
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html)."""

RANDOM_SUFFIX_PATTERN = "-??????"
"""Matches the ``-`` and six random characters Secrets Manager appends to a secret name."""


def scope_of(action: str) -> SecretsScope:
    """The resource scope of a Secrets Manager action; ``KeyError`` for an unknown action."""
    return SECRETS_ACTION_SCOPES[action]


INJECT_EVIDENCE = Need(
    actions=INJECT,
    why="ECS reads a secret the task definition injects, with the task execution role",
    sources=(
        aws_doc(
            "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/"
            "secrets-envvar-secrets-manager.html",
            "secretsmanager:GetSecretValue on the secret",
        ),
        engine(
            "aws/amazon-ecs-agent agent/taskresource/asmsecret/asmsecret.go"
            "@8dfceca6cf380a83c3007349317566f2862f0673",
            "GetSecretValue",
        ),
    ),
    opt_in="inject_config_secret=True",
)
"""Why the task execution role gets :data:`INJECT` when a secret is injected."""
