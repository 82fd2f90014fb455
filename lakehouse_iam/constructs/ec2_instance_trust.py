"""Trust EC2 instances through an instance profile."""

from __future__ import annotations

from dataclasses import dataclass

from aws_cdk import aws_iam as iam
from constructs import Construct

from .._private.physical_names import claim_physical_name
from ..validation import PropsCheck
from .trust import Trust


@dataclass(frozen=True, kw_only=True)
class Ec2InstanceTrust(Trust):
    """``ec2.amazonaws.com``, used through an instance profile the trust creates.

    EC2 adds no ``aws:SourceAccount``/``aws:SourceArn`` to the request when it assumes
    an instance-profile role, so those conditions would deny every instance. The guard
    against a confused deputy is structural instead: only an instance profile can hand
    the role to EC2, attaching a profile needs ``iam:PassRole`` on this role, and
    PassRole never crosses accounts. Keep ``iam:PassRole`` on this role narrow.

    Example::

        DataAccessRole(stack, "Engine", trust=Ec2InstanceTrust(), grants=[...])

    :param instance_profile_name: physical name of the instance profile. Default:
        generated.
    """

    instance_profile_name: str | None = None

    def __post_init__(self) -> None:
        check = PropsCheck("Ec2InstanceTrust")
        if self.instance_profile_name is not None:
            check.iam_name("instance_profile_name", self.instance_profile_name, max_length=128)
        check.raise_if_any()
        check.keep_deferred(self)

    def principal(self, scope: Construct) -> iam.IPrincipal:
        return iam.ServicePrincipal("ec2.amazonaws.com")

    def bind(self, scope: Construct, role: iam.IRole) -> iam.InstanceProfile:
        """The instance profile that hands ``role`` to EC2 instances."""
        claim_physical_name(
            scope,
            kind="instance profile",
            name=self.instance_profile_name,
            owner="Ec2InstanceTrust",
            prop="instance_profile_name",
            hint="Pass a different instance_profile_name to one of them.",
        )
        return iam.InstanceProfile(
            scope,
            "InstanceProfile",
            role=role,
            instance_profile_name=self.instance_profile_name,
        )
