"""Retry behaviour against the sandbox's injected faults, proved from its request log:
reads retry, job-creating calls are never blindly resubmitted.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

import anyio
import httpx
import pytest

from pictory_mcp.api import PictoryClient, RetryPolicy
from pictory_mcp.errors import PictoryError, RateLimitedError, ServerError, TransportError
from tests._helpers import (
    CLIENT_KEY,
    RENDER,
    STORYBOARD,
    TINY,
    Control,
    free_port,
    wait_for_log,
)

VOICES = "/pictoryapis/v1/voiceovers/tracks"
pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(sandbox: Any) -> AsyncIterator[PictoryClient]:
    async with PictoryClient(CLIENT_KEY, sandbox.api_base_url, timeout=10, retry=TINY) as c:
        yield c


def statuses(entries: list[Any]) -> list[Any]:
    return [e["status"] for e in entries]


async def test_a_get_is_retried_through_server_errors(
    client: PictoryClient, control: Control
) -> None:
    await control.faults(error_next=2, error_status=503)
    assert await client.list_voices()
    assert statuses(await control.requests("GET", VOICES)) == [503, 503, 200]


async def test_a_get_gives_up_after_the_policy_s_attempts(
    client: PictoryClient, control: Control
) -> None:
    await control.faults(error_next=10, error_status=502)
    with pytest.raises(ServerError) as caught:
        await client.list_voices()
    assert caught.value.status_code == 502
    assert len(await control.requests("GET", VOICES)) == TINY.max_attempts


async def test_a_dropped_connection_on_a_get_is_retried(
    client: PictoryClient, control: Control
) -> None:
    await control.faults(drop_next=1)
    assert await client.list_voices()
    assert len(await control.requests("GET", VOICES)) == 2


async def test_a_rate_limited_get_waits_for_retry_after_and_succeeds(
    client: PictoryClient, control: Control
) -> None:
    await control.configure(rate_limit=1.0)
    await client.list_brands()  # spends the only token
    # The tiny policy would burn all its attempts in well under a second; only by
    # honouring Retry-After (>= 1 s) can the call succeed.
    assert await client.list_voices()
    entries = await control.requests("GET", VOICES)
    assert statuses(entries) == [429, 200]
    assert entries[1]["time"] - entries[0]["time"] >= 0.9


async def test_a_rate_limited_render_is_retried_and_creates_one_job(
    client: PictoryClient, control: Control
) -> None:
    await control.configure(rate_limit=1.0)
    await client.list_brands()
    started = await client.render_storyboard(STORYBOARD)
    entries = await control.requests("POST", RENDER)
    assert statuses(entries) == [429, 200]
    assert [e["job_id"] for e in entries if e["job_id"]] == [started.job_id]


async def test_a_retry_after_beyond_the_limit_is_raised_with_the_hint(
    sandbox: Any, control: Control
) -> None:
    await control.configure(rate_limit=0.01)  # Retry-After of about 100 s
    impatient = RetryPolicy(max_attempts=4, base_delay=0.01, max_retry_after=2.0)
    async with PictoryClient(CLIENT_KEY, sandbox.api_base_url, retry=impatient) as client:
        await client.list_brands()
        with pytest.raises(RateLimitedError) as caught:
            await client.list_voices()
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 2.0
    assert len(await control.requests("GET", VOICES)) == 1


@pytest.mark.parametrize("phase", ["after", "before"])
async def test_a_render_is_not_resubmitted_after_a_server_error(
    client: PictoryClient, control: Control, phase: str
) -> None:
    await control.faults(error_next=1, error_status=500, error_phase=phase)
    with pytest.raises(ServerError):
        await client.render_storyboard(STORYBOARD)
    entries = await control.requests("POST", RENDER)
    assert len(entries) == 1
    # In the "after" phase the job exists although the answer was an error: a blind
    # retry would have rendered (and billed) it twice.
    assert (entries[0]["job_id"] is not None) == (phase == "after")


async def test_a_dropped_connection_on_a_render_may_have_been_received(
    client: PictoryClient, control: Control
) -> None:
    await control.faults(drop_next=1, error_phase="after")
    with pytest.raises(TransportError) as caught:
        await client.render_storyboard(STORYBOARD)
    assert caught.value.request_sent is True
    assert CLIENT_KEY not in str(caught.value)
    entries = await wait_for_log(control, "POST", RENDER, 1)
    assert len(entries) == 1


async def test_a_render_that_times_out_is_not_resubmitted(sandbox: Any, control: Control) -> None:
    await control.configure(latency_ms=1500)
    async with PictoryClient(CLIENT_KEY, sandbox.api_base_url, timeout=0.3, retry=TINY) as client:
        with pytest.raises(TransportError, match="timed out") as caught:
            await client.render_storyboard(STORYBOARD)
    assert caught.value.request_sent is True
    # The sandbox logs a request when it has finished handling it. A later request with
    # the same latency finishes after every request the client sent, so once it returns
    # the log holds all of them.
    async with PictoryClient(CLIENT_KEY, sandbox.api_base_url, timeout=10, retry=TINY) as patient:
        await patient.list_brands()
    assert len(await control.requests("POST", RENDER)) == 1


async def test_a_get_that_times_out_is_retried_then_reported(
    sandbox: Any, control: Control
) -> None:
    await control.configure(latency_ms=1000)
    policy = RetryPolicy(max_attempts=2, base_delay=0.01)
    async with PictoryClient(CLIENT_KEY, sandbox.api_base_url, timeout=0.2, retry=policy) as client:
        with pytest.raises(TransportError, match="timed out"):
            await client.list_voices()
    assert len(await wait_for_log(control, "GET", VOICES, 2)) == 2


async def test_a_refused_connection_is_reported_as_not_sent() -> None:
    url = f"http://127.0.0.1:{free_port()}/pictoryapis"
    async with PictoryClient(CLIENT_KEY, url, retry=TINY) as client:
        with pytest.raises(TransportError) as caught:
            await client.render_storyboard(STORYBOARD)
    assert caught.value.request_sent is False
    assert CLIENT_KEY not in str(caught.value)


async def test_a_render_refused_once_is_resent_because_it_never_arrived() -> None:
    # A refusal followed by success cannot be staged with a real server on demand.
    calls: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append(request.headers["Authorization"])
        if len(calls) == 1:
            raise httpx.ConnectError("connection refused", request=request)
        return httpx.Response(200, json={"success": True, "data": {"jobId": "j-1"}})

    transport = httpx.MockTransport(handler)
    async with PictoryClient(
        CLIENT_KEY, "http://pictory.test", retry=TINY, transport=transport
    ) as c:
        started = await c.render_storyboard(STORYBOARD)
    assert started.job_id == "j-1"
    assert calls == [CLIENT_KEY, CLIENT_KEY]


async def test_no_error_message_ever_contains_the_key(
    client: PictoryClient, control: Control
) -> None:
    failures: list[PictoryError] = []
    for fault in ({"error_next": 10}, {"drop_next": 1}, {"malformed_next": 1}):
        await control.faults(**fault)
        try:
            await client.render_storyboard(STORYBOARD)
        except PictoryError as exc:
            failures.append(exc)
        await control.faults(error_next=0, drop_next=0, malformed_next=0)
    try:
        await client.get_job("no-such-job")
    except PictoryError as exc:
        failures.append(exc)
    assert len(failures) == 4
    for exc in failures:
        assert CLIENT_KEY not in str(exc)
        assert CLIENT_KEY not in repr(exc)
        assert CLIENT_KEY not in repr(getattr(exc, "body", None))
    assert CLIENT_KEY not in repr(client)


async def test_a_shared_budget_keeps_concurrent_calls_under_the_rate_limit(
    sandbox: Any, control: Control
) -> None:
    await control.configure(rate_limit=5.0)
    async with PictoryClient(
        CLIENT_KEY, sandbox.api_base_url, retry=TINY, rate_per_second=4.0
    ) as client:
        with anyio.fail_after(20):
            async with anyio.create_task_group() as tg:
                for _ in range(10):
                    tg.start_soon(client.list_brands)
    entries = await control.requests("GET", "/pictoryapis/v1/brands/video")
    assert len(entries) == 10
    assert 429 not in statuses(entries)
