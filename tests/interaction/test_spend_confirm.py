"""The user's yes before credits are spent: asked through the client's form elicitation in both
protocol eras (mid-call on the 2025 handshake, between rounds on 2026-07-28), with the estimate,
the quota left and what will be made; a "no", a dismissal or no answer in time submits nothing
and leaves nothing in the history; PICTORY_MCP_CONFIRM_SPEND always and never."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import anyio
import httpx2
import pytest
from mcp import Client
from mcp.client.stdio import StdioServerParameters
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError
from mcp.types import INTERNAL_ERROR, ElicitResult, ErrorData

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import (
    TasksClient,
    free_port,
    history,
    server_env,
    serving,
    structured,
    text_of,
)

pytestmark = pytest.mark.anyio

# 75 words: half a minute at the documented 2.5 words a second.
SENTENCE = (
    "Solar panels now pay for themselves faster than ever, and prices keep falling every year."
)
SCRIPT = " ".join([SENTENCE] * 5)
ANNOUNCE = "20250901101500123a1b2c3d4e5f60718293a4b5c6d7e8f9tpl1"
STORYBOARD = {
    "videoName": "Two voices",
    "aspectRatio": "9:16",
    "voiceOver": {"enabled": True, "aiVoices": [{"speaker": "Brian"}]},
    "scenes": [{"story": "First scene."}, {"story": "Second scene.", "minimumDuration": 12}],
}


class User:
    """The person behind the client: answers each question in turn with `answers` (an action,
    or "accept:false" for an accepted form left unticked, or "wait" to never answer)."""

    def __init__(self, *answers: str) -> None:
        self.answers = list(answers) or ["accept"]
        self.asked: list[Any] = []
        self.before_answer: Any = None

    async def __call__(self, context: Any, params: Any) -> ElicitResult:
        self.asked.append(params)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        if self.before_answer is not None:
            self.before_answer(len(self.asked))
        if answer == "wait":
            await anyio.sleep_forever()
        if answer == "error":
            return ErrorData(code=INTERNAL_ERROR, message="the dialog could not be shown")  # type: ignore[return-value]
        if answer == "accept:false":
            return ElicitResult(action="accept", content={"render": False})
        if answer == "accept":
            return ElicitResult(action="accept", content={"render": True})
        return ElicitResult(action=answer)  # type: ignore[arg-type]


def client_for(settings: Settings, mode: str, user: User | None) -> Client:
    return Client(build_server(settings), mode=mode, elicitation_callback=user)  # type: ignore[arg-type]


def mutations(sandbox: Any) -> list[str]:
    return [r["path"] for r in sandbox.control.requests() if r["method"] in ("POST", "PUT")]


async def test_the_user_is_asked_what_will_be_made_and_a_yes_submits_it_once(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    user = User("accept")
    async with client_for(settings, mode, user) as client:
        view = structured(
            await client.call_tool(
                "create_video_from_text",
                {"script": SCRIPT, "voice": "Brian", "video_name": "Solar savings"},
            )
        )
    (question,) = user.asked
    assert question.message.startswith(
        "Render 'Solar savings' (16:9, voice Brian) with create_video_from_text? It is about "
        "0.5 video minutes long; the Pictory account has 14,302 of its 14,400 video minutes left."
    )
    assert "cannot cancel" in question.message
    # A yes/no and nothing else: never a secret.
    assert question.requested_schema["properties"]["render"]["type"] == "boolean"
    assert list(question.requested_schema["properties"]) == ["render"]
    assert view["status"] == "in-progress"
    assert view["details"]["spend"] == {
        "estimated_minutes": 0.5,
        "quota_minutes_left": 14302,
        "confirmed_by_user": True,
    }
    assert mutations(sandbox) == ["/pictoryapis/v2/video/storyboard/render"]


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ("decline", "The user declined"),
        ("cancel", "dismissed the question"),
        ("accept:false", "The user declined"),
    ],
)
async def test_a_no_or_a_dismissal_submits_nothing_and_says_so(
    settings: Settings, sandbox: Any, mode: str, answer: str, said: str
) -> None:
    async with client_for(settings, mode, User(answer)) as client:
        result = await client.call_tool("create_video_from_text", {"script": SCRIPT})
    assert result.is_error
    assert said in text_of(result)
    assert "nothing was submitted and no credits were spent" in text_of(result)
    assert mutations(sandbox) == []
    assert history(settings) == []  # no placeholder was written


SPENDING_CALLS: list[tuple[str, dict[str, Any], str]] = [
    ("create_video_from_text", {"script": SCRIPT}, "about 0.5 video minutes"),
    (
        "create_video_from_article",
        {"url": "https://example.com/blog/solar-is-cheap"},
        "Pictory reads the article itself",
    ),
    (
        "create_video_from_presentation",
        {"ppt_url": "https://example.com/decks/q3.pptx"},
        "Pictory reads the presentation itself",
    ),
    (
        "create_video_from_template",
        {"template_id": ANNOUNCE, "variables": {"Product": "Sunny", "Company": "Acme"}},
        "about 0.09 video minutes",
    ),
    ("create_video_from_storyboard", {"storyboard": STORYBOARD}, "about 0.21 video minutes"),
    (
        "create_video_highlights",
        {"media_url": "https://media.example.com/talk.mp4", "duration_seconds": 90},
        "about 1.5 video minutes",
    ),
]


@pytest.mark.parametrize(("tool", "arguments", "length"), SPENDING_CALLS, ids=lambda v: str(v)[:30])
async def test_every_spending_tool_asks_with_its_estimate_and_a_no_sends_nothing(
    settings: Settings, sandbox: Any, mode: str, tool: str, arguments: dict[str, Any], length: str
) -> None:
    user = User("decline")
    async with client_for(settings, mode, user) as client:
        result = await client.call_tool(tool, arguments)
    assert result.is_error and "The user declined" in text_of(result)
    (question,) = user.asked
    assert f"with {tool}?" in question.message and length in question.message
    assert mutations(sandbox) == []


async def test_a_preview_asks_nothing_and_its_render_asks_with_the_previews_length(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    user = User("accept")
    async with client_for(settings, mode, user) as client:
        preview = structured(
            await client.call_tool("create_video_from_text", {"script": SCRIPT, "preview": True})
        )
        assert user.asked == []
        assert "spend" not in preview.get("details", {})
        sandbox.control.advance_clock(3600)
        render = structured(await client.call_tool("render_preview", {"job_id": preview["job_id"]}))
    (question,) = user.asked
    assert "with render_preview?" in question.message
    assert render["details"]["spend"]["confirmed_by_user"] is True
    assert 0.4 < render["details"]["spend"]["estimated_minutes"] < 0.6


async def test_a_changed_quota_between_the_rounds_asks_again_with_the_new_numbers(
    settings: Settings, sandbox: Any
) -> None:
    user = User("accept")
    # While the user decides, another render uses 1,000 minutes of the account.
    user.before_answer = lambda n: n == 1 and sandbox.control.configure(video_minutes_used=1098)
    async with client_for(settings, "auto", user) as client:
        view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    first, second = user.asked
    assert "14,302 of its 14,400" in first.message
    assert "13,302 of its 14,400" in second.message
    assert view["details"]["spend"]["quota_minutes_left"] == 13302
    assert len(mutations(sandbox)) == 1


async def test_a_handshake_user_who_does_not_answer_in_time_gets_nothing_submitted(
    settings: Settings, sandbox: Any
) -> None:
    bounded = settings.model_copy(update={"call_timeout": 8.0})
    async with client_for(bounded, "legacy", User("wait")) as client:
        with anyio.fail_after(20):
            result = await client.call_tool("create_video_from_text", {"script": SCRIPT})
    assert result.is_error
    assert "The user did not answer within" in text_of(result)
    assert "nothing was submitted" in text_of(result)
    assert mutations(sandbox) == [] and history(bounded) == []


async def test_a_client_that_fails_to_show_the_question_gets_nothing_submitted(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    async with client_for(settings, mode, User("error")) as client:
        if mode == "legacy":
            result = await client.call_tool("create_video_from_text", {"script": SCRIPT})
            assert result.is_error
            assert "The client could not show the question" in text_of(result)
            assert "PICTORY_MCP_CONFIRM_SPEND=never" in text_of(result)
        else:  # the client gives up between the rounds: the second round never comes
            with pytest.raises(MCPError, match="could not be shown"):
                await client.call_tool("create_video_from_text", {"script": SCRIPT})
    assert mutations(sandbox) == [] and history(settings) == []


async def test_without_a_client_that_can_ask_auto_submits_and_always_refuses(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    async with client_for(settings, mode, None) as client:
        view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert view["details"]["spend"]["confirmed_by_user"] is False
    strict = settings.model_copy(update={"confirm_spend": "always"})
    async with client_for(strict, mode, None) as client:
        refused = await client.call_tool("create_video_from_text", {"script": SCRIPT})
        preview = await client.call_tool(
            "create_video_from_text", {"script": SCRIPT, "preview": True}
        )
    assert refused.is_error
    assert "PICTORY_MCP_CONFIRM_SPEND=always" in text_of(refused)
    assert "inline player" in text_of(refused)
    assert not preview.is_error  # a preview spends nothing
    assert len(mutations(sandbox)) == 2


async def test_never_asks_nobody_even_when_the_client_could(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    user = User("decline")
    quiet = settings.model_copy(update={"confirm_spend": "never"})
    async with client_for(quiet, mode, user) as client:
        view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert user.asked == []
    assert view["details"]["spend"]["confirmed_by_user"] is False
    assert len(mutations(sandbox)) == 1


async def test_the_question_travels_over_streamable_http_in_both_eras(
    settings: Settings, sandbox: Any, mode: str
) -> None:
    user = User("accept")
    port = free_port()
    async with serving(settings, port), httpx2.AsyncClient(timeout=60) as http:
        transport = streamable_http_client(f"http://127.0.0.1:{port}/mcp", http_client=http)
        async with Client(transport, mode=mode, elicitation_callback=user) as client:  # type: ignore[arg-type]
            view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert len(user.asked) == 1
    assert view["details"]["spend"]["confirmed_by_user"] is True
    assert len(mutations(sandbox)) == 1


@pytest.mark.slow
async def test_the_question_travels_over_stdio_in_both_eras(
    sandbox: Any, tmp_path: Path, mode: str
) -> None:
    env = server_env(sandbox, tmp_path)
    server = StdioServerParameters(command=sys.executable, args=["-m", "pictory_mcp"], env=env)
    user = User("decline", "accept")
    async with Client(server, mode=mode, elicitation_callback=user) as client:  # type: ignore[arg-type]
        declined = await client.call_tool("create_video_from_text", {"script": SCRIPT})
        view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert declined.is_error and "The user declined" in text_of(declined)
    assert len(user.asked) == 2
    assert view["details"]["spend"]["confirmed_by_user"] is True
    assert len(mutations(sandbox)) == 1


async def test_a_client_following_renders_as_tasks_is_asked_first_and_its_yes_becomes_the_task(
    settings: Settings, sandbox: Any
) -> None:
    user, follower = User("decline", "accept"), TasksClient()
    async with Client(
        build_server(settings), extensions=[follower], elicitation_callback=user
    ) as client:
        declined = await client.call_tool("create_video_from_text", {"script": SCRIPT})
        assert declined.is_error and "The user declined" in text_of(declined)
        assert follower.handles == [] and mutations(sandbox) == []
        with anyio.fail_after(30):
            done = await client.call_tool("create_video_from_text", {"script": SCRIPT})
    assert len(user.asked) == 2
    (handle,) = follower.handles
    (job,) = sandbox.control.jobs()
    assert handle.task_id == job["job_id"]
    assert structured(done)["status"] == "completed"
