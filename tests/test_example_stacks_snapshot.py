"""Snapshot of every example stack's template, free of version noise."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from syrupy.extensions.json import JSONSnapshotExtension

from lakehouse_iam.stacks import EXAMPLES


def scrub(template: dict[str, Any]) -> dict[str, Any]:
    """Drop what changes with the CDK version, not with behaviour."""
    clean = copy.deepcopy(template)
    clean.get("Parameters", {}).pop("BootstrapVersion", None)
    clean.get("Rules", {}).pop("CheckBootstrapVersion", None)
    for section in ("Parameters", "Rules"):
        if section in clean and not clean[section]:
            del clean[section]
    resources = clean.get("Resources", {})
    for logical_id in [k for k, v in resources.items() if v["Type"] == "AWS::CDK::Metadata"]:
        del resources[logical_id]
    clean.get("Conditions", {}).pop("CDKMetadataAvailable", None)
    if "Conditions" in clean and not clean["Conditions"]:
        del clean["Conditions"]
    return clean


@pytest.fixture
def snapshot_json(snapshot):
    return snapshot.use_extension(JSONSnapshotExtension)


def test_every_registered_stack_is_synthesized(example_templates):
    assert set(EXAMPLES) == set(example_templates)


@pytest.mark.parametrize("stack_name", sorted(EXAMPLES))
def test_snapshot(stack_name, example_templates, snapshot_json):
    assert scrub(example_templates[stack_name]) == snapshot_json
