"""CloudFormation ``AllowedPattern``/``ConstraintDescription`` from the construct validation.

A template parameter must reject at ``CreateStack`` what the construct would reject at
synth. The rules are not copied: each :class:`ParameterRule` takes its pattern from
:mod:`lakehouse_iam.validation` (the same compiled regex the construct checks against)
and its ``ConstraintDescription`` from the message the matching ``PropsCheck`` method
writes for a bad value, so a change to a rule changes the templates on ``make templates``.

CloudFormation's ``AllowedPattern`` is a Java regex that must match the whole value; the
Python patterns are anchored with ``^...$`` and use named groups, so the anchors are
dropped and ``(?P<name>`` becomes ``(?:``. Everything else they use (classes, ``\\w``,
``\\d``, lookaheads, ``{m,n}``) means the same in Java, where ``\\w`` and ``\\d`` are ASCII
only, as the validation's ``isascii()`` requires.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from .. import validation as v
from .._private.rules import CharacterRule
from ..validation import PropsCheck, java_pattern


def _accepted(run: Callable[[PropsCheck], None]) -> str:
    """What a ``PropsCheck`` rule says it accepts (its message for a rejected value)."""
    check = PropsCheck("template")
    run(check)
    if len(check.problems) != 1:
        raise AssertionError(f"expected one problem from the probe value, got {check.problems}")
    return check.problems[0].split(" is invalid: expected ", 1)[1]


@dataclass(frozen=True)
class ParameterRule:
    """What a template parameter of one kind accepts.

    :param name: a short name (``bucket_name``), used in errors and tests.
    :param pattern: the ``AllowedPattern`` (whole-value Java regex).
    :param description: the ``ConstraintDescription``.
    :param max_length: ``MaxLength``, where the rule has one a pattern does not express.
    :param check: the construct-side check (``PropsCheck`` method), for tests that prove
        the pattern and the check agree.
    """

    name: str
    pattern: str
    description: str
    check: Callable[[PropsCheck, str], None]
    max_length: int | None = None

    def accepts(self, value: str) -> bool:
        """Whether CloudFormation would accept ``value`` (the pattern as Java reads it:
        ASCII ``\\w``/``\\d``, whole value)."""
        if self.max_length is not None and len(value) > self.max_length:
            return False
        return re.fullmatch(self.pattern, value, flags=re.ASCII) is not None

    def construct_accepts(self, value: str) -> bool:
        """Whether the construct's validation accepts ``value``."""
        check = PropsCheck("template")
        self.check(check, value)
        return not check.problems


def _rule(
    name: str,
    pattern: re.Pattern[str] | str,
    check: Callable[[PropsCheck, str], None],
    *,
    bad: str = "\x00",
    max_length: int | None = None,
    extra: str = "",
) -> ParameterRule:
    text = java_pattern(pattern) if isinstance(pattern, re.Pattern) else pattern
    description = _accepted(lambda c: check(c, bad)) + extra
    return ParameterRule(name, text, description, check, max_length)


def _literal(text: str) -> str:
    """``text`` matched literally, in syntax Java and Python read alike."""
    return re.sub(r"([.\\+*?^$()\[\]{}|])", r"\\\1", text)


def _bucket_name_pattern() -> str:
    # validation.bucket_name: the name pattern plus four rules the pattern does not
    # express (no '..', not an IPv4 address, no reserved prefix or suffix): lookaheads.
    ipv4 = java_pattern(v._IPV4_RE)
    prefixes = "|".join(_literal(p) for p in v._BUCKET_RESERVED_PREFIXES)
    suffixes = "|".join(_literal(s) for s in v._BUCKET_RESERVED_SUFFIXES)
    return rf"(?!.*\.\.)(?!{ipv4}$)(?!(?:{prefixes}))(?!.*(?:{suffixes})$)" + java_pattern(
        v._BUCKET_RE
    )


def _prefix_pattern() -> str:
    # validation.prefix, for the normal form (no leading or trailing '/'): '/'-separated
    # segments, none empty, '.' or '..', without the forbidden characters. Brackets are
    # refused outright: whether they pair up cannot be decided by a regex.
    forbidden = v._PREFIX_FORBIDDEN.pattern
    if not (forbidden.startswith("[") and forbidden.endswith("]")):
        raise ValueError(f"validation._PREFIX_FORBIDDEN is not a character class: {forbidden}")
    char = rf"[^/(){{}}\[\]{forbidden[1:-1]}]"
    segment = rf"(?!\.\.?(?:/|$)){char}+"
    return rf"(?=.{{1,1000}}$){segment}(?:/{segment})*"


