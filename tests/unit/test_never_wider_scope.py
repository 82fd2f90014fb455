"""Never wider than written: the library acknowledges only what it rendered itself.

cdk-nag honours an acknowledgment on a construct for every resource under it. The
library therefore records each acknowledgment on the policy resource it rendered (the
``AWS::IAM::ManagedPolicy``'s CfnResource), never on a construct a user can add to: a
user's own wildcard on a library role is reported by every pack.
"""

from __future__ import annotations

import aws_cdk as cdk
import pytest
from aws_cdk import assertions
from aws_cdk import aws_iam as iam
from aws_cdk import aws_s3 as s3
from constructs import IConstruct

from lakehouse_iam import (
    BoilStreamAccess,
    BoilStreamLevel,
    CrossAccountTrust,
    DataAccessRole,
    EcrPullGrant,
    EcsTaskTrust,
    GlueCatalogGrant,
    LogsGrant,
    PodIdentityTrust,
    RisingWaveAccess,
    RoleTrust,
    S3Grant,
    S3Location,
    SecretsGrant,
    SseKmsGrant,
    StarRocksAssumedRoleAccess,
    StarRocksPermissions,
)
from lakehouse_iam.nag import acknowledged_findings, add_compliance_checks, compliance_packs
from tests.helpers import make_app

TRUST = CrossAccountTrust(role_arn="arn:aws:iam::222222222222:role/v", external_id="ext-1")
ENV = cdk.Environment(account="111111111111", region="eu-west-1")
USER_WILDCARD = "AwsSolutions-IAM5[Resource::*]"


def walk(node: IConstruct):
    yield node
    for child in node.node.children:
        yield from walk(child)


def role_with_grants(count: int) -> tuple[cdk.App, DataAccessRole]:
    """A role with ``count`` grants; the last is ECR pull, whose auth token is on '*' (the
    library's own, acknowledged wildcard). Over 10 grants the role packs its policies."""
    app = make_app()
    stack = cdk.Stack(app, "Stack", env=ENV)
    grants: list[S3Grant | EcrPullGrant] = [
        S3Grant(location=S3Location(bucket=f"bucket-{i}"), actions=S3Grant.READ)
        for i in range(count - 1)
    ]
    grants.append(EcrPullGrant(repository="arn:aws:ecr:eu-west-1:111111111111:repository/app"))
    return app, DataAccessRole(stack, "Role", trust=TRUST, grants=grants)


def findings_by_pack(app: cdk.App) -> dict[str, set[tuple[str, str]]]:
    """(finding, construct path) of each pack's report, by pack class name."""
    found: dict[str, set[tuple[str, str]]] = {}
    for pack in compliance_packs():
        report = pack(app).validate_scope(app)
        found[pack.__name__] = {
            (violation.rule_name, resource.construct_path)
            for violation in report.violations
            for resource in violation.violating_resources
        }
    return found


@pytest.mark.parametrize("grants", [9, 11], ids=["unpacked-9-grants", "packed-11-grants"])
def test_a_users_wildcard_statement_on_a_library_role_is_reported_by_every_pack(grants):
    # GIVEN a DataAccessRole (9 grants: one policy per grant; 11: packed into Policy1..N),
    # whose ECR grant renders the library's own acknowledged '*'
    app, role = role_with_grants(grants)
    assert ("Policy1" in role.policies) == (grants == 11)
    # WHEN the user adds iam:PassRole on '*' to the role (Role/DefaultPolicy)
    role.role.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], resources=["*"]))
    # THEN every pack reports the user's policy resource, AwsSolutions its IAM5[Resource::*]
    default_policy = "Stack/Role/Role/DefaultPolicy/Resource"
    found = findings_by_pack(app)
    assert (USER_WILDCARD, default_policy) in found["AwsSolutionsChecks"]
    for pack, findings in found.items():
        assert any(path == default_policy for _, path in findings), pack
    # AND the library's own '*' (ecr:GetAuthorizationToken) stays acknowledged
    assert not any(path != default_policy for f in found.values() for _, path in f)


def test_a_users_wildcard_fails_synthesis_of_a_packed_role():
    # GIVEN a packed role (11 grants) and the four packs, as a user's app adds them
    app, role = role_with_grants(11)
    add_compliance_checks(app)
    # WHEN the user adds iam:PassRole on '*' THEN synthesis fails on it
    role.role.add_to_policy(iam.PolicyStatement(actions=["iam:PassRole"], resources=["*"]))
    with pytest.raises(
        Exception, match=r"DefaultPolicy/Resource[^\n]*\n[^\n]*AwsSolutions-IAM5\[Resource::\*\]"
    ):
        app.synth()


