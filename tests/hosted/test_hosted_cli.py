"""Starting hosted mode: refused plainly without what it needs, or on another transport."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest


def start(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    return subprocess.run(
        [sys.executable, "-m", "pictory_mcp", *args],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.mark.slow
def test_hosted_mode_without_an_issuer_or_keys_refuses_to_start_naming_what_is_missing() -> None:
    done = start(
        ["--hosted", "--transport", "streamable-http"],
        {"PICTORY_MCP_RESOURCE_URL": "https://mcp.example.com/mcp"},
    )
    assert done.returncode == 2
    assert "PICTORY_MCP_OAUTH_ISSUER" in done.stderr
    assert "PICTORY_MCP_SECRET_KEYS" in done.stderr
    assert "Traceback" not in done.stderr
    assert done.stdout == ""


@pytest.mark.slow
def test_hosted_mode_is_refused_on_stdio() -> None:
    done = start(["--hosted"], {})
    assert done.returncode == 2
    assert "streamable HTTP" in done.stderr and "Traceback" not in done.stderr


def test_a_new_secret_key_is_printed_for_the_settings() -> None:
    done = start(["secret-key"], {})
    assert done.returncode == 0
    from pictory_mcp.hosted.vault import KeyVault

    KeyVault.from_setting(done.stdout.strip())  # a usable key
