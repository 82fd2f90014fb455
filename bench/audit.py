"""Audit throughput and memory on synthetic CloudTrail logs; writes its section of
docs/benchmarks.md (``make bench`` runs it after ``bench.run``).

Usage: ``python -m bench.audit [--records N] [--output docs/benchmarks.md]``.

The records are the committed audit fixtures (tests/audit/fixtures: every recorded
trace request as CloudTrail records, the denied examples, lookup-events and Lake rows),
cycled with fresh event IDs, times and object keys, and half of them re-attributed to a
principal the app does not define, written as gzipped log files of 10,000 records (the
shape CloudTrail delivers, ``{"Records": [...]}``). Two passes over the same files run
side by side, each in a fresh process, in alternating order: a bare decompress and
``json.loads`` of every file, and ``lakehouse_iam.audit.audit``. Peak memory (max RSS of
the process) is measured on 100,000 and on all records.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "audit" / "fixtures"
PER_FILE = 10_000
START, END = "<!-- audit bench -->", "<!-- /audit bench -->"
GOAL = 0.5
"""Audit throughput at least this fraction of the bare decompress-and-parse pass."""


def _templates() -> list[dict[str, Any]]:
    sys.path.insert(0, str(ROOT))
    from lakehouse_iam.audit import read_records

    return list(
        read_records(
            [FIXTURES / "trail", FIXTURES / "lookup-events.json", FIXTURES / "lake-export.jsonl"]
        )
    )


def write_logs(directory: Path, count: int) -> None:
    """``count`` records in gzipped log files of :data:`PER_FILE` under ``directory``."""
    templates = _templates()
    directory.mkdir(parents=True, exist_ok=True)
    for start in range(0, count, PER_FILE):
        records = []
        for i in range(start, min(start + PER_FILE, count)):
            record = json.loads(json.dumps(templates[i % len(templates)]))
            record["eventID"] = f"{i:08d}-0000-4000-8000-000000000000"
            record["eventTime"] = (
                f"2026-11-{1 + i // 100_000 % 28:02d}T{i // 3600 % 24:02d}:"
                f"{i // 60 % 60:02d}:{i % 60:02d}Z"
            )
            params = record.get("requestParameters")
            if isinstance(params, dict) and "key" in params:
                params["key"] = f"{params['key']}.{i}"
            if i % 2:  # someone else's credentials: only counted
                issuer = record["userIdentity"].get("sessionContext", {}).get("sessionIssuer")
                if issuer:
                    issuer["arn"] = f"arn:aws:iam::111122223333:role/other-team-{i % 50}"
                else:
                    record["userIdentity"]["arn"] = "arn:aws:iam::111122223333:user/analyst"
            records.append(record)
        name = f"111122223333_CloudTrail_us-east-1_20261102T0000Z_{start // PER_FILE:06d}.json.gz"
        with gzip.open(directory / name, "wt", compresslevel=6) as out:
            json.dump({"Records": records}, out, separators=(",", ":"))


def _child(mode: str, cdk_out: str, logs: str) -> None:
    """One measured pass, in this (fresh) process; prints JSON."""
    import resource

    files = sorted(Path(logs).glob("*.json.gz"))
    started = time.perf_counter()
    if mode == "bare":
        count = 0
        for path in files:
            count += len(json.loads(gzip.decompress(path.read_bytes()))["Records"])
    else:
        from lakehouse_iam.audit import audit

        resources = sorted((FIXTURES / "stack-resources").glob("*.json"))
        result = audit(cdk_out, events=[logs], stack_resources=resources)
        count = result.window.records
    seconds = time.perf_counter() - started
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"records": count, "seconds": seconds, "peak_mib": peak_kib / 1024}))


def measure(mode: str, cdk_out: Path, logs: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "bench.audit", "--child", mode, str(cdk_out), str(logs)],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def synthesize(outdir: Path) -> None:
    subprocess.run(
        [
            sys.executable,
            "-c",
            "from tests.audit.build_fixtures import synthesize; "
            f"from pathlib import Path; synthesize(Path({str(outdir)!r}))",
        ],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def render(rows: dict[str, Any], total: int) -> str:
    bare, audit = rows["bare"], rows["audit"]
    ratio = statistics.median(a / b for a, b in zip(audit["rates"], bare["rates"], strict=True))
    met = "yes" if ratio >= GOAL else "no"
    lines = [
        START,
        "## Audit throughput and memory",
        "",
        f"Generated by `make bench` (`python -m bench.audit`). Machine: {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, load average at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}. {total:,} synthetic CloudTrail "
        f"records (the audit fixtures, cycled; half of another principal) in {total // PER_FILE} "
        "gzipped log files; each pass in a fresh process, the two passes alternating.",
        "",
        "| Pass | Records/s (median) | Seconds (median) | Peak RSS MiB |",
        "| --- | ---: | ---: | ---: |",
        f"| bare `gzip` + `json.loads` | {statistics.median(bare['rates']):,.0f} | "
        f"{statistics.median(bare['seconds']):.1f} | {max(bare['peaks']):.0f} |",
        f"| `lakehouse-iam audit` | {statistics.median(audit['rates']):,.0f} | "
        f"{statistics.median(audit['seconds']):.1f} | {max(audit['peaks']):.0f} |",
        "",
        "| Target | Goal | Measured | Met |",
        "| --- | ---: | ---: | :---: |",
        f"| audit throughput / bare pass | >= {GOAL:.2f}x | {ratio:.2f}x | {met} |",
        f"| audit peak RSS, 100,000 vs {total:,} records | flat | "
        f"{rows['peak_small']:.0f} vs {max(audit['peaks']):.0f} MiB | "
        f"{'yes' if max(audit['peaks']) < rows['peak_small'] * 1.2 else 'no'} |",
        "",
        "The bare pass holds a whole log file (10,000 records) in memory at once, the audit one "
        "record: its peak RSS is the interpreter, the cloud assembly and the per-principal "
        "counters, whatever the number of records.",
        END,
    ]
    return "\n".join(lines) + "\n"


def write_section(output: Path, section: str) -> None:
    text = output.read_text(encoding="utf-8") if output.exists() else ""
    if START in text:
        before, _, rest = text.partition(START)
        _, _, after = rest.partition(END)
        text = before.rstrip("\n") + "\n\n" + section + after.lstrip("\n")
    else:
        text = text.rstrip("\n") + "\n\n" + section
    output.write_text(text, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=2)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--child", nargs=3, metavar=("MODE", "CDK_OUT", "LOGS"))
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return
    with tempfile.TemporaryDirectory(prefix="lakehouse-iam-audit-bench-") as tmp:
        work = Path(tmp)
        synthesize(work / "cdk.out")
        write_logs(work / "small", 100_000)
        write_logs(work / "all", args.records)
        rows: dict[str, Any] = {
            m: {"rates": [], "seconds": [], "peaks": []} for m in ("bare", "audit")
        }
        for run in range(args.runs):
            for mode in ("bare", "audit") if run % 2 == 0 else ("audit", "bare"):
                sample = measure(mode, work / "cdk.out", work / "all")
                rows[mode]["rates"].append(sample["records"] / sample["seconds"])
                rows[mode]["seconds"].append(sample["seconds"])
                rows[mode]["peaks"].append(sample["peak_mib"])
                print(f"{mode}: {sample}", flush=True)
        rows["peak_small"] = measure("audit", work / "cdk.out", work / "small")["peak_mib"]
    write_section(Path(args.output), render(rows, args.records))
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
