"""Webhooks instead of polling, single-user over streamable HTTP: every job-creating request
carries a URL of its own, the sandbox calls it when the job finishes, the server confirms with
one GET and wakes its waiters; waits and checks in between cost Pictory nothing. The route
refuses anything it cannot tie to a hook and its secret, without touching the store."""

from __future__ import annotations

import contextlib
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from pictory_mcp._logging import redact
from pictory_mcp.config import Settings
from pictory_mcp.errors import ConfigurationError
from pictory_mcp.jobs import JobStore
from pictory_mcp.server.http import check_binding
from tests._helpers import (
    free_port,
    job_gets,
    make_settings,
    posts,
    server_env,
    serving,
    structured,
    until_found,
)

pytestmark = pytest.mark.anyio

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."
RENDER = "/v2/video/storyboard/render"


@contextlib.asynccontextmanager
async def webhook_server(
    sandbox: Any, tmp_path: Path, **overrides: Any
) -> AsyncIterator[tuple[Settings, str]]:
    """A single-user server on a loopback port with webhooks on; yields its settings and
    MCP URL. Jobs finish only when a test moves the sandbox clock."""
    sandbox.control.configure(render_seconds=600)
    port = free_port()
    settings = make_settings(
        sandbox.api_base_url,
        tmp_path,
        public_url=f"http://127.0.0.1:{port}",
        log_level="WARNING",
        **overrides,
    )
    async with serving(settings, port):
        yield settings, f"http://127.0.0.1:{port}/mcp"


@contextlib.asynccontextmanager
async def client_at(url: str) -> AsyncIterator[Client]:
    http = httpx2.AsyncClient(timeout=httpx2.Timeout(60, read=120))
    transport = streamable_http_client(url, http_client=http)
    async with http, Client(transport) as client:  # type: ignore[arg-type]
        yield client


async def stored_files(folder: Path) -> list[Path]:
    return [Path(p) async for p in anyio.Path(folder).glob("jobs.sqlite3*")]


async def render(client: Client) -> str:
    answer = structured(
        await client.call_tool("create_video_from_text", {"script": SCRIPT, "voice": "Brian"})
    )
    return str(answer["job_id"])


def webhook_of(sandbox: Any) -> str:
    (sent,) = posts(sandbox, RENDER)
    return str(sent["body"]["webhook"])


async def test_a_render_finishes_by_webhook_and_waiting_agents_cost_pictory_one_request(
    sandbox: Any, tmp_path: Path
) -> None:
    async with webhook_server(sandbox, tmp_path) as (settings, url):
        async with client_at(url) as client:
            job_id = await render(client)
            hook = webhook_of(sandbox)
            assert hook.startswith(f"{settings.public_url}/webhooks/pictory/")
            assert len(hook) <= 500
            # While it renders, checks answer from the store and say a webhook will come.
            checked = structured(await client.call_tool("check_job", {"job_id": job_id}))
            assert checked["status"] == "in-progress"
            assert "Pictory will tell this server" in checked["next_step"]
            finished: list[dict[str, Any]] = []

            async def wait() -> None:
                async with client_at(url) as agent:
                    answer = await agent.call_tool(
                        "wait_for_job", {"job_id": job_id, "timeout_seconds": 50}
                    )
                    finished.append(structured(answer))

            async with anyio.create_task_group() as group:
                for _ in range(5):
                    group.start_soon(wait)
                await anyio.sleep(1.5)  # the waits are parked on the store, not polling
                assert job_gets(sandbox, job_id) == 0
                sandbox.control.advance_clock(3600)
        assert [f["status"] for f in finished] == ["completed"] * 5
        assert all(f["video_url"] for f in finished)
        assert job_gets(sandbox, job_id) == 1  # the webhook's confirmation, nothing else
        deliveries = sandbox.control.webhooks()
        assert [(d["job_id"], d["outcome"]) for d in deliveries] == [(job_id, "delivered")]


async def test_the_store_and_the_logs_keep_no_working_webhook_url(
    sandbox: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level("DEBUG")
    async with webhook_server(sandbox, tmp_path) as (_settings, url), client_at(url) as client:
        job_id = await render(client)
        secret = webhook_of(sandbox).rsplit("/", 1)[1]
        sandbox.control.advance_clock(3600)
        done = structured(
            await client.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 30})
        )
        assert done["status"] == "completed"
        listed = await client.read_resource(f"pictory://jobs/{job_id}")
    stored = b"".join([await anyio.Path(p).read_bytes() for p in await stored_files(tmp_path)])
    assert secret.encode() not in stored
    # The sandbox's own HTTP client logs the URL it calls (it plays Pictory here); every line
    # of ours leaves it out, and the stderr handler would redact it from any line at all.
    ours = [r.getMessage() for r in caplog.records if not r.name.startswith(("httpx", "httpcore"))]
    assert ours and secret not in "\n".join(ours)
    assert secret not in redact(caplog.text)
    assert secret not in str(listed)


