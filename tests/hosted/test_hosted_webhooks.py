"""Webhooks in hosted mode: a webhook names no user, so the hook alone says whose job it is; the
confirming GET goes out under that user's own key, the result reaches that user only, and a
user who removed their key gets nothing checked on their behalf."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client.subscriptions import ResourceUpdated

from pictory_mcp.sandbox.job_state import fingerprint
from tests._helpers import posts, structured
from tests.hosted.idp import IdP
from tests.hosted.team import USER_KEYS, hosted_server, settings_for

pytestmark = pytest.mark.anyio

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."
RENDER = "/v2/video/storyboard/render"


def gets_of(sandbox: Any, job_id: str) -> list[dict[str, Any]]:
    return [
        r
        for r in sandbox.control.requests(method="GET")
        if r["path"].endswith(f"/v1/jobs/{job_id}")
    ]


def team_settings(idp: IdP, sandbox: Any, tmp_path: Path) -> Any:
    sandbox.control.configure(render_seconds=600)  # jobs finish when the test says so
    settings = settings_for(idp, sandbox, str(tmp_path / "team.sqlite3"))
    origin = settings.resource_url.removesuffix("/mcp")
    return settings.model_copy(update={"public_url": origin})


async def test_a_webhook_is_confirmed_with_its_owners_key_and_reaches_only_its_owner(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(team_settings(idp, sandbox, tmp_path), idp) as team:
        await team.connected("alice")
        await team.connected("bob")
        async with team.client("alice") as alice, team.client("bob") as bob:
            created = await alice.call_tool("create_video_from_text", {"script": SCRIPT})
            job_id = structured(created)["job_id"]
            (sent,) = posts(sandbox, RENDER)
            assert sent["body"]["webhook"].startswith(team.origin + "/webhooks/pictory/")
            heard: dict[str, list[str]] = {"alice": [], "bob": []}

            async def listen(name: str, client: Any) -> None:
                async with client.listen(
                    resource_subscriptions=[f"pictory://jobs/{job_id}"]
                ) as events:
                    async for event in events:
                        if isinstance(event, ResourceUpdated):
                            heard[name].append(event.uri)

            async with anyio.create_task_group() as group:
                group.start_soon(listen, "alice", alice)
                group.start_soon(listen, "bob", bob)
                await anyio.sleep(0.5)
                sandbox.control.advance_clock(3600)
                done = structured(
                    await alice.call_tool("wait_for_job", {"job_id": job_id, "timeout_seconds": 30})
                )
                await anyio.sleep(0.5)
                group.cancel_scope.cancel()
        assert done["status"] == "completed"
        (confirmation,) = gets_of(sandbox, job_id)
        assert confirmation["key"] == fingerprint(USER_KEYS["alice"])
        assert f"pictory://jobs/{job_id}" in heard["alice"]
        assert heard["bob"] == []


async def test_a_user_who_removed_their_key_gets_nothing_checked_on_their_behalf(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(team_settings(idp, sandbox, tmp_path), idp) as team:
        await team.connected("alice")
        async with team.client("alice") as alice:
            created = await alice.call_tool("create_video_from_text", {"script": SCRIPT})
            job_id = structured(created)["job_id"]
        answer = await team.submit_key(team.tenants_link("alice"), "", action="delete")
        assert answer.status_code == 200, answer.text
        (sent,) = posts(sandbox, RENDER)
        sandbox.control.advance_clock(3600)
        replayed = await team.post(sent["body"]["webhook"], json={"job_id": job_id})
        assert replayed.status_code == 202
        assert "alice" not in replayed.text and job_id not in replayed.text
        assert gets_of(sandbox, job_id) == []