@pytest.mark.parametrize("grants", [9, 11], ids=["unpacked-9-grants", "packed-11-grants"])
def test_a_users_own_managed_policy_inside_the_role_construct_is_reported(grants):
    # GIVEN a library role, and a managed policy the user creates inside its subtree
    app, role = role_with_grants(grants)
    iam.ManagedPolicy(
        role,
        "Mine",
        roles=[role.role],
        statements=[iam.PolicyStatement(actions=["iam:PassRole"], resources=["*"])],
    )
    # THEN its '*' is the user's, and AwsSolutions reports it
    found = findings_by_pack(app)["AwsSolutionsChecks"]
    assert (USER_WILDCARD, "Stack/Role/Mine/Resource") in found


def test_each_packed_policy_acknowledges_only_the_wildcards_it_holds():
    # GIVEN a packed role whose ECR grant's '*' lands in one of the packed policies
    _, role = role_with_grants(11)
    # THEN the '*' is acknowledged on the policy resource holding it, and nowhere else
    holders = [
        sid
        for sid, policy in role.policies.items()
        if USER_WILDCARD in acknowledged_findings(policy.node.default_child)
    ]
    assert len(holders) == 1
    assert acknowledged_findings(role) == {}
    assert acknowledged_findings(role.role) == {}


def test_every_library_acknowledgment_in_the_example_stacks_sits_on_a_cfn_resource(example_app):
    # GIVEN every example stack (all vendors, trusts, grants, stacks)
    # THEN each acknowledgment is recorded on one CloudFormation resource, not a subtree
    holders = [node for node in walk(example_app) if acknowledged_findings(node)]
    assert holders
    not_resources = [n.node.path for n in holders if not cdk.CfnResource.is_cfn_resource(n)]
    assert not_resources == []


# -- principals of another account -------------------------------------------------------
FOREIGN_ROLE = "arn:aws:iam::999999999999:role/boilstream"


def stack_of(account: str | None = "111111111111") -> cdk.Stack:
    env = cdk.Environment(account=account, region="eu-west-1") if account else None
    return cdk.Stack(make_app(), "Stack", env=env)


FOREIGN_PRINCIPALS = {
    "imported-role": lambda s: iam.Role.from_role_arn(s, "X", FOREIGN_ROLE),
    "imported-user": lambda s: iam.User.from_user_arn(
        s, "X", "arn:aws:iam::999999999999:user/boilstream"
    ),
    "imported-group": lambda s: iam.Group.from_group_arn(
        s, "X", "arn:aws:iam::999999999999:group/boilstream"
    ),
    "role-of-another-accounts-stack": lambda s: iam.Role(
        cdk.Stack(s.node.root, "Other", env=cdk.Environment(account="999999999999")),
        "X",
        assumed_by=iam.ServicePrincipal("ecs-tasks.amazonaws.com"),
    ),
}


@pytest.mark.parametrize("make_principal", FOREIGN_PRINCIPALS.values(), ids=FOREIGN_PRINCIPALS)
def test_boilstream_refuses_a_principal_of_another_account(make_principal):
    # GIVEN a stack of account 111111111111 and a role, user or group of 999999999999
    stack = stack_of()
    principal = make_principal(stack)
    # WHEN BoilStream's policies would be attached to it (by name, in 111111111111)
    # THEN it is refused, saying what to do instead
    with pytest.raises(ValueError, match=r"principal=.*account 999999999999.*CrossAccountTrust"):
        BoilStreamAccess(
            stack, "B", principal=principal, bucket="lake", level=BoilStreamLevel.DUCKLAKE
        )


@pytest.mark.parametrize(
    "account, arn",
    [
        ("111111111111", "arn:aws:iam::111111111111:role/boilstream"),  # same account
        (None, FOREIGN_ROLE),  # env-agnostic stack: its account is known at deploy only
        ("111111111111", "PARAMETER"),  # an ARN from a CfnParameter: never guessed
    ],
    ids=["same-account", "env-agnostic-stack", "parameter-arn"],
)
def test_boilstream_accepts_a_principal_of_its_own_or_an_unknown_account(account, arn):
    stack = stack_of(account)
    if arn == "PARAMETER":
        arn = cdk.CfnParameter(stack, "RoleArn", type="String").value_as_string
    principal = iam.Role.from_role_arn(stack, "X", arn)
    access = BoilStreamAccess(
        stack, "B", principal=principal, bucket="lake", level=BoilStreamLevel.DUCKLAKE
    )
    assert access.policies


