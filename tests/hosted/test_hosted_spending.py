"""Spending checks on a hosted server: its streamable HTTP is stateless, so a 2025 client has no
back-channel to be asked on (auto goes ahead unasked, always refuses) while a 2026-07-28 client
is asked between rounds; and each user has a daily cap of their own."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp.types import ElicitResult

from tests._helpers import posts, structured, text_of
from tests.hosted.idp import IdP
from tests.hosted.team import hosted_server, settings_for

pytestmark = pytest.mark.anyio

SENTENCE = (
    "Solar panels now pay for themselves faster than ever, and prices keep falling every year."
)
SCRIPT = " ".join([SENTENCE] * 5)  # 75 words: half a minute
RENDER = "/v2/video/storyboard/render"


class User:
    def __init__(self, action: str = "accept") -> None:
        self.action = action
        self.asked: list[str] = []

    async def __call__(self, context: Any, params: Any) -> ElicitResult:
        self.asked.append(params.message)
        if self.action == "accept":
            return ElicitResult(action="accept", content={"render": True})
        return ElicitResult(action=self.action)  # type: ignore[arg-type]


async def test_a_2026_client_is_asked_and_a_2025_client_without_a_back_channel_is_not(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, str(tmp_path / "team.sqlite3"))
    async with hosted_server(settings, idp) as team:
        await team.connected("alice")
        modern, legacy = User("decline"), User("decline")
        async with team.client("alice", elicitation_callback=modern) as alice:
            declined = await alice.call_tool("create_video_from_text", {"script": SCRIPT})
        async with team.client("alice", mode="legacy", elicitation_callback=legacy) as alice:
            unasked = structured(
                await alice.call_tool("create_video_from_text", {"script": SCRIPT})
            )
    assert declined.is_error and "The user declined" in text_of(declined)
    assert len(modern.asked) == 1 and "create_video_from_text" in modern.asked[0]
    assert legacy.asked == []
    assert unasked["details"]["spend"]["confirmed_by_user"] is False
    assert len(posts(sandbox, RENDER)) == 1


async def test_always_refuses_the_2025_client_that_cannot_be_asked_on_a_hosted_server(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, str(tmp_path / "team.sqlite3"), confirm_spend="always")
    async with hosted_server(settings, idp) as team:
        await team.connected("alice")
        async with team.client("alice", mode="legacy", elicitation_callback=User()) as alice:
            refused = await alice.call_tool("create_video_from_text", {"script": SCRIPT})
        async with team.client("alice", elicitation_callback=User()) as alice:
            accepted = structured(
                await alice.call_tool("create_video_from_text", {"script": SCRIPT})
            )
    assert refused.is_error and "PICTORY_MCP_CONFIRM_SPEND=always" in text_of(refused)
    assert accepted["details"]["spend"]["confirmed_by_user"] is True
    assert len(posts(sandbox, RENDER)) == 1


async def test_each_user_has_a_daily_cap_of_their_own(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, str(tmp_path / "team.sqlite3"), daily_minutes=0.8)
    async with hosted_server(settings, idp) as team:
        await team.connected("alice")
        await team.connected("bob")
        async with team.client("alice") as alice:
            structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
            over = await alice.call_tool("create_video_from_text", {"script": SCRIPT})
        async with team.client("bob") as bob:
            structured(await bob.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert over.is_error
    assert "0.5 of your 0.8 video minutes a day" in text_of(over)
    assert len(posts(sandbox, RENDER)) == 2
