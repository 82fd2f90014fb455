"""What an unresolved string token passed as a prop stands for, without guessing.

A prop such as ``bucket`` accepts a name or an ARN. For a literal string the text says
which (an ARN starts with ``arn:``); for a CDK token (``${Token[...]}``) it does not, and
treating an ARN as a name renders ``arn:PARTITION:s3:::<the ARN>/prefix/*``, a policy that
matches nothing. :func:`token_form` tells the form from what the token is known to be:

* a token that references one CloudFormation attribute whose meaning is known (the
  ``Ref`` of an ``AWS::S3::Bucket`` is its name, its ``Arn`` attribute its ARN; see
  :data:`KNOWN_ATTRIBUTES`), also when the resource lives in another stack;
* a string whose literal text before the first token says it (``arn:...``,
  ``https://...``, ``lake-${Token[...]}``);
* otherwise the prop's declared meaning, when it has only one (``kms_key`` is a key ARN).

Anything else (a ``CfnParameter``, ``Fn.import_value``, ``Fn.join``) is ``None``: the
caller raises a ``ValueError`` that says which construct form to pass instead.
Inspecting a token needs no scope and costs a few jsii round trips per token prop.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import aws_cdk as cdk

KNOWN_ATTRIBUTES: Mapping[tuple[str, str], str] = {
    ("AWS::S3::Bucket", "Ref"): "bucket name",
    ("AWS::S3::Bucket", "Arn"): "bucket ARN",
    ("AWS::KMS::Key", "Ref"): "KMS key ID",
    ("AWS::KMS::Key", "KeyId"): "KMS key ID",
    ("AWS::KMS::Key", "Arn"): "KMS key ARN",
    ("AWS::KMS::Alias", "Ref"): "KMS alias name",
    ("AWS::SecretsManager::Secret", "Ref"): "secret ARN",
    ("AWS::SecretsManager::Secret", "Id"): "secret ARN",
    ("AWS::Logs::LogGroup", "Ref"): "log group name",
    ("AWS::Logs::LogGroup", "Arn"): "log group ARN",
    ("AWS::ECR::Repository", "Ref"): "ECR repository name",
    ("AWS::ECR::Repository", "Arn"): "ECR repository ARN",
    ("AWS::ECR::Repository", "RepositoryUri"): "ECR repository URI",
    ("AWS::IAM::Role", "Ref"): "IAM role name",
    ("AWS::IAM::Role", "Arn"): "IAM role ARN",
    ("AWS::IAM::Role", "RoleId"): "IAM role ID",
    ("AWS::IAM::User", "Ref"): "IAM user name",
    ("AWS::IAM::User", "Arn"): "IAM user ARN",
    ("AWS::IAM::ManagedPolicy", "Ref"): "managed policy ARN",
    ("AWS::IAM::ManagedPolicy", "PolicyArn"): "managed policy ARN",
    ("AWS::IAM::OIDCProvider", "Ref"): "OIDC provider ARN",
    ("AWS::IAM::OIDCProvider", "Arn"): "OIDC provider ARN",
    # iam.OpenIdConnectProvider and eks.OpenIdConnectProvider are custom resources.
    ("Custom::AWSCDKOpenIdConnectProvider", "Ref"): "OIDC provider ARN",
    ("AWS::EKS::Cluster", "Ref"): "EKS cluster name",
    ("AWS::EKS::Cluster", "Arn"): "EKS cluster ARN",
    ("AWS::EKS::Cluster", "OpenIdConnectIssuerUrl"): "OIDC issuer URL",
    ("Custom::AWSCDK-EKS-Cluster", "OpenIdConnectIssuerUrl"): "OIDC issuer URL",
}
"""(CloudFormation type, ``Ref`` or attribute) -> what that value is."""

_TOKEN_START = "${Token["


@dataclass(frozen=True)
class TokenProp:
    """How one string prop reads a token.

    :param what: the accepted string forms, for messages (``a bucket name or bucket ARN``).
    :param kinds: known token kinds (values of :data:`KNOWN_ATTRIBUTES`) -> the form each is.
    :param heads: literal prefixes -> the form a string starting with it is.
    :param name_form: the form a string with any other literal prefix is (a name), or
        ``None`` when the prop takes no name.
    :param declared: the form of a token nothing else identifies, when the prop has only
        one meaning (``"arn"`` for a key ARN prop); ``None`` raises instead.
    :param construct_hint: what to pass instead, for the error message.
    """

    what: str
    kinds: Mapping[str, str]
    heads: Mapping[str, str]
    name_form: str | None
    declared: str | None
    construct_hint: str


@dataclass(frozen=True)
class TokenForm:
    """The outcome of :func:`token_form`: a form, or the reason there is none."""

    form: str | None
    problem: str = ""


def reference_kind(value: str) -> str | None:
    """What ``value`` is when it is exactly one reference token of a known attribute
    (:data:`KNOWN_ATTRIBUTES`), ``"CfnParameter"`` for a parameter's value, else ``None``."""
    if not (value.startswith(_TOKEN_START) and value.endswith("]}")):
        return None
    if value.count(_TOKEN_START) != 1:
        return None
    token = cdk.Tokenization.reverse_string(value).first_token
    if not isinstance(token, cdk.Reference):
        return None
    target = token.target
    if isinstance(target, cdk.CfnParameter):
        return "CfnParameter"
    resource_type = getattr(target, "cfn_resource_type", None)
    if not isinstance(resource_type, str):
        return None
    return KNOWN_ATTRIBUTES.get((resource_type, token.display_name))