def test_role_trust_refuses_to_give_a_role_of_another_account_its_assume_policy():
    # GIVEN a role of 999999999999 as an iam.IRole, with grant_assume (the default)
    stack = stack_of()
    foreign = iam.Role.from_role_arn(stack, "X", "arn:aws:iam::999999999999:role/cluster")
    # THEN the trust refuses to attach sts:AssumeRole to it by name
    with pytest.raises(ValueError, match=r"role=.*account 999999999999.*as a string"):
        DataAccessRole(stack, "Data", trust=RoleTrust(role=foreign))
    # AND trusting it without a policy, or by its ARN, is fine
    DataAccessRole(stack, "NoPolicy", trust=RoleTrust(role=foreign, grant_assume=False))
    DataAccessRole(stack, "ByArn", trust=RoleTrust(role="arn:aws:iam::999999999999:role/cluster"))


def test_starrocks_refuses_a_cluster_role_of_another_account():
    stack = stack_of()
    foreign = iam.Role.from_role_arn(stack, "X", "arn:aws:iam::999999999999:role/starrocks")
    with pytest.raises(
        ValueError, match=r"(?s)StarRocksAssumedRoleAccess.*cluster_role=.*999999999999"
    ):
        StarRocksAssumedRoleAccess(
            stack,
            "StarRocks",
            permissions=StarRocksPermissions(locations=[S3Location(bucket="lake")]),
            cluster_role=foreign,
        )


# -- regions ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "make, prop",
    [
        (
            lambda: PodIdentityTrust(cluster_name="lake", region="*", session_tag_conditions=False),
            "region='*'",
        ),
        (lambda: PodIdentityTrust(cluster_name="lake", region="eu-west1"), "region='eu-west1'"),
        (lambda: SecretsGrant(secret="lokryn/ducklake/config", region="*"), "region='*'"),
        (lambda: LogsGrant(log_group="/ducklake", region="eu-*"), "region='eu-\\*'"),
        (lambda: EcsTaskTrust(region="*"), "region='\\*'"),
        (lambda: GlueCatalogGrant(databases=["sales"], region="*"), "region='\\*'"),
    ],
    ids=["pod-identity-*", "pod-identity-typo", "secrets-*", "logs-eu-*", "ecs-*", "glue-*"],
)
def test_every_region_prop_is_a_region_code(make, prop):
    # GIVEN a wildcard or a typo as a region (PodIdentityTrust rendered arn:aws:eks:*:...)
    # THEN it is refused at construction, naming the prop and the value
    with pytest.raises(ValueError, match=prop):
        make()


def in_typo_stack(build):
    stack = cdk.Stack(
        make_app(), "TypoStack", env=cdk.Environment(account="111111111111", region="eu-west1")
    )
    build(stack)


TYPO_BUILDS = {
    "risingwave": lambda s: RisingWaveAccess(
        s, "RW", workload_identity_role_arn="arn:aws:iam::222222222222:role/rw", bucket="lake"
    ),
    "boilstream": lambda s: BoilStreamAccess(
        s, "B", principal=EcsTaskTrust(), bucket="lake", level=BoilStreamLevel.DUCKLAKE
    ),
    "pod-identity": lambda s: DataAccessRole(
        s, "R", trust=PodIdentityTrust(cluster_name="lake", session_tag_conditions=False)
    ),
    "secret-by-name": lambda s: DataAccessRole(
        s, "R", trust=EcsTaskTrust(), grants=[SecretsGrant(secret="lokryn/ducklake/config")]
    ),
    "glue": lambda s: DataAccessRole(
        s, "R", trust=EcsTaskTrust(), grants=[GlueCatalogGrant(databases=["sales"])]
    ),
}


@pytest.mark.parametrize("build", TYPO_BUILDS.values(), ids=TYPO_BUILDS)
def test_a_stack_env_region_typo_is_refused_naming_the_stack_and_the_value(build):
    # GIVEN a stack with env region 'eu-west1' (a typo of eu-west-1)
    # WHEN a construct reads the stack's region THEN a ValueError names the stack and value
    with pytest.raises(ValueError, match=r"Stack TypoStack: env region='eu-west1' is invalid"):
        in_typo_stack(build)


def test_an_imported_buckets_region_typo_is_refused():
    # GIVEN a bucket imported with region='eu-west1', given to an SSE-KMS grant
    stack = stack_of()
    bucket = s3.Bucket.from_bucket_attributes(stack, "Lake", bucket_name="lake", region="eu-west1")
    grant = SseKmsGrant(
        key="arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        read=True,
        locations=[S3Location(bucket=bucket)],
    )
    # THEN kms:ViaService is not rendered from it: the region is refused, named
    with pytest.raises(ValueError, match=r"bucket's region='eu-west1' is invalid"):
        DataAccessRole(stack, "R", trust=EcsTaskTrust(), grants=[grant])


# -- physical names fit IAM's limits ------------------------------------------------------
def level_3_on(bucket_of, **kwargs):
    """A level-3 BoilStreamAccess in a roles stack, on the bucket ``bucket_of(app, roles)``."""
    app = make_app()
    roles = cdk.Stack(app, "AcmeLakehouseRolesStack")
    access = BoilStreamAccess(
        roles,
        "BoilStream",
        principal=EcsTaskTrust(),
        bucket=bucket_of(app, roles),
        level=BoilStreamLevel.CREDENTIAL_VENDING,
        **kwargs,
    )
    return roles, access


