"""Use lakehouse-iam as a user's app does: from its built wheel, in a venv of its own.

One pipeline, run beside the rest of the suite (tests/conftest.py ``background_work``):

1. build the sdist and wheel from this tree (``python -m build --no-isolation``: the wheel
   is built from the sdist, so a file missing from the sdist breaks it);
2. install the wheel into a fresh venv with the dependency versions of the dev venv, and
   synthesize ``apps/consumer_app.py`` there (four packs; a multi-stack app);
3. install it into a venv with exactly the lowest declared versions (``pyproject.toml``
   floors) and synthesize the same app;
4. type-check the documentation's python blocks (README.md, CONTRIBUTING.md, docs/*.md)
   and the consumer app with ``mypy --strict`` and pyright (strict) against the installed
   wheel, plus one file with a known error that both checkers must report (so a checker
   that checks nothing fails the test).

Everything is cached under ``.cache/consumer/`` (gitignored): the dists by a hash of the
files they are built from, each venv by a hash of its requirements and the Python
version, the installed wheel by its hash, mypy's cache incrementally. Nothing is
downloaded once the venvs exist; creating them installs from PyPI (the only network the
suite uses, and only on the first run or when the dependencies change).
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import json
import os
import re
import shutil
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10: the dev extra installs tomli
    import tomli as tomllib  # type: ignore[no-redef]

from tests.doc_examples import complete_examples

ROOT = Path(__file__).resolve().parents[2]
CACHE = ROOT / ".cache" / "consumer"
APP = Path(__file__).resolve().parent / "apps" / "consumer_app.py"
BAD_EXAMPLE = Path(__file__).resolve().parent / "apps" / "bad_example.py"
JSII_CONTROL = Path(__file__).resolve().parent / "apps" / "jsii_control.py"
_PROTOCOL_PAIR = re.compile(r'"(\w+)" is incompatible with protocol "(\w+)"')
BIN = Path(sys.executable).parent
DIST_INPUTS = ("pyproject.toml", "README.md", "LICENSE", "MANIFEST.in", "CHANGELOG.md")


@dataclass
class Step:
    """One command of the pipeline: how long it took and what it printed."""

    name: str
    seconds: float
    returncode: int
    output: str

    @property
    def ok(self) -> bool:
        return self.returncode == 0


@dataclass
class Results:
    """Everything the consumer tests judge."""

    steps: list[Step] = field(default_factory=list)
    dists: Path | None = None
    outdirs: dict[str, Path] = field(default_factory=dict)
    """``latest`` / ``lowest`` -> the synthesized cloud assembly."""
    installed: dict[str, str] = field(default_factory=dict)
    """venv kind -> where ``import lakehouse_iam`` loads from in that venv."""
    mypy: list[str] = field(default_factory=list)
    pyright: list[dict[str, object]] = field(default_factory=list)
    pyright_upstream: list[dict[str, object]] = field(default_factory=list)
    """pyright errors that are aws/jsii#4541 (see :func:`is_upstream`)."""
    pyright_control: list[dict[str, object]] = field(default_factory=list)
    """pyright errors of ``apps/jsii_control.py`` (aws-cdk-lib alone)."""
    typed_files: list[Path] = field(default_factory=list)
    error: str | None = None

    def step(self, name: str) -> Step:
        (found,) = [s for s in self.steps if s.name == name]
        return found

    def timings(self) -> dict[str, float]:
        return {s.name: round(s.seconds, 1) for s in self.steps}


def _digest(*parts: bytes | str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode() if isinstance(part, str) else part)
        h.update(b"\0")
    return h.hexdigest()[:16]


def _run(results: Results, name: str, argv: Sequence[str | Path], **kwargs: object) -> Step:
    started = time.monotonic()
    done = subprocess.run(
        [str(a) for a in argv],
        capture_output=True,
        text=True,
        **kwargs,  # type: ignore[call-overload]
    )
    step = Step(name, time.monotonic() - started, done.returncode, done.stdout + done.stderr)
    results.steps.append(step)
    if not step.ok:
        raise RuntimeError(f"{name} failed ({done.returncode}):\n{step.output[-4000:]}")
    return step


def dist_sources() -> list[Path]:
    """The files the sdist and wheel are built from."""
    return sorted(
        [
            p
            for p in (ROOT / "lakehouse_iam").rglob("*")
            if p.is_file() and "__pycache__" not in p.parts
        ]
        + [ROOT / name for name in DIST_INPUTS]
    )


def build_dists(results: Results) -> Path:
    """``dist-<hash>/`` with the sdist and the wheel built from it (cached by content)."""
    key = _digest(*(f"{p.relative_to(ROOT)}:{p.read_bytes().hex()}" for p in dist_sources()))
    target = CACHE / f"dist-{key}"
    if not list(target.glob("*.whl")):
        work = CACHE / f"building-{os.getpid()}"
        shutil.rmtree(work, ignore_errors=True)
        _run(
            results,
            "build",
            [sys.executable, "-m", "build", "--no-isolation", "--outdir", work, "."],
            cwd=ROOT,
        )
        for stale in CACHE.glob("dist-*"):
            shutil.rmtree(stale, ignore_errors=True)
        work.rename(target)
    results.dists = target
    return target


