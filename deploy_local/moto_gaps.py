"""What moto's CloudFormation emulation does not do, so the comparison can say so.

Checked against moto 5.2.5 (pinned in the dev extra), ``moto/iam/models.py`` and
``moto/cloudformation/parsing.py``. Each gap is reported as a ``GAP`` finding (never
silently passed) and only when IAM really lacks the value: if a later moto implements
the property, the comparison verifies it like any other.
"""

from __future__ import annotations

# (resource type, property) -> what moto does instead.
IGNORED_PROPERTIES: dict[tuple[str, str], str] = {
    ("AWS::IAM::Role", "ManagedPolicyArns"): (
        "moto's Role.create_from_cloudformation_json reads only Policies, never "
        "ManagedPolicyArns, so nothing is attached"
    ),
    ("AWS::IAM::User", "Groups"): "moto's User.create_from_cloudformation_json reads only Path",
    ("AWS::IAM::User", "ManagedPolicyArns"): (
        "moto's User.create_from_cloudformation_json reads only Path"
    ),
    ("AWS::IAM::User", "Policies"): "moto's User.create_from_cloudformation_json reads only Path",
    ("AWS::IAM::User", "PermissionsBoundary"): (
        "moto's User.create_from_cloudformation_json reads only Path"
    ),
}


# Resource types moto 5.2.5 leaves behind on stack deletion (seen on this machine: the
# model has neither a delete() method nor delete_from_cloudformation_json).
MANAGED_POLICY_NOT_DELETED = (
    "moto 5.2.5 never deletes an AWS::IAM::ManagedPolicy with its stack (a policy attached "
    "through its Roles then makes DeleteStack fail with DeleteConflict)"
)
NOT_DELETED: dict[str, str] = {
    "AWS::IAM::ManagedPolicy": MANAGED_POLICY_NOT_DELETED,
    "AWS::ECS::TaskDefinition": (
        "moto 5.2.5 never deregisters an AWS::ECS::TaskDefinition with its stack"
    ),
}


def not_deleted(resource_type: str) -> str | None:
    """Why moto leaves a ``resource_type`` behind on stack deletion, or None."""
    return NOT_DELETED.get(resource_type)


# moto marks resources of types it does not implement CREATE_COMPLETE with an empty
# physical ID (a warning "No Moto CloudFormation support for TYPE" in its log).
UNSUPPORTED_TYPE = (
    "moto has no CloudFormation support for {type}: it marks the resource CREATE_COMPLETE "
    "with an empty physical ID and creates nothing"
)

# A custom resource waits for its Lambda handler's callback; moto runs Lambda only in
# Docker (and 5.2.5 fails with "'LambdaFunction' object has no attribute
# 'code_digest'"), so the stack stays CREATE_IN_PROGRESS.
CUSTOM_RESOURCE = (
    "custom resource {id} ({type}) needs its Lambda handler to answer; moto runs Lambda "
    "only in Docker, so the stack would stay CREATE_IN_PROGRESS"
)


# Fn::GetAtt values moto computes differently from CloudFormation: (type, attribute) ->
# note. The comparison resolves as CloudFormation documents it; when a document differs
# only because of these, it is reported as a GAP, not a MISMATCH.
GETATT_DIFFERENCES: dict[tuple[str, str], str] = {
    ("AWS::Logs::LogGroup", "Arn"): (
        "moto 5.2.5 returns AWS::Logs::LogGroup.Arn without the ':*' suffix CloudFormation "
        "returns (arn:aws:logs:REGION:ACCOUNT:log-group:NAME:*)"
    ),
}

# moto 5.2.5 answers CreateStack with HTTP 500 when an Output references (Fn::GetAtt) a
# resource type it does not implement: validate_outputs raises "AttributeError:
# 'NoneType' object has no attribute 'has_cfn_attr'".
OUTPUTS_CRASH = (
    "moto 5.2.5 fails CreateStack with HTTP 500 when an Output uses Fn::GetAtt on a type it "
    "does not implement (AttributeError in validate_outputs); deployed without Outputs "
    "(they are not part of the IAM comparison)"
)


def supported_types() -> set[str]:
    """Resource types moto's CloudFormation implements (imports every moto backend: slow)."""
    from moto.cloudformation.parsing import get_model_map

    return set(get_model_map())
