"""Rules stated once, for a construct's check and a template parameter's ``AllowedPattern``.

A :class:`CharacterRule` says which characters a value must not hold. The construct
checks a value with :meth:`CharacterRule.check`; a standalone template adds
:attr:`CharacterRule.lookahead` to a parameter's ``AllowedPattern``
(:func:`lakehouse_iam.templates.rules.restricted`). Both read the same compiled pattern,
so a template accepts at ``CreateStack`` exactly what the construct accepts at synth.

Example::

    import re

    NO_HASH = CharacterRule(
        forbidden=re.compile(r"[#%]"),
        accepted="a value without '#' or '%'",
    )
    assert NO_HASH.refuses("raw#1") and not NO_HASH.refuses("raw")
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..validation import PropsCheck, is_token

_PYTHON_ONLY = re.compile(r"\(\?P|\\[AZz]")


@dataclass(frozen=True, kw_only=True)
class CharacterRule:
    """Characters a value must not hold.

    :param forbidden: matches one forbidden character. It is also read as a Java regex
        (CloudFormation's ``AllowedPattern``), so it uses only what both read alike:
        character classes, ``\\xhh`` escapes and ``|``.
    :param accepted: what is accepted, for the ``ValueError`` and the template's
        ``ConstraintDescription``.
    """

    forbidden: re.Pattern[str]
    accepted: str

    def __post_init__(self) -> None:
        if _PYTHON_ONLY.search(self.forbidden.pattern):
            raise ValueError(f"{self.forbidden.pattern!r} uses a Python-only construct")

    def refuses(self, text: str) -> bool:
        """Whether ``text`` holds a forbidden character."""
        return self.forbidden.search(text) is not None

    def check(self, check: PropsCheck, prop: str, value: Any) -> None:
        """Adds a problem to ``check`` when the literal ``value`` holds a forbidden
        character. A token is known only at deploy time: a template checks it through its
        parameter's pattern (:attr:`lookahead`)."""
        if isinstance(value, str) and not is_token(value) and self.refuses(value):
            check.add(prop, value, self.accepted)

    @property
    def lookahead(self) -> str:
        """A lookahead refusing a value that holds a forbidden character, for the front of
        an ``AllowedPattern`` (``[\\s\\S]`` so that a line break cannot hide one)."""
        return rf"(?![\s\S]*(?:{self.forbidden.pattern}))"
