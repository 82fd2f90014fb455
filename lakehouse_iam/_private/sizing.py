"""Measure policies the way IAM counts them, with every token at its worst-case length."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import Construct

from ..quotas import policy_size

DOCUMENT_OVERHEAD = len('{"Version":"2012-10-17","Statement":[]}')
"""Characters of an empty policy document, as IAM counts them."""
_TOKEN = re.compile(r"\$\{Token\[[^\]]+\]\}")


class Sizer:
    """Measures strings and statements at their worst-case deployed length.

    Each distinct token is resolved once, and the stack's bucket logical IDs (whose
    ARNs have a known maximum length) are looked up only when a token turns out to be a
    ``Fn::GetAtt``. Reuse one sizer for many measurements in the same stack: a bucket
    added after the first lookup is counted as an unknown reference, which is longer,
    so the estimate stays safe.
    """

    def __init__(self, scope: Construct) -> None:
        self._stack = cdk.Stack.of(scope)
        self._bucket_ids: frozenset[str] | None = None
        self._tokens: dict[str, str] = {}

    def _buckets(self) -> frozenset[str]:
        if self._bucket_ids is None:
            self._bucket_ids = frozenset(
                self._stack.get_logical_id(c)
                for c in self._stack.node.find_all()
                if isinstance(c, s3.CfnBucket)
            )
        return self._bucket_ids

    def _token_value(self, token: str) -> str:
        if token not in self._tokens:
            resolved = self._stack.resolve(token)
            ids = self._buckets() if "Fn::GetAtt" in json.dumps(resolved) else frozenset()
            # policy_size of a JSON string is its quoted length; strip the quotes.
            self._tokens[token] = "x" * (policy_size(resolved, bucket_ids=ids) - 2)
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
