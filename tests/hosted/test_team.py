"""Hosted mode through real MCP clients over streamable HTTP: users sign in with real JWTs from a
loopback identity provider, connect their own Pictory keys through the connect page, and each
sees only their own jobs on every tool and resource."""

from __future__ import annotations

import itertools
import logging
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp.client.subscriptions import ResourcesListChanged, ResourceUpdated
from mcp.shared.exceptions import MCPError

from pictory_mcp.sandbox.job_state import fingerprint
from tests._helpers import posts, structured, text_of
from tests.hosted.idp import IdP
from tests.hosted.team import USER_KEYS, Team, hosted_server, settings_for

pytestmark = pytest.mark.anyio

SCRIPT = "Coffee grows on hills. Farmers pick the cherries by hand. Then they dry the beans."
RENDER = "/v2/video/storyboard/render"


def db(tmp_path: Path) -> str:
    return str(tmp_path / "team.sqlite3")


async def test_a_user_without_a_key_is_sent_to_the_connect_page_and_then_served(
    idp: IdP, sandbox: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        async with team.client("alice") as alice:
            link = await team.connect_link(alice)
            assert link.startswith(team.origin + "/connect?t=")
            page = await team.get(link)
            ready = await team.get(team.origin + "/readyz")
            assert ready.status_code == 200 and ready.json() == {"status": "ready"}
            assert page.status_code == 200 and "password" in page.text
            refused = await team.submit_key(link, "not-a-pictory-key")
            assert refused.status_code >= 400 and "not-a-pictory-key" not in refused.text
            saved = await team.submit_key(link, USER_KEYS["alice"])
            assert saved.status_code == 200, saved.text
            voices = structured(await alice.call_tool("list_voices", {}))
            assert voices["voices"]
        # A link is bound to its user: bob cannot store a key for alice with alice's link.
        async with team.client("bob") as bob:
            bob_link = await team.connect_link(bob)
            assert bob_link != link
    everything = caplog.text + page.text + saved.text
    assert USER_KEYS["alice"] not in everything


async def test_each_user_sees_only_their_own_jobs_on_every_tool_and_resource(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        await team.connected("alice")
        await team.connected("bob")
        async with team.client("alice") as alice, team.client("bob") as bob:
            video = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
            preview = structured(
                await alice.call_tool("create_video_from_text", {"script": SCRIPT, "preview": True})
            )
            workflow = structured(
                await alice.call_tool(
                    "create_video_highlights",
                    {"media_url": "https://media.example.com/keynote.mp4", "duration_seconds": 30},
                )
            )
            mine = {video["job_id"], preview["job_id"], workflow["job_id"]}
            listed = structured(await alice.call_tool("list_jobs", {}))
            assert {row["job_id"] for row in listed["jobs"]} == mine

            assert structured(await bob.call_tool("list_jobs", {}))["jobs"] == []
            sent_before = len(sandbox.control.requests(method="POST"))
            for tool, args in (
                ("check_job", {"job_id": video["job_id"]}),
                ("wait_for_job", {"job_id": video["job_id"], "timeout_seconds": 2}),
                ("get_preview", {"job_id": preview["job_id"]}),
                ("render_preview", {"job_id": preview["job_id"]}),
                ("update_preview_scene", {"job_id": preview["job_id"], "scene": 1, "text": "Hi."}),
                ("check_job", {"job_id": workflow["job_id"]}),
                ("wait_for_job", {"job_id": workflow["job_id"], "timeout_seconds": 2}),
            ):
                answer = await bob.call_tool(tool, args)
                assert answer.is_error, (tool, text_of(answer))
                assert "alice" not in text_of(answer)
            jobs = await bob.read_resource("pictory://jobs")
            assert video["job_id"] not in str(jobs)
            with pytest.raises(MCPError):
                await bob.read_resource(f"pictory://jobs/{video['job_id']}")
            own = await alice.read_resource(f"pictory://jobs/{video['job_id']}")
            assert video["job_id"] in str(own)
            # Bob's attempts on alice's jobs sent nothing to Pictory with his key.
            bobs = [
                r
                for r in sandbox.control.requests(method="POST")[sent_before:]
                if r.get("key") == fingerprint(USER_KEYS["bob"])
            ]
            assert bobs == []


async def test_a_read_only_token_sees_no_tool_that_spends_credits_and_is_refused_one(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        await team.connected("alice")
        async with team.client("alice", scopes=["pictory:read"]) as reader:
            names = {tool.name for tool in (await reader.list_tools()).tools}
            assert "list_jobs" in names and "check_job" in names
            assert not names & {"create_video_from_text", "render_preview", "download_video"}
            refused = await reader.call_tool("create_video_from_text", {"script": SCRIPT})
            assert refused.is_error
            assert "pictory:render" in text_of(refused)
        async with team.client("alice") as renderer:
            names = {tool.name for tool in (await renderer.list_tools()).tools}
            assert "create_video_from_text" in names
            assert "download_video" not in names  # the server's disk is not the user's
    assert posts(sandbox, RENDER) == []


async def test_tokens_that_are_not_for_this_server_are_refused_with_its_resource_metadata(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        metadata = await team.get(team.origin + "/.well-known/oauth-protected-resource/mcp")
        assert metadata.status_code == 200
        assert metadata.json()["resource"] == team.url
        assert idp.issuer in str(metadata.json()["authorization_servers"])
        body = {"jsonrpc": "2.0", "id": 1, "method": "tools/list", "params": {}}
        headers = {"Accept": "application/json, text/event-stream"}
        bad_tokens = {
            "wrong audience": idp.token("alice", audience="https://elsewhere.example.com/mcp"),
            "expired": team.token("alice", expires_in=-120),
            "wrong issuer": team.token("alice", issuer="https://impostor.example.com"),
            "no pictory:read": team.token("alice", scopes=["profile"]),
            "none": None,
        }
        for why, token in bad_tokens.items():
            sent = {**headers, **({"Authorization": f"Bearer {token}"} if token else {})}
            answer = await team.post(team.url, json=body, headers=sent)
            assert answer.status_code in (401, 403), why
            assert "resource_metadata=" in answer.headers.get("www-authenticate", ""), why


async def test_a_key_in_the_request_header_is_used_for_that_request_only_when_allowed(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    header = {"X-Pictory-Api-Key": "pictai_header_injected_key"}
    settings = settings_for(idp, sandbox, db(tmp_path))
    async with hosted_server(settings, idp) as team, team.client("carol", headers=header) as c:
        refused = await c.call_tool("list_voices", {})
        assert refused.is_error and "X-Pictory-Api-Key" in text_of(refused)
    allowed = settings_for(idp, sandbox, str(tmp_path / "other.sqlite3"), allow_key_header=True)
    async with hosted_server(allowed, idp) as team:
        async with team.client("carol", headers=header) as carol:
            assert structured(await carol.call_tool("list_voices", {}))["voices"]
        async with team.client("carol") as without:  # never stored: no key without the header
            link = await team.connect_link(without)
            assert "/connect" in link


async def test_one_noisy_user_is_told_how_long_to_wait_and_another_is_not_slowed(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, db(tmp_path), user_calls_per_minute=3)
    async with hosted_server(settings, idp) as team:
        await team.connected("alice")
        await team.connected("bob")
        async with team.client("alice") as alice, team.client("bob") as bob:
            answers = [await alice.call_tool("list_jobs", {}) for _ in range(5)]
            limited = [a for a in answers if a.is_error]
            assert limited, "the fourth call in a minute should be refused"
            assert "Wait" in text_of(limited[0]) and " s" in text_of(limited[0])
            assert not (await bob.call_tool("list_jobs", {})).is_error


async def test_the_same_render_sent_twice_reaches_pictory_once(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        await team.connected("alice")
        async with team.client("alice") as alice:
            answers: list[dict[str, Any]] = []

            async def create() -> None:
                result = await alice.call_tool("create_video_from_text", {"script": SCRIPT})
                answers.append(structured(result))

            async with anyio.create_task_group() as group:
                group.start_soon(create)
                group.start_soon(create)
            again = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert len(posts(sandbox, RENDER)) == 1
    ids = {a["job_id"] for a in answers} | {again["job_id"]}
    assert len(ids) <= 2  # the first request's tracking id or its job id, never a second job
    assert "identical request" in again["next_step"]


async def test_a_listener_hears_of_its_own_users_jobs_and_never_of_anothers(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, db(tmp_path))
    async with hosted_server(settings, idp) as team:
        await team.connected("alice")
        await team.connected("bob")
        async with team.client("alice") as alice, team.client("bob") as bob:
            theirs = structured(await bob.call_tool("create_video_from_text", {"script": SCRIPT}))
            watched = ["pictory://jobs", f"pictory://jobs/{theirs['job_id']}"]
            async with alice.listen(
                resources_list_changed=True, resource_subscriptions=watched
            ) as heard:
                sandbox.control.advance_clock(3600)
                done = await bob.call_tool("wait_for_job", {"job_id": theirs["job_id"]})
                assert structured(done)["status"] == "completed"
                mine = structured(
                    await alice.call_tool("create_video_from_text", {"script": SCRIPT + " Again."})
                )
                events = []
                with anyio.fail_after(10):
                    async for event in heard:
                        events.append(event)
                        if isinstance(event, ResourcesListChanged):
                            break
    assert mine["job_id"] != theirs["job_id"]
    assert ResourceUpdated(uri=f"pictory://jobs/{theirs['job_id']}") not in events
    assert events.count(ResourcesListChanged()) == 1  # alice's own new job, not bob's


async def test_progress_reaches_a_waiting_client_on_its_own_stream_without_a_session(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        await team.connected("alice")
        for mode in ("2026-07-28", "legacy"):
            assert await progress_heard(team, sandbox, mode), mode


async def progress_heard(team: Team, sandbox: Any, mode: str) -> list[float]:
    """The progress a waiting client of `mode` hears while its job finishes."""
    heard: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        heard.append(progress)

    async with team.client("alice", mode=mode) as alice:
        script = f"{SCRIPT} Told in {mode} mode."
        job = structured(await alice.call_tool("create_video_from_text", {"script": script}))
        sandbox.control.advance_clock(3600)
        done = await alice.call_tool(
            "wait_for_job",
            {"job_id": job["job_id"], "timeout_seconds": 20},
            progress_callback=on_progress,
        )
    finished = structured(done)
    assert finished["status"] == "completed"
    assert finished["video_url"]
    assert "download_video" not in finished["next_step"]  # not offered to a hosted user
    return heard


async def test_many_waits_on_one_render_poll_pictory_once_per_interval(
    idp: IdP, sandbox: Any, tmp_path: Path, postgres_url: str
) -> None:
    sandbox.control.configure(render_seconds=4)
    async with hosted_server(settings_for(idp, sandbox, postgres_url), idp) as team:
        await team.connected("alice")
        async with team.client("alice") as alice:
            created = structured(
                await alice.call_tool("create_video_from_text", {"script": SCRIPT})
            )
        job_id = created["job_id"]

        async def wait() -> None:
            async with team.client("alice") as agent:
                while True:
                    args = {"job_id": job_id, "timeout_seconds": 30}
                    if (
                        structured(await agent.call_tool("wait_for_job", args))["status"]
                        == "completed"
                    ):
                        return

        with anyio.fail_after(60):
            async with anyio.create_task_group() as group:
                for _ in range(20):
                    group.start_soon(wait)
    gets = [r["time"] for r in sandbox.control.requests(method="GET") if r["path"].endswith(job_id)]
    # However many calls wait, Pictory is asked about the job once per interval (1 s) at most:
    # never twice at once (requests arriving in the same instant), however late one arrives.
    assert len(gets) >= 4 and min(b - a for a, b in itertools.pairwise(gets)) > 0.2, gets


async def test_an_identical_request_after_a_failed_render_is_sent_again(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        await team.connected("alice")
        async with team.client("alice") as alice:
            sandbox.control.fail_next_jobs(1)
            first = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
            sandbox.control.advance_clock(3600)
            failed = structured(await alice.call_tool("wait_for_job", {"job_id": first["job_id"]}))
            assert failed["status"] == "failed"
            again = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
            repeat = structured(await alice.call_tool("create_video_from_text", {"script": SCRIPT}))
    assert again["job_id"] != first["job_id"]
    assert "identical request" not in again["next_step"]
    assert repeat["job_id"] == again["job_id"]  # the retry itself is deduplicated in turn
    assert len(posts(sandbox, RENDER)) == 2


async def test_a_user_who_removes_their_key_is_asked_to_connect_again(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    async with hosted_server(settings_for(idp, sandbox, db(tmp_path)), idp) as team:
        await team.connected("alice")
        async with team.client("alice") as alice:
            assert not (await alice.call_tool("list_voices", {})).is_error  # connected
        async with team.client("bob") as bob:
            bob_link = await team.connect_link(bob)
        removed = await team.submit_key(bob_link, "", action="delete")
        assert removed.status_code == 200
        async with team.client("alice") as alice:
            # Bob's link removed only bob's (absent) key: alice is still connected.
            assert not (await alice.call_tool("list_jobs", {})).is_error
            alice_link = team.tenants_link("alice")
            removed = await team.submit_key(alice_link, "", action="delete")
            assert removed.status_code == 200
            assert await team.connect_link(alice)


async def test_users_sharing_one_pictory_account_share_its_budget(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, db(tmp_path), account_calls_per_minute=3)
    async with hosted_server(settings, idp) as team:
        await team.connected("alice", "pictai_shared_team_account")
        await team.connected("bob", "pictai_shared_team_account")
        await team.connected("carol")  # her own account
        async with team.client("alice") as alice, team.client("bob") as bob:
            answers = [await alice.call_tool("list_jobs", {}) for _ in range(2)]
            answers += [await bob.call_tool("list_jobs", {}) for _ in range(2)]
            assert [a.is_error for a in answers] == [False, False, False, True]
            assert "Wait" in text_of(answers[-1])
        async with team.client("carol") as carol:
            assert not (await carol.call_tool("list_jobs", {})).is_error


async def test_a_workflow_runs_on_the_key_it_was_started_with_when_its_user_holds_two(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, db(tmp_path), allow_key_header=True)
    other_key = {"X-Pictory-Api-Key": "pictai_alice_second_account"}
    args = {"media_url": "https://media.example.com/talks/keynote.mp4", "duration_seconds": 30}
    async with hosted_server(settings, idp) as team:
        await team.connected("alice")
        async with team.client("alice") as alice, team.client("alice", headers=other_key) as two:
            started = structured(await alice.call_tool("create_video_highlights", args))
            # A second tenant of alice (her other key) is made, with an engine of its own.
            assert not (await two.call_tool("list_jobs", {})).is_error
            view: dict[str, Any] = {}
            with anyio.fail_after(60):
                while view.get("status") not in ("completed", "failed"):
                    view = structured(
                        await two.call_tool(
                            "wait_for_job", {"job_id": started["job_id"], "timeout_seconds": 5}
                        )
                    )
                    if view["status"] in ("completed", "failed"):
                        break
                    await alice.call_tool("check_job", {"job_id": started["job_id"]})
    assert view["status"] == "completed", view
    second = fingerprint(other_key["X-Pictory-Api-Key"])
    assert [r for r in sandbox.control.requests(method="POST") if r.get("key") == second] == []
    assert len(posts(sandbox, "/highlights")) == 1


async def test_behind_tls_the_connect_page_takes_a_key_only_from_an_https_request(
    idp: IdP, sandbox: Any, tmp_path: Path
) -> None:
    settings = settings_for(idp, sandbox, db(tmp_path))
    assert settings.resource_url is not None
    public = settings.model_copy(
        update={"resource_url": settings.resource_url.replace("http://", "https://")}
    )
    async with hosted_server(public, idp) as team:
        plain = team.origin.replace("https://", "http://") + "/connect"
        token = team.tenants_link("alice").split("?t=")[1]
        form = {"t": token, "api_key": USER_KEYS["alice"], "action": "save"}
        refused = await team.post(plain, data=form)
        assert refused.status_code == 400
        forwarded = await team.post(plain, data=form, headers={"X-Forwarded-Proto": "https"})
        assert forwarded.status_code == 200, forwarded.text
