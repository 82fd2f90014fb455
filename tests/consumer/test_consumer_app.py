"""lakehouse-iam installed as a dependency of a user's app (CONTRIBUTING.md, consumer test).

The pipeline (:mod:`tests.consumer.pipeline`) runs beside the rest of the suite; these
tests wait for it and judge what it produced: the wheel is what the app imports, the
multi-stack app synthesizes with the four packs and no finding on a library construct,
every policy names exactly the right ARN once references are resolved, the lowest
declared versions install and render the same policies, and the documented examples
(README.md, CONTRIBUTING.md, docs/*.md) and the app type-check (mypy --strict, pyright
strict) against the installed wheel.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.consumer import pipeline
from tests.consumer.apps.consumer_app import (
    DATAPLANE,
    IMAGE,
    ISSUER,
    LITERAL_KEY,
    SNOWFLAKE_USER,
    STORAGE_FINDINGS,
    WORKLOAD,
)
from tests.consumer.resolve import Resolver, Stack, policy_statements, read_stacks

PACKS = ("AwsSolutions", "NIST.800.53.R5", "HIPAA.Security", "PCI.DSS.321")


@pytest.fixture(scope="session")
def results(consumer_results: pipeline.Results) -> pipeline.Results:
    if consumer_results.error:
        pytest.fail(f"the consumer pipeline failed: {consumer_results.error}")
    return consumer_results


@pytest.fixture(scope="session")
def stacks(results: pipeline.Results) -> dict[str, Stack]:
    return read_stacks(results.outdirs["latest"])


def rendered(stacks: dict[str, Stack], stack_name: str, construct: str) -> dict[str, Any]:
    """Sid -> the statement's resources (and conditions), resolved across stacks."""
    resolver = Resolver(stacks)
    stack = stacks[stack_name]
    return {
        sid: {
            "Resource": resolver.render(stack, s["Resource"]),
            **({"Condition": resolver.render(stack, s["Condition"])} if "Condition" in s else {}),
        }
        for sid, s in policy_statements(stack, construct).items()
    }


def trust_principal(stacks: dict[str, Stack], stack_name: str, role_path: str) -> Any:
    stack = stacks[stack_name]
    (logical_id,) = [lid for lid, p in stack.paths.items() if p == f"{stack.path}/{role_path}"]
    document = stack.resources[logical_id]["Properties"]["AssumeRolePolicyDocument"]
    return Resolver(stacks).render(stack, document["Statement"][0]["Principal"])


# -- installed from the wheel -----------------------------------------------------------


@pytest.mark.parametrize("kind", ["latest", "lowest"])
def test_the_app_imports_the_installed_wheel_not_this_checkout(results, kind):
    # GIVEN the app's venv WHEN it imports lakehouse_iam THEN it is the wheel's copy
    location = Path(results.installed[kind])
    assert ".cache/consumer/venv-" in location.as_posix()
    assert "site-packages" in location.parts


# -- the packs --------------------------------------------------------------------------


def test_the_multi_stack_app_synthesizes_with_four_packs_and_no_library_finding(results):
    # GIVEN storage, roles, a Stage with an env and an env-agnostic stack, all four packs
    report = json.loads((results.outdirs["latest"] / "validation-report.json").read_text())
    # THEN synthesis succeeded (it raises on an unacknowledged finding) and no pack
    # reported anything
    reported = {p["pluginName"]: p["violations"] for p in report["pluginReports"]}
    assert all(not reported.get(pack) for pack in PACKS), {p: reported.get(p) for p in PACKS}


