"""Resolve a synthesized template's intrinsics against a deployed stack.

The resolver is shipped in the wheel (the audit resolves policies with the physical IDs of
``describe-stack-resources``): :mod:`lakehouse_iam._private.cfn_resolver` is the one
source; this module keeps deploy_local's import path.
"""

from lakehouse_iam._private.cfn_resolver import NO_VALUE, Resolver, Unresolvable

__all__ = ["NO_VALUE", "Resolver", "Unresolvable"]