def _check_prefix(check: PropsCheck, value: str) -> None:
    check.prefix("p", value)  # returns the normal form, which a rule does not need


BUCKET_NAME = ParameterRule(
    "bucket_name",
    _bucket_name_pattern(),
    _accepted(lambda c: c.bucket_name("p", "\x00")),
    lambda c, value: c.bucket_name("p", value),
)
PREFIX = _rule(
    "prefix",
    _prefix_pattern(),
    _check_prefix,
    bad="*",
    extra=(
        ". In a template: no leading or trailing '/' (the construct drops them, a "
        "parameter cannot) and no brackets ()[]{} (a pattern cannot check that they pair up)"
    ),
)
ROLE_ARN = _rule("role_arn", v._ROLE_ARN_RE, lambda c, value: c.role_arn("p", value))
IAM_ROLE_NAME = _rule(
    "iam_role_name",
    v._IAM_NAME_RE,
    lambda c, value: c.iam_name("p", value, max_length=64),
    max_length=64,
)
IAM_USER_ARN = _rule(
    "iam_user_arn", v._IAM_USER_ARN_RE, lambda c, value: c.iam_user_arn("p", value)
)
EXTERNAL_ID = _rule("external_id", v._EXTERNAL_ID_RE, lambda c, value: c.external_id("p", value))
KMS_KEY_ARN = _rule("kms_key_arn", v._KMS_KEY_ARN_RE, lambda c, value: c.kms_key_arn("p", value))
GLUE_DATABASE = _rule(
    "glue_database", v._GLUE_NAME_RE, lambda c, value: c.glue_name("p", value, kind="database")
)
SECRET_NAME = _rule("secret_name", v._SECRET_NAME_RE, lambda c, value: c.secret_name("p", value))
LOG_GROUP_NAME = _rule(
    "log_group_name", v._LOG_GROUP_NAME_RE, lambda c, value: c.log_group_name("p", value)
)
ECR_REPOSITORY_ARN = _rule(
    "ecr_repository_arn",
    v._ECR_REPOSITORY_ARN_RE,
    lambda c, value: c.ecr_repository_arn("p", value),
)
EKS_CLUSTER_NAME = _rule(
    "eks_cluster_name", v._EKS_CLUSTER_NAME_RE, lambda c, value: c.eks_cluster_name("p", value)
)
K8S_NAMESPACE = _rule(
    "k8s_namespace", v._DNS1123_LABEL_RE, lambda c, value: c.k8s_namespace("p", value)
)
K8S_SERVICE_ACCOUNT = _rule(
    "k8s_service_account",
    v._DNS1123_SUBDOMAIN_RE,
    lambda c, value: c.k8s_service_account("p", value),
    max_length=253,
)
OIDC_ISSUER_URL = _rule(
    "oidc_issuer_url", v._OIDC_ISSUER_URL_RE, lambda c, value: c.oidc_issuer_url("p", value)
)


def restricted(rule: ParameterRule, name: str, *refusals: CharacterRule) -> ParameterRule:
    """``rule`` narrowed by character rules a construct applies on top of it (e.g. the
    prefix characters ``RisingWaveAccess.sql_with_clause`` refuses): each adds its
    :attr:`~lakehouse_iam._private.rules.CharacterRule.lookahead` to the pattern, its
    check to the construct side and what it accepts to the ``ConstraintDescription``.

    Example::

        from lakehouse_iam.vendors.risingwave.access import SQL_PREFIX_RULES

        SQL_PREFIX = restricted(PREFIX, "risingwave_prefix", *SQL_PREFIX_RULES.values())
    """

    def check(c: PropsCheck, value: str) -> None:
        rule.check(c, value)
        if not c.problems:
            for refusal in refusals:
                refusal.check(c, "p", value)

    lookaheads = "".join(r.lookahead for r in refusals)
    description = "; ".join([rule.description, *(r.accepted for r in refusals)])
    return ParameterRule(name, lookaheads + rule.pattern, description, check, rule.max_length)


RULES: tuple[ParameterRule, ...] = (
    BUCKET_NAME,
    PREFIX,
    ROLE_ARN,
    IAM_ROLE_NAME,
    IAM_USER_ARN,
    EXTERNAL_ID,
    KMS_KEY_ARN,
    GLUE_DATABASE,
    SECRET_NAME,
    LOG_GROUP_NAME,
    ECR_REPOSITORY_ARN,
    EKS_CLUSTER_NAME,
    K8S_NAMESPACE,
    K8S_SERVICE_ACCOUNT,
    OIDC_ISSUER_URL,
)
"""The rules of the construct validation a template parameter can use; a vendor's template
may narrow one with :func:`restricted`."""
