"""Databricks Unity Catalog: the self-assuming IAM role behind a storage credential.

``catalog.py`` holds the actions, evidence and the deviations from Databricks' page;
``access.py`` the construct (:class:`~.access.DatabricksStorageCredentialAccess`);
``stack.py`` the example stack ``LakehouseIam-Databricks``; ``template.py`` the standalone
CloudFormation template. Guide: ``docs/databricks.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE, OMISSIONS, PAGE

VENDOR = Vendor(
    key="databricks",
    name="Databricks Unity Catalog",
    page=PAGE,
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    omissions=OMISSIONS,
    examples=(ExampleStack(id="LakehouseIam-Databricks", factory="stack:from_context"),),
    templates=(TemplateMode(mode="storage-credential", scenario="template:STORAGE_CREDENTIAL"),),
)
