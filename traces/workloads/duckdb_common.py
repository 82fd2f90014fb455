"""A DuckDB connection with the PyPI httpfs/ducklake extensions, pointed at the server."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from .base import ACCESS_KEY, REGION, SECRET_KEY, Context, version

EXTENSIONS = ("httpfs", "ducklake")


def extension_dir() -> Path:
    """``duckdb_ext/extensions/v<duckdb>/<platform>/`` of the installed duckdb-ext-* wheels."""
    import duckdb
    import duckdb_ext  # type: ignore[import-untyped]

    # duckdb_ext is a namespace package (no __file__): the wheels only add data files.
    base = Path(next(iter(duckdb_ext.__path__))) / "extensions" / f"v{duckdb.__version__}"
    found = sorted(p for p in base.iterdir() if (p / "httpfs.duckdb_extension").exists())
    if not found:
        raise RuntimeError(f"no httpfs extension under {base}: install the dev extra")
    return found[0]


def client() -> str:
    return (
        f"duckdb {version('duckdb')}, httpfs {version('duckdb-ext-httpfs')}, "
        f"ducklake {version('duckdb-ext-ducklake')}"
    )


def connect(ctx: Context, *, extensions: tuple[str, ...] = EXTENSIONS) -> Any:
    """A connection that loads only the wheel's extension files (nothing is downloaded)."""
    import duckdb

    con = duckdb.connect(
        config={"autoinstall_known_extensions": "false", "autoload_known_extensions": "false"}
    )
    # One thread: the same requests in the same order on every run (reads of several
    # files otherwise race); parallel multipart parts are sorted by the normalizer.
    con.execute("SET threads = 1")
    for name in extensions:
        con.execute(f"LOAD '{extension_dir() / f'{name}.duckdb_extension'}'")
    con.execute(
        f"""CREATE SECRET trace (TYPE s3, KEY_ID '{ACCESS_KEY}', SECRET '{SECRET_KEY}',
        REGION '{REGION}', ENDPOINT '{ctx.host_port}', URL_STYLE 'path', USE_SSL false)"""
    )
    return con
