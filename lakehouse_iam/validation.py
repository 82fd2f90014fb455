"""Input validation shared by every construct.

Each check takes the property name and the value, and appends a message to a
:class:`PropsCheck` instead of raising, so a construct reports every problem in
one ``ValueError`` (the ``CheckProps`` pattern of aws-solutions-constructs).
A value holding unresolved CDK tokens is never guessed at, but what is known of it is
checked (see ``docs/inputs.md``, "Token-bearing strings and parameters"): its literal text
follows the prop's rules (:mod:`._private.token_text`), a ``CfnParameter`` in it through
what the parameter may hold (:mod:`._private.parameters`), and a value that resolves at
synthesis (a ``Lazy``) again then, with the same rule (:mod:`._private.synth_checks`).

Rules are grouped by topic (bookkeeping, plain Python types, then one AWS service or
identifier family per section), and the patterns at the top follow the same order, so
the rule for an input and its pattern are found under the same heading.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any

import aws_cdk as cdk
from constructs import IConstruct

from ._private import parameters, synth_checks, token_forms, token_text
from ._private.partitions import REGION_CODE, partition_of_region
from ._private.synth_checks import SynthCheck
from ._private.token_forms import TokenProp, token_form
from ._private.token_text import LiteralRule
from ._private.user_props import Problem, PropsError

if TYPE_CHECKING:
    from ._private.stack_facts import StackFacts

# -- AWS partitions, accounts and regions ------------------------------------------------
PARTITIONS = ("aws", "aws-cn", "aws-us-gov")
_PARTITION_RE = "(?:aws|aws-cn|aws-us-gov)"
_ACCOUNT_RE = re.compile(r"^\d{12}$")
_REGION_RE = REGION_CODE

# -- IAM ---------------------------------------------------------------------------------
# Role names may carry a path: role/path/to/name
_ROLE_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:iam::(?P<account>\d{{12}}):role/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]{{1,64}})$"
)
# A user ARN, as a SaaS vendor's per-customer IAM user (Snowflake's
# STORAGE_AWS_IAM_USER_ARN): arn:PARTITION:iam::ACCOUNT:user/[path/]name
_IAM_USER_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:iam::(?P<account>\d{{12}}):user/(?:[\w+=,.@-]+/)*(?P<name>[\w+=,.@-]{{1,64}})$"
)
_EXTERNAL_ID_RE = re.compile(r"^[\w+=,.@:/-]{2,1224}$")
_IAM_NAME_RE = re.compile(r"^[\w+=,.@-]+$")
_SID_RE = re.compile(r"^[A-Za-z0-9]+$")
# https://docs.aws.amazon.com/IAM/latest/APIReference/API_CreateRole.html (Description)
_IAM_DESCRIPTION_RE = re.compile(r"^[\t\n\r\x20-\x7e\xa1-\xff]{0,1000}$")

# -- Amazon Redshift ---------------------------------------------------------------------
# A database user, as Redshift passes it in sts:ExternalId when it assumes a role
# (https://docs.aws.amazon.com/redshift/latest/mgmt/authorizing-redshift-service-database-users.html):
# arn:PARTITION:redshift:REGION:ACCOUNT:dbuser:CLUSTER/USER (Serverless: the workgroup's
# identifier in place of CLUSTER). The user part stays within what sts:ExternalId allows.
_REDSHIFT_DBUSER_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:redshift:[a-z]{{2}}(?:-[a-z]+)+-\d{{1,2}}:\d{{12}}"
    r":dbuser:[a-z0-9-]{1,128}/[\w+=,.@-]{1,128}$"
)

# -- Amazon S3 ---------------------------------------------------------------------------
# https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$")
_IPV4_RE = re.compile(r"^\d{1,3}(\.\d{1,3}){3}$")
_BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_BUCKET_ARN_RE = re.compile(rf"^arn:{_PARTITION_RE}:s3:::(?P<name>[^/*?]+)$")
_PREFIX_FORBIDDEN = re.compile(r"[*?\x00-\x1f\x7f]")

# -- AWS KMS -----------------------------------------------------------------------------
_KMS_KEY_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:kms:[a-z0-9-]+:\d{{12}}:key/(?:[0-9a-f]{{8}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{4}}-[0-9a-f]{{12}}|mrk-[0-9a-f]{{32}})$"
)

# -- AWS Glue Data Catalog ---------------------------------------------------------------
_GLUE_NAME_RE = re.compile(r"^[a-z0-9_-]{1,255}$")
_GLUE_CONNECTION_RE = re.compile(r"^[A-Za-z0-9_.+=@-]{1,255}$")

# -- CloudWatch Logs, Secrets Manager, Amazon ECR ----------------------------------------
# https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
_LOG_GROUP_NAME_RE = re.compile(r"^[.\-_/#A-Za-z0-9]{1,512}$")
_LOG_GROUP_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:logs:[a-z0-9-]+:\d{{12}}:log-group:[.\-_/#A-Za-z0-9]{{1,512}}(?::\*)?$"
)
# https://docs.aws.amazon.com/secretsmanager/latest/apireference/API_CreateSecret.html
_SECRET_NAME_RE = re.compile(r"^[A-Za-z0-9/_+=.@-]{1,512}$")
_SECRET_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:secretsmanager:[a-z0-9-]+:\d{{12}}:secret:[A-Za-z0-9/_+=.@-]{{1,519}}$"
)
_SECRET_SUFFIX_RE = re.compile(r":secret:.+-[A-Za-z0-9]{6}$")
# https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_CreateRepository.html
_ECR_REPOSITORY_NAME = r"(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*"
_ECR_REPOSITORY_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:ecr:[a-z0-9-]+:\d{{12}}:repository/{_ECR_REPOSITORY_NAME}$"
)
ECR_IMAGE_URI_RE = re.compile(
    r"^(?P<account>\d{12})\.dkr\.ecr(?:-fips)?\.(?P<region>[a-z0-9-]+)"
    r"\.(?P<domain>amazonaws\.com(?:\.cn)?)"
    rf"/(?P<repository>{_ECR_REPOSITORY_NAME})"
    r"(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}|@sha256:[0-9a-f]{64})?$"
)
"""A private ECR image URI; groups ``account``, ``region``, ``domain``, ``repository``."""

# -- Amazon EKS, Kubernetes and OIDC -----------------------------------------------------
_DNS1123_LABEL_RE = re.compile(r"^[a-z0-9](?:[-a-z0-9]{0,61}[a-z0-9])?$")
_DNS1123_SUBDOMAIN_RE = re.compile(
    r"^[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*$"
)
_OIDC_PATH = r"[A-Za-z0-9.-]+(?::\d+)?(?:/[A-Za-z0-9._~%-]+)*"
_OIDC_PROVIDER_ARN_RE = re.compile(
    rf"^arn:{_PARTITION_RE}:iam::\d{{12}}:oidc-provider/{_OIDC_PATH}$"
)
_OIDC_ISSUER_URL_RE = re.compile(rf"^https://{_OIDC_PATH}/?$")
# https://docs.aws.amazon.com/eks/latest/APIReference/API_CreateCluster.html
_EKS_CLUSTER_NAME_RE = re.compile(r"^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$")

# -- the literal text beside a token, per pattern (token_text.LiteralRule) ---------------
# Every pattern PropsCheck._match reads has one: the characters its value may hold (an
# ARN's characters for an ARN; never '*' or '?', never '${'), and the structure rules a
# piece of it can break on its own.
_ARN_CHARS = "letters, digits and the ARN's separators"
_LITERALS: dict[re.Pattern[str], LiteralRule] = {
    _ACCOUNT_RE: LiteralRule(r"[0-9]", "digits"),
    _REGION_RE: LiteralRule(r"[a-z0-9-]", "lowercase letters, digits and '-'"),
    _ROLE_ARN_RE: LiteralRule(r"[A-Za-z0-9:/+=,.@_-]", _ARN_CHARS),
    _IAM_USER_ARN_RE: LiteralRule(r"[A-Za-z0-9:/+=,.@_-]", _ARN_CHARS),
    _SID_RE: LiteralRule(r"[A-Za-z0-9]", "letters and digits"),
    _EXTERNAL_ID_RE: LiteralRule(r"[A-Za-z0-9+=,.@:/_-]", "letters, digits and +=,.@:/_-"),
    _REDSHIFT_DBUSER_ARN_RE: LiteralRule(r"[A-Za-z0-9:/+=,.@_-]", _ARN_CHARS),
    _KMS_KEY_ARN_RE: LiteralRule(r"[a-z0-9:/-]", "lowercase letters, digits, ':', '/' and '-'"),
    _GLUE_NAME_RE: LiteralRule(r"[a-z0-9_-]", "lowercase letters, digits, '_' and '-'"),
    _GLUE_CONNECTION_RE: LiteralRule(r"[A-Za-z0-9_.+=@-]", "letters, digits and _.+=@-"),
    _LOG_GROUP_NAME_RE: LiteralRule(r"[A-Za-z0-9._/#-]", "letters, digits and ._/#-"),
    _LOG_GROUP_ARN_RE: LiteralRule(r"[A-Za-z0-9:._/#-]", _ARN_CHARS, suffix=":*"),
    _SECRET_NAME_RE: LiteralRule(r"[A-Za-z0-9/_+=.@-]", "letters, digits and /_+=.@-"),
    _SECRET_ARN_RE: LiteralRule(r"[A-Za-z0-9:/_+=.@-]", _ARN_CHARS),
    _ECR_REPOSITORY_ARN_RE: LiteralRule(r"[a-z0-9:/._-]", _ARN_CHARS),
    ECR_IMAGE_URI_RE: LiteralRule(r"[A-Za-z0-9:/._@-]", "an image URI's characters"),
    _EKS_CLUSTER_NAME_RE: LiteralRule(r"[A-Za-z0-9_-]", "letters, digits, '_' and '-'"),
    _DNS1123_LABEL_RE: LiteralRule(r"[a-z0-9-]", "lowercase letters, digits and '-'"),
    _OIDC_PROVIDER_ARN_RE: LiteralRule(r"[A-Za-z0-9:/._~%-]", _ARN_CHARS),
    _OIDC_ISSUER_URL_RE: LiteralRule(r"[A-Za-z0-9:/._~%-]", "a URL's characters"),
}
# For a pattern without its own rule above (add one): no wildcard, no policy variable.
_DEFAULT_LITERAL = LiteralRule(r"[A-Za-z0-9._:/-]", "letters, digits and ._:/-")
_BUCKET_NAME_LITERAL = LiteralRule(
    r"[a-z0-9.-]", "lowercase letters, digits, '.' and '-'", double_dot=True, edges=True
)
_BUCKET_ARN_LITERAL = LiteralRule(r"[a-z0-9:.-]", _ARN_CHARS, double_dot=True)
_IAM_NAME_LITERAL = LiteralRule(r"[A-Za-z0-9+=,.@_-]", "letters, digits and +=,.@_-")
_SERVICE_ACCOUNT_LITERAL = LiteralRule(r"[a-z0-9.-]", "lowercase letters, digits, '.' and '-'")
_DESCRIPTION_LITERAL = LiteralRule(
    r"[\t\n\r\x20-\x7e\xa1-\xff]", "tab, newline and Latin-1 printable characters", text=True
)
# A CfnParameter's AllowedPattern for a prefix: '/'-separated segments, none empty, '.'
# or '..', of characters a prefix may hold; no '${'. Java and Python read it alike.
_PREFIX_SEGMENT = r"(?!\.\.?(?:/|$))[^/*?\x00-\x1f\x7f]+"
_PREFIX_LITERAL = LiteralRule(
    r"[^*?\x00-\x1f\x7f]",
    "any character but '*', '?' and control characters",
    path=True,
    pattern=rf"(?!.*\$\{{){_PREFIX_SEGMENT}(?:/{_PREFIX_SEGMENT})*",
)


_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_]\w*>")


def java_pattern(pattern: re.Pattern[str]) -> str:
    """``pattern`` as a CloudFormation ``AllowedPattern`` (a whole-value Java regex):
    without its anchors, named groups unnamed. The one conversion, for the patterns the
    library sets on a user's ``CfnParameter`` and for the standalone templates'."""
    text = pattern.pattern
    if not (text.startswith("^") and text.endswith("$")):
        raise ValueError(f"validation pattern {text!r} is not anchored with ^...$")
    body = _NAMED_GROUP.sub("(?:", text[1:-1])
    if "(?P" in body:
        raise ValueError(f"validation pattern {text!r} uses a Python-only construct")
    return body


def _brackets_balanced(text: str) -> bool:
    """Every ``(``, ``[`` and ``{`` is closed by its own kind, in order."""
    pairs = {")": "(", "]": "[", "}": "{"}
    stack: list[str] = []
    for c in text:
        if c in "([{":
            stack.append(c)
        elif c in pairs and (not stack or stack.pop() != pairs[c]):
            return False
    return not stack


def is_token(value: Any) -> bool:
    """True when ``value`` is (or contains) an unresolved CDK token.

    A string token is encoded as ``${Token[...]}`` (lists as ``#{Token[...]}``); a string
    without that marker is resolved, and is answered here without a jsii round trip.
    """
    if not isinstance(value, str) or "{Token[" not in value:
        return False
    return _is_unresolved(value)


@functools.lru_cache(maxsize=8192)
def _is_unresolved(value: str) -> bool:
    # aws-cdk-lib answers from the string's encoding alone (a pattern test), so the answer
    # for one string never changes; props are checked more than once, each a jsii call.
    return bool(cdk.Token.is_unresolved(value))


_OIDC_EKS_HOST_RE = re.compile(
    r"^(?:https://)?oidc\.eks\.(?P<region>[a-z0-9-]+)\.amazonaws\.com(?P<cn>\.cn)?/"
)


def partition_of_value(value: str) -> str | None:
    """The partition a literal ARN, ECR image URI or EKS OIDC issuer names, if any."""
    if value.startswith("arn:"):
        return value.split(":", 2)[1] or None
    image = ECR_IMAGE_URI_RE.match(value)
    if image:
        if image.group("domain").endswith(".cn"):
            return "aws-cn"
        return partition_of_region(image.group("region"))
    issuer = _OIDC_EKS_HOST_RE.match(value)
    if issuer:
        return "aws-cn" if issuer.group("cn") else partition_of_region(issuer.group("region"))
    return None


def check_partitions(owner: str, facts: StackFacts, values: Mapping[str, Any]) -> None:
    """Raise one ``ValueError`` when a literal ARN-like value (prop -> value) is of another
    partition than ``facts``' stack (known only when the stack's region is)."""
    check = PropsCheck(owner)
    check.partitions(facts, values)
    check.raise_if_any()


def iam_description(text: str) -> str:
    """``text`` as a valid IAM role description: characters IAM rejects become ``?``,
    and it is cut to 1000 characters. For descriptions built from user input."""
    return re.sub(r"[^\t\n\r\x20-\x7e\xa1-\xff]", "?", text)[:1000]


class PropsCheck:
    """Collects validation problems of one construct and raises them together.

    Usage::

        check = PropsCheck("RisingWaveAccess")
        check.account_id("account", account)
        check.raise_if_any()
    """

    # -- bookkeeping ---------------------------------------------------------------------
    def __init__(
        self,
        owner: str,
        *,
        at: IConstruct | None = None,
        detail: str = "",
        probing: bool = False,
    ) -> None:
        """
        :param owner: what is being checked, e.g. the construct's class name.
        :param at: the construct, whose path the error names (read only when raising:
            each ``node.path`` is a round trip to the jsii runtime), and on which the
            checks deferred to synthesis are registered (:meth:`raise_if_any`).
        :param detail: appended to the owner, e.g. ``": sql_with_clause"``.
        :param probing: only tell whether values pass: a ``CfnParameter`` in a value
            is neither checked nor constrained, nothing is deferred to synthesis.
        """
        self._owner = owner
        self._at = at
        self._detail = detail
        self._probing = probing
        self.problems: list[str] = []
        self._entries: list[Problem] = []
        self.deferred: list[SynthCheck] = []
        """Token values to check again once resolved at synthesis (:mod:`.synth_checks`)."""

    @property
    def owner(self) -> str:
        """``<owner> at <construct path><detail>``, as the error names it."""
        where = f" at {self._at.node.path}" if self._at is not None else ""
        return f"{self._owner}{where}{self._detail}"

    def add(self, prop: str, value: Any, accepted: str) -> None:
        """Record that ``prop`` got ``value``, and what would have been accepted."""
        problem = Problem(prop, value, accepted)
        self._entries.append(problem)
        self.problems.append(problem.line())

    def raise_if_any(self) -> None:
        """Raise one ``ValueError`` (a :class:`PropsError`) listing every recorded problem.

        Without problems, the checks deferred to synthesis are registered on ``at``, when
        the check has one; a plain-data owner keeps them with :meth:`keep_deferred`.
        """
        if self.problems:
            raise PropsError(self._owner, self.owner, list(self._entries))
        if self._at is not None and self.deferred:
            synth_checks.register(self._at, self.deferred)
            self.deferred = []

    def keep_deferred(self, subject: object) -> None:
        """Keep the checks deferred to synthesis on ``subject`` (a grant or a location),
        for the construct that renders it (:func:`._private.synth_checks.register`)."""
        synth_checks.keep(subject, self.deferred)

    def _passes(self, rule: Callable[[PropsCheck, str], object], value: str) -> bool:
        probe = PropsCheck(self._owner, probing=True)
        rule(probe, value)
        return not probe.problems

    def _token(
        self,
        prop: str,
        value: str,
        literal: LiteralRule,
        accepted: str,
        rule: Callable[[PropsCheck, str], object],
        *,
        whole: str | None = None,
    ) -> bool:
        """Check the token string ``value`` of ``prop`` with what is known of it.

        Its literal text follows ``literal``; each ``CfnParameter`` in it may hold only
        values that pass ``rule`` (the prop's whole rule) in place (one with neither a
        pattern nor allowed values gets an ``AllowedPattern``: ``whole`` when the
        parameter is the whole value, else ``literal``'s); and once resolved at synthesis
        the value is checked again with ``rule``.
        """
        problem = token_text.literal_problem(value, literal)
        if problem is not None:
            named = [f"{p.token} is CfnParameter {p.name}" for p in parameters.parameters_in(value)]
            where = f" ({', '.join(named)})" if named and not self._probing else ""
            self.add(prop, value, f"{accepted}; {problem}{where}")
            return False
        if self._probing:
            return True
        ok = True
        for found in parameters.parameters_in(value):
            bad = parameters.review(
                value,
                found,
                lambda v: self._passes(rule, v),
                pattern=whole if whole and value == found.token else literal.parameter_pattern,
                description=f"lakehouse-iam ({self._owner} {prop}): {accepted}",
            )
            for line in bad:
                self.add(prop, value, f"{accepted}; the {line}")
            ok = ok and not bad
        title = self.owner
        owner = self._owner

        def resolved_problems(resolved: Any) -> list[tuple[Any, str]]:
            if isinstance(resolved, str):
                probe = PropsCheck(owner, probing=True)
                rule(probe, resolved)
                return [(p.value, p.accepted) for p in probe._entries]
            found_pieces = token_text.join_pieces(resolved)
            if found_pieces is None:
                return []
            problem = token_text.pieces_problem(found_pieces, literal)
            return [] if problem is None else [(resolved, f"{accepted}; {problem}")]

        self.deferred.append(SynthCheck(owner, title, prop, value, resolved_problems))
        return ok

    def _match(self, prop: str, value: Any, pattern: re.Pattern[str], accepted: str) -> bool:
        # fullmatch: with match, '$' also matches before a trailing newline
        # ('123456789012\n' would pass). isascii: Python's \w and \d match non-ASCII
        # letters and digits, which no AWS identifier, ARN or name accepts.
        if is_token(value):
            return self._token(
                prop,
                value,
                _LITERALS.get(pattern, _DEFAULT_LITERAL),
                accepted,
                lambda c, v: c._match(prop, v, pattern, accepted),
                whole=java_pattern(pattern),
            )
        if not isinstance(value, str) or not value.isascii() or not pattern.fullmatch(value):
            self.add(prop, value, accepted)
            return False
        return True

    # -- plain Python types and related props --------------------------------------------
    def boolean(self, prop: str, value: Any) -> None:
        """``True`` or ``False`` (a string such as ``'false'`` would read as true)."""
        if not isinstance(value, bool):
            self.add(prop, value, "True or False")

    def int_range(self, prop: str, value: Any, *, low: int, high: int) -> None:
        """An ``int`` (not a ``bool``) from ``low`` to ``high`` inclusive."""
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            self.add(prop, value, f"an integer from {low} to {high}")

    def one_of(self, prop: str, value: Any, choices: Iterable[Any]) -> None:
        """One of ``choices``."""
        options = tuple(choices)
        if value not in options:
            self.add(prop, value, f"one of {', '.join(repr(c) for c in options)}")

    def instance_of(self, prop: str, value: Any, kinds: type | tuple[type, ...], what: str) -> bool:
        """``value`` is an instance of ``kinds`` (described to the user as ``what``)."""
        if not isinstance(value, kinds):
            self.add(prop, value, what)
            return False
        return True

    def sequence_of(self, prop: str, value: Any, kinds: type | tuple[type, ...], what: str) -> bool:
        """A list or tuple (not a string) whose items are ``kinds``; each bad item is named."""
        if isinstance(value, (str, bytes)) or not isinstance(value, (list, tuple)):
            self.add(prop, value, f"a list of {what}")
            return False
        ok = True
        for i, item in enumerate(value):
            ok = self.instance_of(f"{prop}[{i}]", item, kinds, what) and ok
        return ok

    def exclusive(self, props: dict[str, Any], *, why: str) -> None:
        """At most one of ``props`` (name -> value) is set (not ``None``)."""
        given = {k: v for k, v in props.items() if v is not None}
        if len(given) > 1:
            self.add(
                " and ".join(given),
                given,
                f"at most one of {', '.join(props)}: {why}",
            )

    def required_together(self, props: dict[str, Any], *, why: str) -> None:
        """Either all of ``props`` (name -> value) are set (not ``None``) or none is."""
        missing = [k for k, v in props.items() if v is None]
        if missing and len(missing) < len(props):
            given = {k: v for k, v in props.items() if v is not None}
            self.add(
                " and ".join(given),
                given,
                f"{', '.join(props)} together ({', '.join(missing)} missing): {why}",
            )

    # -- AWS partitions, accounts and regions --------------------------------------------
    def account_id(self, prop: str, value: Any) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            # An int loses leading zeros (000123456789 -> 123456789) and is not what
            # CloudFormation or IAM accept; the fix is always the quoted string.
            self.add(
                prop,
                value,
                f"a 12-digit AWS account ID as a string: pass '{value:012d}', not an int "
                "(an int drops leading zeros)",
            )
            return
        self._match(prop, value, _ACCOUNT_RE, "a 12-digit AWS account ID")

    def partition_of(
        self, prop: str, value: Any, *, partition: str | None, region: str | None
    ) -> None:
        """A literal ARN (or ECR image URI / OIDC issuer) is in the stack's partition.

        ``partition`` is the stack's partition when its region is known (``None`` for an
        env-agnostic stack, which cannot be checked). An ARN of another partition never
        matches anything in this one: ``arn:aws:iam::...`` in a ``cn-north-1`` stack.
        """
        if partition is None or not isinstance(value, str) or is_token(value):
            return
        found = partition_of_value(value)
        if found is not None and found != partition:
            self.add(
                prop,
                value,
                f"a value in partition {partition!r}, the partition of the stack's region "
                f"{region}; this one is in {found!r}, where the stack cannot reach it",
            )

    def partitions(self, facts: StackFacts, values: Mapping[str, Any]) -> None:
        """:meth:`partition_of` for each prop -> value, against ``facts``' stack."""
        if facts.known_partition is None:
            return
        for prop, value in values.items():
            self.partition_of(
                prop, value, partition=facts.known_partition, region=facts.known_region
            )

    def _token_form(self, prop: str, value: Any, spec: TokenProp) -> str | None:
        """The form of the token string ``value`` (:mod:`..._private.token_forms`), or
        ``None`` after recording why it has none."""
        result = token_form(value, spec)
        if result.form is None:
            self.add(prop, value, result.problem)
        return result.form

    def aws_region(self, prop: str, value: Any) -> None:
        """An AWS Region code such as ``us-east-1``, ``cn-north-1`` or ``us-gov-west-1``."""
        self._match(prop, value, _REGION_RE, "an AWS Region code such as us-east-1")

    # -- IAM: names, ARNs, Sids, ExternalIds, descriptions and actions -------------------
    def role(self, prop: str, value: Any) -> None:
        """An IAM role ARN or an ``iam.IRole`` (anything with ``role_arn``)."""
        if isinstance(value, str):
            self.role_arn(prop, value)
        elif not hasattr(value, "role_arn"):
            self.add(prop, value, "an IAM role ARN or an iam.IRole")

    def role_arn(self, prop: str, value: Any) -> None:
        if is_token(value) and self._token_form(prop, value, token_forms.ROLE) is None:
            return
        self._match(
            prop,
            value,
            _ROLE_ARN_RE,
            "an IAM role ARN such as arn:aws:iam::123456789012:role/name "
            f"(partition one of {', '.join(PARTITIONS)})",
        )

    def iam_user_arn(self, prop: str, value: Any) -> None:
        """An IAM user ARN (``arn:aws:iam::123456789012:user/name``); the literal text
        beside a token follows the ARN's characters."""
        self._match(
            prop,
            value,
            _IAM_USER_ARN_RE,
            "an IAM user ARN such as arn:aws:iam::123456789012:user/name "
            f"(partition one of {', '.join(PARTITIONS)})",
        )

    def iam_name(self, prop: str, value: Any, *, max_length: int) -> None:
        if is_token(value):
            self._token(
                prop,
                value,
                _IAM_NAME_LITERAL,
                f"1-{max_length} characters of letters, digits and +=,.@_-",
                lambda c, v: c.iam_name(prop, v, max_length=max_length),
            )
            return
        if (
            not isinstance(value, str)
            or not 1 <= len(value) <= max_length
            or not value.isascii()
            or not _IAM_NAME_RE.fullmatch(value)
        ):
            self.add(prop, value, f"1-{max_length} characters of letters, digits and +=,.@_-")

    def iam_description(self, prop: str, value: Any) -> None:
        """A role description IAM accepts: at most 1000 Latin-1 printable characters."""
        accepted = (
            "at most 1000 characters of tab, newline and Latin-1 printable characters "
            "(IAM's pattern for a role description)"
        )
        if is_token(value):
            self._token(
                prop, value, _DESCRIPTION_LITERAL, accepted, lambda c, v: c.iam_description(prop, v)
            )
        elif not isinstance(value, str) or not _IAM_DESCRIPTION_RE.fullmatch(value):
            self.add(prop, value, accepted)

    def sid(self, prop: str, value: Any) -> None:
        self._match(prop, value, _SID_RE, "letters and digits only (an IAM statement Sid)")

    def external_id(self, prop: str, value: Any) -> None:
        self._match(
            prop, value, _EXTERNAL_ID_RE, "2-1224 characters of letters, digits and +=,.@:/-"
        )

    def action_list(self, prop: str, value: Any, known: Iterable[str], *, service: str) -> None:
        """A non-empty list, tuple or set (never a bare string) of exact actions in ``known``."""
        if not isinstance(value, (list, tuple, set, frozenset)) or not value:
            self.add(prop, value, f"a non-empty sequence of {service} actions")
        else:
            self.actions(prop, value, known)

    def actions(self, prop: str, values: Iterable[str], known: Iterable[str]) -> None:
        """Every action must be exact (no wildcard) and one of ``known``."""
        known_set = set(known)
        for action in values:
            if not isinstance(action, str):
                self.add(prop, action, "an exact IAM action string such as 's3:GetObject'")
            elif "*" in action or "?" in action:
                self.add(prop, action, "an exact IAM action; wildcards are never granted")
            elif action not in known_set:
                self.add(prop, action, f"one of {', '.join(sorted(known_set))}")

    # -- Amazon Redshift -----------------------------------------------------------------
    def redshift_dbuser_arn(self, prop: str, value: Any) -> None:
        """A Redshift database user ARN, ``arn:aws:redshift:REGION:ACCOUNT:dbuser:CLUSTER/USER``."""
        self._match(
            prop,
            value,
            _REDSHIFT_DBUSER_ARN_RE,
            "a Redshift database user ARN such as "
            "arn:aws:redshift:us-east-1:123456789012:dbuser:my-cluster/risingwave "
            f"(partition one of {', '.join(PARTITIONS)}; the user of letters, digits and "
            "_+=,.@-, as sts:ExternalId carries it)",
        )

    # -- Amazon S3: buckets and key prefixes ---------------------------------------------
    def s3_bucket(self, prop: str, value: Any) -> str | None:
        """A bucket given as a name, a bucket ARN (any partition) or an ``s3.IBucket``.

        Returns the form of a string (``"name"`` or ``"arn"``; for a token, see
        :data:`lakehouse_iam._private.token_forms.BUCKET`), ``None`` for an ``IBucket`` or
        after recording a problem.
        """
        if isinstance(value, str):
            if value.startswith("s3://"):
                bucket, _, prefix = value.removeprefix("s3://").partition("/")
                split = f"bucket={bucket!r}" + (f", prefix={prefix!r}" if prefix else "")
                self.add(prop, value, f"a bucket name, not an S3 URI: pass {split}")
                return None
            form = self._token_form(prop, value, token_forms.BUCKET) if is_token(value) else None
            if form == "arn" or (form is None and value.startswith("arn:")):
                self.bucket_arn(prop, value)
                return "arn"
            if form == "name" or not is_token(value):
                self.bucket_name(prop, value)
                return "name"
            return None
        if type(value).__name__ == "S3Location":
            # An S3Location has bucket_arn() too, which would pass the duck-typing below
            # and fail later with an AttributeError.
            self.add(
                prop,
                value,
                "a bucket name, a bucket ARN or an s3.IBucket, not an S3Location: pass "
                "bucket=location.bucket and prefix=location.prefix",
            )
        elif not (hasattr(value, "bucket_arn") and hasattr(value, "bucket_name")):
            self.add(prop, value, "a bucket name, a bucket ARN or an s3.IBucket")
        elif not self._attribute(prop, value.bucket_name, PropsCheck.bucket_name):
            self._attribute(prop, value.bucket_arn, PropsCheck.bucket_arn)
        return None

    def _attribute(
        self, prop: str, value: Any, rule: Callable[[PropsCheck, str, Any], object]
    ) -> bool:
        """Check the string attribute of a construct given for ``prop`` (an imported
        bucket's name, an imported key's ARN) with ``rule`` when the user wrote it: a
        literal, or a token holding a ``CfnParameter``
        (``s3.Bucket.from_bucket_name(scope, id, parameter.value_as_string)``). Returns
        whether it was checked."""
        if not isinstance(value, str):
            return False
        if is_token(value) and not parameters.parameters_in(value):
            return False
        rule(self, prop, value)
        return True

    def bucket_name(self, prop: str, value: Any) -> None:
        accepted = (
            "an S3 bucket name: 3-63 characters of lowercase letters, digits, '.' and '-', "
            "starting and ending with a letter or digit, not an IP address, no '..'"
            ", no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix "
            "(-s3alias, --ol-s3, .mrap, --x-s3, --table-s3)"
        )
        if is_token(value):
            self._token(
                prop, value, _BUCKET_NAME_LITERAL, accepted, lambda c, v: c.bucket_name(prop, v)
            )
            return
        if isinstance(value, str) and "/" in value and not value.startswith("/"):
            bucket, _, prefix = value.partition("/")
            accepted = (
                f"a bucket name without a key part: pass {prop}={bucket!r}, prefix={prefix!r}"
            )
        # https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html:
        # the reserved prefixes and suffixes name access points, directory and table
        # buckets, never a general purpose bucket a grant could mean.
        if (
            not isinstance(value, str)
            or not _BUCKET_RE.fullmatch(value)
            or ".." in value
            or _IPV4_RE.match(value)
            or value.startswith(_BUCKET_RESERVED_PREFIXES)
            or value.endswith(_BUCKET_RESERVED_SUFFIXES)
        ):
            self.add(prop, value, accepted)

    def bucket_arn(self, prop: str, value: Any) -> None:
        if is_token(value):
            self._token(
                prop,
                value,
                _BUCKET_ARN_LITERAL,
                "a bucket ARN such as arn:aws:s3:::my-bucket (no key part)",
                lambda c, v: c.bucket_arn(prop, v),
            )
            return
        m = _BUCKET_ARN_RE.fullmatch(value) if isinstance(value, str) else None
        if not m:
            accepted = "a bucket ARN such as arn:aws:s3:::my-bucket (no key part)"
            if isinstance(value, str) and ":s3:::" in value and "/" in value:
                arn, _, prefix = value.partition("/")
                accepted += f": pass {prop}={arn!r}, prefix={prefix.rstrip('*')!r}"
            self.add(prop, value, accepted)
        else:
            self.bucket_name(prop, m.group("name"))

    def prefix(self, prop: str, value: Any) -> str | None:
        """Validate an S3 key prefix and return its normal form.

        Normal form: no leading or trailing ``/`` (``/raw/orders/`` and ``raw/orders``
        name the same prefix). Rejected: empty after normalising, wildcards ``*``/``?``
        (IAM would read them as patterns), ``${`` (IAM would expand it as a policy
        variable), ``.``/``..`` segments, empty segments (``a//b``), control characters,
        unbalanced brackets ``()[]{}`` (the object ARN goes into the cdk-nag
        acknowledgment ID ``AwsSolutions-IAM5[Resource::...]``, and aws-cdk-lib rejects an
        ID whose brackets do not pair up) and more than 1000 characters.
        """
        if value is None:
            return None
        accepted = (
            "an S3 key prefix such as 'raw/orders' (leading/trailing '/' are dropped); "
            "no '*', '?', '${', control characters, '.' or '..' segments, empty segments "
            "or unbalanced brackets ()[]{}"
        )
        if is_token(value):
            token_normal = str(value).strip("/")
            literal = "".join(token_text.pieces(token_normal))
            if not _brackets_balanced(literal):
                self.add(
                    prop,
                    value,
                    f"{accepted}; the literal text beside its tokens has unbalanced brackets",
                )
                return None
            ok = self._token(
                prop,
                token_normal,
                _PREFIX_LITERAL,
                accepted,
                lambda c, v: c.prefix(prop, v),
                whole=_PREFIX_LITERAL.pattern,
            )
            return token_normal if ok else None
        if not isinstance(value, str):
            self.add(prop, value, accepted)
            return None
        normal = value.strip("/")
        segments = normal.split("/")
        if (
            not normal
            or _PREFIX_FORBIDDEN.search(normal)
            or "${" in normal
            or not _brackets_balanced(normal)
            or any(s in ("", ".", "..") for s in segments)
            or len(normal) > 1000
        ):
            self.add(prop, value, accepted)
            return None
        return normal

    # -- AWS KMS -------------------------------------------------------------------------
    def kms_key(self, prop: str, value: Any) -> None:
        """A KMS key given as a key ARN or a ``kms.IKey``; never an alias.

        A ``kms.Alias`` is an ``IKey`` whose ``key_arn`` is the *alias* ARN, and IAM
        authorizes key use against the key ARN only
        (https://docs.aws.amazon.com/kms/latest/developerguide/cmks-in-iam-policies.html),
        so a policy on an alias ARN never matches.
        """
        if isinstance(value, str):
            self.kms_key_arn(prop, value)
        elif hasattr(value, "alias_name"):
            self.add(
                prop,
                value,
                "a kms.IKey or key ARN, not a kms.Alias: IAM policies grant a key by its key "
                "ARN, never by alias (use alias.alias_target_key or the key itself)",
            )
        elif not hasattr(value, "key_arn"):
            self.add(prop, value, "a KMS key ARN or a kms.IKey")
        else:
            self._attribute(prop, value.key_arn, PropsCheck.kms_key_arn)

    def kms_key_arn(self, prop: str, value: Any) -> None:
        if is_token(value) and self._token_form(prop, value, token_forms.KMS_KEY) is None:
            return
        if isinstance(value, str) and ":alias/" in value:
            self.add(
                prop,
                value,
                "a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/KEY-ID); an alias cannot be "
                "used in an IAM policy resource to grant access to the key",
            )
            return
        self._match(
            prop,
            value,
            _KMS_KEY_ARN_RE,
            "a KMS key ARN such as arn:aws:kms:us-east-1:123456789012:key/<uuid or mrk-id>",
        )

    # -- AWS Glue Data Catalog -----------------------------------------------------------
    def glue_name(self, prop: str, value: Any, *, kind: str = "database") -> None:
        """A Glue database or table name usable in an IAM ARN.

        Glue stores database and table names in lowercase (Hive compatibility), and IAM
        compares ARNs case-sensitively, so an uppercase name would never match.
        ``*``, ``?`` and ``/`` would turn the ARN into a pattern or another path.
        https://docs.aws.amazon.com/glue/latest/dg/aws-glue-api-catalog-tables.html
        """
        self._match(
            prop,
            value,
            _GLUE_NAME_RE,
            f"a Glue {kind} name: 1-255 characters of lowercase letters, digits, '_' and '-' "
            "(Glue stores names in lowercase; no '*', '?' or '/')",
        )

    def glue_connection_name(self, prop: str, value: Any) -> None:
        """A Glue connection name usable in an IAM ARN (no wildcard or path characters)."""
        self._match(
            prop,
            value,
            _GLUE_CONNECTION_RE,
            "a Glue connection name: 1-255 characters of letters, digits and _.+=@-",
        )

    # -- CloudWatch Logs -----------------------------------------------------------------
    def log_group(self, prop: str, value: Any) -> str | None:
        """A log group given as a name, an ARN (with or without ``:*``) or a
        ``logs.ILogGroup``; returns the form of a string (``"name"`` or ``"arn"``)."""
        if isinstance(value, str):
            form = self._token_form(prop, value, token_forms.LOG_GROUP) if is_token(value) else None
            if is_token(value) and form is None:
                return None
            if form == "arn" or (form is None and value.startswith("arn:")):
                self.log_group_arn(prop, value)
                return "arn"
            self.log_group_name(prop, value)
            return "name"
        if not hasattr(value, "log_group_arn"):
            self.add(prop, value, "a log group name, a log group ARN or a logs.ILogGroup")
        return None

    def log_group_name(self, prop: str, value: Any) -> None:
        """A CloudWatch Logs log group name."""
        self._match(
            prop,
            value,
            _LOG_GROUP_NAME_RE,
            "a log group name: 1-512 characters of letters, digits and ._-/# (no '*' or ':')",
        )

    def log_group_arn(self, prop: str, value: Any) -> None:
        """A CloudWatch Logs log group ARN, with or without the trailing ``:*``."""
        self._match(
            prop,
            value,
            _LOG_GROUP_ARN_RE,
            "a log group ARN such as arn:aws:logs:us-east-1:123456789012:log-group:/ecs/app "
            "(optionally ending in ':*')",
        )

    # -- Secrets Manager -----------------------------------------------------------------
    def secret(self, prop: str, value: Any) -> str | None:
        """A secret given as a name, a complete secret ARN or a ``secretsmanager.ISecret``;
        returns the form of a string (``"name"`` or ``"arn"``)."""
        if isinstance(value, str):
            form = self._token_form(prop, value, token_forms.SECRET) if is_token(value) else None
            if is_token(value) and form is None:
                return None
            if form == "arn" or (form is None and value.startswith("arn:")):
                self.secret_arn(prop, value)
                return "arn"
            self.secret_name(prop, value)
            return "name"
        if not hasattr(value, "secret_arn"):
            self.add(prop, value, "a secret name, a secret ARN or a secretsmanager.ISecret")
        return None

    def secret_name(self, prop: str, value: Any) -> None:
        """A Secrets Manager secret name (no ARN, no random suffix, no wildcard)."""
        self._match(
            prop,
            value,
            _SECRET_NAME_RE,
            "a Secrets Manager secret name such as 'lokryn/ducklake/config': 1-512 "
            "characters of letters, digits and /_+=.@- (no ':', '*' or '?')",
        )

    def secret_arn(self, prop: str, value: Any) -> None:
        """A complete Secrets Manager secret ARN, with the 6-character suffix.

        A partial ARN (without the suffix) matches no secret as an IAM resource; it is
        rejected with the forms that work for it (the name, or
        ``Secret.from_secret_partial_arn``, both granted as ``NAME-??????``).
        """
        ok = self._match(
            prop,
            value,
            _SECRET_ARN_RE,
            "a secret ARN such as arn:aws:secretsmanager:us-east-1:123456789012:"
            "secret:lokryn/ducklake/config-AbCdEf (exactly one 'secret:' part)",
        )
        if ok and not is_token(value) and not _SECRET_SUFFIX_RE.search(value):
            self.add(
                prop,
                value,
                "a complete secret ARN ending in '-' and the 6 random characters Secrets "
                "Manager appends; this looks like a partial ARN, which matches no secret in "
                "IAM: pass the secret name, or secretsmanager.Secret.from_secret_partial_arn("
                "scope, id, arn) (both are granted as NAME-??????)",
            )

    # -- Amazon ECR ----------------------------------------------------------------------
    def ecr_repository(self, prop: str, value: Any) -> str | None:
        """An ECR repository given as its ARN, a private image URI or an ``ecr.IRepository``;
        returns the form of a string (``"arn"`` or ``"uri"``)."""
        if isinstance(value, str):
            form = (
                self._token_form(prop, value, token_forms.ECR_REPOSITORY)
                if is_token(value)
                else None
            )
            if is_token(value) and form is None:
                return None
            if form == "arn" or (form is None and value.startswith("arn:")):
                self.ecr_repository_arn(prop, value)
                return "arn"
            self.ecr_image_uri(prop, value)
            return "uri"
        if not hasattr(value, "repository_arn"):
            self.add(prop, value, "an ECR repository ARN, an ECR image URI or an ecr.IRepository")
        return None

    def ecr_repository_arn(self, prop: str, value: Any) -> None:
        """An Amazon ECR repository ARN."""
        self._match(
            prop,
            value,
            _ECR_REPOSITORY_ARN_RE,
            "an ECR repository ARN such as "
            "arn:aws:ecr:us-east-1:123456789012:repository/team/image (no tag, no wildcard)",
        )

    def ecr_image_uri(self, prop: str, value: Any) -> None:
        """A private Amazon ECR image URI (``ACCOUNT.dkr.ecr.REGION.amazonaws.com/repo:tag``)."""
        self._match(
            prop,
            value,
            ECR_IMAGE_URI_RE,
            "an ECR image URI such as 123456789012.dkr.ecr.us-east-1.amazonaws.com/repo:tag "
            "(or @sha256:<digest>)",
        )

    # -- Amazon EKS, Kubernetes and OIDC -------------------------------------------------
    def eks_cluster_name(self, prop: str, value: Any) -> None:
        """An Amazon EKS cluster name."""
        self._match(
            prop,
            value,
            _EKS_CLUSTER_NAME_RE,
            "an EKS cluster name: 1-100 characters of letters, digits, '-' and '_', "
            "starting with a letter or digit",
        )

    def k8s_namespace(self, prop: str, value: Any) -> None:
        """A Kubernetes namespace: an RFC 1123 DNS label (what the API server accepts).

        https://kubernetes.io/docs/concepts/overview/working-with-objects/names/
        """
        self._match(
            prop,
            value,
            _DNS1123_LABEL_RE,
            "a Kubernetes namespace (RFC 1123 label): 1-63 characters of lowercase letters, "
            "digits and '-', starting and ending with a letter or digit",
        )

    def k8s_service_account(self, prop: str, value: Any) -> None:
        """A Kubernetes ServiceAccount name: an RFC 1123 DNS subdomain."""
        accepted = (
            "a Kubernetes ServiceAccount name (RFC 1123 subdomain): at most 253 characters "
            "of lowercase letters, digits, '-' and '.', each '.'-separated part starting "
            "and ending with a letter or digit"
        )
        if is_token(value):
            self._token(
                prop,
                value,
                _SERVICE_ACCOUNT_LITERAL,
                accepted,
                lambda c, v: c.k8s_service_account(prop, v),
            )
            return
        if (
            not isinstance(value, str)
            or len(value) > 253
            or not _DNS1123_SUBDOMAIN_RE.fullmatch(value)
        ):
            self.add(prop, value, accepted)

    def oidc_provider(self, prop: str, value: Any) -> str | None:
        """An OIDC provider given as its ARN, an ``https://`` issuer URL or an
        ``iam.IOpenIdConnectProvider``; returns the form of a string (``"arn"``/``"url"``)."""
        if isinstance(value, str):
            form = (
                self._token_form(prop, value, token_forms.OIDC_PROVIDER)
                if is_token(value)
                else None
            )
            if is_token(value):
                if form == "url":
                    self.oidc_issuer_url(prop, value)
                elif form == "arn":
                    self.oidc_provider_arn(prop, value)
                return form
            if value.startswith("https://"):
                self.oidc_issuer_url(prop, value)
                return "url"
            if value.startswith("arn:"):
                self.oidc_provider_arn(prop, value)
                return "arn"
            hint = (
                f"an IAM OIDC provider ARN or an https:// issuer URL: this looks like an issuer "
                f"without its scheme, pass 'https://{value}'"
                if value.startswith("oidc.")
                else "an IAM OIDC provider ARN (arn:aws:iam::ACCOUNT:oidc-provider/ISSUER) or "
                "an https:// issuer URL"
            )
            self.add(prop, value, hint)
            return None
        if not hasattr(value, "open_id_connect_provider_arn"):
            self.add(
                prop,
                value,
                "an OIDC provider ARN, an https:// issuer URL or an iam.IOpenIdConnectProvider",
            )
        return None

    def oidc_provider_arn(self, prop: str, value: Any) -> None:
        """An IAM OIDC identity provider ARN (``...:oidc-provider/<issuer host/path>``)."""
        if isinstance(value, str) and "oidc-provider/https://" in value:
            self.add(
                prop,
                value,
                "a provider ARN whose resource is the issuer without https:// "
                f"('{value.replace('oidc-provider/https://', 'oidc-provider/')}')",
            )
            return
        self._match(
            prop,
            value,
            _OIDC_PROVIDER_ARN_RE,
            "an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/"
            "oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        )

    def oidc_issuer_url(self, prop: str, value: Any) -> None:
        """An OIDC issuer URL (``https://host/path``), e.g. an EKS cluster's issuer."""
        if isinstance(value, str) and ":oidc-provider/" in value:
            self.add(
                prop,
                value,
                "an https:// issuer URL or a provider ARN, not both: pass the provider ARN "
                "(arn:...:oidc-provider/ISSUER-HOST/PATH) alone, or 'https://ISSUER-HOST/PATH'",
            )
            return
        self._match(
            prop,
            value,
            _OIDC_ISSUER_URL_RE,
            "an https:// OIDC issuer URL such as "
            "https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE",
        )