def test_the_users_acknowledgments_cover_only_the_storage_stacks(results):
    # GIVEN every acknowledgment recorded in the assembly
    library_rules = {
        # DataAccessUser's access-key secret: rotated by replacing the key (documented).
        "AwsSolutions-SMG4",
        "NIST.800.53.R5-SecretsManagerRotationEnabled",
        "HIPAA.Security-SecretsManagerRotationEnabled",
    }
    for directory in (results.outdirs["latest"], results.outdirs["latest"] / "assembly-Prod"):
        for metadata in directory.glob("*.metadata.json"):
            for path, entries in json.loads(metadata.read_text()).items():
                for entry in entries:
                    if entry["type"] != "aws:cdk:acknowledged-rules":
                        continue
                    ids = {k.removeprefix("Annotation::") for k in entry["data"]}
                    if path.rstrip("/").endswith("/Storage"):
                        # THEN the user's own ones are on the storage stacks, where no
                        # library construct is, and name only their storage findings
                        assert ids <= set(STORAGE_FINDINGS), path
                    else:
                        # AND the library's name exact wildcard resources (or the
                        # access-key rotation rules), never a whole rule
                        for rule in ids:
                            assert rule.startswith("AwsSolutions-IAM5[Resource::") or (
                                rule in library_rules
                            ), (path, rule)


# -- every ARN, resolved ------------------------------------------------------------------

ENVIRONMENTS = {
    # stack -> (partition, region, account, storage construct path, physical-name prefix)
    "Roles": ("<partition>", "<region>", "<account>", "Storage", "storage"),
    "Prod-Roles": ("aws", "eu-west-1", "111111111111", "Prod/Storage", "prod-storage"),
}


