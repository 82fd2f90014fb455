"""Qualytics: the IAM identity behind one S3 datastore connection (source or enrichment).

``catalog.py`` holds the vendor's per-action tables and the deviations from its page;
``access.py`` the construct (:class:`~lakehouse_iam.QualyticsDatastoreAccess`);
``stack.py`` the example stack ``LakehouseIam-Qualytics``. Guide: ``docs/qualytics.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE

VENDOR = Vendor(
    key="qualytics",
    name="Qualytics",
    page="https://userguide.qualytics.io/source-datastore/datastore/dfs/amazon-s3/permissions/",
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    examples=(ExampleStack(id="LakehouseIam-Qualytics", factory="stack:from_context"),),
    templates=(
        TemplateMode(mode="source-role", scenario="template:SOURCE_ROLE"),
        TemplateMode(mode="enrichment-role", scenario="template:ENRICHMENT_ROLE"),
    ),
)
