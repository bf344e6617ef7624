"""Starting the sandbox: in the event loop, in a thread, and as the CLI subcommand."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import AsyncSandboxControl
from pictory_mcp.sandbox.job_state import Clock
from pictory_mcp.sandbox.runner import SandboxThread, main, serve_sandbox
from pictory_mcp.sandbox.sandbox_config import SandboxConfig

AUTH = {"Authorization": SANDBOX_API_KEY}


@pytest.mark.anyio
async def test_serve_sandbox_serves_the_api_in_the_current_loop(anyio_backend: str) -> None:
    async with serve_sandbox(SandboxConfig(render_seconds=1)) as running:
        assert running.api_base_url == f"http://127.0.0.1:{running.port}/pictoryapis"
        async with httpx.AsyncClient(base_url=running.api_base_url, headers=AUTH) as client:
            response = await client.get("/v1/jobs")
        assert response.json() == {"items": [], "nextPageKey": None}
        async with AsyncSandboxControl(running.root_url) as control:
            assert (await control.config())["render_seconds"] == 1
            await control.fail_next_jobs(2)
            assert (await control.faults())["fail_next_jobs"] == 2
            assert await control.advance_clock(5) >= 5
            assert await control.jobs() == []
            assert await control.requests(method="get") != []
    with pytest.raises(httpx.ConnectError):
        async with httpx.AsyncClient() as client:
            await client.get(f"{running.root_url}/__sandbox/config")


def test_sandbox_thread_starts_serves_and_stops() -> None:
    with SandboxThread(SandboxConfig(seed=3)) as server:
        response = httpx.get(f"{server.api_base_url}/v1/jobs", headers=AUTH)
        assert response.status_code == 200
        root = server.root_url
    with pytest.raises(RuntimeError, match="not running"):
        _ = server.root_url
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{root}/__sandbox/config")


def test_two_sandboxes_do_not_share_state() -> None:
    with SandboxThread() as one, SandboxThread() as two:
        httpx.post(f"{one.root_url}/__sandbox/faults", json={"error_next": 1})
        assert httpx.get(f"{two.api_base_url}/v1/jobs", headers=AUTH).status_code == 200
        assert httpx.get(f"{one.api_base_url}/v1/jobs", headers=AUTH).status_code == 503


def test_the_sandbox_refuses_to_listen_beyond_loopback(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--host", "0.0.0.0", "--port", "0"]) == 2
    assert "loopback" in capsys.readouterr().err


def test_bad_flag_values_are_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--error-rate", "3"])
    assert exited.value.code == 2
    assert "error_rate" in capsys.readouterr().err


@pytest.mark.slow
def test_the_cli_prints_its_base_url_and_serves_until_interrupted() -> None:
    code = "import sys; from pictory_mcp.sandbox.runner import main; sys.exit(main(sys.argv[1:]))"
    proc = subprocess.Popen(
        [sys.executable, "-c", code, "--port", "0", "--render-seconds", "2"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONUNBUFFERED": "1"},
    )
    try:
        assert proc.stdout is not None
        base_url = proc.stdout.readline().strip()
        key_line = proc.stdout.readline()
        assert base_url.startswith("http://127.0.0.1:")
        assert base_url.endswith("/pictoryapis")
        assert SANDBOX_API_KEY in key_line
        response = httpx.get(f"{base_url}/v1/jobs", headers=AUTH, timeout=10)
        assert response.status_code == 200
        root = base_url.removesuffix("/pictoryapis")
        assert httpx.get(f"{root}/__sandbox/config").json()["render_seconds"] == 2
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=5)
        for stream in (proc.stdout, proc.stderr):
            if stream is not None:
                stream.close()


def test_config_rejects_out_of_range_values() -> None:
    with pytest.raises(ValueError, match="drop_rate"):
        SandboxConfig(drop_rate=-0.1)
    with pytest.raises(ValueError, match="valid_keys"):
        SandboxConfig(valid_keys=("sk_not_pictory",))
    updated = SandboxConfig().updated({"valid_keys": ["pictai_a"], "rate_limit": 2})
    assert updated.valid_keys == ("pictai_a",)
    assert updated.to_json()["valid_keys"] == ["pictai_a"]


def test_the_clock_moves_with_real_time_times_speed() -> None:
    clock = Clock(speed=1000.0)
    start = clock.now()
    deadline = time.monotonic() + 5
    while clock.now() - start < 1.0:
        assert time.monotonic() < deadline
    assert clock.advance(10) >= start + 11
    clock.set_speed(1.0)
    assert clock.now() >= start + 11