def expected_roles_stack(stack_name: str) -> dict[tuple[str, str], Any]:
    """(construct, Sid) -> the resource every form of input must render, for a roles stack."""
    p, r, a, storage, prefix = ENVIRONMENTS[stack_name]
    lake = f"arn:{p}:s3:::{prefix}-lake"
    key = f"arn:{p}:kms:{r}:{a}:key/<{storage}/Key>"
    secret = f"arn:{p}:secretsmanager:{r}:{a}:secret:{prefix}/ducklake-XXXXXX"
    logs = f"arn:{p}:logs:{r}:{a}:log-group:/{prefix}/ducklake:*"
    repository = f"arn:{p}:ecr:{r}:{a}:repository/{prefix}/ducklake"
    roles_path = stack_name.replace("-", "/")
    access_role = f"arn:{p}:iam::{a}:role/ducklake-{roles_path.replace('/', '-').lower()}-access"
    glue = f"arn:{p}:glue:{r}:{a}"
    expected: dict[tuple[str, str], Any] = {}
    for rw in ("RwObjects", "RwArnTokens", "RwNameToken"):
        expected[(rw, "S3DataObjects")] = f"{lake}/rw/*"
        expected[(rw, "S3DataBucket")] = lake
    for rw in ("RwObjects", "RwArnTokens"):
        expected[(rw, "SseKmsViaS3")] = key
    expected[("RwLiterals", "S3DataObjects")] = f"arn:{p}:s3:::literal-lake/rw/*"
    for sf in ("SfObjects", "SfArnTokens", "SfNameToken"):
        expected[(sf, "SnowflakeS3Objects")] = f"{lake}/sf/*"
        expected[(sf, "SnowflakeS3Bucket")] = lake
    for sf in ("SfObjects", "SfArnTokens"):
        expected[(sf, "SseKmsViaS3")] = key
    expected[("SfLiterals", "SnowflakeS3Objects")] = f"arn:{p}:s3:::literal-lake/iceberg/*"
    expected[("SfLiterals", "SseKmsViaS3")] = LITERAL_KEY
    for sid, path in (
        ("DatabricksS3", "dbx/objects"),
        ("DatabricksS3Location2", "dbx/arn"),
        ("DatabricksS3Location3", "dbx/name"),
    ):
        expected[("DbxLocations", f"{sid}Objects")] = f"{lake}/{path}/*"
        expected[("DbxLocations", f"{sid}Bucket")] = lake
    expected[("DbxLocations", "DatabricksS3Location4Objects")] = f"arn:{p}:s3:::literal-lake/dbx/*"
    expected[("DbxLocations", "SseKmsViaS3")] = key
    dbx_role = f"dbx-uc-{roles_path.replace('/', '-').lower()}"
    expected[("DbxLocations", "SelfAssume")] = f"arn:{p}:iam::{a}:role/{dbx_role}"
    expected[("SfGlue", "SnowflakeGlueReadTables")] = [
        f"{glue}:catalog",
        f"{glue}:database/lake",
        f"{glue}:table/lake/orders",
    ]
    expected[("BsLiteral", "BoilStreamDataObjects")] = f"arn:{p}:s3:::literal-lake/bs/*"
    expected[("QLiteral", "QualyticsSourceObjects")] = f"arn:{p}:s3:::literal-lake/raw/*"
    # a literal ARN keeps its literal partition (aws), also in an env-agnostic stack
    expected[("SrLiteral", "S3LiteralLakeStarrocksObjects")] = (
        "arn:aws:s3:::literal-lake/starrocks/*"
    )
    for bs in ("BsIngest", "BsCluster", "BsVending"):
        expected[(bs, "BoilStreamDataObjects")] = f"{lake}/bs/*"
        expected[(bs, "BoilStreamDataList")] = lake
    expected[("BsCluster", "BoilStreamClusterStateObjects")] = f"{lake}/bs/cluster_state/*"
    expected[("BsCluster", "SseKmsViaS3")] = key
    expected[("BsVending", "DuckLakeDataObjects")] = f"{lake}/bs/*"
    expected[("BsVending", "BoilStreamVendingAssumeAccessRole")] = access_role
    expected[("BsVending", "BoilStreamVendingPutAccessRolePolicy")] = access_role
    for dl in ("DlObjects", "DlArnTokens"):
        expected[(dl, "S3DataObjects")] = f"{lake}/dl/*"
        expected[(dl, "ConfigSecretSecret")] = secret
        expected[(dl, "ContainerLogsLogGroup")] = logs
        expected[(dl, "AwsLogsLogGroup")] = logs
        expected[(dl, "ImagePullRepository")] = repository
    literal_secret = f"arn:{p}:secretsmanager:{r}:{a}:secret:lokryn/ducklake/config-??????"
    expected[("DlLiterals", "ConfigSecretSecret")] = literal_secret
    expected[("DlLiterals", "ContainerLogsLogGroup")] = (
        f"arn:{p}:logs:{r}:{a}:log-group:/literal/ducklake:*"
    )
    expected[("DlLiterals", "ImagePullRepository")] = (
        "arn:aws:ecr:us-east-1:709825985650:repository/lokryn/ducklake"
    )
    for dl in ("DlIrsa", "DlIrsaArn", "DlPods"):
        expected[(dl, "S3DataObjects")] = f"{lake}/dl/*"
    expected[("QSource", "QualyticsSourceObjects")] = f"{lake}/raw/*"
    expected[("QSource", "SseKmsViaS3")] = key
    expected[("QEnrichment", "QualyticsEnrichmentObjects")] = f"{lake}/qualytics/*"
    for sr in ("SrProfile", "SrAssumed", "SrUser"):
        expected[(sr, "S3BucketStarrocksObjects")] = f"{lake}/starrocks/*"
        expected[(sr, "S3CuratedObjects")] = f"{lake}/curated/*"
        expected[(sr, "SseKmsViaS3")] = key
        expected[(sr, "GlueCatalogWriteTables")] = [
            f"{glue}:catalog",
            f"{glue}:database/lakehouse",
            f"{glue}:table/lakehouse/*",
        ]
    return expected


@pytest.mark.parametrize("stack_name", list(ENVIRONMENTS))
def test_every_input_form_renders_the_same_right_arns(stacks, stack_name):
    # GIVEN objects, ARN tokens, name tokens and literals for the same storage
    # WHEN the policies are resolved across stacks THEN each names exactly the right ARN
    expected = expected_roles_stack(stack_name)
    actual = {}
    for construct, sid in expected:
        statements = rendered(stacks, stack_name, construct)
        assert sid in statements, f"{stack_name}/{construct} has no statement {sid}"
        actual[(construct, sid)] = statements[sid]["Resource"]
    assert actual == expected


