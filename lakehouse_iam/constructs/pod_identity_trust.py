"""Trust EKS Pod Identity for one cluster, namespace and service account."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from aws_cdk import aws_iam as iam
from constructs import Construct

if TYPE_CHECKING:
    from aws_cdk import aws_eks as eks

from .._private.stack_facts import stack_facts
from ..validation import PropsCheck
from .trust import Trust

SERVICE_PRINCIPAL = "pods.eks.amazonaws.com"


@dataclass(frozen=True, kw_only=True)
class PodIdentityTrust(Trust):
    """``pods.eks.amazonaws.com`` with ``sts:AssumeRole`` + ``sts:TagSession``, scoped.

    EKS Pod Identity assumes the role with ``AssumeRole`` and tags the session
    (``sts:TagSession``) with ``eks-cluster-arn``, ``eks-cluster-name``,
    ``kubernetes-namespace``, ``kubernetes-service-account``, ``kubernetes-pod-name`` and
    ``kubernetes-pod-uid`` (https://docs.aws.amazon.com/eks/latest/userguide/pod-id-role.html).
    The bare service principal trusts every cluster of every account that can create a
    Pod Identity association naming the role, so by default the statement requires
    (``StringEquals``):

    * ``aws:SourceAccount`` = the account (the cluster's account; confused-deputy guard);
    * ``aws:RequestTag/eks-cluster-arn`` = the cluster ARN, when ``cluster_name`` is set;
    * ``aws:RequestTag/kubernetes-namespace`` and ``aws:RequestTag/kubernetes-service-account``,
      when ``namespace``/``service_account`` are set.

    Those three are session tags, absent when the association disables session tags
    (``disableSessionTags``, used against ``PackedPolicyTooLarge``). For such an
    association pass ``session_tag_conditions=False``: the cluster is then pinned with
    ``ArnLike aws:SourceArn = arn:PARTITION:eks:REGION:ACCOUNT:podidentityassociation/CLUSTER/*``
    (EKS sets the association ARN as source ARN), and the association itself is the
    only namespace / service-account binding.

    Example::

        PodIdentityTrust(cluster_name="lake", namespace="ducklake", service_account="ducklake",
                         create_association=True)

    :param cluster_name: the EKS cluster. Default: any cluster of the account.
    :param namespace: the service account's namespace (RFC 1123 label). Default: any.
    :param service_account: the service account name (RFC 1123 subdomain). Default: any.
    :param account: the cluster's account. Default: the stack's.
    :param region: the cluster's region. Default: the stack's.
    :param session_tag_conditions: scope with session tags (see above). Default: ``True``.
    :param create_association: create the ``AWS::EKS::PodIdentityAssociation`` next to the
        role (needs ``cluster_name``, ``namespace`` and ``service_account``; the cluster
        must run the EKS Pod Identity Agent add-on). Default: ``False``.
    :param confused_deputy_protection: set ``False`` only to reproduce the bare
        service-principal trust on purpose (no condition at all). Default: ``True``.
    """

    cluster_name: str | None = None
    namespace: str | None = None
    service_account: str | None = None
    account: str | None = None
    region: str | None = None
    session_tag_conditions: bool = True
    create_association: bool = False
    confused_deputy_protection: bool = True

    def __post_init__(self) -> None:
        check = PropsCheck("PodIdentityTrust")
        if self.cluster_name is not None:
            check.eks_cluster_name("cluster_name", self.cluster_name)
        if self.namespace is not None:
            check.k8s_namespace("namespace", self.namespace)
        if self.service_account is not None:
            check.k8s_service_account("service_account", self.service_account)
        if self.account is not None:
            check.account_id("account", self.account)
        if self.region is not None:
            check.aws_region("region", self.region)
        if self.create_association:
            for prop in ("cluster_name", "namespace", "service_account"):
                if getattr(self, prop) is None:
                    check.add(prop, None, "a value when create_association=True")
        check.raise_if_any()
        check.keep_deferred(self)

    def cluster_arn(self, scope: Construct) -> str | None:
        """``arn:PARTITION:eks:REGION:ACCOUNT:cluster/NAME``, or ``None`` without a cluster."""
        if self.cluster_name is None:
            return None
        stack = stack_facts(scope)
        region = self.region or stack.region
        account = self.account or stack.account
        return f"arn:{stack.partition}:eks:{region}:{account}:cluster/{self.cluster_name}"

    def conditions(self, scope: Construct) -> dict[str, dict[str, object]]:
        """The trust conditions (empty when protection is switched off)."""
        if not self.confused_deputy_protection:
            return {}
        stack = stack_facts(scope)
        account = self.account or stack.account
        equals: dict[str, object] = {"aws:SourceAccount": account}
        result: dict[str, dict[str, object]] = {"StringEquals": equals}
        if self.session_tag_conditions:
            cluster_arn = self.cluster_arn(scope)
            if cluster_arn is not None:
                equals["aws:RequestTag/eks-cluster-arn"] = cluster_arn
            if self.namespace is not None:
                equals["aws:RequestTag/kubernetes-namespace"] = self.namespace
            if self.service_account is not None:
                equals["aws:RequestTag/kubernetes-service-account"] = self.service_account
        elif self.cluster_name is not None:
            region = self.region or stack.region
            result["ArnLike"] = {
                "aws:SourceArn": (
                    f"arn:{stack.partition}:eks:{region}:{account}:"
                    f"podidentityassociation/{self.cluster_name}/*"
                )
            }
        return result

    def principal(self, scope: Construct) -> iam.IPrincipal:
        principal = iam.ServicePrincipal(SERVICE_PRINCIPAL, conditions=self.conditions(scope))
        # Pod Identity tags the session: sts:TagSession next to sts:AssumeRole.
        return iam.SessionTagsPrincipal(principal)

    def bind(self, scope: Construct, role: iam.IRole) -> eks.CfnPodIdentityAssociation | None:
        """The ``AWS::EKS::PodIdentityAssociation`` (only with ``create_association``)."""
        if not self.create_association:
            return None
        # Imported here: aws_eks is a large module that only this resource needs.
        from aws_cdk import aws_eks as eks

        # create_association=True requires all three (checked in __post_init__).
        assert self.cluster_name and self.namespace and self.service_account
        return eks.CfnPodIdentityAssociation(
            scope,
            "PodIdentityAssociation",
            cluster_name=self.cluster_name,
            namespace=self.namespace,
            service_account=self.service_account,
            role_arn=role.role_arn,
        )
