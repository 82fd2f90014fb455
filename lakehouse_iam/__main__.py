"""Command line: ``python -m lakehouse_iam`` (installed as ``lakehouse-iam``).

``report [CDK_OUT] [--format table|json|markdown]``
    Every IAM role, user and group of a synthesized app (any CDK app's ``cdk.out/``):
    trust principal and conditions, effective actions per resource.

``template VENDOR [--mode MODE] [--output FILE] [--SETTING VALUE ...]``
    A standalone CloudFormation template (YAML) of one vendor scenario, with parameters
    for its inputs; settings (e.g. ``--oidc-issuer``) fix inputs that cannot be
    parameters. ``template --all --output-dir DIR [--check]`` writes (or, with
    ``--check``, compares) every registered template as ``DIR/<vendor>-<mode>.yaml``.

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
from pathlib import Path

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
    template = commands.add_parser(
        "template",
        help="write a standalone CloudFormation template of a vendor scenario",
        description=(
            "Synthesize a vendor scenario into a standalone CloudFormation template "
            "(parameters, no assets, no CDK metadata, no bootstrap), for the console's "
            "Launch stack, aws cloudformation deploy or a StackSet. Settings of the "
            "scenario (e.g. --oidc-issuer URL) fix inputs that cannot be parameters."
        ),
    )
    template.add_argument("vendor", nargs="?", help="vendor key, e.g. risingwave")
    template.add_argument("--mode", help="scenario of the vendor (default: its only one)")
    template.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    template.add_argument("--all", action="store_true", help="every registered template")
    template.add_argument(
        "--output-dir", type=Path, help="with --all: write DIR/<vendor>-<mode>.yaml"
    )
    template.add_argument(
        "--check", action="store_true", help="with --all: exit 1 if a file in DIR is stale"
    )
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


def _settings(parser: argparse.ArgumentParser, extra: list[str]) -> dict[str, str]:
    """``--name value`` pairs after the known options: a scenario's settings."""
    settings: dict[str, str] = {}
    items = iter(extra)
    for item in items:
        name, _, value = item.partition("=")
        if not name.startswith("--") or len(name) < 3:
            parser.error(f"unrecognized argument: {item}")
        if not value:
            value = next(items, "")
        if not value:
            parser.error(f"{name} needs a value")
        settings[name[2:]] = value
    return settings


def _template(args: argparse.Namespace) -> int:
    from .templates.files import check_all, render, write_all
    from .templates.scenario import TemplateScenario

    if args.all:
        if args.vendor or args.mode or args.output or args.settings or not args.output_dir:
            print(
                f"{PROG} template: error: --all takes only --output-dir DIR [--check]",
                file=sys.stderr,
            )
            return 2
        if args.check:
            stale = check_all(args.output_dir)
            for line in stale:
                print(f"{PROG} template: stale: {line}", file=sys.stderr)
            return 1 if stale else 0
        for path in write_all(args.output_dir):
            print(path)
        return 0
    if not args.vendor:
        print(f"{PROG} template: error: name a vendor (or pass --all)", file=sys.stderr)
        return 2
    from .templates import scenario_of
    from .vendors import VENDORS

    try:
        mode = args.mode
        if mode is None:
            modes = [t.mode for v in VENDORS if v.key == args.vendor for t in v.templates]
            if len(modes) != 1:
                raise KeyError(f"{args.vendor} has several modes: pass --mode ({', '.join(modes)})")
            mode = modes[0]
        scenario: TemplateScenario = scenario_of(args.vendor, mode)
        text = render(scenario, settings=args.settings)
    except (KeyError, ValueError) as error:
        message = error.args[0] if isinstance(error, KeyError) else str(error)
        print(f"{PROG} template: error: {message}", file=sys.stderr)
        return 2
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit status."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if args.command != "template" and extra:
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command == "template":
        args.settings = _settings(parser, extra)
    handler = {"report": _report, "template": _template, "audit": _audit}[args.command]
    try:
        return handler(args)
    except BrokenPipeError:
        # The reader (e.g. `| head`) went away; that is not an error of the command.
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
