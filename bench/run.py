"""Time every benchmark case in fresh processes, as paired runs; write docs/benchmarks.md.

Usage: ``python -m bench.run [--runs N] [--output docs/benchmarks.md]`` (``make bench``).

Each target compares two cases. They run as pairs, back to back in alternating order,
and the target's ratio is the median of the per-pair ratios: a load spike hits both
members of a pair alike, so the ratio survives a busy machine better than two medians
taken at different times. Wall-clock and CPU time (user + system of the process and its
Node.js child) are both reported.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import audit as audit_bench

ROOT = Path(__file__).resolve().parent.parent

CASES = {
    "floor": "empty `cdk.App().synth()`",
    "one-resource": "one stack with one `iam.CfnRole`, cdk.json flags, the four cdk-nag packs",
    "baseline": "the vendor JSON pasted into 6 `iam.CfnRole`s",
    "baseline-nag": "`baseline` + the four cdk-nag packs",
    "library-roles": "the six vendors' roles with the library (8 roles) on an imported bucket",
    "library-roles-nag": "`library-roles` + the four cdk-nag packs",
    "library-template": "the template `library-roles` renders, pasted as plain `CfnResource`s",
    "examples": "`app.py`: every example stack + the four cdk-nag packs",
    "examples-nonag": "every example stack, no cdk-nag",
    "prefixes-1": "one DataAccessRole, 1 prefix",
    "prefixes-1000": "one DataAccessRole, 1,000 prefixes / 50 buckets",
}

TARGETS = [
    ("library-roles", "baseline", 1.10, "same work as the pasted JSON"),
    ("library-roles-nag", "baseline-nag", 1.25, "same work, both with the four cdk-nag packs"),
    ("examples", "one-resource", 2.00, "all example stacks with the packs vs a one-resource app"),
    ("prefixes-1000", "prefixes-1", 2.00, "1,000 prefixes vs one prefix"),
]
EXPLAINERS = [
    ("library-roles", "library-template", "the library's own work (same output both sides)"),
    (
        "library-template",
        "baseline",
        "the larger output: 25 IAM resources (8 roles, 16 policies, a profile) vs 6",
    ),
]
"""Pairs without a goal: they split the first target's ratio into its two causes."""


@dataclass
class Sample:
    wall: float
    cpu: float


@dataclass
class Results:
    samples: dict[str, list[Sample]] = field(default_factory=dict)
    ratios: dict[tuple[str, str], list[tuple[float, float]]] = field(default_factory=dict)


def time_case(case: str) -> Sample:
    """Run ``case`` once in a fresh process; wall and CPU seconds (children included)."""
    with tempfile.TemporaryDirectory() as outdir:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "bench.apps", case, outdir],
            cwd=ROOT,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=dict(os.environ),
        )
        wall = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return Sample(wall=wall, cpu=cpu)


def _write_library_template() -> None:
    """Synthesize ``library-roles`` once; ``library-template`` pastes its template."""
    outdir = Path(tempfile.mkdtemp(prefix="lakehouse-iam-bench-"))
    subprocess.run(
        [sys.executable, "-m", "bench.apps", "library-roles", str(outdir)],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    os.environ["LAKEHOUSE_IAM_BENCH_TEMPLATE"] = str(outdir / "VendorRoles.template.json")


def run(runs: int) -> Results:
    _write_library_template()
    results = Results()
    pairs = [(ours, against) for ours, against, _, _ in TARGETS] + [
        (ours, against) for ours, against, _ in EXPLAINERS
    ]
    for i in range(runs):
        for ours, against in pairs:
            order = (ours, against) if i % 2 == 0 else (against, ours)
            pair = {case: time_case(case) for case in order}
            for case, sample in pair.items():
                results.samples.setdefault(case, []).append(sample)
            results.ratios.setdefault((ours, against), []).append(
                (pair[ours].wall / pair[against].wall, pair[ours].cpu / pair[against].cpu)
            )
            print(
                f"run {i + 1}: {ours} {pair[ours].wall:.2f}s / {against} "
                f"{pair[against].wall:.2f}s = {pair[ours].wall / pair[against].wall:.2f}x",
                flush=True,
            )
        for case in ("floor", "examples-nonag"):
            results.samples.setdefault(case, []).append(time_case(case))
    return results


def render(results: Results, runs: int) -> str:
    lines = [
        "# Benchmarks",
        "",
        "Generated by `make bench` (`python -m bench.run`); do not edit by hand.",
        "",
        f"Machine: {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"{platform.machine()}, load average at the end "
        f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}. Every case runs {runs} times in "
        "a fresh process (as `cdk synth` does); a target's two cases run as pairs, back to "
        "back in alternating order, and its ratio is the median of the pair ratios.",
        "",
        "| Case | What | Median wall s | Median CPU s |",
        "| --- | --- | ---: | ---: |",
    ]
    for case, label in CASES.items():
        samples = results.samples.get(case)
        if not samples:
            continue
        wall = statistics.median(s.wall for s in samples)
        cpu = statistics.median(s.cpu for s in samples)
        lines.append(f"| `{case}` | {label} | {wall:.2f} | {cpu:.2f} |")
    lines += [
        "",
        "| Target | Cases | Goal | Wall ratio | CPU ratio | Met (wall) |",
        "| --- | --- | ---: | ---: | ---: | :---: |",
    ]
    for ours, against, limit, label in TARGETS:
        pairs = results.ratios[(ours, against)]
        wall = statistics.median(p[0] for p in pairs)
        cpu = statistics.median(p[1] for p in pairs)
        met = "yes" if wall <= limit else "no"
        lines.append(
            f"| {label} | `{ours}` / `{against}` | <= {limit:.2f}x | {wall:.2f}x | "
            f"{cpu:.2f}x | {met} |"
        )
    for ours, against, label in EXPLAINERS:
        pairs = results.ratios[(ours, against)]
        wall = statistics.median(p[0] for p in pairs)
        cpu = statistics.median(p[1] for p in pairs)
        lines.append(f"| {label} | `{ours}` / `{against}` | - | {wall:.2f}x | {cpu:.2f}x | - |")
    notes = ROOT / "bench" / "NOTES.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks.md"))
    args = parser.parse_args()
    results = run(args.runs)
    output = Path(args.output)
    previous = output.read_text(encoding="utf-8") if output.exists() else ""
    output.write_text(render(results, args.runs), encoding="utf-8")
    if audit_bench.START in previous:  # keep the audit section (bench.audit writes it)
        start, end = previous.index(audit_bench.START), previous.index(audit_bench.END)
        audit_bench.write_section(output, previous[start : end + len(audit_bench.END)] + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
