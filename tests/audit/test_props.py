"""Every vendor declares its constructs' props (lakehouse_iam/vendors/<vendor>/props.py),
and every principal of the example stacks is recognised as a construct's."""

from __future__ import annotations

import importlib
from pathlib import Path

from lakehouse_iam.audit.principals import Principals
from lakehouse_iam.catalog.prop_control import ConstructProps, ResourceKind
from lakehouse_iam.vendors import VENDORS


def test_every_vendor_declares_props_for_its_example_stacks():
    for vendor in VENDORS:
        constructs = importlib.import_module(f"{vendor.package}.props").CONSTRUCTS
        assert constructs and all(isinstance(c, ConstructProps) for c in constructs)
        covered = {stack for c in constructs for stack in c.stacks}
        assert {e.id for e in vendor.examples} <= covered, vendor.key
        for construct in constructs:
            if {p.kind for p in construct.props} == {ResourceKind.GLUE_DATABASE}:
                continue  # a Glue-catalog-only construct (SnowflakeGlueCatalogAccess)
            # every data construct scopes S3 prefixes and KMS keys
            assert construct.control(ResourceKind.S3_PREFIX) is not None, construct.construct
            assert construct.control(ResourceKind.KMS_KEY) is not None, construct.construct


def test_every_example_principal_belongs_to_a_construct_by_description_or_stack(cdk_out: Path):
    principals = Principals(cdk_out)
    unknown = [f"{p.stack}/{p.path}" for p in principals.all if p.construct is None]
    assert unknown == []
    by_description = {
        f"{p.stack}/{p.path}": p.construct.construct
        for p in principals.all
        if p.construct is not None and p.kind == "role"
    }
    assert (
        by_description["LakehouseIam-RisingWave/RisingWave/DataAccess/Role"] == "RisingWaveAccess"
    )
    assert (
        by_description["LakehouseIam-BoilStream/CredentialVending/AccessRole/Role"]
        == "BoilStreamAccess"
    )