@pytest.mark.parametrize("stack_name", list(ENVIRONMENTS))
def test_kms_and_vending_conditions_name_the_right_region_and_boundary(stacks, stack_name):
    p, r, a, _, _ = ENVIRONMENTS[stack_name]
    via = rendered(stacks, stack_name, "RwArnTokens")["SseKmsViaS3"]["Condition"]
    assert via["StringEquals"] == {"kms:ViaService": f"s3.{r}.amazonaws.com"}
    put = rendered(stacks, stack_name, "BsVending")["BoilStreamVendingPutAccessRolePolicy"]
    boundary = (
        f"arn:{p}:iam::{a}:policy/<{stack_name.replace('-', '/')}/BsVending/AccessRoleBoundary>"
    )
    assert put["Condition"] == {"StringEquals": {"iam:PermissionsBoundary": boundary}}


@pytest.mark.parametrize("stack_name", list(ENVIRONMENTS))
def test_trusts_name_the_right_principals(stacks, stack_name):
    p, _, a, storage, _ = ENVIRONMENTS[stack_name]
    assert trust_principal(stacks, stack_name, "RwArnTokens/DataAccess/Role") == {"AWS": WORKLOAD}
    assert trust_principal(stacks, stack_name, "QSource/Role/Role") == {"AWS": DATAPLANE}
    # Snowflake: step 2 trusts exactly its IAM user; step 1 only the own account, under a
    # condition no request meets (tests/unit/test_snowflake.py, the probe table)
    sf_user = {"AWS": SNOWFLAKE_USER}
    assert trust_principal(stacks, stack_name, "SfArnTokens/DataAccess/Role") == sf_user
    assert trust_principal(stacks, stack_name, "SfGlue/DataAccess/Role") == sf_user
    own_root = {"AWS": f"arn:{p}:iam::{a}:root"}
    assert trust_principal(stacks, stack_name, "SfObjects/DataAccess/Role") == own_root
    # Databricks: the published master role of the stack's partition; looked up by
    # AWS::Partition where synthesis does not know it (never guessed)
    master: Any = "arn:aws:iam::414351767826:role/unity-catalog-prod-UCMasterRole-14S5ZJVKOTYTL"
    if p == "<partition>":
        master = {"Fn::FindInMap": ["DatabricksUnityCatalogMasterRoles", p, "RoleArn"]}
    dbx = trust_principal(stacks, stack_name, "DbxLocations/DataAccess/Role")
    assert dbx == {"AWS": master}
    provider = f"arn:{p}:iam::{a}:oidc-provider/{ISSUER}"
    for irsa in ("DlIrsa", "DlIrsaArn"):
        assert trust_principal(stacks, stack_name, f"{irsa}/TaskRole/Role") == {
            "Federated": provider
        }
    cluster = f"arn:{p}:iam::{a}:role/<{storage}/ClusterRole>"
    assert trust_principal(stacks, stack_name, "SrAssumed/DataRole/Role") == {"AWS": cluster}


