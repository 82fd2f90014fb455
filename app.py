#!/usr/bin/env python3
"""CDK entry point: every example stack, checked by four cdk-nag packs.

Inputs come from context (placeholders in cdk.json); override with ``-c key=value``.
"""

import aws_cdk as cdk

from lakehouse_iam.nag import add_compliance_checks
from lakehouse_iam.stacks import build_example_stacks

app = cdk.App()
build_example_stacks(app)
add_compliance_checks(app)
app.synth()
