"""Session fixtures: the committed traces replayed once against the example assembly."""

from __future__ import annotations

from typing import Any

import pytest

from traces.replay import Result, cached, load_targets, replay
from verification.assembly import read_assembly, synthesize_example
from verification.probes import Synthesize


@pytest.fixture(scope="session")
def trace_templates(example_assembly: Any) -> dict[str, dict[str, Any]]:
    """Every example stack of the session's assembly, construct paths attached."""
    return read_assembly(example_assembly.directory)


@pytest.fixture(scope="session")
def trace_synthesize() -> Synthesize:
    """One synthesis per (stack, context) for every trace test."""
    return cached(synthesize_example)


@pytest.fixture(scope="session")
def trace_results(
    trace_templates: dict[str, dict[str, Any]], trace_synthesize: Synthesize
) -> list[Result]:
    """Every target's rows, evaluated in one batch (fixtures only: nothing recorded)."""
    return replay(load_targets(), trace_templates, synthesize=trace_synthesize)
