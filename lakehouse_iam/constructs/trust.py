"""The trust abstraction: who may assume a role, under which conditions."""

from __future__ import annotations

from abc import ABC, abstractmethod

from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct


class Trust(ABC):
    """Renders the principal (with its confused-deputy conditions) a role trusts.

    Implementations put their guard conditions on by default; a constructor flag that
    turns one off is an explicit, documented choice of the caller.

    Example (a trust of your own)::

        @dataclass(frozen=True)
        class LambdaTrust(Trust):
            def principal(self, scope: Construct) -> iam.IPrincipal:
                account = cdk.Stack.of(scope).account
                return iam.ServicePrincipal("lambda.amazonaws.com").with_conditions(
                    {"StringEquals": {"aws:SourceAccount": account}}
                )
    """

    @abstractmethod
    def principal(self, scope: Construct) -> iam.IPrincipal:
        """The principal for ``iam.Role(assumed_by=...)``, conditions included."""

    def bind(self, scope: Construct, role: iam.IRole) -> IConstruct | None:
        """Create what the trust needs next to the role and return it.

        Called once by the role construct after the role exists, e.g. an
        ``iam.InstanceProfile`` (:class:`Ec2InstanceTrust`), an EKS Pod Identity
        association (:class:`PodIdentityTrust`) or the assuming role's policy
        (:class:`RoleTrust`). The role construct exposes it as ``trust_binding``, so
        callers never look children up by construct ID. Default: nothing (``None``).
        """
        return None
