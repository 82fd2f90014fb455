"""Shared fixtures: every example stack synthesized once per session."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
import hypothesis
import pytest
from aws_cdk import assertions

from lakehouse_iam.nag import add_compliance_checks
from lakehouse_iam.stacks import build_example_stacks
from tests.helpers import cdk_json_context

if TYPE_CHECKING:
    from verification.assembly import SynthesisCache

# Hypothesis profile "ci" (the default): few examples, because every synthesized app costs
# a jsii round trip; no deadline (synth time varies with machine load); derandomized, so
# a failure reproduces on the next run. HYPOTHESIS_PROFILE=<name> selects another profile
# (hypothesis' own "default" runs 100 examples per test).
hypothesis.settings.register_profile(
    "ci",
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[hypothesis.HealthCheck.too_slow],
)
hypothesis.settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


# Slow checks whose work can run beside the rest of the suite, by the test that judges it.
_BACKGROUND_TESTS = {
    "cfn_lint": "tests/verification/test_policy_checks.py::test_cfn_lint_finds_nothing_unexpected",
    "template_staleness": (
        "tests/templates/test_generation.py::test_the_committed_templates_are_not_stale"
    ),
    "template_cfn_lint": (
        "tests/templates/test_template_checks.py::test_cfn_lint_finds_nothing_in_the_templates"
    ),
    "stacksets": (
        "tests/templates/test_stackset_moto.py::test_the_stack_set_deploys_to_three_accounts"
    ),
}
# ... and by the test modules that judge it: the consumer pipeline (wheel, venvs, synth of
# a user's app at the dev and at the lowest declared versions, mypy and pyright).
_BACKGROUND_MODULES = {
    "consumer": ("tests/consumer/test_consumer_app.py", "tests/test_packaging.py"),
}
_BACKGROUND = pytest.StashKey[frozenset]()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the ``deploy`` and consumer tests last, and note which background work the run needs.

    Deployments to moto (another process) and cfn-lint (a worker process) start as soon
    as the example stacks are synthesized and use the second core while the rest of the
    suite keeps the jsii/Node process busy; their tests only wait for and judge results.
    """
    deploy = [item for item in items if item.get_closest_marker("deploy")]
    if deploy:
        items[:] = [item for item in items if not item.get_closest_marker("deploy")] + deploy
    # The consumer tests wait for their pipeline: last, so the rest runs meanwhile.
    consumer = [i for i in items if i.nodeid.startswith(_BACKGROUND_MODULES["consumer"])]
    if consumer:
        items[:] = [i for i in items if i not in consumer] + consumer
    ids = {item.nodeid for item in items}
    work = {name for name, test in _BACKGROUND_TESTS.items() if test in ids}
    work |= {
        name
        for name, modules in _BACKGROUND_MODULES.items()
        if any(i.startswith(modules) for i in ids)
    }
    if deploy:
        work.add("deploy")
    config.stash[_BACKGROUND] = frozenset(work)


@pytest.fixture(scope="session", autouse=True)
def background_work(request: pytest.FixtureRequest):
    """Background work the selected tests need (none for, e.g., a unit-test run)."""
    selected = request.config.stash.get(_BACKGROUND, frozenset())
    if not selected:
        yield {}
        return
    work: dict[str, Any] = {}
    pool = None
    if selected & {"cfn_lint", "template_staleness", "template_cfn_lint"}:
        # "spawn": a forked child would inherit the jsii kernel's pipes and threads. One
        # worker: the main process keeps the other core; the jobs run in this order.
        pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
    if "stacksets" in selected:
        from lakehouse_iam.rollout.example import RolloutExampleStack
        from tests.templates.stackset_background import BackgroundStackSet

        work["stacksets"] = BackgroundStackSet().start()
        # Synthesized here, on the main thread (jsii is not thread-safe), then handed over.
        rollout_app = cdk.App()
        rollout_stack = RolloutExampleStack(rollout_app, "LakehouseIam-Rollout")
        work["stacksets"].submit(assertions.Template.from_stack(rollout_stack).to_json())
    if "template_cfn_lint" in selected:
        from verification.template_checks import cfn_lint_findings_of_templates

        work["template_cfn_lint"] = pool.submit(cfn_lint_findings_of_templates)
    if "template_staleness" in selected:
        from lakehouse_iam.templates.files import check_all
        from tests.helpers import ROOT

        work["template_staleness"] = pool.submit(check_all, ROOT / "templates")
    consumer = None
    if "consumer" in selected:
        from tests.consumer import pipeline

        # A thread is enough: the pipeline only waits for subprocesses (pip, the app's own
        # jsii runtime, mypy, pyright), started first so it overlaps the most.
        consumer = ThreadPoolExecutor(1, thread_name_prefix="consumer")
        work["consumer"] = consumer.submit(pipeline.run)
    if selected & {"cfn_lint", "deploy"}:
        assembly = request.getfixturevalue("example_assembly")
    if "cfn_lint" in selected:
        from verification.checks import cfn_lint_findings_of_assembly

        work["cfn_lint"] = pool.submit(cfn_lint_findings_of_assembly, assembly.directory)
    if "deploy" in selected:
        from tests.deploy.background import BackgroundDeploys

        work["deploy"] = BackgroundDeploys(request.getfixturevalue("example_templates")).start()
    try:
        yield work
    finally:
        if "deploy" in work:
            work["deploy"].stop()
        if "stacksets" in work:
            work["stacksets"].stop()
        if pool is not None:
            pool.shutdown(cancel_futures=True)
        if consumer is not None:
            consumer.shutdown(wait=True)


@pytest.fixture(scope="session")
def consumer_results(background_work: dict[str, Any]):
    """What the consumer pipeline (tests/consumer/pipeline.py) produced, once it is done."""
    if "consumer" not in background_work:
        pytest.skip("no consumer test was selected")
    return background_work["consumer"].result()


@pytest.fixture(scope="session")
def background_deploys(background_work: dict[str, Any]):
    """The per-vendor moto deployments started by ``background_work``."""
    if "deploy" not in background_work:
        pytest.skip("deploy tests were not selected")
    return background_work["deploy"]


@pytest.fixture(scope="session")
def example_app(tmp_path_factory: pytest.TempPathFactory) -> cdk.App:
    """An app with every example stack, built from cdk.json's context (as ``app.py`` does)."""
    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(context=cdk_json_context(), outdir=str(outdir))
    build_example_stacks(app)
    return app


@pytest.fixture(scope="session")
def example_assembly(example_app: cdk.App) -> cdk.cx_api.CloudAssembly:
    """Every example stack with the four cdk-nag packs, synthesized once (fails on findings)."""
    add_compliance_checks(example_app)
    return example_app.synth()


@pytest.fixture(scope="session")
def example_templates(example_assembly: cdk.cx_api.CloudAssembly) -> dict[str, dict[str, Any]]:
    """Synthesized templates of every example stack, by stack name."""
    return {s.stack_name: s.template for s in example_assembly.stacks}


@pytest.fixture(scope="session")
def verified_templates(example_assembly: cdk.cx_api.CloudAssembly) -> dict[str, dict[str, Any]]:
    """Every stack of the session's synthesized assembly, construct paths attached (what
    the verification tooling and the trace replay read)."""
    from verification.assembly import read_assembly

    return read_assembly(example_assembly.directory)


@pytest.fixture(scope="session")
def synthesis_cache() -> SynthesisCache:
    """Variant templates synthesized once per (stack, context) for the whole session:
    probe tables, engine-request rows and the trace replay share them (each 2-4 s)."""
    from verification.assembly import SynthesisCache

    return SynthesisCache()
