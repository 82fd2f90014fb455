"""The fixed values that stand in for deploy-time facts when templates are resolved."""

from __future__ import annotations

PARTITION = "aws"
REGION = "us-east-1"
ACCOUNT = "111111111111"
"""The account every example stack is pretended to be deployed in."""
URL_SUFFIX = "amazonaws.com"
OTHER_ACCOUNT = "999999999999"
"""An account that must never get access; probe tables use it for "another account"."""
