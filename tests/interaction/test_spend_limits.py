"""Spending limits through real MCP clients: the account's quota (a video that cannot fit is
refused before anything is sent; an unreadable quota is said, not blocking) and the daily cap
counted from the job history, across processes and under concurrent calls."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.types import ElicitResult

from pictory_mcp.config import Settings
from pictory_mcp.server import spending
from pictory_mcp.server.app import build_server
from tests._helpers import history, server_env, structured, text_of

pytestmark = pytest.mark.anyio

SENTENCE = (
    "Solar panels now pay for themselves faster than ever, and prices keep falling every year."
)
SCRIPT = " ".join([SENTENCE] * 5)  # 75 words: half a minute
LONGER = " ".join([SENTENCE] * 6)  # 90 words: 0.6 minutes
RENDER = "/v2/video/storyboard/render"


def renders(sandbox: Any) -> int:
    return sum(1 for r in sandbox.control.requests(method="POST") if r["path"].endswith(RENDER))


class Asked:
    """An elicitation callback that says yes and remembers it was asked."""

    def __init__(self) -> None:
        self.count = 0

    async def __call__(self, context: Any, params: Any) -> ElicitResult:
        self.count += 1
        return ElicitResult(action="accept", content={"render": True})


async def test_a_video_the_quota_cannot_fit_is_refused_with_the_numbers_before_anything(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    sandbox.control.configure(video_minutes_limit=100, video_minutes_used=99.8)
    asked = Asked()
    async with Client(build_server(settings), mode=mode, elicitation_callback=asked) as client:
        result = await client.call_tool("create_video_from_text", {"script": SCRIPT})
    assert result.is_error
    message = text_of(result)
    assert "Nothing was submitted" in message
    assert "needs about 0.5 video minutes" in message
    assert "0.2 of its 100 video minutes left (99.8 used)" in message
    assert "about 30 words of narration fit" in message
    assert "preview=true" in message and "https://app.pictory.ai" in message
    assert asked.count == 0  # refused before the user is bothered
    assert renders(sandbox) == 0 and history(settings) == []


async def test_minutes_of_renders_still_running_are_held_against_the_quota(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(video_minutes_limit=100, video_minutes_used=99)
    async with Client(build_server(settings)) as client:
        first = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
        assert first["details"]["spend"]["quota_minutes_left"] == 1
        second = await client.call_tool("create_video_from_text", {"script": LONGER})
        assert second.is_error and "0.5 held by renders still running" in text_of(second)
        sandbox.control.advance_clock(3600)
        done = structured(await client.call_tool("check_job", {"job_id": first["job_id"]}))
        assert done["status"] == "completed"
        # The finished render is now in the account's own count, and no longer held.
        third = await client.call_tool("create_video_from_text", {"script": LONGER})
    assert third.is_error and "held by" not in text_of(third)
    assert renders(sandbox) == 1


async def test_no_minutes_left_refuses_even_a_video_whose_length_is_unknown(
    settings: Settings, sandbox: Any
) -> None:
    sandbox.control.configure(video_minutes_limit=100, video_minutes_used=100)
    async with Client(build_server(settings)) as client:
        result = await client.call_tool(
            "create_video_from_article", {"url": "https://example.com/blog/solar"}
        )
        preview = await client.call_tool(
            "create_video_from_article", {"url": "https://example.com/blog/solar", "preview": True}
        )
    assert result.is_error and "has 0 of its 100 video minutes left" in text_of(result)
    assert not preview.is_error  # a preview spends no video minutes
    assert renders(sandbox) == 0


async def test_an_unreadable_quota_does_not_block_the_render_and_the_answer_says_so(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    sandbox.control.configure(quota_status=403)
    async with Client(build_server(settings), mode=mode) as client:
        view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert view["status"] == "in-progress"
    assert "could not be read" in view["next_step"]
    assert "not checked against the quota" in view["next_step"]
    assert "quota_minutes_left" not in view["details"]["spend"]
    assert renders(sandbox) == 1


async def test_a_quota_that_does_not_answer_in_time_is_skipped_and_said(
    settings: Settings, sandbox: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(spending, "QUOTA_BOUND", 0.5)
    sandbox.control.configure(quota_latency_ms=5000)
    asked = Asked()
    async with Client(build_server(settings), elicitation_callback=asked) as client:
        with anyio.fail_after(20):
            view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert "did not answer within 0.5 s" in view["next_step"]
    assert asked.count == 1 and renders(sandbox) == 1


async def test_the_daily_cap_refuses_the_render_past_it_and_says_when_it_resets(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    capped = settings.model_copy(update={"daily_minutes": 1.0})
    asked = Asked()
    async with Client(build_server(capped), mode=mode, elicitation_callback=asked) as client:
        first = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
        second = await client.call_tool("create_video_from_text", {"script": LONGER})
    assert first["status"] == "in-progress"
    assert second.is_error
    message = text_of(second)
    assert "0.5 of this server's 1 video minutes a day" in message
    assert "needs about 0.6 more" in message
    assert "resets at 00:00 UTC" in message
    assert asked.count == 1  # the second was refused before asking
    assert renders(sandbox) == 1


async def test_concurrent_renders_near_the_cap_on_one_history_do_not_both_pass(
    settings: Settings, sandbox: Any
) -> None:
    capped = settings.model_copy(update={"daily_minutes": 1.0})
    answers: list[Any] = []
    async with (
        Client(build_server(capped)) as one,
        Client(build_server(capped)) as two,
    ):

        async def create(client: Client) -> None:
            answers.append(await client.call_tool("create_video_from_text", {"script": LONGER}))

        with anyio.fail_after(30):
            async with anyio.create_task_group() as group:
                group.start_soon(create, one)
                group.start_soon(create, two)
    refused = [a for a in answers if a.is_error]
    assert len(answers) == 2 and len(refused) == 1
    assert "video minutes a day" in text_of(refused[0])
    assert renders(sandbox) == 1
    assert [r.spend_minutes for r in history(capped)] == [0.6]


@pytest.mark.slow
async def test_the_daily_cap_holds_across_two_server_processes_sharing_a_history(
    sandbox: Any, tmp_path: Path
) -> None:
    env = {**server_env(sandbox, tmp_path), "PICTORY_MCP_DAILY_MINUTES": "1"}
    server = StdioServerParameters(command=sys.executable, args=["-m", "pictory_mcp"], env=env)
    answers: list[Any] = []
    async with Client(server) as one, Client(server) as two:

        async def create(client: Client, script: str) -> None:
            answers.append(await client.call_tool("create_video_from_text", {"script": script}))

        with anyio.fail_after(60):
            # Both at once near the cap: one passes.
            async with anyio.create_task_group() as group:
                group.start_soon(create, one, LONGER)
                group.start_soon(create, two, LONGER)
            # Then the other process sees what the first spent.
            await create(two, SCRIPT)
            await create(one, SCRIPT)
    passed = [a for a in answers if not a.is_error]
    assert len(passed) == 1
    assert all("video minutes a day" in text_of(a) for a in answers if a.is_error)
    assert renders(sandbox) == 1
