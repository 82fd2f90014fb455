"""IAM size quotas, and measuring a policy the way IAM counts it.

IAM counts policy size in characters of the JSON without whitespace
(https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html).
Synthesized documents contain CloudFormation intrinsics whose value is only known at
deploy time; :func:`policy_size` replaces each with the longest value it can take,
so an estimate that fits here fits in every partition and region.
"""

from __future__ import annotations

import json
from typing import Any

MANAGED_POLICY_SIZE = 6_144
"""Characters in one customer-managed policy (fixed)."""
MANAGED_POLICIES_PER_ROLE = 10
"""Managed policies attached to one role: default quota."""
MANAGED_POLICIES_PER_ROLE_MAX = 20
"""Managed policies attached to one role: the most a quota increase gives."""
TRUST_POLICY_SIZE = 2_048
"""Characters in a role trust policy: default quota."""
TRUST_POLICY_SIZE_MAX = 4_096
"""Characters in a role trust policy: the most a quota increase gives."""

# Longest values the pseudo parameters can take, so estimates never fall short.
_PSEUDO_WORST_CASE = {
    "AWS::Partition": "aws-us-gov",
    "AWS::Region": "ap-southeast-7",
    "AWS::AccountId": "123456789012",
    "AWS::URLSuffix": "amazonaws.com.cn",
    "AWS::StackName": "x" * 128,
}
BUCKET_ARN_WORST_CASE = "arn:aws-us-gov:s3:::" + "b" * 63
"""The longest S3 bucket ARN: ``arn:aws-us-gov:s3:::`` plus a 63-character name."""
# Any other reference: a generous bound for an ARN or a name.
_UNKNOWN_REFERENCE = "r" * 200


def _worst_case(value: Any, bucket_ids: frozenset[str]) -> Any:
    if isinstance(value, list):
        return [_worst_case(v, bucket_ids) for v in value]
    if not isinstance(value, dict):
        return value
    if "Ref" in value and len(value) == 1:
        ref = value["Ref"]
        if ref in _PSEUDO_WORST_CASE:
            return _PSEUDO_WORST_CASE[ref]
        return "b" * 63 if ref in bucket_ids else _UNKNOWN_REFERENCE
    if "Fn::GetAtt" in value and len(value) == 1:
        logical_id, attribute = value["Fn::GetAtt"]
        if logical_id in bucket_ids and attribute == "Arn":
            return BUCKET_ARN_WORST_CASE
        return _UNKNOWN_REFERENCE
    if "Fn::Join" in value and len(value) == 1:
        delimiter, parts = value["Fn::Join"]
        return delimiter.join(str(_worst_case(p, bucket_ids)) for p in parts)
    if len(value) == 1 and next(iter(value)).startswith("Fn::"):
        return _UNKNOWN_REFERENCE
    return {k: _worst_case(v, bucket_ids) for k, v in value.items()}


def policy_size(document: Any, *, bucket_ids: frozenset[str] = frozenset()) -> int:
    """Characters IAM counts for a resolved policy document (intrinsics at worst case).

    :param document: the document as CloudFormation has it (``Stack.resolve`` output).
    :param bucket_ids: logical IDs of ``AWS::S3::Bucket`` resources, whose ARNs have a
        known maximum length.
    """
    return len(json.dumps(_worst_case(document, bucket_ids), separators=(",", ":")))


class QuotaError(ValueError):
    """A role, user or group would break an IAM quota at deploy time."""