def dependencies() -> list[str]:
    """``[project] dependencies`` of pyproject.toml."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return list(project["dependencies"])


def floors() -> list[str]:
    """Each dependency pinned to its lowest declared version (``aws-cdk-lib==2.269``)."""
    pinned = []
    for spec in dependencies():
        match = re.match(r"^([A-Za-z0-9_.-]+)\s*(?:\[[^\]]*\])?.*?>=\s*([0-9][^,;\s]*)", spec)
        if not match:
            raise ValueError(f"dependency {spec!r} declares no lower bound (>=)")
        pinned.append(f"{match.group(1)}=={match.group(2)}")
    return pinned


def dev_versions() -> list[str]:
    """The dependencies at the versions of this (dev) venv: what the suite itself runs."""
    names = [re.match(r"^[A-Za-z0-9_.-]+", spec).group(0) for spec in dependencies()]  # type: ignore[union-attr]
    return [f"{name}=={importlib.metadata.version(name)}" for name in names]


def venv(results: Results, kind: str, requirements: list[str]) -> Path:
    """A venv with ``requirements`` installed, cached by them and the Python version."""
    key = _digest(kind, sys.version, *requirements)
    target = CACHE / f"venv-{kind}-{key}"
    if not (target / ".ready").is_file():
        for stale in CACHE.glob(f"venv-{kind}-*"):
            shutil.rmtree(stale, ignore_errors=True)
        _run(results, f"venv {kind}", [sys.executable, "-m", "venv", target])
        _run(
            results,
            f"install {kind} dependencies",
            [
                target / "bin" / "python",
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
                *requirements,
            ],
        )
        (target / ".ready").write_text("\n".join(requirements) + "\n")
    return target


def install_wheel(results: Results, env: Path, wheel: Path, kind: str) -> None:
    """Install ``wheel`` (no dependencies: the venv has them) unless it already is."""
    stamp = env / ".wheel"
    digest = _digest(wheel.read_bytes())
    if stamp.is_file() and stamp.read_text() == digest:
        return
    _run(
        results,
        f"install {kind} wheel",
        [
            env / "bin" / "python",
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            "--no-deps",
            "--force-reinstall",
            wheel,
        ],
    )
    stamp.write_text(digest)


def clean_env(env: Path) -> dict[str, str]:
    """The environment of a user's shell with ``env`` activated: this checkout is not on
    ``sys.path``; Node.js comes from the dev venv (jsii needs it, as a user's machine has)."""
    environ = {
        k: v for k, v in os.environ.items() if not k.startswith(("PYTHON", "PYTEST", "VIRTUAL_ENV"))
    }
    environ["PATH"] = os.pathsep.join([str(env / "bin"), str(BIN), environ.get("PATH", "")])
    environ["VIRTUAL_ENV"] = str(env)
    environ["JSII_SILENCE_WARNING_UNTESTED_NODE_VERSION"] = "1"
    environ["JSII_SILENCE_WARNING_DEPRECATED_NODE_VERSION"] = "1"
    return environ


def synthesize(results: Results, env: Path, kind: str) -> Path:
    """Run the consumer app in ``env`` from an empty directory; return its cdk.out."""
    work = CACHE / f"run-{kind}"
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    outdir = work / "cdk.out"
    environ = clean_env(env) | {"CDK_OUTDIR": str(outdir)}
    probe = _run(
        results,
        f"import {kind}",
        [env / "bin" / "python", "-c", "import lakehouse_iam; print(lakehouse_iam.__file__)"],
        cwd=work,
        env=environ,
    )
    results.installed[kind] = probe.output.strip().splitlines()[-1]
    _run(results, f"synth {kind}", [env / "bin" / "python", APP], cwd=work, env=environ)
    results.outdirs[kind] = outdir
    return outdir


def typing_files() -> list[Path]:
    """Every complete python block of the documentation (README.md, CONTRIBUTING.md,
    docs/*.md) and the consumer app, as files to type-check in one run of each checker."""
    folder = CACHE / "typing"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    files = []
    for example in complete_examples():
        path = folder / f"{example.module}.py"
        path.write_text(example.code, encoding="utf-8")
        files.append(path)
    for source in (APP, BAD_EXAMPLE, JSII_CONTROL):
        shutil.copy(source, folder / source.name)
        files.append(folder / source.name)
    return files


def typecheck(results: Results, env: Path) -> None:
    """mypy --strict and pyright (strict) on :func:`typing_files`, against ``env``."""
    files = typing_files()
    results.typed_files = files
    folder = files[0].parent
    started = time.monotonic()
    mypy = subprocess.run(
        [
            BIN / "mypy",
            "--strict",
            "--python-executable",
            env / "bin" / "python",
            "--cache-dir",
            CACHE / "mypy-cache",
            "--no-color-output",
            "--no-error-summary",
            *(f.name for f in files),
        ],
        capture_output=True,
        text=True,
        cwd=folder,
        env=clean_env(env),
    )
    results.steps.append(
        Step("mypy", time.monotonic() - started, mypy.returncode, mypy.stdout + mypy.stderr)
    )
    results.mypy = [line for line in mypy.stdout.splitlines() if ": error:" in line]
    config = {
        "include": [f.name for f in files],
        "typeCheckingMode": "strict",
        "pythonVersion": f"{sys.version_info.major}.{sys.version_info.minor}",
        "venvPath": str(env.parent),
        "venv": env.name,
    }
    (folder / "pyrightconfig.json").write_text(json.dumps(config))
    started = time.monotonic()
    pyright = subprocess.run(
        [
            ROOT / "node_modules" / ".bin" / "pyright",
            "--outputjson",
            "-p",
            folder / "pyrightconfig.json",
        ],
        capture_output=True,
        text=True,
        cwd=folder,
        env=clean_env(env),
    )
    results.steps.append(
        Step("pyright", time.monotonic() - started, pyright.returncode, pyright.stderr)
    )
    report = json.loads(pyright.stdout)
    errors = [d for d in report["generalDiagnostics"] if d["severity"] == "error"]
    control = [d for d in errors if str(d["file"]).endswith(JSII_CONTROL.name)]
    upstream = {pair for d in control for pair in protocol_pairs(d)}
    results.pyright_control = control
    results.pyright_upstream = [d for d in errors if d not in control and is_upstream(d, upstream)]
    results.pyright = [d for d in errors if d not in control and not is_upstream(d, upstream)]


def protocol_pairs(diagnostic: dict[str, object]) -> set[tuple[str, str]]:
    """(class, protocol) pairs a pyright message says do not match."""
    return set(_PROTOCOL_PAIR.findall(str(diagnostic.get("message", ""))))


def is_upstream(diagnostic: dict[str, object], upstream: set[tuple[str, str]]) -> bool:
    """An argument/assignment error whose every class/protocol mismatch is one that
    aws-cdk-lib alone shows in ``apps/jsii_control.py`` (aws/jsii#4541: a class renames a
    positional parameter of its interface's method). Only those are set aside."""
    pairs = protocol_pairs(diagnostic)
    return (
        diagnostic.get("rule") in ("reportArgumentType", "reportAssignmentType")
        and bool(pairs)
        and pairs <= upstream
    )


def prepare() -> Results:
    """Create both venvs and fill mypy's cache for aws-cdk-lib (``make setup``): what
    takes minutes and changes only with the dependencies, so ``make test`` does not."""
    results = Results()
    CACHE.mkdir(parents=True, exist_ok=True)
    latest = venv(results, "latest", dev_versions())
    venv(results, "lowest", floors())
    prime = CACHE / "typing-prime"
    prime.mkdir(exist_ok=True)
    (prime / "prime.py").write_text(
        "import aws_cdk, cdk_nag, constructs\n"
        "from aws_cdk import aws_ecr, aws_eks, aws_iam, aws_kms, aws_logs, aws_s3\n"
        "from aws_cdk import aws_secretsmanager\n"
    )
    started = time.monotonic()
    subprocess.run(
        [
            BIN / "mypy",
            "--strict",
            "--python-executable",
            latest / "bin" / "python",
            "--cache-dir",
            CACHE / "mypy-cache",
            "prime.py",
        ],
        capture_output=True,
        text=True,
        cwd=prime,
        env=clean_env(latest),
    )
    results.steps.append(Step("mypy cache", time.monotonic() - started, 0, ""))
    return results


def run() -> Results:
    """The whole pipeline; a failure is recorded in ``error`` (the tests report it)."""
    results = Results()
    CACHE.mkdir(parents=True, exist_ok=True)
    try:
        dists = build_dists(results)
        (wheel,) = dists.glob("*.whl")
        latest = venv(results, "latest", dev_versions())
        install_wheel(results, latest, wheel, "latest")
        synthesize(results, latest, "latest")
        lowest = venv(results, "lowest", floors())
        install_wheel(results, lowest, wheel, "lowest")
        synthesize(results, lowest, "lowest")
        typecheck(results, latest)
    except Exception as error:  # reported by every test that needs the missing part
        results.error = f"{type(error).__name__}: {error}"
    (CACHE / "timings.json").write_text(json.dumps(results.timings(), indent=2))
    return results


if __name__ == "__main__":
    # python -m tests.consumer.pipeline prepare | run
    command = sys.argv[1] if len(sys.argv) > 1 else "run"
    done = prepare() if command == "prepare" else run()
    print(json.dumps(done.timings(), indent=2))
    if done.error:
        print(done.error, file=sys.stderr)
        sys.exit(1)
