"""lakehouse-iam: exactly the AWS IAM each lakehouse engine needs, as CDK constructs.

Every public name is imported from here::

    from lakehouse_iam import RisingWaveAccess, DataAccessRole, S3Grant, S3Location

The names are listed once, in :mod:`lakehouse_iam.api`, as explicit re-exports. They load
on first use, so ``import lakehouse_iam.report`` (the report reads JSON only) never
starts aws-cdk-lib's jsii runtime.
"""

from __future__ import annotations

import importlib
import importlib.util
from typing import TYPE_CHECKING, Any

__version__ = "0.2.0"

if TYPE_CHECKING:  # the same names, for type checkers and IDEs
    from .api import *  # noqa: F403


def _api() -> Any:
    # import_module, not "from . import api": the latter asks this module for the
    # attribute "api" first, which would re-enter __getattr__.
    return importlib.import_module(f"{__name__}.api")


def __getattr__(name: str) -> Any:
    # "from lakehouse_iam import quotas" asks for the attribute before it imports the
    # submodule: a submodule name is never looked up in the API (that would be circular).
    if name.startswith("__") or importlib.util.find_spec(f"{__name__}.{name}") is not None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    api = _api()
    try:
        value = getattr(api, name)
    except AttributeError:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}") from None
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | {n for n in vars(_api()) if not n.startswith("_")})
