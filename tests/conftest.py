"""Shared fixtures: every example stack synthesized once per session."""

from __future__ import annotations

import os
from typing import Any

import aws_cdk as cdk
import hypothesis
import pytest

from lakehouse_iam.nag import add_compliance_checks
from lakehouse_iam.stacks import build_example_stacks
from tests.helpers import cdk_json_context

# Hypothesis profile "ci" (the default): few examples, because every synthesized app costs
# a jsii round trip; no deadline (synth time varies with machine load); derandomized, so
# a failure reproduces on the next run. HYPOTHESIS_PROFILE=<name> selects another profile
# (hypothesis' own "default" runs 100 examples per test).
hypothesis.settings.register_profile(
    "ci",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture(scope="session")
def example_app(tmp_path_factory: pytest.TempPathFactory) -> cdk.App:
    """An app with every example stack, built from cdk.json's context (as ``app.py`` does)."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(context=cdk_json_context(), outdir=str(outdir))
    build_example_stacks(app)
    return app


@pytest.fixture(scope="session")
def example_assembly(example_app: cdk.App) -> cdk.cx_api.CloudAssembly:
    """Every example stack with the four cdk-nag packs, synthesized once (fails on findings)."""
    add_compliance_checks(example_app)
    return example_app.synth()


@pytest.fixture(scope="session")
def example_templates(example_assembly: cdk.cx_api.CloudAssembly) -> dict[str, dict[str, Any]]:
    """Synthesized templates of every example stack, by stack name."""
    return {s.stack_name: s.template for s in example_assembly.stacks}
