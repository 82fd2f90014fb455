"""The access-grant abstraction every permission building block implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Mapping, Sequence
from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct

POLICY_VERSION = "2012-10-17"


class AccessGrant(ABC):
    """A small, typed description of what a principal may do.

    A grant renders itself to exact IAM statements. It is plain data, not a construct:
    build it anywhere, hand it to a :class:`~lakehouse_iam.DataAccessRole` (or any other
    consumer), which renders it into a customer-managed policy named after :attr:`sid`.

    A subclass implements :attr:`sid` and one of :meth:`statement_json` (IAM JSON as
    Python data; what the library's own grants do, because it costs no jsii round trip
    per statement) or :meth:`statements` (``iam.PolicyStatement`` objects); the other is
    derived from it.

    Example::

        @dataclass(frozen=True, kw_only=True)
        class MetricsGrant(AccessGrant):
            namespace: str

            @property
            def sid(self) -> str:
                return "Metrics"

            def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
                # cloudwatch:PutMetricData has no resource-level permission.
                return [allow("Metrics", ["cloudwatch:PutMetricData"], ["*"],
                              {"StringEquals": {"cloudwatch:namespace": self.namespace}})]
    """

    @property
    @abstractmethod
    def sid(self) -> str:
        """A stable, alphanumeric name: the policy's construct ID and the Sid prefix."""

    @property
    def description(self) -> str:
        """One line for the managed policy's description."""
        return f"lakehouse-iam {type(self).__name__} {self.sid}"

    @property
    def named_policy_description(self) -> str:
        """The description of a policy with a fixed name (``managed_policy_name``).

        CloudFormation replaces a managed policy whose description changes, and cannot
        replace one with a fixed name, so a stack fails to update when such a description
        changes: a grant whose :attr:`description` changed in a release keeps the earlier
        text here. Default: :attr:`description`.
        """
        return self.description

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        """The statements as IAM JSON, rendered in the stack of ``scope``; tokens stay
        token strings. Default: derived from :meth:`statements`."""
        if type(self).statements is AccessGrant.statements:
            raise NotImplementedError(
                f"{type(self).__name__} must implement statement_json() or statements()"
            )
        return [dict(s.to_statement_json()) for s in self.statements(scope)]

    def statements(self, scope: Construct) -> list[iam.PolicyStatement]:
        """The statements as ``iam.PolicyStatement`` objects. Default: derived from
        :meth:`statement_json`."""
        return [iam.PolicyStatement.from_json(s) for s in self.statement_json(scope)]

    def document(self, scope: Construct) -> iam.PolicyDocument:
        """The statements as one policy document (one jsii round trip for all of them)."""
        return iam.PolicyDocument.from_json(
            {"Version": POLICY_VERSION, "Statement": self.statement_json(scope)}
        )

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        """Resources with a ``*`` this grant renders on purpose, each with the reason.

        Consumers acknowledge exactly these as ``AwsSolutions-IAM5[Resource::...]``
        findings. Default: none.
        """
        return {}


def allow(
    sid: str,
    actions: Sequence[str],
    resources: Sequence[str],
    conditions: Mapping[str, Mapping[str, Any]] | None = None,
) -> dict[str, Any]:
    """One Allow statement as IAM JSON (the shape ``iam.PolicyStatement.from_json`` reads)."""
    statement: dict[str, Any] = {
        "Sid": sid,
        "Effect": "Allow",
        "Action": list(actions),
        "Resource": list(resources),
    }
    if conditions:
        statement["Condition"] = {op: dict(values) for op, values in conditions.items()}
    return statement


def pascal_sid(*parts: str) -> str:
    """Join free-form parts into an alphanumeric PascalCase Sid: ``my-bucket`` -> ``MyBucket``."""
    words = [w for part in parts for w in re.split(r"[^A-Za-z0-9]+", part) if w]
    return "".join(w[:1].upper() + w[1:] for w in words)
