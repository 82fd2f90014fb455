"""``python -m verification [CDK_OUT]``: run checks 1-4 on every stack of an assembly.

Exit status 0 when every policy passes parliament and cloudsplaining (or is
allowlisted), every template passes cfn-lint, every probe gets its expected decision,
and every stack has a probe table (or is listed in ``verification/probes/pending.yaml``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .assembly import read_assembly, synthesize_example
from .checks import run_all


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m verification", description=__doc__)
    parser.add_argument("assembly", nargs="?", default="cdk.out", type=Path)
    args = parser.parse_args(argv)
    templates = read_assembly(args.assembly)
    if not templates:
        print(f"no stacks in {args.assembly}; run `make synth` first", file=sys.stderr)
        return 2
    result = run_all(templates, synthesize=synthesize_example)
    print(result.render())
    return 0 if result.ok else 1


if __name__ == "__main__":
    sys.exit(main())
