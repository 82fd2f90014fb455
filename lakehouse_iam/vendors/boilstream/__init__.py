"""BoilStream: S3 access per permission level, and credential vending without escalation.

``catalog.py`` holds the actions per level and the deviations from the vendor page;
``access.py`` the constructs (:class:`~lakehouse_iam.BoilStreamAccess`); ``stack.py`` the
example stack ``LakehouseIam-BoilStream``. Guide: ``docs/boilstream.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE, OMISSIONS

VENDOR = Vendor(
    key="boilstream",
    name="BoilStream",
    page="https://docs.boilstream.com/guide/aws-iam-permissions.html",
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    omissions=OMISSIONS,
    examples=(ExampleStack(id="LakehouseIam-BoilStream", factory="stack:from_context"),),
    templates=(
        TemplateMode(mode="level-1-ingest", scenario="template:LEVEL_1_INGEST"),
        TemplateMode(mode="level-2-ducklake", scenario="template:LEVEL_2_DUCKLAKE"),
        TemplateMode(mode="level-2b-cluster", scenario="template:LEVEL_2B_CLUSTER"),
        TemplateMode(
            mode="level-3-credential-vending", scenario="template:LEVEL_3_CREDENTIAL_VENDING"
        ),
    ),
)
