"""Command line: ``python -m lakehouse_iam`` (installed as ``lakehouse-iam``).

``report [CDK_OUT] [--format table|json|markdown]``
    Every IAM role, user and group of a synthesized app (any CDK app's ``cdk.out/``):
    trust principal and conditions, effective actions per resource.
``docs [--output docs/permissions.md] [--check]``
    Regenerate the permission matrix from the example stacks and vendor catalogs;
    with ``--check``, only tell whether the committed file is current.

Exit status: 0 on success, 1 when the cloud assembly is missing or malformed or
``docs --check`` finds the file stale, 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

PROG = "lakehouse-iam"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Show and document the IAM that lakehouse-iam (or any CDK app) creates.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    report = commands.add_parser(
        "report",
        help="print every IAM role/user/group of a synthesized cdk.out",
        description=(
            "Read a synthesized cloud assembly (cdk.out/) of any CDK app and print every "
            "IAM role, user and group with its trust policy and effective actions per resource."
        ),
    )
    report.add_argument(
        "cdk_out",
        nargs="?",
        default="cdk.out",
        metavar="CDK_OUT",
        help="the cloud assembly directory (default: cdk.out)",
    )
    report.add_argument(
        "--format",
        choices=("table", "json", "markdown"),
        default="table",
        help="output format (default: table)",
    )
    docs = commands.add_parser(
        "docs",
        help="regenerate docs/permissions.md from the example stacks and catalogs",
        description=(
            "Synthesize every example stack with cdk.json's context and write the permission "
            "matrix with each vendor's deviations table."
        ),
    )
    docs.add_argument(
        "--output",
        default="docs/permissions.md",
        help="file to write (default: docs/permissions.md)",
    )
    docs.add_argument(
        "--cdk-json", default="cdk.json", help="cdk.json whose context is used (default: cdk.json)"
    )
    docs.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 if the file differs from what would be generated",
    )
    return parser


def _report(args: argparse.Namespace) -> int:
    from .report import RENDERERS, CdkOutError, build_report

    try:
        report = build_report(args.cdk_out)
    except CdkOutError as error:
        print(f"{PROG} report: error: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(RENDERERS[args.format](report))
    return 0


def _docs(args: argparse.Namespace) -> int:
    from .report.permissions_doc import REGENERATE, generate_permissions_doc

    cdk_json = Path(args.cdk_json)
    if not cdk_json.is_file():
        print(
            f"{PROG} docs: error: {str(cdk_json)!r} not found: run from the project root "
            "or pass --cdk-json",
            file=sys.stderr,
        )
        return 1
    output = Path(args.output)
    content = generate_permissions_doc(cdk_json=cdk_json, docs_dir=output.parent)
    current = output.read_text(encoding="utf-8") if output.is_file() else None
    if args.check:
        if current == content:
            print(f"{output} is current")
            return 0
        print(f"{output} is stale: regenerate it with `{REGENERATE}`", file=sys.stderr)
        return 1
    if current != content:
        output.parent.mkdir(parents=True, exist_ok=True)
        output.write_text(content, encoding="utf-8")
        print(f"wrote {output}")
    else:
        print(f"{output} is already current")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    args = _parser().parse_args(argv)
    handler = {"report": _report, "docs": _docs}[args.command]
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of the command.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
