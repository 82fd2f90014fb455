"""The trust abstraction: who may assume a role, under which conditions."""

from __future__ import annotations

from abc import ABC, abstractmethod

from aws_cdk import aws_iam as iam
from constructs import Construct


class Trust(ABC):
    """Renders the principal (with its confused-deputy conditions) a role trusts.

    Implementations put their guard conditions on by default; a constructor flag that
    turns one off is an explicit, documented choice of the caller.
    """

    @abstractmethod
    def principal(self, scope: Construct) -> iam.IPrincipal:
        """The principal for ``iam.Role(assumed_by=...)``, conditions included."""

    def bind(self, scope: Construct, role: iam.IRole) -> None:  # noqa: B027 - optional hook
        """Create what the trust needs next to the role (instance profile, association).

        Called once by the role construct after the role exists. Default: nothing.
        """
