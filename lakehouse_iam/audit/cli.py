"""``lakehouse-iam audit``: CloudTrail against the app's IAM, from the command line.

Exit status: 0 when no denial is a ``missing-grant``; 1 when one is (so the command can
gate a pipeline or an alarm), or when the cloud assembly or an input file cannot be read;
2 on a usage error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from ..report.assembly import CdkOutError
from .events import EventsError
from .principals import Principals, read_stack_resources
from .render import RENDERERS
from .run import audit, parse_time
from .sql import DIALECTS, emit_sql

PROG = "lakehouse-iam audit"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The subcommand's arguments (``lakehouse_iam.__main__`` registers the subcommand)."""
    parser.add_argument("cdk_out", metavar="CDK_OUT", help="the synthesized cloud assembly")
    parser.add_argument(
        "--events",
        nargs="+",
        default=[],
        metavar="PATH",
        help="CloudTrail log files (.json.gz) or folders of them, lookup-events output, "
        "or JSON Lines of records (Athena/CloudTrail Lake exports)",
    )
    parser.add_argument(
        "--stack-resources",
        nargs="+",
        default=[],
        metavar="FILE",
        help="`aws cloudformation describe-stack-resources` output, one file per stack",
    )
    parser.add_argument("--since", metavar="TIME", help="ISO 8601: ignore earlier records")
    parser.add_argument("--until", metavar="TIME", help="ISO 8601: ignore records from then on")
    parser.add_argument(
        "--format", choices=sorted(RENDERERS), default="table", help="output (default: table)"
    )
    parser.add_argument(
        "--emit-sql",
        choices=DIALECTS,
        help="print the query selecting the app's principals' records instead of auditing",
    )
    parser.add_argument(
        "--table",
        help="with --emit-sql: the CloudTrail table (Athena, default cloudtrail_logs) or "
        "event data store ID (CloudTrail Lake)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the parsed command; return the exit status."""
    try:
        since = parse_time(args.since) if args.since else None
        until = parse_time(args.until) if args.until else None
    except ValueError as error:
        print(f"{PROG}: error: --since/--until: {error}", file=sys.stderr)
        return 2
    if args.emit_sql is None and not args.events:
        print(f"{PROG}: error: pass --events PATH [PATH ...] (or --emit-sql)", file=sys.stderr)
        return 2
    if args.emit_sql is None and args.table:
        print(f"{PROG}: error: --table goes with --emit-sql", file=sys.stderr)
        return 2
    try:
        if args.emit_sql is not None:
            principals = Principals(args.cdk_out, read_stack_resources(args.stack_resources))
            sys.stdout.write(
                emit_sql(
                    principals.all,
                    dialect=args.emit_sql,
                    table=args.table,
                    since=since,
                    until=until,
                )
            )
            return 0
        result = audit(
            args.cdk_out,
            events=args.events,
            stack_resources=args.stack_resources,
            since=since,
            until=until,
        )
    except (CdkOutError, EventsError) as error:
        print(f"{PROG}: error: {error}", file=sys.stderr)
        return 1
    sys.stdout.write(RENDERERS[args.format](result))
    return 1 if result.missing_grants else 0


def main(argv: Sequence[str] | None = None) -> int:
    """``lakehouse-iam audit ...`` on its own (tests, ``python -m lakehouse_iam.audit.cli``)."""
    parser = argparse.ArgumentParser(prog=PROG)
    add_arguments(parser)
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    sys.exit(main())
