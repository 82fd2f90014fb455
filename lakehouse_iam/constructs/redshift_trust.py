"""Trust Amazon Redshift for named database users only (COPY, UNLOAD, Spectrum)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from constructs import Construct

from ..validation import PropsCheck
from .trust import Trust

SERVICE_PRINCIPALS = ("redshift.amazonaws.com", "redshift-serverless.amazonaws.com")
"""Who assumes the role: Redshift, and Redshift Serverless, whose roles must trust both
(https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-security-other-services.html)."""


@dataclass(frozen=True, kw_only=True)
class RedshiftTrust(Trust):
    """``sts:AssumeRole`` for Redshift, only on behalf of the named database users.

    When a command such as ``COPY ... IAM_ROLE 'arn'`` (or ``CREDENTIALS
    'aws_iam_role=arn'``) runs, Redshift assumes the role and passes the ARN of the
    database user running it as ``sts:ExternalId``. The bare service principal lets every
    user of every cluster the role is associated with use the role; ``StringEquals
    sts:ExternalId`` on the user ARNs limits it to those users on those clusters, which is
    how AWS restricts a Redshift role
    (https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service-database-users.html).
    AWS documents no ``aws:SourceArn``/``aws:SourceAccount`` for this call, so the trust
    does not require them (a condition on a key the request lacks would deny every COPY).
    The role must still be associated with the cluster or workgroup (its IAM roles).

    :param database_users: the database users' ARNs,
        ``arn:PARTITION:redshift:REGION:ACCOUNT:dbuser:CLUSTER/USER`` (Serverless: the
        workgroup's identifier in place of ``CLUSTER``, as the AWS page shows it). Tokens
        are accepted.
    """

    database_users: Sequence[str]

    def __post_init__(self) -> None:
        check = PropsCheck("RedshiftTrust")
        check_database_users(check, "database_users", self.database_users)
        check.raise_if_any()
        check.keep_deferred(self)
        object.__setattr__(self, "database_users", tuple(self.database_users))

    def principal(self, scope: Construct) -> iam.IPrincipal:
        # A list as given: a list token (a CommaDelimitedList parameter's value_as_list)
        # is a one-element list, which CDK resolves to the parameter's list.
        return iam.CompositePrincipal(
            *(iam.ServicePrincipal(service) for service in SERVICE_PRINCIPALS)
        ).with_conditions({"StringEquals": {"sts:ExternalId": list(self.database_users)}})


def check_database_users(check: PropsCheck, prop: str, value: Any) -> None:
    """Record what is wrong with ``value`` as :attr:`RedshiftTrust.database_users`: a
    non-empty list of database user ARNs (items may be tokens). For constructs that take
    the users under their own property name."""
    if isinstance(value, list) and cdk.Token.is_unresolved(value):
        return  # a list token (a CommaDelimitedList parameter): known at deploy time
    if not check.sequence_of(prop, value, str, "Redshift database user ARNs"):
        return
    if not value:
        check.add(
            prop,
            list(value),
            "at least one Redshift database user ARN (a Redshift trust without one trusts "
            "every user of every cluster the role is associated with)",
        )
    for i, arn in enumerate(value):
        check.redshift_dbuser_arn(f"{prop}[{i}]", arn)
