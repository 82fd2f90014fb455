"""A vendor with one example stack may keep its engine requests in its probe table."""

from __future__ import annotations

from verification.engine_requests import load_tables


def test_engine_requests_of_a_probe_table_are_rows_of_its_stack(tmp_path):
    # GIVEN no call table, and a probe table with an engine_requests section
    calls, probes = tmp_path / "calls", tmp_path / "probes"
    calls.mkdir()
    probes.mkdir()
    (probes / "LakehouseIam-Example.yaml").write_text(
        """
principals: []
engine_requests:
  vars: {bucket: "${Data/Bucket.Arn}"}
  defaults: {principal: Example/Role/Role, confidence: high, expect: allow}
  rows:
    - op: "the engine reads a file"
      action: s3:GetObject
      resource: ${bucket}/example/part-0.parquet
      source: "https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html"
"""
    )
    # WHEN the tables are loaded
    (row,) = load_tables(calls, probes)
    # THEN the row belongs to the table's stack, with the vars substituted
    assert (row.stack, row.principal, row.action) == (
        "LakehouseIam-Example",
        "Example/Role/Role",
        "s3:GetObject",
    )
    assert row.resource == "${Data/Bucket.Arn}/example/part-0.parquet"
    assert row.origin == "probes/LakehouseIam-Example.yaml#0"
