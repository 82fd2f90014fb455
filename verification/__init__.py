"""Independent verification of the synthesized IAM: tools nobody on this project wrote.

Test tooling only; it is not part of the shipped ``lakehouse_iam`` package.

1. :mod:`verification.policy_lint` - parliament over every identity, trust and resource
   policy.
2. :mod:`verification.escalation` - cloudsplaining over every principal's identity
   policies (privilege escalation, data exfiltration, resource exposure, credentials).
3. :mod:`verification.template_lint` - cfn-lint over every template.
4. :mod:`verification.probes` - allow/deny probe tables (``verification/probes/*.yaml``)
   evaluated by ``@cloud-copilot/iam-simulate`` against the synthesized policies.

Templates carry CloudFormation intrinsics; :mod:`verification.resolver` substitutes
deterministic placeholder values so every tool sees plain policy JSON.
``python -m verification cdk.out`` runs all four checks (``make verify``).
"""
