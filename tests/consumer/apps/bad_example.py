"""A deliberate type error: both checkers must report it (and only it) on the marked line.

If they did not, a checker that silently checks nothing (wrong interpreter, no
site-packages, a typo in the config) would pass the documented examples and the consumer app.
"""

from __future__ import annotations

import aws_cdk as cdk

from lakehouse_iam import S3Location

app = cdk.App()
stack = cdk.Stack(app, "Bad")
location = S3Location(bucket="lake-bucket", prefix=42)  # expected type error: prefix is str
