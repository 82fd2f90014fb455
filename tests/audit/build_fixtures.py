"""Write the audit's fixtures: ``python -m tests.audit.build_fixtures``.

``tests/audit/fixtures/`` (described in its README.md) holds, for the example stacks
synthesized from cdk.json's context:

* ``stack-resources/<stack>.json``: ``describe-stack-resources`` output with
  deterministic physical IDs (CloudFormation's ``<stack>-<logical id>-<suffix>`` form);
* ``trail/AWSLogs/.../*.json.gz``: every request of the recorded traces replayed by
  ``traces/targets.yaml`` (base targets) as the CloudTrail records it would produce, for
  the principals of that target, in log files as CloudTrail delivers them;
* ``lookup-events.json`` and ``lake-export.jsonl``: the denied examples (:data:`CASES`),
  as ``aws cloudtrail lookup-events`` output (management events) and as CloudTrail Lake /
  Athena rows (JSON Lines, lower-case columns).

Re-run it after a change to the example stacks or the traces, and commit the result.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
import sys
import tempfile
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from lakehouse_iam._private.cfn_resolver import Resolver, Unresolvable
from lakehouse_iam.audit.principals import _NAME_PROPERTIES
from lakehouse_iam.report.assembly import read_assembly
from traces import fixture as fx
from traces import mapping as tm
from traces.replay import load_targets

from . import trail

FIXTURES = Path(__file__).with_name("fixtures")
STACK_RESOURCES = FIXTURES / "stack-resources"
TRAIL = FIXTURES / "trail"
LOOKUP_EVENTS = FIXTURES / "lookup-events.json"
LAKE_EXPORT = FIXTURES / "lake-export.jsonl"
START = datetime(2026, 11, 2, 10, 0, 0, tzinfo=timezone.utc)

TRACE_TARGETS = {
    "ducklake-ecs": ("DuckLake/TaskRole/Role",),
    "boilstream": ("DuckLake/Role/Role", "CredentialVending/AccessRole/Role"),
    "risingwave": ("RisingWave/DataAccess/Role",),
    "starrocks": ("AssumedRole/DataRole/Role", "IamUser/User/User"),
}
"""Base targets of traces/targets.yaml replayed into the trail, and for which principals."""
OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/0f6c2f3a-7d1e-4c55-8a9b-3e2d1c0b9a87"
"""A customer-managed key the DuckLake construct is not given (the "wrong key" case)."""


def synthesize(outdir: Path) -> None:
    import aws_cdk as cdk

    from lakehouse_iam.stacks import build_example_stacks
    from tests.helpers import cdk_json_context

    app = cdk.App(context=cdk_json_context(), outdir=str(outdir))
    build_example_stacks(app)
    app.synth()


def _suffix(*parts: str, length: int = 12) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length].upper()


def physical_ids(stack: str, template: Mapping[str, Any]) -> dict[str, tuple[str, str]]:
    """Logical ID -> (type, physical ID), as CloudFormation would name them."""
    resources = template.get("Resources", {})
    ids: dict[str, str] = {}
    for logical_id, resource in resources.items():
        kind = resource["Type"]
        if kind == "AWS::KMS::Key":
            ids[logical_id] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{stack}/{logical_id}"))
        elif kind == "AWS::S3::Bucket":
            ids[logical_id] = f"{stack}-{logical_id[:-8]}-{_suffix(stack, logical_id)}".lower()[:63]
        else:
            ids[logical_id] = (
                f"{stack}-{logical_id[:-8] or logical_id}"[:50] + "-" + _suffix(stack, logical_id)
            )
    resolver = Resolver(
        template=dict(template),
        physical_ids=ids,
        pseudo={
            "AWS::StackName": stack,
            "AWS::Region": trail.REGION,
            "AWS::AccountId": trail.ACCOUNT,
            "AWS::Partition": "aws",
        },
        parameters={},
        get_att=lambda *a: (_ for _ in ()).throw(Unresolvable("no attributes")),
    )
    for logical_id, resource in resources.items():
        prop = _NAME_PROPERTIES.get(resource["Type"])
        value = resource.get("Properties", {}).get(prop) if prop else None
        if value is not None:
            ids[logical_id] = str(resolver.resolve(value))
    return {lid: (resources[lid]["Type"], pid) for lid, pid in ids.items()}


def describe_stack_resources(stack: str, ids: Mapping[str, tuple[str, str]]) -> dict[str, Any]:
    stack_id = f"arn:aws:cloudformation:{trail.REGION}:{trail.ACCOUNT}:stack/{stack}/" + str(
        uuid.uuid5(uuid.NAMESPACE_URL, stack)
    )
    return {
        "StackResources": [
            {
                "StackName": stack,
                "StackId": stack_id,
                "LogicalResourceId": logical_id,
                "PhysicalResourceId": physical,
                "ResourceType": kind,
                "Timestamp": "2026-11-01T08:00:00.000000+00:00",
                "ResourceStatus": "CREATE_COMPLETE",
                "DriftInformation": {"StackResourceDriftStatus": "NOT_CHECKED"},
            }
            for logical_id, (kind, physical) in sorted(ids.items())
        ]
    }


@dataclass
class Stacks:
    templates: dict[str, dict[str, Any]]
    paths: dict[str, dict[str, str]]
    ids: dict[str, dict[str, tuple[str, str]]]

    def physical(self, stack: str, path: str) -> str:
        return self.ids[stack][self.paths[stack][path]][1]

    def logical(self, stack: str, path: str) -> str:
        return self.paths[stack][path]


def read_stacks(cdk_out: Path) -> Stacks:
    templates, paths, ids = {}, {}, {}
    for artifact in read_assembly(cdk_out):
        stack = artifact.stack_name
        templates[stack] = artifact.template
        paths[stack] = {path: lid for lid, path in artifact.construct_paths().items()}
        ids[stack] = physical_ids(stack, artifact.template)
    return Stacks(templates, paths, ids)


def _time(seconds: int) -> str:
    return (START + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


def trace_trail(stacks: Stacks) -> dict[str, list[dict[str, Any]]]:
    """Log file name -> records: every replayed trace request of :data:`TRACE_TARGETS`."""
    fixtures = {name: fx.load(name) for name in fx.names()}
    files: dict[str, list[dict[str, Any]]] = {}
    clock = 0
    for target in load_targets():
        if target.id not in TRACE_TARGETS or target.variant is not None:
            continue
        bucket = stacks.physical(target.stack, str(target.bucket))
        template = stacks.templates[target.stack]
        bucket_props = template["Resources"][stacks.logical(target.stack, str(target.bucket))][
            "Properties"
        ]
        rule = bucket_props["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
        key_ref = rule["ServerSideEncryptionByDefault"]["KMSMasterKeyID"]["Fn::GetAtt"][0]
        key_id = stacks.ids[target.stack][key_ref][1]
        env = tm.Environment(
            bucket_arn=f"arn:aws:s3:::{bucket}",
            kms_key_arn=f"arn:aws:kms:{trail.REGION}:{trail.ACCOUNT}:key/{key_id}",
            bucket_key=bool(rule.get("BucketKeyEnabled", False)),
            region=trail.REGION,
            account=trail.ACCOUNT,
            partition="aws",
        )
        for path in TRACE_TARGETS[target.id]:
            logical = stacks.logical(target.stack, path)
            kind, name = stacks.ids[target.stack][logical]
            who = trail.identity("user" if kind == "AWS::IAM::User" else "role", name)
            records: list[dict[str, Any]] = []
            for fixture_name in target.fixtures:
                for index, request in enumerate(fixtures[fixture_name].requests):
                    request = fx.Request.from_dict(
                        json.loads(json.dumps(request.to_dict()).replace(fx.PREFIX, target.prefix))
                    )
                    clock += 1
                    records += trail.trace_records(
                        request,
                        env,
                        who=who,
                        bucket=bucket,
                        time=_time(clock),
                        denied=target.denied_step(fixture_name, request.step) is not None,
                        seed=(target.id, path, fixture_name, index),
                    )
            stamp = (START + timedelta(seconds=clock)).strftime("%Y%m%dT%H%MZ")
            unique = _suffix(target.id, path, length=16)
            file = f"{trail.ACCOUNT}_CloudTrail_{trail.REGION}_{stamp}_{unique}.json.gz"
            files[file] = records
    return files


def _denied(message_action: str, who: Mapping[str, Any], resource: str, reason: str) -> str:
    return (
        f"User: {who['arn']} is not authorized to perform: {message_action} on resource: "
        f"{resource} {reason}"
    )


def cases(stacks: Stacks) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The denied examples: (lookup-events records, Lake/Athena export records)."""
    rw_stack, dl_stack, bs_stack, sr_stack = (
        "LakehouseIam-RisingWave",
        "LakehouseIam-DuckLakeEcs",
        "LakehouseIam-BoilStream",
        "LakehouseIam-StarRocks",
    )
    rw = trail.identity("role", stacks.physical(rw_stack, "RisingWave/DataAccess/Role"))
    rw_bucket = stacks.physical(rw_stack, "Data/Bucket")
    dl = trail.identity("role", stacks.physical(dl_stack, "DuckLake/TaskRole/Role"))
    dl_bucket = stacks.physical(dl_stack, "Data/Bucket")
    bs = trail.identity("role", stacks.physical(bs_stack, "CredentialVending/AccessRole/Role"))
    bs_bucket = stacks.physical(bs_stack, "Data/Bucket")
    sr = trail.identity("role", stacks.physical(sr_stack, "AssumedRole/DataRole/Role"))
    stranger = trail.identity("role", "data-science-notebook")
    analyst = trail.identity("user", "analyst")
    no_identity = "because no identity-based policy allows the {} action"

    def s3(
        who: Mapping[str, Any],
        name: str,
        bucket: str,
        key: str | None,
        extra: dict[str, Any],
        time: int,
        error: tuple[str, str] | None,
        seed: str,
    ) -> dict[str, Any]:
        params: dict[str, Any] = {
            "bucketName": bucket,
            "Host": f"{bucket}.s3.{trail.REGION}.amazonaws.com",
            **extra,
        }
        resources = [
            {"type": "AWS::S3::Bucket", "ARN": f"arn:aws:s3:::{bucket}", "accountId": trail.ACCOUNT}
        ]
        if key is not None:
            params["key"] = key
            resources.insert(0, {"type": "AWS::S3::Object", "ARN": f"arn:aws:s3:::{bucket}/{key}"})
        return trail.record(
            who=who,
            time=_time(time),
            source="s3.amazonaws.com",
            name=name,
            parameters=params,
            resources=resources,
            error=error,
            data_event=True,
            seed=seed,
        )

    outside = f"arn:aws:s3:::{rw_bucket}/archive/2026/part-0.parquet"
    export = [
        # missing prefix: RisingWave reads outside "risingwave/" -> prop prefix
        s3(
            rw,
            "GetObject",
            rw_bucket,
            "archive/2026/part-0.parquet",
            {},
            5001,
            (
                "AccessDenied",
                _denied("s3:GetObject", rw, outside, no_identity.format("s3:GetObject")),
            ),
            "missing-prefix",
        ),
        # an omission: RisingWave never needs object versions
        s3(
            rw,
            "GetObject",
            rw_bucket,
            "risingwave/sink/part-0.json",
            {"versionId": "3HL4kqtJlcpXroDTDmJ.rmSpXd3dIbrHY"},
            5002,
            ("AccessDenied", "Access Denied"),
            "omission",
        ),
        # permissions boundary: the DuckLake access role's boundary refuses the write
        s3(
            bs,
            "PutObject",
            bs_bucket,
            "boilstream/main/t/f.parquet",
            {},
            5003,
            (
                "AccessDenied",
                _denied(
                    "s3:PutObject",
                    bs,
                    f"arn:aws:s3:::{bs_bucket}/boilstream/main/t/f.parquet",
                    "because no permissions boundary allows the s3:PutObject action",
                ),
            ),
            "boundary",
        ),
        # a source without match_pattern lists the bucket root: not the library's scenario
        s3(
            rw,
            "ListObjects",
            rw_bucket,
            None,
            {"list-type": "2", "prefix": "", "delimiter": "/"},
            5004,
            ("AccessDenied", "Access Denied"),
            "root-listing",
        ),
        # someone else's credentials
        s3(
            analyst,
            "GetObject",
            rw_bucket,
            "risingwave/sink/part-0.json",
            {},
            5005,
            None,
            "analyst",
        ),
    ]
    lookup = [
        # missing Glue database: StarRocks opens database "sales" -> prop permissions.glue
        trail.record(
            who=sr,
            time=_time(6001),
            source="glue.amazonaws.com",
            name="GetDatabase",
            parameters={"name": "sales"},
            error=(
                "AccessDeniedException",
                _denied(
                    "glue:GetDatabase",
                    sr,
                    f"arn:aws:glue:{trail.REGION}:{trail.ACCOUNT}:database/sales",
                    no_identity.format("glue:GetDatabase"),
                ),
            ),
            seed="missing-database",
        ),
        # wrong KMS key: DuckLake's objects are encrypted with another key -> prop kms_key
        trail.record(
            who=dl,
            time=_time(6002),
            source="kms.amazonaws.com",
            name="Decrypt",
            parameters={
                "encryptionContext": {"aws:s3:arn": f"arn:aws:s3:::{dl_bucket}"},
                "encryptionAlgorithm": "SYMMETRIC_DEFAULT",
            },
            resources=[{"type": "AWS::KMS::Key", "ARN": OTHER_KEY, "accountId": trail.ACCOUNT}],
            via="s3.amazonaws.com",
            error=(
                "AccessDenied",
                _denied("kms:Decrypt", dl, OTHER_KEY, no_identity.format("kms:Decrypt")),
            ),
            seed="wrong-key",
        ),
        # an SCP forbids table writes in this account
        trail.record(
            who=sr,
            time=_time(6003),
            source="glue.amazonaws.com",
            name="CreateTable",
            parameters={
                "databaseName": "lakehouse_iam_starrocks",
                "tableInput": {"name": "events"},
            },
            error=(
                "AccessDeniedException",
                _denied(
                    "glue:CreateTable",
                    sr,
                    f"arn:aws:glue:{trail.REGION}:{trail.ACCOUNT}:table/lakehouse_iam_starrocks/events",
                    "with an explicit deny in a service control policy",
                ),
            ),
            seed="scp",
        ),
        # RisingWave has no Glue access at all: outside the library's scenario
        trail.record(
            who=rw,
            time=_time(6004),
            source="glue.amazonaws.com",
            name="GetDatabases",
            parameters={},
            error=(
                "AccessDeniedException",
                _denied(
                    "glue:GetDatabases",
                    rw,
                    f"arn:aws:glue:{trail.REGION}:{trail.ACCOUNT}:catalog",
                    no_identity.format("glue:GetDatabases"),
                ),
            ),
            seed="outside",
        ),
        # an unrelated role
        trail.record(
            who=stranger,
            time=_time(6005),
            source="sts.amazonaws.com",
            name="AssumeRole",
            parameters={
                "roleArn": f"arn:aws:iam::{trail.ACCOUNT}:role/another-team",
                "roleSessionName": "nb",
            },
            seed="stranger",
        ),
    ]
    return lookup, export


