"""The inline views run headless: tests/views/views.mjs loads each view's real HTML from
resources/read into jsdom and drives it with @modelcontextprotocol/ext-apps's AppBridge, as a
host would, against a real server over stdio on the sandbox (the Node packages are pinned in
tests/views/package-lock.json and installed into .tools/views by `make test`)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests._helpers import server_env

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "views" / "views.mjs"
DEFAULT_MODULES = ROOT / ".tools" / "views" / "node_modules"
POLL_INTERVAL = "1"


@pytest.fixture(scope="module")
def view_modules() -> Path:
    path = Path(os.environ.get("PICTORY_MCP_VIEW_MODULES", DEFAULT_MODULES))
    if not (path / "@modelcontextprotocol" / "ext-apps").is_dir():
        pytest.fail(
            f"The view-test packages are not at {path}; run `make views` (part of `make test`)."
        )
    return path


def test_each_view_runs_in_a_headless_host_against_the_real_server(
    view_modules: Path, sandbox: Any, tmp_path: Path
) -> None:
    node = shutil.which("node")
    assert node, "Node.js (20 or later) runs the view tests; install it to run `make test`."
    env = server_env(sandbox, tmp_path)
    env.update(
        {
            "PICTORY_MCP_POLL_INTERVAL": POLL_INTERVAL,
            "PICTORY_MCP_OUTPUT_DIR": str(tmp_path / "out"),
            "VIEW_MODULES": str(view_modules),
            "SERVER_PYTHON": sys.executable,
            "SANDBOX_ROOT": sandbox.root_url,
            "POLL_INTERVAL": POLL_INTERVAL,
        }
    )
    run = subprocess.run(
        [node, str(SCRIPT)], env=env, capture_output=True, text=True, timeout=180, check=False
    )
    print(run.stdout)
    assert run.returncode == 0, f"{run.stdout[-3000:]}\n{run.stderr[-3000:]}"
    assert run.stdout.rstrip().endswith("10 passed, 0 failed")
