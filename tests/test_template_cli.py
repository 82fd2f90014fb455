"""``lakehouse-iam template`` as a user types it: help, usage errors, exit codes.

Cases whose exit status, traceback or stderr bytes matter run the CLI as a subprocess;
the others call :func:`lakehouse_iam.__main__.main` in-process
(:func:`tests.helpers.run_cli`; jsii starts once).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from lakehouse_iam.vendors import VENDORS
from tests.helpers import run_cli

REPO = Path(__file__).resolve().parent.parent
ISSUER = "https://oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789"


def cli(*args: str) -> subprocess.CompletedProcess[str]:
    """``python -m lakehouse_iam ARGS`` with no JSII_SILENCE_* variable set, as a user's
    shell has it."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("JSII_SILENCE_")}
    return subprocess.run(
        [sys.executable, "-m", "lakehouse_iam", *args],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_help_lists_every_vendor_mode_and_setting_without_a_banner():
    # WHEN a user asks the template command for help, with no JSII_SILENCE_* variable
    result = cli("template", "--help")
    # THEN it exits 0 and lists the registry's vendors and each vendor's modes
    assert result.returncode == 0, result.stderr
    for vendor in VENDORS:
        assert f"\n  {vendor.key}" in result.stdout
        for template in vendor.templates:
            assert f"\n    {template.mode} " in result.stdout
    assert "    irsa                        DuckLake Container on EKS with IAM roles" in (
        result.stdout
    )
    # AND the settings, under their mode
    assert "\n      --oidc-issuer VALUE (required)\n" in result.stdout
    # AND no jsii Node.js banner (raw bytes or not) reaches the terminal
    assert "b'" not in result.stderr and "!!" not in result.stderr
    assert result.stderr == ""


def test_unknown_vendor_exits_2_listing_the_vendors_without_a_traceback():
    # WHEN a user names a vendor that has no template
    result = cli("template", "oracle")
    # THEN the CLI exits 2 with the registered vendors and no traceback
    assert result.returncode == 2
    assert result.stderr == (
        "lakehouse-iam template: error: no vendor 'oracle'; vendors: "
        f"{', '.join(sorted(v.key for v in VENDORS))}\n"
    )
    assert result.stdout == ""


def test_missing_required_setting_exits_2_and_writes_no_template():
    # WHEN a user asks for the IRSA template without the cluster's OIDC issuer
    result = cli("template", "ducklake", "--mode", "irsa")
    # THEN the CLI exits 2, names the setting, and prints no template (no placeholder)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.startswith(
        "lakehouse-iam template: error: ducklake-irsa needs --oidc-issuer VALUE: "
        "The EKS cluster's OIDC issuer URL"
    )
    assert "Traceback" not in result.stderr and "b'" not in result.stderr


def test_unknown_mode_lists_the_vendors_modes(capsys):
    code, out, err = run_cli(capsys, "template", "ducklake", "--mode", "bogus")
    assert (code, out) == (2, "")
    assert err == (
        "lakehouse-iam template: error: ducklake has no mode 'bogus'; "
        "modes: ecs, irsa, pod-identity\n"
    )


def test_vendor_with_several_modes_needs_mode(capsys):
    code, out, err = run_cli(capsys, "template", "starrocks")
    assert (code, out) == (2, "")
    assert err == (
        "lakehouse-iam template: error: starrocks has several modes: "
        "pass --mode (instance-profile, assumed-role)\n"
    )


def test_unknown_setting_of_a_vendor_without_settings(capsys):
    code, out, err = run_cli(capsys, "template", "risingwave", "--bogus", "1")
    assert (code, out) == (2, "")
    assert err == (
        "lakehouse-iam template: error: unknown setting --bogus; "
        "settings: none (risingwave-cross-account takes no setting)\n"
    )


def test_unknown_setting_lists_the_modes_settings(capsys):
    code, out, err = run_cli(
        capsys, "template", "ducklake", "--mode", "irsa", "--oidc-issuer", ISSUER, "--bogus=1"
    )
    assert (code, out) == (2, "")
    assert err == (
        "lakehouse-iam template: error: unknown setting --bogus; settings: --oidc-issuer\n"
    )


def test_invalid_setting_value_exits_2(capsys):
    code, out, err = run_cli(capsys, "template", "ducklake", "--mode", "irsa", "--oidc-issuer", "x")
    assert (code, out) == (2, "")
    assert "--oidc-issuer='x' is invalid: expected an https:// OIDC issuer URL" in err


def test_no_vendor_lists_the_vendors(capsys):
    code, out, err = run_cli(capsys, "template")
    assert (code, out) == (2, "")
    assert err.endswith(f"vendors: {', '.join(sorted(v.key for v in VENDORS))}\n")


def test_a_setting_without_a_value_is_a_usage_error(capsys):
    code, out, _ = run_cli(capsys, "template", "ducklake", "--mode", "irsa", "--oidc-issuer")
    assert (code, out) == (2, "")


def test_given_setting_is_in_the_template(capsys):
    # WHEN the issuer is given
    code, out, err = run_cli(
        capsys, "template", "ducklake", "--mode", "irsa", "--oidc-issuer", ISSUER
    )
    # THEN the template is written with it, and the placeholder appears nowhere
    assert (code, err) == (0, "")
    assert "oidc.eks.eu-west-1.amazonaws.com/id/ABCDEF0123456789ABCDEF0123456789" in out
    assert "EXAMPLED539D4633E53DE1B71EXAMPLE" not in out
