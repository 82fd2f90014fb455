"""Render a :class:`~.model.Report` as JSON (stable key order, one document)."""

from __future__ import annotations

import json

from .model import Report


def render_json(report: Report) -> str:
    """The report as an indented JSON document; see :class:`~.model.Report` for fields."""
    return json.dumps(report.to_dict(), indent=2) + "\n"
