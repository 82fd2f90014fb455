"""Parameters several vendors' templates share, described once."""

from __future__ import annotations

from . import rules
from .scenario import TemplateParameter


def bucket(what: str, *, max_length: int | None = None) -> TemplateParameter:
    """``BucketName``: an existing bucket, by name."""
    return TemplateParameter(
        name="BucketName",
        rule=rules.BUCKET_NAME,
        description=f"Name of the existing S3 bucket {what}.",
        max_length=max_length,
    )


def prefix(
    default: str,
    what: str,
    *,
    name: str = "Prefix",
    rule: rules.ParameterRule = rules.PREFIX,
    max_length: int | None = None,
) -> TemplateParameter:
    """``Prefix``: required; the grant is confined to ``bucket/prefix/``.

    :param rule: the rule, when the construct refuses more than any prefix refuses
        (:func:`lakehouse_iam.templates.rules.restricted`). Default: ``rules.PREFIX``.
    :param max_length: a ``MaxLength`` below the rule's 1000 characters, when the
        construct derives a longer prefix from it. Default: none.
    """
    return TemplateParameter(
        name=name,
        rule=rule,
        description=(
            f"Key prefix {what}, without leading or trailing '/' (e.g. raw/orders). "
            "Access is confined to BUCKET/PREFIX/."
        ),
        default=default,
        max_length=max_length,
    )


def kms_key() -> TemplateParameter:
    """``KmsKeyArn``: optional; when given, a policy for SSE-KMS through S3 only."""
    return TemplateParameter(
        name="KmsKeyArn",
        rule=rules.KMS_KEY_ARN,
        description=(
            "ARN of the bucket's customer-managed SSE-KMS key (key ARN, not an alias). "
            "Empty: the bucket uses SSE-S3 and no KMS permission is granted."
        ),
        optional=True,
    )


def external_id(who: str) -> TemplateParameter:
    """``ExternalId``: optional; when given, the trust requires ``sts:ExternalId``."""
    return TemplateParameter(
        name="ExternalId",
        rule=rules.EXTERNAL_ID,
        description=(
            f"ExternalId {who} must pass when assuming the role (sts:ExternalId). "
            "Empty: the exact role ARN is the only guard."
        ),
        optional=True,
    )
