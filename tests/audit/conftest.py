"""Audit fixtures: the example stacks' cloud assembly and the committed CloudTrail files."""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
import pytest

FIXTURES = Path(__file__).with_name("fixtures")
TRAIL = FIXTURES / "trail"
LOOKUP_EVENTS = FIXTURES / "lookup-events.json"
LAKE_EXPORT = FIXTURES / "lake-export.jsonl"
STACK_RESOURCES = sorted((FIXTURES / "stack-resources").glob("*.json"))


@pytest.fixture(scope="session")
def cdk_out(example_assembly: cdk.cx_api.CloudAssembly) -> Path:
    """The session's synthesized example stacks (cdk.json's context), as a cdk.out path."""
    return Path(example_assembly.directory)
