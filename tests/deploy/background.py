"""Deploy one example stack per vendor to moto in a background thread.

moto runs in its own process and boto3 waits on it, so while the rest of the suite
keeps the jsii/Node process busy on one core, the deployments use the other. The
deploy tests (ordered last by tests/conftest.py) only wait for and judge the results.
"""

from __future__ import annotations

import threading
from typing import Any

from deploy_local import MotoServer
from deploy_local.assembly import cannot_deploy, one_per_vendor
from deploy_local.findings import Finding
from deploy_local.run import deploy_verify_destroy_api


def smallest_deployable(names: list[str], templates: dict[str, dict[str, Any]]) -> str | None:
    """The smallest of ``names`` moto can deploy from its template alone (None if none)."""
    candidates = [n for n in names if not cannot_deploy(templates[n], via_api=True)]
    if not candidates:
        return None
    return min(candidates, key=lambda n: (len(templates[n]["Resources"]), n))


class BackgroundDeploys:
    """Starts moto and deploys, verifies and destroys one stack per vendor, in order.

    :meth:`result` waits for one vendor's findings; :meth:`idle_server` waits for all of
    them (so a test that inspects moto's whole IAM state sees only its own stacks).
    """

    def __init__(self, templates: dict[str, dict[str, Any]]) -> None:
        self.templates = templates
        self.vendors = one_per_vendor(sorted(templates))
        self.chosen = {v: smallest_deployable(ns, templates) for v, ns in self.vendors.items()}
        self.server = MotoServer()
        self._results: dict[str, list[Finding] | BaseException] = {}
        self._done = {vendor: threading.Event() for vendor in self.vendors}
        self._thread = threading.Thread(target=self._run, name="deploy-local", daemon=True)

    def start(self) -> BackgroundDeploys:
        self.server.start()
        self._thread.start()
        return self

    def _run(self) -> None:
        try:
            self.server.warm_up().join()
        except BaseException as error:  # reported by every vendor's test
            for vendor in self.vendors:
                self._results[vendor] = error
                self._done[vendor].set()
            return
        for vendor, name in sorted(self.chosen.items()):
            try:
                if name is not None:
                    self._results[vendor] = deploy_verify_destroy_api(
                        self.server, name, self.templates[name]
                    )
            except BaseException as error:
                self._results[vendor] = error
            finally:
                self._done[vendor].set()

    def result(self, vendor: str, timeout: float = 600) -> list[Finding]:
        """Findings of ``vendor``'s stack; re-raises what the deployment raised."""
        if not self._done[vendor].wait(timeout):
            raise TimeoutError(f"deploying {self.chosen[vendor]} took over {timeout} s")
        outcome = self._results[vendor]
        if isinstance(outcome, BaseException):
            raise outcome
        return outcome

    def idle_server(self, timeout: float = 600) -> MotoServer:
        """The moto server, once every background deployment has finished."""
        self._thread.join(timeout)
        return self.server

    def stop(self) -> None:
        self._thread.join(60)
        self.server.stop()
