"""Maintainer tooling: generate the docs that derive from the code (``make docs``).

Not part of the installed package: it synthesizes the example stacks with ``cdk.json``'s
context, so it only runs from a checkout.
"""
