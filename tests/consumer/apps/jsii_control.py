"""aws-cdk-lib alone, no lakehouse-iam: each line assigns a class to its own interface.

pyright (strict or not) reports some of these because the jsii-generated class renames a
positional parameter of its interface's method (aws/jsii#4541, open). The consumer test
sets aside exactly the class/interface pairs this file shows failing; the same pair in
the documented examples or the consumer app is that upstream bug, any other error is ours.
"""

from __future__ import annotations

import aws_cdk as cdk
from aws_cdk import aws_ecr as ecr
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_logs as logs
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_secretsmanager as secretsmanager

stack = cdk.Stack(cdk.App(), "Control")
key: kms.IKey = kms.Key(stack, "Key")
bucket: s3.IBucket = s3.Bucket(stack, "Bucket")
secret: secretsmanager.ISecret = secretsmanager.Secret(stack, "Secret")
log_group: logs.ILogGroup = logs.LogGroup(stack, "Logs")
repository: ecr.IRepository = ecr.Repository(stack, "Repository")
principal: iam.IPrincipal = iam.ServicePrincipal("ec2.amazonaws.com")
role: iam.IRole = iam.Role(stack, "Role", assumed_by=principal)
roles: list[iam.IRole] = [iam.Role(stack, "Role2", assumed_by=principal)]
