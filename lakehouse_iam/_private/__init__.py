"""Internals: policy sizing, packing and rendering. Not part of the public API.

Nothing here is re-exported from :mod:`lakehouse_iam`; names and signatures may change in
any release (see the version policy in CHANGELOG.md).
"""
