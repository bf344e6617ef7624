"""Renders as tasks in hosted mode: a task belongs to the user whose call made it. Another
user's task id reads as unknown on `tasks/get`, `tasks/update` and `tasks/cancel`, even for a
user on the same Pictory account (who could otherwise ask Pictory about the job)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcp.shared.exceptions import MCPError
from mcp.types import INVALID_PARAMS

from tests._helpers import TaskHandle, TasksClient, cancel_task, get_task
from tests.hosted.idp import IdP
from tests.hosted.team import USER_KEYS, hosted_server, settings_for

pytestmark = pytest.mark.anyio

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."


async def test_another_users_task_id_reads_as_unknown_even_on_a_shared_account(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    sandbox.control.configure(render_seconds=60)
    settings = settings_for(idp, sandbox, str(tmp_path / "team.sqlite3"))
    async with hosted_server(settings, idp) as team:
        await team.connected("alice")
        await team.connected("bob", USER_KEYS["alice"])  # one Pictory account for both
        async with team.client("alice", extensions=[TasksClient()]) as alice:
            handle = await alice.session.call_tool(
                "create_video_from_text", {"script": SCRIPT}, allow_claimed=True
            )
            assert isinstance(handle, TaskHandle)
            assert (await get_task(alice.session, handle.task_id)).status == "working"
        async with team.client("bob", extensions=[TasksClient()]) as bob:
            for call in (get_task, cancel_task):
                with pytest.raises(MCPError) as refused:
                    await call(bob.session, handle.task_id)
                assert refused.value.error.code == INVALID_PARAMS
                assert "no task" in refused.value.error.message
        async with team.client("alice", extensions=[TasksClient()]) as alice:
            assert (await get_task(alice.session, handle.task_id)).status == "working"
            sandbox.control.advance_clock(90)
            done = await get_task(alice.session, handle.task_id)
            assert done.status == "completed" and done.result is not None
