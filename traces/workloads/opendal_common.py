"""An OpenDAL S3 operator configured the way RisingWave's S3 connectors configure it.

RisingWave (risingwavelabs/risingwave@448c6570b1b9d636736708340f61a85900c2b7d7) builds the
operator in ``src/connector/src/source/filesystem/opendal_source/s3_source.rs#L36-L73``
(source) and ``src/connector/src/sink/file_sink/s3.rs#L90-L122`` (sink): ``bucket``,
``region``, ``endpoint`` (``s3.endpoint_url``), the access key pair, ``disable_config_load``
unless ``enable_config_load`` is set, no ``root``; then a logging and a retry layer.
RisingWave pins ``opendal = "0.55"`` (Cargo.toml); the Python binding embeds a newer core,
so request shapes are those of the installed binding.
"""

from __future__ import annotations

from typing import Any

from .base import ACCESS_KEY, REGION, SECRET_KEY, Context, version

RISINGWAVE = "risingwavelabs/risingwave@448c6570b1b9d636736708340f61a85900c2b7d7"


def client() -> str:
    return f"opendal (Python) {version('opendal')}"


def operator(ctx: Context) -> Any:
    import opendal
    from opendal.layers import RetryLayer

    op = opendal.Operator(
        "s3",
        bucket=ctx.bucket,
        region=REGION,
        endpoint=ctx.endpoint,
        access_key_id=ACCESS_KEY,
        secret_access_key=SECRET_KEY,
        disable_config_load="true",
    )
    return op.layer(RetryLayer())
