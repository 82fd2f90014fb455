"""The command line's subcommands, one module each (``lakehouse-iam <command>``).

A module here imports nothing of aws-cdk-lib at module level, so ``lakehouse-iam report``
and every ``--help`` start without jsii.
"""
