"""A value that depends on the stack's AWS partition, never guessed.

A stack with a known region gets the literal value of its partition; an env-agnostic
stack gets ``Fn::FindInMap`` over a ``CfnMapping`` keyed by ``AWS::Partition`` (one per
stack and ``mapping_id``), so CloudFormation picks the value, and a partition the table
lacks fails the deployment instead of rendering another partition's value.
"""

from __future__ import annotations

from collections.abc import Mapping

import aws_cdk as cdk
from constructs import Construct

from .stack_facts import stack_facts


def by_partition(
    scope: Construct, mapping_id: str, table: Mapping[str, Mapping[str, str]], key: str
) -> str | None:
    """``table[partition][key]`` for ``scope``'s stack: the literal when the partition is
    known (``None`` when the table has no entry for it), else a ``Fn::FindInMap``."""
    facts = stack_facts(scope)
    partition = facts.known_partition
    if partition is not None:
        row = table.get(partition)
        return None if row is None else row[key]
    stack = facts.stack
    mapping = stack.node.try_find_child(mapping_id)
    if not isinstance(mapping, cdk.CfnMapping):
        mapping = cdk.CfnMapping(
            stack, mapping_id, mapping={p: dict(row) for p, row in table.items()}
        )
    return mapping.find_in_map(cdk.Aws.PARTITION, key)
