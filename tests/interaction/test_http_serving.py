"""The HTTP server's access lines: on stderr, through the redacting handler, with query values
hidden; nothing on stdout."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from tests._helpers import serve_http, server_env

pytestmark = pytest.mark.slow

TOKEN = "serving-test-token-0123456789abcdef"
STRAY_KEY = "pictai_strayQueryKey0123456789"


@pytest.mark.parametrize("sandboxed", [False, True], ids=["pictory-url", "sandbox"])
def test_access_lines_go_to_stderr_with_query_secrets_hidden_and_stdout_stays_empty(
    sandbox: Any, tmp_path: Path, sandboxed: bool
) -> None:
    env = server_env(sandbox, tmp_path)
    env.update({"PICTORY_MCP_AUTH_TOKEN": TOKEN, "PICTORY_MCP_LOG_LEVEL": "INFO"})
    out_path, err_path = tmp_path / "stdout.log", tmp_path / "stderr.log"
    with out_path.open("wb") as out, err_path.open("wb") as err:
        for port in serve_http(
            env, stdout=out, stderr=err, args=["--sandbox"] if sandboxed else []
        ):
            base = f"http://127.0.0.1:{port}"
            assert httpx.get(f"{base}/healthz?access_token={TOKEN}", timeout=10).status_code == 200
            refused = httpx.post(f"{base}/mcp?api_key={STRAY_KEY}&note=hello", timeout=10)
            assert refused.status_code == 401
    stdout = out_path.read_bytes()
    stderr = err_path.read_text(encoding="utf-8", errors="replace")
    assert stdout == b""
    assert '"GET /healthz?access_token=[REDACTED] HTTP/1.1" 200' in stderr
    assert '"POST /mcp?api_key=[REDACTED]&note=[REDACTED] HTTP/1.1" 401' in stderr
    assert TOKEN not in stderr and STRAY_KEY not in stderr
