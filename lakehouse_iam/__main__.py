"""Command line: ``python -m lakehouse_iam`` (installed as ``lakehouse-iam``).

``report [CDK_OUT] [--format table|json|markdown]``
    Every IAM role, user and group of a synthesized app (any CDK app's ``cdk.out/``):
    trust principal and conditions, effective actions per resource.

``template VENDOR [--mode MODE] [--output FILE] [--SETTING VALUE ...]``
    A standalone CloudFormation template (YAML) of one vendor scenario, with parameters
    for its inputs; settings (e.g. ``--oidc-issuer``) fix inputs that cannot be
    parameters. ``template --all --output-dir DIR [--check]`` writes (or, with
    ``--check``, compares) every registered template as ``DIR/<vendor>-<mode>.yaml``.
    ``template --help`` lists the vendors, modes and settings (``commands/template.py``).

``audit CDK_OUT --events PATH [PATH ...] [--stack-resources FILE ...] [--since TIME]
[--until TIME] [--format table|markdown|json] [--emit-sql athena|cloudtrail-lake]``
    CloudTrail records against the app's IAM (``lakehouse_iam.audit``, docs/audit.md);
    exits 1 when a denial is a missing grant.

Exit status: 0 on success, 1 when the cloud assembly is missing or malformed (``report``)
or a template is stale (``template --check``), 2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ._private.jsii_env import silence_node_banners
from .commands import template as template_cli

PROG = "lakehouse-iam"


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="Show the IAM that lakehouse-iam (or any CDK app) creates.",
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
    template_cli.add_parser(commands)
    from .audit.cli import add_arguments as add_audit_arguments

    add_audit_arguments(
        commands.add_parser(
            "audit",
            help="CloudTrail records against the app's IAM: causes of denials, unused grants",
            description="Match CloudTrail records to the app's roles and users, give each "
            "denied request its cause and the prop to change, and list used and unused "
            "granted actions (docs/audit.md). Exit 1 when a missing grant is found.",
        )
    )
    return parser


def _audit(args: argparse.Namespace) -> int:
    from .audit.cli import run

    return run(args)


def _report(args: argparse.Namespace) -> int:
    from .report import RENDERERS, CdkOutError, build_report

    try:
        report = build_report(args.cdk_out)
    except CdkOutError as error:
        print(f"{PROG} report: error: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(RENDERERS[args.format](report))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "template" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "template":
        args.settings = template_cli.parse_settings(parser, extra)
        silence_node_banners()  # before the first jsii call starts Node
    handler = {"report": _report, "template": template_cli.run, "audit": _audit}[args.command]
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of the command.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
