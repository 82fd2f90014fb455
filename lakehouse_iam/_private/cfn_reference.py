"""Flatten resolved CloudFormation values the way cdk-nag names its findings (pure Python)."""

from __future__ import annotations

import json


def flatten_cfn_reference(value: object) -> str:
    """Flatten a resolved CloudFormation value the way cdk-nag names findings.

    ``{"Fn::GetAtt": ["Bucket1", "Arn"]}`` -> ``<Bucket1.Arn>``, ``{"Ref": "AWS::Partition"}``
    -> ``<AWS::Partition>``, ``Fn::Join`` concatenated (a port of cdk-nag's
    ``flattenCfnReference``, so the IDs match what the packs report).
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return value.replace("${", "<").replace("}", ">")
    if isinstance(value, dict):
        if "Fn::Join" in value:
            delimiter, items = value["Fn::Join"]
            return str(delimiter).join(flatten_cfn_reference(i) for i in items)
        if "Fn::Sub" in value:
            return flatten_cfn_reference(value["Fn::Sub"])
        if "Fn::GetAtt" in value:
            resource, attribute = value["Fn::GetAtt"]
            return f"<{flatten_cfn_reference(resource)}.{flatten_cfn_reference(attribute)}>"
        if "Fn::ImportValue" in value:
            return flatten_cfn_reference(value["Fn::ImportValue"])
        if "Ref" in value:
            return f"<{flatten_cfn_reference(value['Ref'])}>"
    # JSON.stringify: no spaces, non-ASCII kept as is (e.g. an Fn::GetStackOutput).
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)
