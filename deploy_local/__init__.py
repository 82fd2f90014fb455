"""Deploy the synthesized example stacks to a local moto endpoint and verify their IAM.

Not part of the shipped ``lakehouse_iam`` package: this is project tooling behind
``make deploy-local`` and ``tests/deploy/``. It proves a template deploys (references,
``GetAtt`` attributes, ordering, policy JSON) and that what IAM returns after the deploy
is exactly what was synthesized. It does not prove what IAM *allows*: moto does not
evaluate policies.

It deploys this project's example stacks only; another app's ``cdk.out`` is refused with
what would break (:mod:`deploy_local.scope`): one bootstrapped environment, top-level
stacks only, and no ``Fn::GetStackOutput`` (moto cannot resolve weak references).
"""

from .findings import Finding, Kind
from .moto_server import MotoServer

__all__ = ["Finding", "Kind", "MotoServer"]
