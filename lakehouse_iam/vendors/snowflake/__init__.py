"""Snowflake: the roles its storage integrations, external volumes and Glue catalog
integrations assume.

``catalog.py`` holds the actions, evidence and the deviations from Snowflake's pages;
``access.py`` the constructs (:class:`~.access.SnowflakeStorageAccess`,
:class:`~.access.SnowflakeGlueCatalogAccess`); ``stack.py`` the example stack
``LakehouseIam-Snowflake``; ``template.py`` the standalone CloudFormation templates.
Guide: ``docs/snowflake.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE, STAGE_PAGE

VENDOR = Vendor(
    key="snowflake",
    name="Snowflake",
    page=STAGE_PAGE,
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    examples=(ExampleStack(id="LakehouseIam-Snowflake", factory="stack:from_context"),),
    templates=(
        TemplateMode(mode="storage-integration", scenario="template:STORAGE_INTEGRATION"),
        TemplateMode(mode="external-volume", scenario="template:EXTERNAL_VOLUME"),
        TemplateMode(mode="glue-catalog", scenario="template:GLUE_CATALOG"),
    ),
)
