"""StarRocks: S3 batch load or read/write plus the Glue Data Catalog, in StarRocks' three
authentication modes (instance profile, assumed role, IAM user).

``catalog.py`` holds the actions and the deviations from the vendor page; ``access.py``
the constructs (:class:`~lakehouse_iam.StarRocksAssumedRoleAccess` and the other modes);
``stack.py`` the example stack ``LakehouseIam-StarRocks``. Guide: ``docs/starrocks.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE, OMISSIONS

VENDOR = Vendor(
    key="starrocks",
    name="StarRocks",
    page="https://docs.starrocks.io/docs/sql-reference/aws_iam_policies/",
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    omissions=OMISSIONS,
    examples=(ExampleStack(id="LakehouseIam-StarRocks", factory="stack:from_context"),),
    templates=(
        TemplateMode(mode="instance-profile", scenario="template:INSTANCE_PROFILE"),
        TemplateMode(mode="assumed-role", scenario="template:ASSUMED_ROLE"),
    ),
)
