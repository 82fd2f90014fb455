"""The access-grant abstraction every permission building block implements."""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any

from aws_cdk import aws_iam as iam
from constructs import Construct


class AccessGrant(ABC):
    """A small, typed description of what a principal may do.

    A grant renders itself to exact ``iam.PolicyStatement`` s. It is plain data, not a
    construct: build it anywhere, hand it to a :class:`DataAccessRole` (or any other
    consumer), which renders it into a customer-managed policy named after :attr:`sid`.
    """

    @property
    @abstractmethod
    def sid(self) -> str:
        """A stable, alphanumeric name: the policy's construct ID and the Sid prefix."""

    @property
    def description(self) -> str:
        """One line for the managed policy's description."""
        return f"lakehouse-iam {type(self).__name__} {self.sid}"

    @abstractmethod
    def statements(self, scope: Construct) -> list[iam.PolicyStatement]:
        """The statements this grant allows, rendered in the stack of ``scope``."""

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        """The statements as IAM JSON with tokens left as token strings.

        Policy packing reads this instead of the ``PolicyStatement`` objects. Default:
        derived from :meth:`statements`; grants used in bulk (S3) render it directly,
        which saves several jsii round trips per statement.
        """
        return [dict(s.to_statement_json()) for s in self.statements(scope)]

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        """Resources with a ``*`` this grant renders on purpose, each with the reason.

        Consumers acknowledge exactly these as ``AwsSolutions-IAM5[Resource::...]``
        findings. Default: none.
        """
        return {}


def pascal_sid(*parts: str) -> str:
    """Join free-form parts into an alphanumeric PascalCase Sid: ``my-bucket`` -> ``MyBucket``."""
    words = [w for part in parts for w in re.split(r"[^A-Za-z0-9]+", part) if w]
    return "".join(w[:1].upper() + w[1:] for w in words)
