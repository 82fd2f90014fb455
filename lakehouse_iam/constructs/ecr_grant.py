"""ECR image pull from one private repository (for an ECS task execution role)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from constructs import Construct

from .._private.stack_facts import stack_facts
from .._private.token_forms import literal_head, reference_kind
from ..catalog import ecr as ecr_catalog
from ..validation import (
    ECR_IMAGE_URI_RE,
    PropsCheck,
    check_partitions,
    is_token,
    partition_of_value,
)
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
    partition = partition_of_value(image_uri)
    return (
        f"arn:{partition}:ecr:{region}:{match.group('account')}:"
        f"repository/{match.group('repository')}"
    )


def ecr_repository_of_image(
    check: PropsCheck, prop: str, image: str | ecr.IRepository
) -> str | ecr.IRepository | None:
    """What to grant ECR pull on for a container image, or ``None`` for a non-ECR image.

    An ``ecr.IRepository`` or a repository ARN is the repository; a private ECR image URI
    (``ACCOUNT.dkr.ecr.REGION.amazonaws.com/NAME:TAG``) names it, also when only its tag is
    a token (``f"{uri}:{tag_parameter}"``); an image of another registry (``docker.io/...``,
    ``public.ecr.aws/...``) needs no ECR permission. A token that is none of these
    recognizably raises a ``ValueError`` saying what to pass: an image whose form is not
    known would otherwise lose its pull permission without a word. Problems go to ``check``.
    """
    if not isinstance(image, str):
        return image
    if not is_token(image):
        host = image.split("/", 1)[0]
        if image.startswith("arn:") or ".dkr.ecr" in host:
            return image
        return None
    head = literal_head(image)
    if head.startswith("arn:") or (not head and reference_kind(image) == "ECR repository ARN"):
        return image
    host, slash, rest = head.partition("/")
    if slash and ".dkr.ecr" not in host:
        return None  # another registry: pulled without ECR permissions
    if slash and (":" in rest or "@" in rest):
        # The repository is literal, only the tag or digest is a token.
        literal = re.split(r"[:@]", rest, maxsplit=1)[0]
        return repository_arn_of_image(f"{host}/{literal}")
    check.add(
        prop,
        image,
        "an ecr.IRepository, a repository ARN, or an image URI whose registry and repository "
        "are literal: lakehouse-iam cannot tell which repository this token names (and an "
        "ECR image needs a pull grant), so pass the ecr.IRepository (Repository."
        "from_repository_name(scope, id, name)) or repository.repository_arn",
    )
    return None


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

    Example::

        EcrPullGrant(repository="709825985650.dkr.ecr.us-east-1.amazonaws.com/seller/app:1.0")
        EcrPullGrant(repository=repository)  # an ecr.IRepository, also of another stack

    :param repository: the repository ARN, a private ECR image URI
        (``ACCOUNT.dkr.ecr.REGION.amazonaws.com/name:tag``) or an ``ecr.IRepository``. A
        token string must be the repository ARN (``repository.repository_arn``); for a
        name or an image URI built from tokens, pass the ``ecr.IRepository``.
    :param name: stable alphanumeric name for the policy and Sids. Default: ``EcrPull``.
    """

    repository: str | ecr.IRepository
    name: str = "EcrPull"
    _form: str | None = field(init=False, repr=False, compare=False, default=None)

    def __post_init__(self) -> None:
        check = PropsCheck("EcrPullGrant")
        object.__setattr__(self, "_form", check.ecr_repository("repository", self.repository))
        check.sid("name", self.name)
        check.raise_if_any()
        check.keep_deferred(self)

    @property
    def sid(self) -> str:
        """The grant's name: the managed policy's construct ID and the prefix of its Sids."""
        return self.name

    @property
    def description(self) -> str:
        """The managed policy's description."""
        return "Pull container images from one ECR repository"

    def repository_arn(self) -> str:
        """The repository ARN the pull actions are granted on."""
        if not isinstance(self.repository, str):
            return self.repository.repository_arn
        if self._form == "arn":
            return self.repository
        return repository_arn_of_image(self.repository)

    def wildcard_resources(self, scope: Construct) -> dict[str, str]:
        return {"*": ecr_catalog.NO_RESOURCE_LEVEL_REASONS[ecr_catalog.AUTHORIZATION_TOKEN]}

    def statement_json(self, scope: Construct) -> list[dict[str, Any]]:
        check_partitions("EcrPullGrant", stack_facts(scope), {"repository": self.repository})
        return [
            allow(f"{self.sid}Repository", ecr_catalog.PULL, [self.repository_arn()]),
            # ecr:GetAuthorizationToken has no resource-level permission (Service
            # Authorization Reference): '*' is the only resource IAM accepts.
            allow(f"{self.sid}AuthorizationToken", [ecr_catalog.AUTHORIZATION_TOKEN], ["*"]),
        ]
