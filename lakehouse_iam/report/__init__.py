"""Who may do what in a synthesized CDK app: read ``cdk.out/``, describe every principal.

``python -m lakehouse_iam report [CDK_OUT] [--format table|json|markdown]`` prints every
IAM role, user and group of the cloud assembly with its trust policy (principal and
conditions) and its effective actions per resource. It reads any CDK app's
``cdk.out/``, not only this library's stacks. It reads JSON only: no CDK runtime, no
cdk-nag and no example stack is imported.
"""

from .assembly import CdkOutError, StackArtifact, read_assembly
from .json_format import render_json
from .markdown import render_markdown
from .model import (
    Condition,
    Permission,
    Principal,
    Report,
    StackReport,
    TrustedPrincipal,
    TrustStatement,
)
from .reader import build_report
from .table import render_table

RENDERERS = {"table": render_table, "json": render_json, "markdown": render_markdown}
"""Output format name -> renderer(report) -> str."""

__all__ = [
    "RENDERERS",
    "CdkOutError",
    "Condition",
    "Permission",
    "Principal",
    "Report",
    "StackArtifact",
    "StackReport",
    "TrustStatement",
    "TrustedPrincipal",
    "build_report",
    "read_assembly",
    "render_json",
    "render_markdown",
    "render_table",
]
