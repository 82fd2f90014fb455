"""Session fixtures: the committed traces replayed once against the example assembly."""

from __future__ import annotations

from typing import Any

import pytest

from traces.replay import Result, load_targets, replay
from verification.probes import Synthesize


@pytest.fixture(scope="session")
def trace_results(
    verified_templates: dict[str, dict[str, Any]], synthesis_cache: Synthesize
) -> list[Result]:
    """Every target's rows, evaluated in one batch (fixtures only: nothing recorded); the
    variant templates are the session's, shared with the probe tables and call tables."""
    return replay(load_targets(), verified_templates, synthesize=synthesis_cache)
