"""Where a case's time goes: ``python -m bench.profile CASE`` prints one JSON line.

Phases, measured in-process: importing aws-cdk-lib (which starts the jsii runtime, a
Node.js process), importing this library, building the constructs, and ``app.synth()``;
the same synth again with aws-cdk-lib's built-in CloudFormation validation switched off
(``CDK_VALIDATION=false``, a second process) isolates that validation. It also counts
the round trips to the jsii runtime while building and while synthesizing, by kind.
"""

from __future__ import annotations

import collections
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def _profile(case: str) -> dict[str, Any]:
    start = time.perf_counter()
    import aws_cdk as cdk
    import jsii._kernel.providers.process as process

    imported_cdk = time.perf_counter()
    calls: collections.Counter[str] = collections.Counter()
    send = process._NodeProcess.send

    def counting(self: Any, request: Any, *args: Any, **kwargs: Any) -> Any:
        calls[type(request).__name__.removesuffix("Request").lstrip("_")] += 1
        return send(self, request, *args, **kwargs)

    process._NodeProcess.send = counting  # type: ignore[method-assign]
    from bench import apps

    if case not in ("floor", "baseline", "baseline-nag", "one-resource"):
        import lakehouse_iam.api  # noqa: F401 - what the case's first import costs

    imported_lib = time.perf_counter()
    synth = cdk.App.synth
    phases: dict[str, float] = {}
    build_calls: dict[str, int] = {}

    def timed_synth(self: Any, *args: Any, **kwargs: Any) -> Any:
        phases["build"] = time.perf_counter() - imported_lib
        build_calls.update(calls)
        calls.clear()
        begin = time.perf_counter()
        try:
            return synth(self, *args, **kwargs)
        finally:
            phases["synth"] = time.perf_counter() - begin

    cdk.App.synth = timed_synth  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as outdir:
        apps.main(["bench.apps", case, outdir])
    return {
        "case": case,
        "import_cdk": imported_cdk - start,
        "import_library": imported_lib - imported_cdk,
        **phases,
        "build_calls": dict(build_calls),
        "synth_calls": dict(calls),
    }


def profile(case: str) -> dict[str, Any]:
    """Profile ``case`` in fresh processes (with and without the built-in validation)."""
    result: dict[str, Any] = {}
    for validation in (True, False):
        env = dict(os.environ)
        if not validation:
            env["CDK_VALIDATION"] = "false"
        out = (
            subprocess.run(
                [sys.executable, "-m", "bench.profile", case],
                cwd=ROOT,
                env=env,
                capture_output=True,
                text=True,
                check=True,
            )
            .stdout.strip()
            .splitlines()[-1]
        )
        data = json.loads(out)
        if validation:
            result = data
        else:
            result["synth_without_validation"] = data["synth"]
    return result


if __name__ == "__main__":
    print(json.dumps(_profile(sys.argv[1])))
