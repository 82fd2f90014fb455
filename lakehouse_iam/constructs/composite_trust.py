"""Several trusts on one role: each keeps its own principal and conditions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct, IConstruct

from ..validation import PropsCheck
from .trust import Trust


@dataclass(frozen=True, kw_only=True)
class CompositeTrust(Trust):
    """Who may assume a role when more than one caller may: any of ``trusts``.

    Each trust renders its own trust-policy statement(s) with its own guard conditions
    (``iam.CompositePrincipal`` keeps a conditioned principal in a statement of its own),
    so one caller's condition never loosens or tightens another's. Example: RisingWave's
    workload role (:class:`CrossAccountTrust`) and Redshift running ``COPY`` with the same
    role (:class:`RedshiftTrust`).

    :param trusts: two or more trusts; at most one of them may create something next to
        the role (:meth:`Trust.bind`), since the role exposes one ``trust_binding``.
    """

    trusts: Sequence[Trust]

    def __post_init__(self) -> None:
        check = PropsCheck("CompositeTrust")
        if (
            check.sequence_of("trusts", self.trusts, Trust, "lakehouse_iam Trust objects")
            and len(self.trusts) < 2
        ):
            check.add(
                "trusts", list(self.trusts), "two or more trusts (pass a single trust directly)"
            )
        check.raise_if_any()
        check.keep_deferred(self)
        object.__setattr__(self, "trusts", tuple(self.trusts))

    def principal(self, scope: Construct) -> iam.IPrincipal:
        return iam.CompositePrincipal(*(trust.principal(scope) for trust in self.trusts))

    def bind(self, scope: Construct, role: iam.IRole) -> IConstruct | None:
        """Bind every trust; the one binding created, if any."""
        bindings = [b for b in (trust.bind(scope, role) for trust in self.trusts) if b is not None]
        if len(bindings) > 1:
            kinds = ", ".join(type(t).__name__ for t in self.trusts)
            raise ValueError(
                f"CompositeTrust ({kinds}): {len(bindings)} trusts created a binding, but a "
                "role exposes one trust_binding: compose at most one trust that creates one"
            )
        return bindings[0] if bindings else None