def lookup_events(records: list[dict[str, Any]]) -> dict[str, Any]:
    """``aws cloudtrail lookup-events`` output: each record as a JSON string."""
    return {
        "Events": [
            {
                "EventId": r["eventID"],
                "EventName": r["eventName"],
                "ReadOnly": str(r["readOnly"]).lower(),
                "AccessKeyId": r["userIdentity"].get("accessKeyId", ""),
                "EventTime": r["eventTime"].replace("Z", "+00:00"),
                "EventSource": r["eventSource"],
                "Username": r["userIdentity"].get("userName", "engine-session"),
                "Resources": [],
                "CloudTrailEvent": json.dumps(r, sort_keys=True, separators=(",", ":")),
            }
            for r in records
        ]
    }


def _lower(value: Any) -> Any:
    if isinstance(value, dict):
        return {k.lower(): _lower(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_lower(v) for v in value]
    return value


def export_row(record: Mapping[str, Any], *, athena: bool) -> dict[str, Any]:
    """A record as CloudTrail Lake returns it (``eventtime`` a timestamp, maps kept) or as
    Athena's CloudTrail table holds it (``requestparameters`` a JSON string)."""
    row: dict[str, Any] = {}
    for key, value in record.items():
        name = key.lower()
        if key in ("requestParameters", "responseElements"):
            row[name] = json.dumps(value, sort_keys=True) if athena and value is not None else value
        else:
            row[name] = _lower(value)
    if not athena:
        row["eventtime"] = record["eventTime"].replace("T", " ").replace("Z", ".000")
    return row


def main(cdk_out: str | None = None) -> None:
    """Write the fixtures; ``cdk_out``: an assembly of the example stacks already
    synthesized from cdk.json's context (default: synthesize one)."""
    if cdk_out is not None:
        stacks = read_stacks(Path(cdk_out))
    else:
        with tempfile.TemporaryDirectory() as tmp:
            synthesize(Path(tmp))
            stacks = read_stacks(Path(tmp))
    shutil.rmtree(FIXTURES / "stack-resources", ignore_errors=True)
    shutil.rmtree(TRAIL, ignore_errors=True)
    STACK_RESOURCES.mkdir(parents=True)
    for stack, ids in sorted(stacks.ids.items()):
        (STACK_RESOURCES / f"{stack}.json").write_text(
            json.dumps(describe_stack_resources(stack, ids), indent=2, sort_keys=True) + "\n"
        )
    day = TRAIL / "AWSLogs" / trail.ACCOUNT / "CloudTrail" / trail.REGION / "2026" / "11" / "02"
    day.mkdir(parents=True)
    for name, records in sorted(trace_trail(stacks).items()):
        with gzip.GzipFile(day / name, "wb", mtime=0) as out:
            out.write(trail.dumps_records(records).encode())
    lookup, export = cases(stacks)
    LOOKUP_EVENTS.write_text(json.dumps(lookup_events(lookup), indent=2, sort_keys=True) + "\n")
    LAKE_EXPORT.write_text(
        "".join(
            json.dumps(export_row(r, athena=i % 2 == 1), sort_keys=True) + "\n"
            for i, r in enumerate(export)
        )
    )


if __name__ == "__main__":
    main(*sys.argv[1:2])