async def test_calls_it_cannot_tie_to_a_hook_and_secret_are_refused_and_change_nothing(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(webhook_drop_rate=1.0)  # only the calls below reach the route
    async with webhook_server(sandbox, tmp_path) as (settings, url):
        async with client_at(url) as client:
            job_id = await render(client)
        hook = webhook_of(sandbox)
        base, hook_id, secret = hook.rsplit("/", 2)
        other = f"{base}/{'x' * len(hook_id)}/{secret}"
        wrong = f"{base}/{hook_id}/{'y' * len(secret)}"
        body = {"job_id": job_id, "success": True, "data": {"status": "completed"}}
        sandbox.control.advance_clock(3600)  # a confirming GET would now record completion
        async with httpx.AsyncClient(timeout=10) as http:
            unknown = await http.post(other, json=body)
            bad_secret = await http.post(wrong, json=body)
            malformed = await http.post(hook, content=b"{not json", headers={"content-type": "x"})
            huge = await http.post(hook, content=b"[" + b"0," * 40_000 + b"0]")
            short = await http.post(f"{base}/{hook_id}/abc", json=body)
            getting = await http.get(hook)
        assert unknown.status_code == bad_secret.status_code == short.status_code == 404
        assert unknown.json() == bad_secret.json()  # nothing to learn by guessing
        assert malformed.status_code == 400
        assert huge.status_code == 413
        assert getting.status_code == 405
        assert job_gets(sandbox, job_id) == 0
        record = JobStore(settings.db_path).get(job_id)
        assert record is not None and record.status == "submitted"


async def test_a_repeated_webhook_is_answered_without_asking_pictory_again(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(webhook_duplicate_rate=1.0)
    async with webhook_server(sandbox, tmp_path) as (_settings, url), client_at(url) as client:
        job_id = await render(client)
        sandbox.control.advance_clock(3600)
        done = structured(
            await client.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 30})
        )
        assert done["status"] == "completed"
        await until_found(
            lambda: [d for d in sandbox.control.webhooks() if d["outcome"] != "sending"][1:]
        )
        async with httpx.AsyncClient(timeout=10) as http:
            replay = await http.post(webhook_of(sandbox), json={"anything": 1})
    assert replay.status_code == 200
    assert [d["status"] for d in sandbox.control.webhooks()] == [200, 200]
    assert job_gets(sandbox, job_id) == 1


async def test_a_webhook_that_never_comes_is_caught_by_the_safety_net(
    sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(webhook_drop_rate=1.0)
    server = webhook_server(sandbox, tmp_path, webhook_safety_seconds=5)
    async with server as (_settings, url), client_at(url) as client:
        job_id = await render(client)
        sandbox.control.advance_clock(3600)
        done = structured(
            await client.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 30})
        )
    assert done["status"] == "completed"
    assert [d["outcome"] for d in sandbox.control.webhooks()] == ["dropped"]
    assert job_gets(sandbox, job_id) == 1  # one safety check, after the interval


async def test_a_storyboard_naming_its_own_webhook_keeps_it_and_is_polled(
    sandbox: Any, tmp_path: Path
) -> None:
    mine = "https://hooks.example.com/my-pipeline"
    storyboard = {"videoName": "beans", "scenes": [{"story": SCRIPT}], "webhook": mine}
    async with webhook_server(sandbox, tmp_path) as (_settings, url), client_at(url) as client:
        answer = await client.call_tool("create_video_from_storyboard", {"storyboard": storyboard})
        job_id = structured(answer)["job_id"]
        assert webhook_of(sandbox) == mine
        sandbox.control.advance_clock(3600)
        done = structured(await client.call_tool("check_job", {"job_id": job_id}))
    assert done["status"] == "completed"
    assert job_gets(sandbox, job_id) == 1


async def test_a_highlights_workflow_moves_on_by_webhooks(sandbox: Any, tmp_path: Path) -> None:
    media = "https://media.example.com/talk.mp4"
    async with webhook_server(sandbox, tmp_path) as (_settings, url), client_at(url) as client:
        started = structured(
            await client.call_tool(
                "create_video_highlights", {"media_url": media, "duration_seconds": 30}
            )
        )
        workflow = started["job_id"]
        view: dict[str, Any] = {}
        with anyio.fail_after(90):
            while view.get("status") != "completed":
                sandbox.control.advance_clock(3600)
                view = structured(
                    await client.call_tool(
                        "wait_for_job", {"job_id": workflow, "timeout_seconds": 10}
                    )
                )
    hooks = [
        r["body"]["webhook"]
        for r in sandbox.control.requests()
        if r["method"] == "POST" and r["body"] and "webhook" in r["body"]
    ]
    assert len(hooks) == 3 and len(set(hooks)) == 3  # transcription, highlights, render
    assert all(urlsplit(h).path.startswith("/webhooks/pictory/") for h in hooks)
    outcomes = [d["outcome"] for d in sandbox.control.webhooks()]
    assert outcomes == ["delivered"] * 3


def test_a_public_url_must_be_https_unless_it_is_loopback() -> None:
    for public in ("https://mcp.example.com", "http://127.0.0.1:8000", "http://localhost:9"):
        check_binding(Settings.from_env({"PICTORY_MCP_PUBLIC_URL": public}), "127.0.0.1")
    plain = Settings.from_env({"PICTORY_MCP_PUBLIC_URL": "http://mcp.example.com"})
    with pytest.raises(ConfigurationError, match="must be an https:// URL"):
        check_binding(plain, "127.0.0.1")
    with pytest.raises(ConfigurationError, match="PICTORY_MCP_PUBLIC_URL must be"):
        Settings.from_env({"PICTORY_MCP_PUBLIC_URL": "https://x.example/" + "a" * 400})


def test_a_stdio_server_refuses_a_public_url_since_nothing_could_take_the_call(
    sandbox: Any, tmp_path: Path
) -> None:
    env = {**server_env(sandbox, tmp_path), "PICTORY_MCP_PUBLIC_URL": "https://mcp.example.com"}
    done = subprocess.run(
        [sys.executable, "-m", "pictory_mcp"], env=env, capture_output=True, timeout=60
    )
    assert done.returncode == 2
    assert "--transport streamable-http" in done.stderr.decode()
    assert done.stdout == b""
