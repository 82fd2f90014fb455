"""Keep jsii's Node.js version banners out of the command line's output.

jsii's Node runtime prints a boxed banner on every start when the Node version is
untested, deprecated or end-of-life, and jsii's Python side forwards those lines to
stderr as ``bytes`` reprs (``b'!!  Node 20 is end-of-life ...'``). The runtime skips a
banner when ``JSII_SILENCE_WARNING_<KIND>_NODE_VERSION`` is set; the end-of-life one only
when that variable lists the running Node major version (``"20"``). The variables must
be set before the first jsii call starts the runtime.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import MutableMapping

_ANY_VALUE = ("UNTESTED", "DEPRECATED")
END_OF_LIFE = "JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION"


def node_major(node: str) -> str | None:
    """The major version of ``node`` (``"20"``), or ``None`` if it does not run."""
    try:
        out = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=10, check=False
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    major = out.strip().lstrip("v").split(".", 1)[0]
    return major if major.isdigit() else None


def silence_node_banners(environ: MutableMapping[str, str] | None = None) -> None:
    """Set the ``JSII_SILENCE_*`` variables jsii reads (keeping any the user set)."""
    env = os.environ if environ is None else environ
    for kind in _ANY_VALUE:
        env.setdefault(f"JSII_SILENCE_WARNING_{kind}_NODE_VERSION", "1")
    if END_OF_LIFE not in env:
        major = node_major(env.get("JSII_NODE", "node"))
        if major:
            env[END_OF_LIFE] = major
