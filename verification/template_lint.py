"""Check 3: cfn-lint (AWS) validates every template against the CloudFormation resource
specification: unknown properties, bad values, broken ``Ref``/``GetAtt``, IAM policy
shape. Errors and warnings count; informational matches do not.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import cfnlint.api
from cfnlint.core import get_rules

REGIONS = ["us-east-1"]


@cache
def _rules() -> Any:
    # Loading the rule collection costs about a second; build it once per process.
    return get_rules([], [], [])


def lint_template(template: dict[str, Any], *, stack_name: str) -> list[dict[str, str]]:
    """cfn-lint errors and warnings of one template, as dicts with rule, path and message."""
    matches = cfnlint.api.lint(json.dumps(template), rules=_rules(), regions=REGIONS)
    return [
        {
            "stack": stack_name,
            "rule": match.rule.id,
            "path": "/".join(str(p) for p in getattr(match, "path", []) or []),
            "message": match.message,
        }
        for match in matches
        if match.rule.id[:1] in ("E", "W")
    ]
