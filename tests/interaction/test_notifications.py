"""Job-history change announcements: listen streams (2026-07-28) and resources/subscribe (2025
handshake era) hear a job being submitted, progressing and completing, including changes made
by the workflow engine outside any request."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.client.subscriptions import ResourcesListChanged, ResourceUpdated
from mcp.shared.exceptions import MCPDeprecationWarning
from mcp.types import ResourceUpdatedNotification

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import structured

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year. Panels now pay for themselves faster."


def fast(settings: Settings) -> Settings:
    return settings.model_copy(update={"poll_interval": 0.2})


async def job_status(client: Client, job_id: str) -> str:
    contents = (await client.read_resource(f"pictory://jobs/{job_id}")).contents[0]
    return str(json.loads(contents.text)["status"])  # type: ignore[union-attr]


async def test_a_listening_client_hears_a_job_being_added_and_completing(
    settings: Settings, sandbox: Any
) -> None:
    async with Client(build_server(fast(settings))) as client:
        async with client.listen(
            resources_list_changed=True, resource_subscriptions=["pictory://jobs"]
        ) as sub:
            view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
            job_id = view["job_id"]
            with anyio.fail_after(10):
                async for event in sub:
                    if isinstance(event, ResourcesListChanged):
                        break
        async with client.listen(resource_subscriptions=[f"pictory://jobs/{job_id}"]) as sub:
            sandbox.control.advance_clock(3600)
            done = structured(await client.call_tool("wait_for_job", {"job_id": job_id}))
            assert done["status"] == "completed"
            with anyio.fail_after(10):
                event = await sub.__anext__()
            assert event == ResourceUpdated(uri=f"pictory://jobs/{job_id}")
            assert await job_status(client, job_id) == "completed"


async def test_workflow_progress_made_by_the_engine_reaches_listeners(
    settings: Settings, sandbox: Any
) -> None:
    args = {"media_url": "https://cdn.example.com/talks/keynote.mp4", "duration_seconds": 45}
    async with Client(build_server(fast(settings))) as client:
        started = structured(await client.call_tool("create_video_highlights", args))
        uri = f"pictory://jobs/{started['job_id']}"
        async with client.listen(resource_subscriptions=[uri]) as sub:
            # No tool calls from here on: only the background engine moves the workflow.
            with anyio.fail_after(30):
                async for event in sub:
                    assert event == ResourceUpdated(uri=uri)
                    if await job_status(client, started["job_id"]) == "completed":
                        break


async def test_a_handshake_era_subscriber_gets_resource_updated_notifications(
    settings: Settings, sandbox: Any
) -> None:
    updated: list[str] = []
    heard = anyio.Event()

    async def on_message(message: Any) -> None:
        if isinstance(message, ResourceUpdatedNotification):
            updated.append(str(message.params.uri))
            if message.params.uri.startswith("pictory://jobs/"):
                heard.set()

    server = build_server(fast(settings))
    async with Client(server, mode="legacy", message_handler=on_message) as client:
        view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
        uri = f"pictory://jobs/{view['job_id']}"
        with pytest.warns(MCPDeprecationWarning):
            await client.subscribe_resource(uri)
        sandbox.control.advance_clock(3600)
        done = structured(await client.call_tool("wait_for_job", {"job_id": view["job_id"]}))
        assert done["status"] == "completed"
        with anyio.fail_after(10):
            await heard.wait()
        assert uri in updated
        assert all(u in (uri, "pictory://jobs") for u in updated)
