"""list_jobs and pictory://jobs: the job history as compact rows, filtered and paged, through
mcp.Client against the sandbox."""

from __future__ import annotations

import json
from typing import Any

import anyio
import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.jobs import JobStore
from tests._helpers import structured, text_of

pytestmark = pytest.mark.anyio

ROW_KEYS = {"job_id", "name", "kind", "status", "created", "video_url"}
MEDIA = "https://media.example.com/talks/keynote-2024.mp4"


async def jobs(client: Client, **arguments: Any) -> dict[str, Any]:
    return structured(await client.call_tool("list_jobs", arguments))


def seed(settings: Settings, count: int, name: str = "Video {i}", kind: str = "render") -> None:
    """Jobs already in the history, as an earlier session left them."""
    with JobStore(settings.db_path) as store:
        for i in range(count):
            store.record_submission(
                f"job-{kind}-{i}", kind, {}, {"video_name": name.format(i=i)}, video_name=None
            )


async def test_list_jobs_answers_compact_rows_newest_first_with_the_video_url(
    client: Client, sandbox: Any
) -> None:
    first = structured(
        await client.call_tool(
            "create_video_from_text", {"script": "Bread rises overnight.", "video_name": "Bakery"}
        )
    )
    second = structured(
        await client.call_tool("create_video_from_text", {"script": "Tides follow the moon."})
    )
    sandbox.control.advance_clock(3600)
    await client.call_tool("check_job", {"job_id": first["job_id"]})

    listing = await jobs(client)
    assert [row["job_id"] for row in listing["jobs"]] == [second["job_id"], first["job_id"]]
    assert listing["total"] == 2 and "next_offset" not in listing
    bakery = listing["jobs"][1]
    assert set(bakery) <= ROW_KEYS
    assert bakery["name"] == "Bakery" and bakery["kind"] == "render"
    assert bakery["status"] == "completed" and bakery["video_url"].endswith(".mp4")
    assert bakery["created"].endswith("Z")
    found = await jobs(client, name_contains="bakery")
    assert [row["job_id"] for row in found["jobs"]] == [first["job_id"]]


async def test_a_highlights_workflow_is_one_row_without_its_child_jobs(
    client: Client, sandbox: Any
) -> None:
    workflow = structured(
        await client.call_tool(
            "create_video_highlights", {"media_url": MEDIA, "video_name": "Keynote cut"}
        )
    )
    with anyio.fail_after(20):
        while True:
            sandbox.control.advance_clock(3600)
            view = structured(await client.call_tool("check_job", {"job_id": workflow["job_id"]}))
            if view["status"] == "completed":
                break
            await anyio.sleep(0.05)

    listing = await jobs(client)
    assert [row["job_id"] for row in listing["jobs"]] == [workflow["job_id"]]
    assert listing["jobs"][0]["kind"] == "highlights"
    assert listing["jobs"][0]["name"] == "Keynote cut"
    assert listing["total"] == 1


async def test_filters_combine_and_pages_follow_next_offset(settings: Settings) -> None:
    from pictory_mcp.server.app import build_server

    seed(settings, 23)
    seed(settings, 2, name="Café de Colombia {i}", kind="preview")
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        page = await jobs(client)
        assert len(page["jobs"]) == 20 and page["total"] == 25 and page["next_offset"] == 20
        rest = await jobs(client, offset=20)
        assert len(rest["jobs"]) == 5 and "next_offset" not in rest
        seen = [r["job_id"] for r in page["jobs"] + rest["jobs"]]
        assert len(set(seen)) == 25

        cafe = await jobs(client, name_contains="CAFÉ DE")
        assert {r["name"] for r in cafe["jobs"]} == {"Café de Colombia 0", "Café de Colombia 1"}
        previews = await jobs(client, kind="preview")
        assert previews["total"] == 2
        assert (await jobs(client, kind="render", status="in-progress"))["total"] == 23
        assert (await jobs(client, status="completed"))["total"] == 0
        assert (await jobs(client, since="24h"))["total"] == 25
        assert (await jobs(client, since="2000-01-01", before="2000-01-02"))["total"] == 0
        none = await jobs(client, before="2000-01-01T00:00:00Z")
        assert none["jobs"] == [] and "drop a filter" in none["next_step"]


async def test_a_request_still_being_sent_or_of_unknown_outcome_is_listed(
    settings: Settings,
) -> None:
    from pictory_mcp.server.app import build_server

    with JobStore(settings.db_path) as store:
        store.begin_submission("sub-live", "render", {}, {}, owner="me", ttl=600, video_name="A")
        store.begin_submission("sub-lost", "render", {}, {}, owner="gone", ttl=600)
        store.mark_submission_unknown("sub-lost", {"code": "SUBMIT_OUTCOME_UNKNOWN"})
    async with Client(build_server(settings)) as client:  # type: ignore[arg-type]
        listing = await jobs(client)
    rows = {row["job_id"]: row for row in listing["jobs"]}
    assert rows["sub-live"]["status"] == "submitting" and rows["sub-live"]["name"] == "A"
    assert rows["sub-lost"]["status"] == "unknown"


async def test_a_date_it_cannot_read_is_refused_with_the_forms_it_takes(client: Client) -> None:
    result = await client.call_tool("list_jobs", {"since": "last tuesday"})
    assert result.is_error
    message = text_of(result)
    assert "since must be a date such as 2025-06-01" in message and "24h" in message


async def test_the_jobs_resource_has_the_same_compact_rows(client: Client, sandbox: Any) -> None:
    for n in range(10):
        await client.call_tool("create_video_from_text", {"script": f"Video number {n}."})
    sandbox.control.advance_clock(3600)
    listing = await jobs(client)
    for row in listing["jobs"]:
        await client.call_tool("check_job", {"job_id": row["job_id"]})
    text = (await client.read_resource("pictory://jobs")).contents[0].text  # type: ignore[union-attr]
    resource = json.loads(text)
    assert resource["jobs"] == (await jobs(client))["jobs"]
    assert all(set(row) <= ROW_KEYS for row in resource["jobs"])
    print(f"\npictory://jobs: {len(text.encode())} bytes for 10 jobs")
    assert len(text.encode()) < 2_500  # ten finished jobs, each a row (12 KB before)
