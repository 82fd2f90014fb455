"""Trino: its Hive, Iceberg and Delta Lake connectors on the AWS Glue Data Catalog, with S3
through Trino's native S3 file system, in four run modes (EKS IRSA, EKS Pod Identity, EC2
instance profile, assumed role).

``catalog.py`` holds the actions and their evidence from Trino's source; ``access.py`` the
construct (:class:`~lakehouse_iam.vendors.trino.access.TrinoAccess`); ``stack.py`` the
example stack ``LakehouseIam-Trino``; ``template.py`` the standalone templates. Guide:
``docs/trino.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE, OMISSIONS, PAGE

VENDOR = Vendor(
    key="trino",
    name="Trino",
    page=PAGE,
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    omissions=OMISSIONS,
    examples=(ExampleStack(id="LakehouseIam-Trino", factory="stack:from_context"),),
    templates=(
        TemplateMode(mode="irsa", scenario="template:IRSA"),
        TemplateMode(mode="pod-identity", scenario="template:POD_IDENTITY"),
        TemplateMode(mode="instance-profile", scenario="template:INSTANCE_PROFILE"),
        TemplateMode(mode="assumed-role", scenario="template:ASSUMED_ROLE"),
    ),
)
