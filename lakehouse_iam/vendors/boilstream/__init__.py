"""BoilStream: S3 access per permission level, and credential vending without escalation.

``catalog.py`` holds the actions per level and the deviations from the vendor page;
``access.py`` the constructs (:class:`~lakehouse_iam.BoilStreamAccess`); ``stack.py`` the
example stack ``LakehouseIam-BoilStream``. Guide: ``docs/boilstream.md``.
"""

from ..vendor import ExampleStack, Vendor
from .catalog import DEVIATIONS

VENDOR = Vendor(
    key="boilstream",
    name="BoilStream",
    page="https://docs.boilstream.com/guide/aws-iam-permissions.html",
    deviations=DEVIATIONS,
    examples=(ExampleStack(id="LakehouseIam-BoilStream", factory="stack:from_context"),),
)