def test_parameters_and_imports_render_in_their_construct_forms(stacks):
    p, r, a = "<partition>", "<region>", "<account>"
    rw = rendered(stacks, "Agnostic", "RwParams")
    assert rw["S3DataObjects"]["Resource"] == f"arn:{p}:s3:::<Agnostic:BucketName>/rw/*"
    assert rw["SseKmsViaS3"]["Resource"] == "<Agnostic:KeyArn>"
    imported = rendered(stacks, "Agnostic", "RwImport")
    assert imported["S3DataObjects"]["Resource"] == f"arn:{p}:s3:::<import SharedLake>/rw/*"
    dl = rendered(stacks, "Agnostic", "DlParams")
    assert dl["ConfigSecretSecret"]["Resource"] == (
        f"arn:{p}:secretsmanager:{r}:{a}:secret:<Agnostic:DuckLakeConfig>-??????"
    )
    assert dl["ContainerLogsLogGroup"]["Resource"] == (
        f"arn:{p}:logs:{r}:{a}:log-group:<Agnostic:LogGroup>:*"
    )
    assert dl["ImagePullRepository"]["Resource"] == (
        f"arn:{p}:ecr:{r}:{a}:repository/<Agnostic:Repository>"
    )
    trust = trust_principal(stacks, "Agnostic", "RwParams/DataAccess/Role")
    assert trust == {"AWS": "<Agnostic:WorkloadRoleArn>"}
    param_bucket = f"arn:{p}:s3:::<Agnostic:BucketName>"
    shared = f"arn:{p}:s3:::<import SharedLake>"
    for construct, sid, resource in (
        ("BsParamBucket", "BoilStreamDataObjects", f"{param_bucket}/bs/*"),
        ("QParams", "QualyticsSourceObjects", f"{param_bucket}/*"),
        ("SrParams", "S3LakeObjects", f"{param_bucket}/*"),
        ("BsParams", "BoilStreamDataObjects", f"{shared}/bs/*"),
        ("DlImport", "S3DataObjects", f"{shared}/dl/*"),
        ("QImport", "QualyticsSourceObjects", f"{shared}/*"),
        ("SrImport", "S3SharedObjects", f"{shared}/*"),
        ("SfParams", "SnowflakeS3Objects", f"{param_bucket}/<Agnostic:SnowflakePrefix>/*"),
        ("SfImport", "SnowflakeS3Objects", f"{shared}/sf/*"),
    ):
        assert rendered(stacks, "Agnostic", construct)[sid]["Resource"] == resource, construct
    assert trust_principal(stacks, "Agnostic", "SfParams/DataAccess/Role") == {
        "AWS": "<Agnostic:SnowflakeUserArn>"
    }
    glue = rendered(stacks, "Agnostic", "SfGlueParams")["SnowflakeGlueReadTables"]["Resource"]
    assert glue[0] == f"arn:{p}:glue:<Agnostic:GlueRegion>:{a}:catalog"
    assert IMAGE.startswith("709825985650.dkr.ecr.")  # the literal image of DlLiterals


# -- lowest declared versions -------------------------------------------------------------


def test_the_lowest_declared_versions_install_and_render_the_same_policies(results, stacks):
    # GIVEN the venv of exactly pyproject's floors (aws-cdk-lib==2.269 ...)
    ready = (next(pipeline.CACHE.glob("venv-lowest-*")) / ".ready").read_text().split()
    assert sorted(ready) == sorted(pipeline.floors())
    # THEN the same app synthesized there (with its four packs) renders the same policies
    lowest = read_stacks(results.outdirs["lowest"])
    for stack_name in ("Roles", "Prod-Roles", "Agnostic"):
        for construct in ("RwObjects", "BsVending", "DlObjects", "SrAssumed", "RwParams"):
            if any(
                p.startswith(f"{stacks[stack_name].path}/{construct}/")
                for p in stacks[stack_name].paths.values()
            ):
                assert rendered(lowest, stack_name, construct) == rendered(
                    stacks, stack_name, construct
                ), f"{stack_name}/{construct}"


def test_the_floors_are_the_pyproject_lower_bounds():
    assert pipeline.floors() == [
        "aws-cdk-lib==2.269",
        "constructs==10.5.1",
        "cdk-nag==3.0.2",
    ]


# -- typing -------------------------------------------------------------------------------


def test_readme_examples_and_the_app_pass_mypy_strict_against_the_wheel(results):
    # GIVEN every complete python block of the docs, the consumer app and one deliberate error
    assert len(results.typed_files) >= 6
    # THEN mypy --strict reports exactly the deliberate error (so it really checked)
    assert [e.split(": error:")[0] for e in results.mypy] == ["bad_example.py:15"], results.mypy


def test_readme_examples_and_the_app_pass_pyright_strict_against_the_wheel(results):
    errors = [(Path(str(d["file"])).name, d["range"]["start"]["line"] + 1) for d in results.pyright]  # type: ignore[index]
    assert errors == [("bad_example.py", 15)], results.pyright
    # aws-cdk-lib's own classes fail their interfaces in pyright (aws/jsii#4541): the
    # errors set aside are only the class/protocol pairs aws-cdk-lib alone shows.
    if results.pyright_upstream:
        assert results.pyright_control, "upstream errors set aside without a control"
