"""RisingWave Cloud: a cross-account role RisingWave assumes to read and write S3.

``catalog.py`` holds the actions and the deviations from the vendor page; ``access.py``
the construct (:class:`~lakehouse_iam.RisingWaveAccess`); ``stack.py`` the example stack
``LakehouseIam-RisingWave``; ``template.py`` the standalone CloudFormation template.
Guide: ``docs/risingwave.md``.
"""

from ..vendor import ExampleStack, TemplateMode, Vendor
from .catalog import DEVIATIONS, EVIDENCE, OMISSIONS

VENDOR = Vendor(
    key="risingwave",
    name="RisingWave Cloud",
    page="https://docs.risingwave.com/cloud/iam-role-assume",
    deviations=DEVIATIONS,
    evidence=EVIDENCE,
    omissions=OMISSIONS,
    examples=(ExampleStack(id="LakehouseIam-RisingWave", factory="stack:from_context"),),
    templates=(TemplateMode(mode="cross-account", scenario="template:CROSS_ACCOUNT"),),
)
