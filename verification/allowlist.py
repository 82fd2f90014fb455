"""The one reviewed list of findings kept on purpose (``verification/allowlist.yaml``).

An entry matches findings by fields (``stack``, ``policy`` or ``principal`` construct path,
``issue``/``category``/``rule``, ``detail``/``action``), each an fnmatch pattern, ``*`` by
default. Every entry needs a ``reason`` a reviewer accepts (at least
:data:`MIN_REASON_LENGTH` characters). An entry whose stack is synthesized but that
matches nothing is stale and fails the check, so the list cannot rot - except entries
marked ``general: true``, which record a gap of the tool itself (e.g. parliament does not
know EKS OIDC providers) rather than a finding of one stack.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ALLOWLIST_PATH = Path(__file__).with_name("allowlist.yaml")
MIN_REASON_LENGTH = 40
SECTIONS = ("parliament", "cloudsplaining", "cfn_lint")


@dataclass(frozen=True)
class Entry:
    """One allowlisted finding pattern."""

    section: str
    match: Mapping[str, str]
    reason: str
    general: bool = False

    def matches(self, finding: Mapping[str, str]) -> bool:
        return all(
            fnmatch.fnmatchcase(str(finding.get(key, "")), pattern)
            for key, pattern in self.match.items()
        )


@dataclass
class Allowlist:
    """Entries by section, and which of them matched something in this run."""

    entries: list[Entry]
    used: set[int] = field(default_factory=set)

    @classmethod
    def load(cls, path: Path = ALLOWLIST_PATH) -> Allowlist:
        data = yaml.safe_load(path.read_text()) or {}
        unknown = set(data) - set(SECTIONS)
        if unknown:
            raise ValueError(f"{path}: unknown sections {sorted(unknown)}; expected {SECTIONS}")
        entries = []
        for section in SECTIONS:
            for raw in data.get(section) or []:
                raw = dict(raw)
                reason = str(raw.pop("reason", "")).strip()
                general = bool(raw.pop("general", False))
                if len(reason) < MIN_REASON_LENGTH:
                    raise ValueError(
                        f"{path}: {section} entry {raw} needs a reason of at least "
                        f"{MIN_REASON_LENGTH} characters"
                    )
                match = {k: str(v) for k, v in raw.items()}
                entries.append(Entry(section, match, reason, general))
        return cls(entries)

    def allows(self, section: str, finding: Mapping[str, str]) -> bool:
        """Whether an entry of ``section`` covers ``finding`` (and mark that entry used)."""
        for index, entry in enumerate(self.entries):
            if entry.section == section and entry.matches(finding):
                self.used.add(index)
                return True
        return False

    def stale(self, section: str, stacks: Iterable[str]) -> list[Entry]:
        """Entries of ``section`` for a stack that was checked but that matched nothing."""
        checked = list(stacks)
        return [
            entry
            for index, entry in enumerate(self.entries)
            if entry.section == section
            and not entry.general
            and index not in self.used
            and any(fnmatch.fnmatchcase(s, entry.match.get("stack", "*")) for s in checked)
        ]


def split(
    section: str, findings: Iterable[dict[str, Any]], allowlist: Allowlist
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """``(unexpected, allowed)`` findings of one check."""
    unexpected, allowed = [], []
    for finding in findings:
        (allowed if allowlist.allows(section, finding) else unexpected).append(finding)
    return unexpected, allowed
