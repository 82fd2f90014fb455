"""Every granted action has evidence, no evidence is stale, no omission is granted.

The evidence lives in each vendor's catalog (``Vendor.evidence`` / ``Vendor.omissions``);
the grants come from the synthesized example stacks and every context variant the probe
tables and engine-request rows synthesize.
"""

from __future__ import annotations

import importlib
from dataclasses import replace

import pytest

from lakehouse_iam.catalog.evidence import (
    Need,
    Omission,
    Source,
    SourceKind,
    aws_doc,
    doc,
    engine,
    trace,
    vendor_page,
)
from lakehouse_iam.vendors import VENDORS
from verification.evidence import (
    Grant,
    broken_sources,
    contradictions,
    granted_omissions,
    grants_of,
    missing_evidence,
    owner_of,
    stale_evidence,
    unaccounted,
    unexercised,
)

IDS = [v.key for v in VENDORS]


@pytest.fixture(scope="module")
def grants(verified_templates, synthesis_cache, probe_report, engine_evaluation):
    """Vendor key -> every grant of its stacks, default and variant templates."""
    # probe_report and engine_evaluation synthesize the variants into synthesis_cache.
    owners = owner_of(VENDORS)
    found: dict[str, list[Grant]] = {v.key: [] for v in VENDORS}
    for stack, template in verified_templates.items():
        if stack in owners:
            found[owners[stack].key] += grants_of(stack, template)
    for stack, context, template in synthesis_cache.templates():
        if stack in owners:
            variant = ",".join(f"{k}={v}" for k, v in sorted(context.items())) or "default"
            found[owners[stack].key] += grants_of(stack, template, variant=variant)
    return found


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_every_granted_action_has_evidence(vendor, grants):
    # GIVEN every action the vendor's stacks grant THEN a Need in its catalog justifies it
    assert grants[vendor.key], f"{vendor.key}: no grants found (wrong stack ids?)"
    assert missing_evidence(vendor, grants[vendor.key]) == []


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_no_evidence_is_stale(vendor, grants):
    # GIVEN the vendor's needs THEN each default one is granted somewhere
    assert stale_evidence(vendor, grants[vendor.key]) == []


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_no_omitted_action_is_granted(vendor, grants):
    assert granted_omissions(vendor, grants[vendor.key]) == []
    assert contradictions(vendor) == []


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_every_catalog_action_is_needed_or_omitted(vendor):
    # GIVEN the action lists of the vendor's catalog (what its constructs can grant)
    module = importlib.import_module(f"{vendor.package}.catalog")
    # THEN each has a Need or an Omission
    assert unaccounted(vendor, module) == []


@pytest.mark.parametrize("vendor", VENDORS, ids=IDS)
def test_every_default_need_is_exercised_by_an_engine_request(vendor, engine_rows):
    # GIVEN the call-table and trace rows THEN each default need is sent by some request
    rows = [{"stack": r.stack, "action": r.action, "expect": r.expect} for r in engine_rows]
    assert unexercised(vendor, rows) == []


def test_trace_sources_exist():
    assert broken_sources(VENDORS) == []


# -- the checks catch what they must ----------------------------------------------------
NEED = Need(actions=("s3:GetObject",), why="reads", sources=(vendor_page("Step 1"),))
VENDOR = replace(VENDORS[0], evidence=(NEED,), omissions=())


def test_missing_and_stale_evidence_are_found():
    # GIVEN a vendor whose evidence covers GetObject only
    grants = [Grant("S", "", "R", "s3:PutObject")]
    # THEN PutObject lacks evidence and GetObject is stale
    assert missing_evidence(VENDOR, grants) == ["S R: s3:PutObject"]
    assert stale_evidence(VENDOR, grants) == [f"{VENDOR.key}: s3:GetObject (why: reads)"]
    # AND an opt-in need is not stale
    opt = replace(VENDOR, evidence=(replace(NEED, opt_in="x=True"),))
    assert stale_evidence(opt, grants) == []


def test_a_granted_omission_and_a_contradiction_are_found():
    omission = Omission(actions=("s3:GetObject",), why="never sent", sources=NEED.sources)
    vendor = replace(VENDOR, omissions=(omission,))
    assert granted_omissions(vendor, [Grant("S", "v", "R", "s3:GetObject")]) == [
        "S@v R: s3:GetObject"
    ]
    assert contradictions(vendor) == [f"{VENDOR.key}: s3:GetObject"]


def test_an_unexercised_need_and_a_missing_trace_are_found(tmp_path):
    stack = VENDOR.examples[0].id
    assert unexercised(VENDOR, [{"stack": stack, "action": "s3:GetObject"}]) == []
    denied = [{"stack": stack, "action": "s3:GetObject", "expect": "deny"}]
    assert unexercised(VENDOR, denied) == [f"{VENDOR.key}: s3:GetObject"]
    traced = replace(
        VENDOR, evidence=(replace(NEED, sources=(trace("traces/fixtures/none.json"),)),)
    )
    assert broken_sources([traced], root=tmp_path) == [
        f"{VENDOR.key}: traces/fixtures/none.json does not exist"
    ]


def test_catalog_constants_without_evidence_are_found():
    import types

    module = types.ModuleType("fake")
    module.ACTIONS = ("s3:GetObject", "s3:PutObject")  # type: ignore[attr-defined]
    module.KEYS = {"kms:Decrypt": "x"}  # type: ignore[attr-defined]
    module.lowercase = ("s3:DeleteObject",)  # type: ignore[attr-defined]
    assert unaccounted(VENDOR, module) == [
        f"{VENDOR.key}: kms:Decrypt",
        f"{VENDOR.key}: s3:PutObject",
    ]


@pytest.mark.parametrize(
    ("make", "ref"),
    [
        (engine, "StarRocks/starrocks fe/x.java"),  # no commit
        (trace, "fixtures/x.json"),
        (aws_doc, "docs.aws.amazon.com/x"),
        (doc, "hadoop.apache.org/docs/x"),
        (vendor_page, ""),
    ],
)
def test_a_source_without_its_form_is_rejected(make, ref):
    with pytest.raises(ValueError, match="is not valid for kind"):
        make(ref)


@pytest.mark.parametrize(
    ("actions", "why", "sources", "message"),
    [
        ((), "x", (vendor_page("a"),), "at least one exact action"),
        (("s3:Get*",), "x", (vendor_page("a"),), "not an exact action"),
        (("s3:GetObject",), " ", (vendor_page("a"),), "why:"),
        (("s3:GetObject",), "x", (), "at least one Source"),
    ],
)
def test_a_need_without_actions_reason_or_source_is_rejected(actions, why, sources, message):
    with pytest.raises(ValueError, match=message):
        Need(actions=actions, why=why, sources=sources)


def test_source_kinds_render_their_names():
    assert [k.value for k in SourceKind] == [
        "vendor page",
        "engine source",
        "recorded trace",
        "AWS doc",
        "doc",
    ]
    assert Source(kind=SourceKind.AWS_DOC, ref="https://docs.aws.amazon.com/x").detail == ""
