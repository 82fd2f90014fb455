"""``lakehouse-iam template``: its parser, its help and its handler.

The vendors, modes and settings the help lists and the errors name are read from the
registry (:data:`lakehouse_iam.vendors.VENDORS`) and each scenario's declaration, so a
new vendor or template appears here without an edit.

Example::

    parser = argparse.ArgumentParser(prog="lakehouse-iam")
    commands = parser.add_subparsers(dest="command", required=True)
    add_parser(commands)
    args, extra = parser.parse_known_args(["template", "risingwave"])
    args.settings = parse_settings(parser, extra)
    sys.exit(run(args))
"""

from __future__ import annotations

import argparse
import re
import sys
import textwrap
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .._private.jsii_env import silence_node_banners

if TYPE_CHECKING:
    from ..templates.scenario import TemplateScenario

PROG = "lakehouse-iam"

_SOURCE = re.compile(r"\s*\((?:[^()]|\([^()]*\))*\)$")


class UsageError(Exception):
    """A command line the template command cannot run; the message says what to pass."""


def _summary(scenario: TemplateScenario) -> str:
    """The scenario's description without the tool name and the page it cites."""
    text = scenario.description.removeprefix("lakehouse-iam: ")
    return _SOURCE.sub("", text)


def catalog() -> list[tuple[str, list[TemplateScenario]]]:
    """(vendor key, its template scenarios) of every vendor that has templates."""
    from ..vendors import VENDORS

    return [
        (v.key, [v.template_scenario(t.mode) for t in v.templates]) for v in VENDORS if v.templates
    ]


def help_epilog() -> str:
    """The help's list of vendors, their modes and each mode's settings."""
    lines = ["vendors, modes and settings (VENDOR --mode MODE [--SETTING VALUE]):"]
    for vendor, scenarios in catalog():
        only = len(scenarios) == 1
        lines.append(f"  {vendor}" + (" (one mode: --mode is optional)" if only else ""))
        for scenario in scenarios:
            lines.append(f"    {scenario.mode:<28}{_summary(scenario)}")
            for setting in scenario.settings:
                description = textwrap.fill(
                    setting.description,
                    width=88,
                    initial_indent=" " * 34,
                    subsequent_indent=" " * 34,
                )
                lines.append(f"      --{setting.name} VALUE (required)")
                lines.append(description)
    return "\n".join(lines)


class _Help(argparse.Action):
    """``-h``: the help with the registry's list (read only when asked for)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: str | Sequence[Any] | None,
        option_string: str | None = None,
    ) -> None:
        silence_node_banners()  # the registry's scenarios import aws-cdk-lib
        parser.epilog = help_epilog()
        parser.print_help()
        parser.exit()


def add_parser(commands: Any) -> argparse.ArgumentParser:
    """Add ``template`` to ``commands`` (``ArgumentParser.add_subparsers()``)."""
    template: argparse.ArgumentParser = commands.add_parser(
        "template",
        help="write a standalone CloudFormation template of a vendor scenario",
        description=(
            "Synthesize a vendor scenario into a standalone CloudFormation template "
            "(parameters, no assets, no CDK metadata, no bootstrap), for the console's "
            "Launch stack, aws cloudformation deploy or a StackSet. Settings of the "
            "scenario (e.g. --oidc-issuer URL) fix inputs that cannot be parameters."
        ),
        formatter_class=argparse.RawDescriptionHelpFormatter,
        add_help=False,
    )
    template.add_argument("-h", "--help", action=_Help, nargs=0, help="show this help and exit")
    template.add_argument("vendor", nargs="?", help="vendor key (listed below)")
    template.add_argument("--mode", help="scenario of the vendor (listed below)")
    template.add_argument("--output", type=Path, help="write to this file (default: stdout)")
    template.add_argument("--all", action="store_true", help="every registered template")
    template.add_argument(
        "--output-dir", type=Path, help="with --all: write DIR/<vendor>-<mode>.yaml"
    )
    template.add_argument(
        "--check", action="store_true", help="with --all: exit 1 if a file in DIR is stale"
    )
    return template


def parse_settings(parser: argparse.ArgumentParser, extra: list[str]) -> dict[str, str]:
    """``--name value`` (or ``--name=value``) pairs after the known options: a scenario's
    settings; anything else is a usage error (exit 2)."""
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


def select(vendor: str, mode: str | None) -> TemplateScenario:
    """The scenario of ``vendor`` and ``mode`` (``None``: the vendor's only mode).

    :raises UsageError: for an unknown vendor or mode, or a missing ``--mode``, listing
        the valid ones.
    """
    scenarios = dict(catalog())
    if vendor not in scenarios:
        raise UsageError(f"no vendor {vendor!r}; vendors: {', '.join(scenarios)}")
    modes = [s.mode for s in scenarios[vendor]]
    if mode is None:
        if len(modes) != 1:
            raise UsageError(f"{vendor} has several modes: pass --mode ({', '.join(modes)})")
        mode = modes[0]
    if mode not in modes:
        raise UsageError(f"{vendor} has no mode {mode!r}; modes: {', '.join(modes)}")
    (scenario,) = [s for s in scenarios[vendor] if s.mode == mode]
    return scenario


def check_settings(scenario: TemplateScenario, settings: dict[str, str]) -> None:
    """Every setting given is one of the scenario's, and every one it declares is given.

    The committed templates (``--all``) use each setting's documented placeholder; a
    template generated for a user never does.

    :raises UsageError: naming the unknown or missing settings and the valid ones.
    """
    declared = [f"--{s.name}" for s in scenario.settings]
    valid = ", ".join(declared) if declared else f"none ({scenario.name} takes no setting)"
    problems = [
        f"unknown setting --{name}; settings: {valid}"
        for name in sorted(settings)
        if name not in {s.name for s in scenario.settings}
    ]
    problems += [
        f"{scenario.name} needs --{s.name} VALUE: {s.description}"
        for s in scenario.settings
        if s.name not in settings
    ]
    if problems:
        raise UsageError("\n".join(problems))


def _error(message: str, code: int = 2) -> int:
    print(f"{PROG} template: error: {message}", file=sys.stderr)
    return code


def run(args: argparse.Namespace) -> int:
    """Handle ``template`` (``args.settings`` from :func:`parse_settings`); return the
    exit status: 0, 1 for a stale file (``--check``), 2 for a usage error."""
    from ..templates.files import check_all, render, write_all

    if args.all:
        if args.vendor or args.mode or args.output or args.settings or not args.output_dir:
            return _error("--all takes only --output-dir DIR [--check]")
        if args.check:
            stale = check_all(args.output_dir)
            for line in stale:
                print(f"{PROG} template: stale: {line}", file=sys.stderr)
            return 1 if stale else 0
        for path in write_all(args.output_dir):
            print(path)
        return 0
    if not args.vendor:
        return _error(
            "name a vendor (or pass --all); vendors: " + ", ".join(v for v, _ in catalog())
        )
    try:
        scenario = select(args.vendor, args.mode)
        check_settings(scenario, args.settings)
        text = render(scenario, settings=args.settings)
    except UsageError as error:
        return _error(str(error))
    except ValueError as error:  # a setting's value fails its rule (PropsCheck)
        return _error(str(error))
    if args.output is None:
        sys.stdout.write(text)
        return 0
    try:
        args.output.write_text(text, encoding="utf-8")
    except OSError as error:
        return _error(f"cannot write --output {args.output}: {error.strerror}", code=1)
    return 0
