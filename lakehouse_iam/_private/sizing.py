"""Measure policies the way IAM counts them, with every token at its worst-case length."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct

from ..quotas import BUCKET_ARN_WORST_CASE, policy_size
from .stack_facts import stack_facts

DOCUMENT_OVERHEAD = len('{"Version":"2012-10-17","Statement":[]}')
"""Characters of an empty policy document, as IAM counts them."""
_TOKEN = re.compile(r"\$\{Token\[[^\]]+\]\}")


class Sizer:
    """Measures strings and statements at their worst-case deployed length.

    Each distinct token is resolved once. A token an :class:`S3Location` rendered from an
    ``s3.IBucket`` is a bucket ARN, whatever stack or parameter it comes from, and counts
    at the longest length a bucket ARN can have; any other reference at the generous
    bound of :func:`~lakehouse_iam.quotas.policy_size`, so the estimate stays safe.
    """

    def __init__(self, scope: Construct) -> None:
        self._facts = stack_facts(scope)
        self._tokens: dict[str, str] = {}

    def _token_value(self, token: str) -> str:
        if token not in self._tokens:
            # policy_size of a JSON string is its quoted length; strip the quotes.
            length = policy_size(self._facts.resolve_token(token)) - 2
            if token in self._facts.bucket_arn_tokens:
                length = min(length, len(BUCKET_ARN_WORST_CASE))
            self._tokens[token] = "x" * length
        return self._tokens[token]

    def worst_case(self, value: Any) -> Any:
        if isinstance(value, str):
            return _TOKEN.sub(lambda m: self._token_value(m.group(0)), value)
        if isinstance(value, list):
            return [self.worst_case(v) for v in value]
        if isinstance(value, dict):
            return {k: self.worst_case(v) for k, v in value.items()}
        return value

    def size(self, value: Any) -> int:
        """Characters of ``value`` as compact JSON, tokens at their worst case."""
        return len(json.dumps(self.worst_case(value), separators=(",", ":")))

    def document_size(self, statements: Sequence[iam.PolicyStatement | dict[str, Any]]) -> int:
        """Characters of a policy document holding ``statements`` (worst case)."""
        body = [self.size(statement_json(s)) for s in statements]
        return DOCUMENT_OVERHEAD + sum(body) + max(len(body) - 1, 0)


def statement_json(statement: iam.PolicyStatement | dict[str, Any]) -> dict[str, Any]:
    """The statement as JSON with tokens still as token strings (one jsii call at most)."""
    data = dict(statement if isinstance(statement, dict) else statement.to_statement_json())
    if data.get("Effect") != "Allow" or {
        "Principal",
        "NotPrincipal",
        "NotAction",
        "NotResource",
    } & set(data):
        raise ValueError("policy packing handles only Allow statements with Action and Resource")
    return data
