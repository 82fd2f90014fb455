"""The IAM condition checker, now shipped in the wheel (the audit evaluates CloudTrail
records with it): :mod:`lakehouse_iam._private.evaluation` is the one source; this module
keeps the verification tooling's import path."""

from lakehouse_iam._private.evaluation import (
    Context,
    UnsupportedConditionError,
    allowing_statements,
    allows,
    conditions_hold,
    statement_matches,
)

__all__ = [
    "Context",
    "UnsupportedConditionError",
    "allowing_statements",
    "allows",
    "conditions_hold",
    "statement_matches",
]
