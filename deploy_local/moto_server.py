"""A moto server on a free loopback port, always stopped when the block ends."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path
from types import TracebackType
from typing import Any

DUMMY_ACCOUNT = "123456789012"  # moto's default account for any dummy credentials
REGION = "us-east-1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class MotoServer:
    """``moto_server`` bound to 127.0.0.1 on a free port.

    Clients must use :attr:`endpoint` (``http://localhost:PORT``), not the IP: with
    ``127.0.0.1`` in the URL, moto's S3 takes the template URL's host for a bucket name
    and ``cdk deploy`` fails with ``NoSuchBucket``.
    """

    def __init__(self, *, log_path: Path | None = None, start_timeout: float = 30.0) -> None:
        self.port = free_port()
        self.endpoint = f"http://localhost:{self.port}"
        self.log_path = log_path
        self.start_timeout = start_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log = None
        self._clients: dict[str, object] = {}

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """Environment for the CDK CLI and boto3: dummy credentials, endpoint and region."""
        env = dict(os.environ if base is None else base)
        for key in ("AWS_PROFILE", "AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN"):
            env.pop(key, None)
        env.update(
            AWS_ACCESS_KEY_ID="testing",
            AWS_SECRET_ACCESS_KEY="testing",
            AWS_DEFAULT_REGION=REGION,
            AWS_REGION=REGION,
            AWS_ENDPOINT_URL=self.endpoint,
            AWS_EC2_METADATA_DISABLED="true",
            CDK_DISABLE_VERSION_CHECK="1",
        )
        return env

    def client(self, service: str) -> Any:
        """A boto3 client for ``service`` against this server (cached: creating one is slow)."""
        if service not in self._clients:
            import boto3
            from botocore.config import Config

            self._clients[service] = boto3.session.Session().client(
                service,
                endpoint_url=self.endpoint,
                region_name=REGION,
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
                config=Config(retries={"max_attempts": 2, "mode": "standard"}),
            )
        return self._clients[service]

    def command(self) -> list[str]:
        """The server's command line; a subclass may run moto behind another front end."""
        exe = shutil.which("moto_server", path=str(Path(sys.executable).parent)) or shutil.which(
            "moto_server"
        )
        if exe is None:
            raise RuntimeError("moto_server not found: install the dev extra (moto[server])")
        return [exe, "-H", "127.0.0.1", "-p", str(self.port)]

    def start(self) -> MotoServer:
        command = self.command()
        out = subprocess.DEVNULL
        if self.log_path is not None:
            self.log_path.parent.mkdir(parents=True, exist_ok=True)
            self._log = self.log_path.open("wb")
            out = self._log
        self._process = subprocess.Popen(
            command,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=self.env(),
        )
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                self.stop()
                raise RuntimeError(f"moto_server exited early (see {self.log_path})")
            try:
                with urllib.request.urlopen(f"{self.endpoint}/moto-api/", timeout=1):
                    return self
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto_server did not answer on {self.endpoint} in time")

    def warm_up(self) -> threading.Thread:
        """Start moto's backends in the background (the first IAM call loads every AWS
        managed policy, seconds on a busy machine); join the thread before relying on it."""

        def touch() -> None:
            self.client("iam").list_roles(MaxItems=1)
            self.client("cloudformation").describe_stacks()
            self.client("ssm").describe_parameters(MaxResults=1)
            self.client("s3").list_buckets()
            self.client("kms").list_keys(Limit=1)

        thread = threading.Thread(target=touch, name="moto-warm-up", daemon=True)
        thread.start()
        return thread

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()