def generated_bucket(app, _):
    # The README's storage-stack pattern: CloudFormation names the bucket at deploy time
    # (acmelakehousestoragestack-lakebucket<hash>-<random>: 67 characters with the role's).
    return s3.Bucket(cdk.Stack(app, "AcmeLakehouseStorageStack"), "LakeBucket")


def test_level_3_on_a_bucket_named_at_deploy_time_requires_access_role_name():
    # GIVEN a bucket of another stack whose name CloudFormation generates (up to 63 chars)
    # THEN ducklake-<bucket>-access cannot be proven to fit 64: access_role_name is required
    with pytest.raises(ValueError, match=r"access_role_name=None is invalid: expected a role name"):
        level_3_on(generated_bucket)
    # AND with it, the role is named as given
    roles, _ = level_3_on(generated_bucket, access_role_name="ducklake-acme-access")
    names = [
        r["Properties"].get("RoleName")
        for r in assertions.Template.from_stack(roles).find_resources("AWS::IAM::Role").values()
    ]
    assert "ducklake-acme-access" in names


def test_level_3_keeps_the_default_name_where_its_length_is_known_to_fit():
    # GIVEN a bucket of another stack with an explicit name: the default name is unchanged
    roles, _ = level_3_on(
        lambda app, _: s3.Bucket(cdk.Stack(app, "Storage"), "Lake", bucket_name="lake-data")
    )
    role_names = [
        r["Properties"].get("RoleName")
        for r in assertions.Template.from_stack(roles).find_resources("AWS::IAM::Role").values()
    ]
    # (ducklake-<the other stack's bucket name>-access, as before: not replaced)
    (joined,) = [n["Fn::Join"][1] for n in role_names if isinstance(n, dict)]
    assert joined[0] == "ducklake-" and joined[2] == "-access"
    assert "Fn::GetStackOutput" in joined[1]  # cdk.json: weak cross-stack references
    # AND a CfnParameter bucket name bounded to 48 characters (the level-3 template's)
    level_3_on(
        lambda _, roles: s3.Bucket.from_bucket_name(
            roles,
            "Lake",
            cdk.CfnParameter(roles, "BucketName", type="String", max_length=48).value_as_string,
        )
    )


@pytest.mark.parametrize(
    "max_length, expected",
    [(None, "access_role_name=None is invalid"), (60, r"up to 76 characters")],
    ids=["parameter-without-max-length", "parameter-max-length-60"],
)
def test_level_3_on_a_parameter_bucket_name_needs_a_bound_that_fits(max_length, expected):
    def bucket(_, roles):
        name = cdk.CfnParameter(roles, "BucketName", type="String", max_length=max_length)
        return s3.Bucket.from_bucket_name(roles, "Lake", name.value_as_string)

    with pytest.raises(ValueError, match=expected):
        level_3_on(bucket)


def test_a_role_name_known_only_at_deploy_time_must_fit_and_so_must_its_policy_names():
    stack = stack_of()
    long = cdk.CfnParameter(stack, "Long", type="String", max_length=70).value_as_string
    # GIVEN a role_name from a parameter allowing 70 characters THEN it is refused
    with pytest.raises(ValueError, match=r"role_name=.*up to 70 characters"):
        DataAccessRole(stack, "LongRole", trust=TRUST, role_name=long)
    # AND a role_name of unknown length (at most IAM's 64) with a 70-character grant name
    # would make <role_name>-<grant name> longer than 128: refused, naming both
    free = cdk.CfnParameter(stack, "Free", type="String").value_as_string
    grant = S3Grant(location=S3Location(bucket="lake"), actions=S3Grant.READ, name="G" * 70)
    with pytest.raises(ValueError, match=r"role_name \+ '-' \+ grant name=.*up to 135 characters"):
        DataAccessRole(stack, "FreeRole", trust=TRUST, role_name=free, grants=[grant])


def test_the_example_stacks_iam_names_are_literal_and_within_iams_limits(example_templates):
    limits = {"RoleName": 64, "UserName": 64, "GroupName": 128, "ManagedPolicyName": 128}
    limits["InstanceProfileName"] = 128
    for stack_name, template in example_templates.items():
        for logical_id, resource in template["Resources"].items():
            for prop, limit in limits.items():
                name = resource.get("Properties", {}).get(prop)
                if name is None or resource["Type"] == "AWS::IAM::AccessKey":
                    continue
                assert isinstance(name, str), (stack_name, logical_id, prop, name)
                assert len(name) <= limit, (stack_name, logical_id, prop, name)
