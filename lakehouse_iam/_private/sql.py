"""SQL string literals in the ready-to-paste outputs (RisingWave, Snowflake, Databricks)."""

from __future__ import annotations

import aws_cdk as cdk

from ..validation import is_token


def sql_escaped(text: str) -> str:
    """``text`` for a SQL string literal: each ``'`` doubled. A prefix is the only value
    that can hold one (bucket names, Regions and ARNs cannot); a template parameter's
    value (a token) is escaped by CloudFormation itself (``Fn::Join`` over ``Fn::Split``)."""
    if is_token(text):
        return cdk.Fn.join("''", cdk.Fn.split("'", text))
    return text.replace("'", "''")
