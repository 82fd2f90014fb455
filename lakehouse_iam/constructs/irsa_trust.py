"""Trust one Kubernetes service account of an EKS cluster (IAM roles for service accounts)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from .._private.stack_facts import stack_facts
from ..validation import PropsCheck, check_partitions, is_token
from .trust import Trust

STS_AUDIENCE = "sts.amazonaws.com"
"""The audience EKS puts in projected service-account tokens for IRSA."""


@dataclass(frozen=True, kw_only=True)
class IrsaTrust(Trust):
    """``sts:AssumeRoleWithWebIdentity`` for one service account, through the OIDC provider.

    The trust statement names the cluster's IAM OIDC provider and requires, with
    ``StringEquals``:

    * ``<issuer>:sub = system:serviceaccount:<namespace>:<service_account>`` - without
      it, every pod of the cluster (any namespace, any service account) could assume
      the role;
    * ``<issuer>:aud = sts.amazonaws.com``.

    (https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html)

    Example::

        IrsaTrust(oidc_provider=cluster.open_id_connect_provider, namespace="lake",
                  service_account="ducklake")

    The condition *keys* contain the issuer. When the issuer is only known at deploy time
    (a provider created in the same app, or imported from a token), the keys cannot be
    JSON object keys in the template, so the conditions go through ``cdk.CfnJson`` (a
    small custom resource that renders them at deploy time), as aws-cdk's own
    ``eks.ServiceAccount`` does. A concrete issuer renders plain conditions and creates
    no custom resource.

    :param oidc_provider: the cluster's IAM OIDC provider: its ARN
        (``arn:aws:iam::ACCOUNT:oidc-provider/oidc.eks.REGION.amazonaws.com/id/ID``), the
        cluster's issuer URL (``https://oidc.eks...``; the provider is then assumed to be
        in the stack's account), or an ``iam.IOpenIdConnectProvider`` (which
        ``eks.OpenIdConnectProvider`` and ``iam.OidcProviderNative`` are).
        A token string must be one lakehouse-iam can tell (a provider's ARN, a cluster's
        ``OpenIdConnectIssuerUrl``); otherwise pass
        ``iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(...)``.
    :param namespace: the service account's namespace (RFC 1123 label).
    :param service_account: the service account name (RFC 1123 subdomain).
    """

    oidc_provider: str | iam.IOpenIdConnectProvider
    namespace: str
    service_account: str
    _is_url: bool = field(init=False, repr=False, compare=False, default=False)

    def __post_init__(self) -> None:
        check = PropsCheck("IrsaTrust")
        form = check.oidc_provider("oidc_provider", self.oidc_provider)
        object.__setattr__(self, "_is_url", form == "url")
        check.k8s_namespace("namespace", self.namespace)
        check.k8s_service_account("service_account", self.service_account)
        check.raise_if_any()
        check.keep_deferred(self)

    @property
    def subject(self) -> str:
        """``system:serviceaccount:<namespace>:<service_account>``."""
        return f"system:serviceaccount:{self.namespace}:{self.service_account}"

    def provider_arn(self, scope: Construct) -> str:
        """The OIDC provider ARN (in the stack's account for an issuer URL)."""
        provider = self.oidc_provider
        if not isinstance(provider, str):
            return provider.open_id_connect_provider_arn
        if self._is_url:
            stack = stack_facts(scope)
            return f"arn:{stack.partition}:iam::{stack.account}:oidc-provider/{self.issuer(scope)}"
        return provider

    def issuer(self, scope: Construct) -> str:
        """The issuer without ``https://``: the prefix of the ``:sub``/``:aud`` keys."""
        provider = self.oidc_provider
        if not isinstance(provider, str):
            return provider.open_id_connect_provider_issuer
        if self._is_url:
            if is_token(provider):
                # e.g. an EKS cluster's OpenIdConnectIssuerUrl: drop the scheme at deploy time.
                return cdk.Fn.select(1, cdk.Fn.split("https://", provider))
            return provider.removeprefix("https://").rstrip("/")
        if is_token(provider):
            return cdk.Fn.select(1, cdk.Fn.split(":oidc-provider/", provider))
        return provider.split(":oidc-provider/", 1)[1]

    def principal(self, scope: Construct) -> iam.IPrincipal:
        check_partitions("IrsaTrust", stack_facts(scope), {"oidc_provider": self.oidc_provider})
        issuer = self.issuer(scope)
        values = {f"{issuer}:aud": STS_AUDIENCE, f"{issuer}:sub": self.subject}
        string_equals: object = values
        if is_token(issuer):
            # Condition keys built from a token cannot be template object keys;
            # CfnJson resolves them at deploy time (as eks.ServiceAccount does).
            string_equals = cdk.CfnJson(scope, "IrsaTrustConditions", value=values)
        return iam.FederatedPrincipal(
            self.provider_arn(scope),
            {"StringEquals": string_equals},
            "sts:AssumeRoleWithWebIdentity",
        )

    def service_account_manifest(self, role_arn: str, *, output_format: str = "json") -> str:
        """The Kubernetes ServiceAccount this trust admits, annotated with ``role_arn``.

        Example::

            trust.service_account_manifest(role.role_arn, output_format="yaml")

        :param role_arn: the role's ARN (``eks.amazonaws.com/role-arn``).
        :param output_format: ``"json"`` (one line, valid YAML too; fits a stack output)
            or ``"yaml"``. Apply with ``kubectl apply -f -``.
        :raises ValueError: for an unknown ``output_format``.
        """
        if output_format == "json":
            return json.dumps(
                {
                    "apiVersion": "v1",
                    "kind": "ServiceAccount",
                    "metadata": {
                        "name": self.service_account,
                        "namespace": self.namespace,
                        "annotations": {"eks.amazonaws.com/role-arn": role_arn},
                    },
                },
                separators=(",", ":"),
            )
        if output_format == "yaml":
            return (
                "apiVersion: v1\n"
                "kind: ServiceAccount\n"
                "metadata:\n"
                f"  name: {self.service_account}\n"
                f"  namespace: {self.namespace}\n"
                "  annotations:\n"
                f"    eks.amazonaws.com/role-arn: {role_arn}\n"
            )
        check = PropsCheck("IrsaTrust.service_account_manifest")
        check.add("output_format", output_format, "'json' or 'yaml'")
        check.raise_if_any()
        raise AssertionError  # pragma: no cover - raise_if_any raised
