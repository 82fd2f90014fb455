"""Shared building blocks: access grants, trusts, and the role and user that carry them.

One concept per module (``s3_grant``, ``irsa_trust``, ``data_access_role``, ...). Import
them from :mod:`lakehouse_iam`, which re-exports the public ones; vendor scenario
constructs live in :mod:`lakehouse_iam.vendors`.
"""
