"""``python -m docsgen [--output docs/permissions.md] [--check]`` (``make docs``).

Regenerate the permission matrix from the example stacks and the vendor registry; with
``--check``, only tell whether the committed file is current (exit 1 when stale).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from .permissions_doc import REGENERATE, generate_permissions_doc

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docsgen", description=__doc__)
    parser.add_argument("--output", default=str(ROOT / "docs" / "permissions.md"))
    parser.add_argument("--cdk-json", default=str(ROOT / "cdk.json"))
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    output = Path(args.output)
    content = generate_permissions_doc(cdk_json=args.cdk_json, docs_dir=output.parent)
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


if __name__ == "__main__":
    sys.exit(main())
