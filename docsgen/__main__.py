"""``python -m docsgen [--output docs/permissions.md] [--check]`` (``make docs``).

Regenerate the permission matrix from the example stacks and the vendor registry, and the
generated blocks of each vendor guide (``docs/<vendor>.md``); with ``--check``, only tell
whether the committed files are current (exit 1 when one is stale).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from lakehouse_iam.vendors import VENDORS

from .guides import GuideError, render_guide
from .permissions_doc import REGENERATE, generate_permissions_doc

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m docsgen", description=__doc__)
    parser.add_argument("--output", default=str(ROOT / "docs" / "permissions.md"))
    parser.add_argument("--cdk-json", default=str(ROOT / "cdk.json"))
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if stale")
    args = parser.parse_args(argv)
    output = Path(args.output)
    wanted = {output: generate_permissions_doc(cdk_json=args.cdk_json, docs_dir=output.parent)}
    try:
        for vendor in VENDORS:
            guide = output.parent / vendor.guide
            if guide.is_file():
                wanted[guide] = render_guide(guide.read_text(encoding="utf-8"), vendor)
    except GuideError as error:
        print(error, file=sys.stderr)
        return 1
    stale = [
        path
        for path, content in wanted.items()
        if not path.is_file() or path.read_text(encoding="utf-8") != content
    ]
    if args.check:
        for path in stale:
            print(f"{path} is stale: regenerate it with `{REGENERATE}`", file=sys.stderr)
        if not stale:
            print(f"{', '.join(str(p) for p in wanted)} are current")
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(wanted[path], encoding="utf-8")
        print(f"wrote {path}")
    if not stale:
        print("docs are already current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
