"""Amazon ECR actions needed to pull an image from a private repository.

From the Service Authorization Reference
(https://docs.aws.amazon.com/service-authorization/latest/reference/list_amazonelasticcontainerregistry.html):
the layer and image actions are authorized against the repository ARN
``arn:PARTITION:ecr:REGION:ACCOUNT:repository/NAME``; ``ecr:GetAuthorizationToken``
has no resource type (the token is for the whole registry) and needs ``*``.
ECS pulls images with the task *execution* role
(https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html).
"""

from __future__ import annotations

from .evidence import Need, aws_doc, engine

PULL: tuple[str, ...] = (
    "ecr:BatchCheckLayerAvailability",
    "ecr:BatchGetImage",
    "ecr:GetDownloadUrlForLayer",
)
"""Repository-scoped actions of an image pull."""

AUTHORIZATION_TOKEN = "ecr:GetAuthorizationToken"
"""Registry login; granted on ``*``."""

NO_RESOURCE_LEVEL_REASONS: dict[str, str] = {
    AUTHORIZATION_TOKEN: (
        "ecr:GetAuthorizationToken has no resource type in the Service Authorization "
        "Reference, so it can only be granted on '*'; the token only authenticates the "
        "registry login, and every layer and image read still needs the repository-scoped "
        "actions, which are granted on the one repository ARN."
    ),
}
"""Why each action with no resource-level permission is granted on ``*``."""

_ECS_AGENT = "aws/amazon-ecs-agent {}@8dfceca6cf380a83c3007349317566f2862f0673"
_EXECUTION_ROLE = (
    "https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html"
)

PULL_EVIDENCE: tuple[Need, ...] = (
    Need(
        actions=(AUTHORIZATION_TOKEN,),
        why="the ECS agent logs in to the private registry before it pulls the image",
        sources=(
            engine(
                _ECS_AGENT.format("agent/dockerclient/dockerauth/ecr.go"), "GetAuthorizationToken"
            ),
            aws_doc(_EXECUTION_ROLE, "AmazonECSTaskExecutionRolePolicy"),
        ),
    ),
    Need(
        actions=PULL,
        why="the image pull reads the manifest, checks and downloads the layers",
        sources=(
            engine(
                _ECS_AGENT.format("agent/api/errormessages/error_messages.go"),
                "pull errors name ecr:BatchGetImage",
            ),
            aws_doc(_EXECUTION_ROLE, "AmazonECSTaskExecutionRolePolicy"),
        ),
    ),
)
"""Why an ECS task execution role gets the pull actions (``EcrPullGrant``)."""
