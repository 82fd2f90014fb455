"""Parameters several vendors' templates share, described once."""

from __future__ import annotations

from . import rules
from .scenario import TemplateChoice, TemplateParameter, TemplateSetting


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


def k8s_namespace(whose: str, default: str) -> TemplateParameter:
    """``Namespace``: the Kubernetes namespace of the pods that use the role."""
    return TemplateParameter(
        name="Namespace",
        rule=rules.K8S_NAMESPACE,
        description=f"Kubernetes namespace of {whose}.",
        default=default,
    )


def k8s_service_account(whose: str, default: str) -> TemplateParameter:
    """``ServiceAccount``: the Kubernetes service account of the pods that use the role."""
    return TemplateParameter(
        name="ServiceAccount",
        rule=rules.K8S_SERVICE_ACCOUNT,
        description=f"Kubernetes service account of {whose}.",
        default=default,
    )


EKS_CLUSTER_NAME = TemplateParameter(
    name="ClusterName",
    rule=rules.EKS_CLUSTER_NAME,
    description="The existing EKS cluster (with the EKS Pod Identity Agent add-on).",
)
"""``ClusterName``: the EKS cluster of a Pod Identity template."""

CREATE_POD_IDENTITY_ASSOCIATION = TemplateChoice(
    name="CreateAssociation",
    values=("true", "false"),
    description="Create the Pod Identity association for the service account.",
)
"""``CreateAssociation``: whether a Pod Identity template creates the association."""

OIDC_ISSUER = TemplateSetting(
    name="oidc-issuer",
    rule=rules.OIDC_ISSUER_URL,
    description=(
        "The EKS cluster's OIDC issuer URL (aws eks describe-cluster --query "
        "cluster.identity.oidc.issuer). Fixed at generation: it is part of the trust "
        "policy's condition keys, which CloudFormation cannot build from a parameter."
    ),
    default="https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
)
"""``--oidc-issuer``: an IRSA template's issuer, a setting (see the IRSA templates)."""