def literal_head(value: str) -> str:
    """The literal text before the first token of ``value``."""
    return value.split(_TOKEN_START, 1)[0]


def token_form(value: str, prop: TokenProp) -> TokenForm:
    """The form (``"arn"``, ``"name"``, ...) of the token string ``value`` for ``prop``."""
    head = literal_head(value)
    if head:
        for prefix, form in prop.heads.items():
            if head.startswith(prefix):
                return TokenForm(form)
        # "ar" + token may still become "arn:...": only a head that rules every prefix out
        # makes the value a name.
        if not any(p.startswith(head) for p in prop.heads):
            if prop.name_form is not None:
                return TokenForm(prop.name_form)
            expected = " or ".join(repr(p) for p in prop.heads)
            return TokenForm(None, f"{prop.what}; a value starting with {expected}")
    else:
        kind = reference_kind(value)
        if kind is not None and kind in prop.kinds:
            return TokenForm(prop.kinds[kind])
        if kind is not None and kind != "CfnParameter":
            return TokenForm(
                None,
                f"{prop.what}; this token is the {kind}, not one of those "
                f"(pass {prop.construct_hint})",
            )
    if prop.declared is not None:
        return TokenForm(prop.declared)
    return TokenForm(
        None,
        f"{prop.what}; lakehouse-iam cannot tell which one this token is (a CfnParameter, "
        f"Fn.import_value, Fn.join ... has no declared meaning), so pass "
        f"{prop.construct_hint}",
    )


# -- the props that accept more than one string form --------------------------------------
BUCKET = TokenProp(
    what="a bucket name, a bucket ARN or an s3.IBucket",
    kinds={"bucket name": "name", "bucket ARN": "arn"},
    heads={"arn:": "arn"},
    name_form="name",
    declared=None,
    construct_hint=(
        "an s3.IBucket: s3.Bucket.from_bucket_name(scope, id, value) or "
        "s3.Bucket.from_bucket_arn(scope, id, value)"
    ),
)
SECRET = TokenProp(
    what="a secret name, a secret ARN or a secretsmanager.ISecret",
    kinds={"secret ARN": "arn"},
    heads={"arn:": "arn"},
    name_form="name",
    declared=None,
    construct_hint=(
        "a secretsmanager.ISecret: Secret.from_secret_name_v2(scope, id, name), "
        "Secret.from_secret_complete_arn(scope, id, arn) or "
        "Secret.from_secret_partial_arn(scope, id, arn)"
    ),
)
LOG_GROUP = TokenProp(
    what="a log group name, a log group ARN or a logs.ILogGroup",
    kinds={"log group name": "name", "log group ARN": "arn"},
    heads={"arn:": "arn"},
    name_form="name",
    declared=None,
    construct_hint=(
        "a logs.ILogGroup: LogGroup.from_log_group_name(scope, id, name) or "
        "LogGroup.from_log_group_arn(scope, id, arn)"
    ),
)
ECR_REPOSITORY = TokenProp(
    what="an ECR repository ARN, an ECR image URI or an ecr.IRepository",
    kinds={"ECR repository ARN": "arn"},
    heads={"arn:": "arn"},
    name_form=None,
    declared=None,
    construct_hint=(
        "an ecr.IRepository: the repository itself, Repository.from_repository_name(scope, "
        "id, name) or Repository.from_repository_arn(scope, id, arn)"
    ),
)
OIDC_PROVIDER = TokenProp(
    what="an IAM OIDC provider ARN, an https:// OIDC issuer URL or an iam.IOpenIdConnectProvider",
    kinds={"OIDC provider ARN": "arn", "OIDC issuer URL": "url"},
    heads={"arn:": "arn", "https://": "url"},
    name_form=None,
    declared=None,
    construct_hint=(
        "an iam.IOpenIdConnectProvider: the provider itself or "
        "iam.OpenIdConnectProvider.from_open_id_connect_provider_arn(scope, id, arn)"
    ),
)
KMS_KEY = TokenProp(
    what="a KMS key ARN or a kms.IKey",
    kinds={"KMS key ARN": "arn"},
    heads={"arn:": "arn"},
    name_form=None,
    declared="arn",
    construct_hint="the kms.IKey itself or key.key_arn",
)
ROLE = TokenProp(
    what="an IAM role ARN or an iam.IRole",
    kinds={"IAM role ARN": "arn"},
    heads={"arn:": "arn"},
    name_form=None,
    declared="arn",
    construct_hint="the iam.IRole itself or role.role_arn",
)
