"""What a workload gets from the recorder, and what it gives back."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any

BUCKET_NAME = "lakehouse-trace-bucket"
"""The bucket every workload uses; fixtures replace it with ``${bucket}``."""
KEY_PREFIX = "lakehouse-trace-prefix"
"""The key prefix every workload uses; fixtures replace it with ``${prefix}``."""
ACCESS_KEY = "testing"
SECRET_KEY = "testing"
REGION = "us-east-1"


@dataclass(frozen=True)
class Step:
    """One client operation; its requests are recorded under ``name``."""

    name: str
    run: Callable[[], object]


@dataclass
class Context:
    """The recording server and scratch space a workload runs against."""

    endpoint: str
    """``http://localhost:PORT`` (not the IP: moto would read it as a bucket name)."""
    workdir: Path
    admin: Callable[[str], Any]
    """boto3 client factory with admin credentials, for ``setup`` only."""
    pause: Callable[[], contextlib.AbstractContextManager[None]]
    """Context manager: requests made inside it are not recorded (admin work mid-run)."""
    bucket: str = BUCKET_NAME
    prefix: str = KEY_PREFIX

    @property
    def host_port(self) -> str:
        return self.endpoint.removeprefix("http://")


def version(distribution: str) -> str:
    """The installed version of ``distribution``."""
    return metadata.version(distribution)
