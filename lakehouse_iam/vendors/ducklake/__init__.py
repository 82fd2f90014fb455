"""DuckLake Container (Lokryn): the container's role and the ECS task execution role.

``catalog.py`` holds the actions per role and the deviations from the vendor page;
``access.py`` the construct (:class:`~lakehouse_iam.DuckLakeAccess`); ``stacks.py`` the
example stacks for ECS, EKS IRSA and EKS Pod Identity; ``log_group.py`` their
KMS-encrypted log group. Guide: ``docs/ducklake.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE, OMISSIONS

VENDOR = Vendor(
    key="ducklake",
    name="DuckLake Container",
    # The vendor's "IAM Permissions" page has no stable public URL we can cite.
    page="DuckLake Container documentation (Lokryn), page 'IAM Permissions'",
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    omissions=OMISSIONS,
    examples=(
        ExampleStack(id="LakehouseIam-DuckLakeEcs", factory="stacks:ecs_from_context"),
        ExampleStack(id="LakehouseIam-DuckLakeIrsa", factory="stacks:irsa_from_context"),
        ExampleStack(
            id="LakehouseIam-DuckLakePodIdentity", factory="stacks:pod_identity_from_context"
        ),
    ),
    templates=(
        TemplateMode(mode="ecs", scenario="template:ECS"),
        TemplateMode(mode="irsa", scenario="template:IRSA"),
        TemplateMode(mode="pod-identity", scenario="template:POD_IDENTITY"),
    ),
)
