"""ECR image pull from one private repository (for an ECS task execution role)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from constructs import Construct

from ..catalog import ecr as ecr_catalog
from ..validation import ECR_IMAGE_URI_RE, PropsCheck, is_token
from .grant import AccessGrant, allow

if TYPE_CHECKING:
    from aws_cdk import aws_ecr as ecr


def repository_arn_of_image(image_uri: str) -> str:
    """The repository ARN of a private ECR image URI.

    ``709825985650.dkr.ecr.us-east-1.amazonaws.com/seller/product:1.0`` ->
    ``arn:aws:ecr:us-east-1:709825985650:repository/seller/product``.

    :raises ValueError: when ``image_uri`` is not a private ECR image URI.
    """
    match = ECR_IMAGE_URI_RE.match(image_uri) if isinstance(image_uri, str) else None
    if not match:
        check = PropsCheck("repository_arn_of_image")
        check.ecr_image_uri("image_uri", image_uri)
        check.raise_if_any()
        raise ValueError(f"repository_arn_of_image: image_uri={image_uri!r} is invalid")
    region = match.group("region")
    if region.startswith("us-gov-"):
        partition = "aws-us-gov"
    elif match.group("domain").endswith(".cn"):
        partition = "aws-cn"
    else:
        partition = "aws"
    return (
        f"arn:{partition}:ecr:{region}:{match.group('account')}:"
        f"repository/{match.group('repository')}"
    )


@dataclass(frozen=True, kw_only=True)
class EcrPullGrant(AccessGrant):
    """Pull images from one ECR repository.

    Renders two statements:

    * ``<Sid>Repository``: ``ecr:BatchCheckLayerAvailability``, ``ecr:BatchGetImage``
      and ``ecr:GetDownloadUrlForLayer`` on the repository ARN;
    * ``<Sid>AuthorizationToken``: ``ecr:GetAuthorizationToken`` on ``*`` (it has no
      resource type; the token alone reads no image).

    A repository in another account (e.g. AWS Marketplace's registry) also needs that
    repository's policy to allow you; the identity side is still this grant.

    :param repository: the repository ARN, a private ECR image URI
        (``ACCOUNT.dkr.ecr.REGION.amazonaws.com/name:tag``) or an ``ecr.IRepository``.
    :param name: stable alphanumeric name for the policy and Sids. Default: ``EcrPull``.
    """

    repository: str | ecr.IRepository
    name: str = "EcrPull"

    def __post_init__(self) -> None:
        check = PropsCheck("EcrPullGrant")
        if isinstance(self.repository, str):
            if self.repository.startswith("arn:") or is_token(self.repository):
                check.ecr_repository_arn("repository", self.repository)
            else:
                check.ecr_image_uri("repository", self.repository)
        elif not hasattr(self.repository, "repository_arn"):
            check.add(
                "repository", self.repository, "an ECR repository ARN, image URI or ecr.IRepository"
            )
        check.sid("name", self.name)
        check.raise_if_any()

    @property
    def sid(self) -> str:
        return self.name

    @property
    def description(self) -> str:
        return "Pull container images from one ECR repository"

    def repository_arn(self) -> str:
        """The repository ARN the pull actions are granted on."""
        if not isinstance(self.repository, str):
            return self.repository.repository_arn
        if self.repository.startswith("arn:") or is_token(self.repository):
            return self.repository
        return repository_arn_of_image(self.repository)

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        return {"*": ecr_catalog.NO_RESOURCE_LEVEL_REASONS[ecr_catalog.AUTHORIZATION_TOKEN]}

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        return [
            allow(f"{self.sid}Repository", ecr_catalog.PULL, [self.repository_arn()]),
            # ecr:GetAuthorizationToken has no resource-level permission (Service
            # Authorization Reference): '*' is the only resource IAM accepts.
            allow(f"{self.sid}AuthorizationToken", [ecr_catalog.AUTHORIZATION_TOKEN], ["*"]),
        ]
