"""``python -m deploy_local``: deploy every example stack in cdk.out to moto, verify,
destroy.

Only this project's example stacks (``make synth``): another app's ``cdk.out`` is refused
with what would break (:mod:`deploy_local.scope`).

Exit status 0 when IAM matches every template and nothing but RETAIN resources is left;
1 on any mismatch, leftover or deploy error (each printed with stack, resource and
property), or when moto fails a request; 2 when there is nothing to run or the assembly
is not the example app's.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from botocore.exceptions import BotoCoreError, ClientError
from botocore.parsers import ResponseParserError

from .assembly import discover
from .findings import Kind
from .moto_server import MotoServer
from .run import run_all
from .scope import refusal


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m deploy_local", description=__doc__)
    parser.add_argument("--cdk-out", type=Path, default=Path("cdk.out"))
    parser.add_argument(
        "--via",
        choices=("auto", "cli", "api"),
        default="auto",
        help="auto: `npx cdk` first, boto3 CloudFormation if it cannot reach moto",
    )
    parser.add_argument(
        "--stack",
        action="append",
        default=[],
        help="only these stacks (default: every stack in cdk.out)",
    )
    parser.add_argument("--log-dir", type=Path, default=Path("build/deploy-local"))
    args = parser.parse_args(argv)

    project = Path.cwd()
    cdk_out = args.cdk_out.resolve()
    if not (cdk_out / "manifest.json").exists():
        print(f"no cloud assembly at {cdk_out}: run `make synth` first", file=sys.stderr)
        return 2
    stacks = discover(cdk_out)
    if args.stack:
        stacks = [s for s in stacks if s.name in args.stack]
    if not stacks:
        print("no stacks to deploy", file=sys.stderr)
        return 2
    refused = refusal(cdk_out, stacks)
    if refused:
        print(refused, file=sys.stderr)
        return 2
    args.log_dir.mkdir(parents=True, exist_ok=True)
    log = (args.log_dir / "cdk.log").resolve()
    log.write_text("")
    print(f"deploy-local: {len(stacks)} stack(s): {', '.join(s.name for s in stacks)}")
    started = time.monotonic()
    with MotoServer(log_path=(args.log_dir / "moto.log").resolve()) as server:
        print(f"deploy-local: moto_server at {server.endpoint} (bound to 127.0.0.1)")
        try:
            outcome = run_all(
                stacks, server=server, project=project, cdk_out=cdk_out, log=log, via=args.via
            )
        except (BotoCoreError, ClientError, ResponseParserError) as error:
            # moto answers some requests it cannot serve with HTTP 500 and an HTML or
            # empty body, which botocore cannot parse: say so instead of a traceback.
            print(
                f"deploy-local: FAILED: moto could not serve a request "
                f"({type(error).__name__}: {str(error).splitlines()[0][:300]}); "
                f"see {args.log_dir / 'moto.log'}",
                file=sys.stderr,
            )
            return 1
    total = time.monotonic() - started

    order = [Kind.ERROR, Kind.MISMATCH, Kind.LEFTOVER, Kind.SKIPPED, Kind.GAP]
    for kind in order:
        for finding in (f for f in outcome.findings if f.kind is kind):
            print(finding)
    counts = {k.value: sum(f.kind is k for f in outcome.findings) for k in order}
    timings = ", ".join(f"{k} {v:.1f} s" for k, v in outcome.timings.items())
    print(
        f"deploy-local: via {outcome.via or '-'}; deployed and verified "
        f"{len(outcome.deployed)}/{len(stacks)}: {', '.join(outcome.deployed) or '-'}"
    )
    print(f"deploy-local: {counts}; {timings}; total {total:.1f} s; logs in {args.log_dir}/")
    if outcome.failed:
        print("deploy-local: FAILED (mismatch, leftover or error above)")
        return 1
    print("deploy-local: OK (gaps above are moto limitations, not differences)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
