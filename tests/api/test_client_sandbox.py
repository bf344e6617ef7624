"""PictoryClient against the real sandbox on loopback: every endpoint, the envelopes,
the error mapping, and the retry rules proved from the sandbox's own request log.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import httpx
import pytest

from pictory_mcp.api import PictoryClient
from pictory_mcp.api.models.responses import JobStatus
from pictory_mcp.errors import (
    AuthenticationError,
    DownloadError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
)
from tests._helpers import CLIENT_KEY, STORYBOARD, TINY, Control

pytestmark = pytest.mark.anyio


@pytest.fixture
async def client(sandbox: Any) -> AsyncIterator[PictoryClient]:
    async with PictoryClient(CLIENT_KEY, sandbox.api_base_url, timeout=10, retry=TINY) as c:
        yield c


async def finish(client: PictoryClient, control: Control, job_id: str) -> JobStatus:
    """Move the sandbox clock until the job leaves in-progress."""
    with anyio.fail_after(15):
        while True:
            await control.advance_clock(120)
            job = await client.get_job(job_id)
            if job.is_finished:
                return job


# --- happy paths and envelopes ----------------------------------------------------------


async def test_a_preview_completes_and_renders_unchanged(
    client: PictoryClient, control: Control
) -> None:
    preview = await client.create_storyboard_preview(STORYBOARD)
    done = await finish(client, control, preview.job_id)
    assert done.normalized_status == "completed"
    assert done.data.render_params is not None
    render = await client.render_from_preview(preview.job_id)
    assert render.job_id != preview.job_id
    finished = await finish(client, control, render.job_id)
    assert finished.data.video_url is not None


async def test_render_video_and_element_updates_take_the_preview_render_params(
    client: PictoryClient, control: Control
) -> None:
    preview = await client.create_storyboard_preview(STORYBOARD)
    done = await finish(client, control, preview.job_id)
    params = done.data.render_params
    assert params is not None
    await client.update_storyboard_elements(preview.job_id, params["elements"])
    started = await client.render_video(params)
    assert (await finish(client, control, started.job_id)).normalized_status == "completed"


async def test_a_saved_project_can_be_rendered(client: PictoryClient, control: Control) -> None:
    preview = await client.create_storyboard_preview({**STORYBOARD, "saveProject": True})
    done = await finish(client, control, preview.job_id)
    assert done.data.project_id is not None
    started = await client.render_project(done.data.project_id)
    assert started.job_id


async def test_a_direct_render_downloads_as_a_complete_mp4(
    client: PictoryClient, control: Control, tmp_path: Path
) -> None:
    started = await client.render_storyboard(STORYBOARD)
    done = await finish(client, control, started.job_id)
    assert done.data.video_url is not None
    dest = tmp_path / "out" / "video.mp4"
    saved = await client.download(done.data.video_url, dest)
    assert saved.path == dest
    assert saved.content_type == "video/mp4"
    data = await anyio.Path(dest).read_bytes()
    async with httpx.AsyncClient() as http:
        head = await http.get(done.data.video_url)
    assert len(data) == int(head.headers["content-length"])
    assert data[4:8] == b"ftyp"
    assert [p.name async for p in anyio.Path(dest.parent).iterdir()] == ["video.mp4"]


async def test_a_missing_download_raises_and_leaves_no_file(
    client: PictoryClient, sandbox: Any, tmp_path: Path
) -> None:
    with pytest.raises(DownloadError, match="HTTP 404") as caught:
        await client.download(
            f"{sandbox.root_url}/assets/no-such-job/video.mp4", tmp_path / "x.mp4"
        )
    assert caught.value.status_code == 404
    assert [p async for p in anyio.Path(tmp_path).iterdir()] == []


async def test_transcription_and_both_highlight_calls_start_jobs(
    client: PictoryClient, control: Control
) -> None:
    transcription = await client.transcribe(
        {"fileUrl": "https://example.com/talk.mp4", "mediaType": "video", "language": "en-US"}
    )
    done = await finish(client, control, transcription.job_id)
    assert done.data.transcript
    from_job = await client.highlights_from_job(transcription.job_id, {"highlight_duration": 30})
    assert from_job.job_id
    direct = await client.highlights({"transcript": done.data.transcript, "highlight_duration": 30})
    assert direct.job_id


async def test_every_catalog_endpoint_parses(client: PictoryClient) -> None:
    voices = await client.list_voices()
    assert voices
    assert all(v.id and v.name for v in voices)
    assert await client.search_music({"query": "calm", "page": 1, "pageSize": 20}) is not None
    for kind in ("moods", "purposes", "genres", "genre_groups", "instruments"):
        values = await client.music_facet(kind)  # type: ignore[arg-type]
        assert values
        assert all(isinstance(v, str) for v in values)
    media = await client.search_media("ocean waves")
    assert all(m.media_type in ("video", "image", None) for m in media)
    assert await client.list_brands()
    assert await client.list_text_styles()
    assert await client.list_smart_layouts()
    templates = await client.list_templates()
    assert templates
    assert templates[0].template_id is not None
    detail = await client.get_template(templates[0].template_id)
    assert detail.template_id == templates[0].template_id
    avatars = await client.list_avatars()
    assert avatars.items
    assert avatars.items[0].looks
    quota = await client.get_quota()
    assert quota.video_minutes is not None
    aws = await client.list_aws_connections()
    if aws:
        assert aws[0].connection_id is not None
        got_aws = await client.get_aws_connection(aws[0].connection_id)
        assert got_aws.connection_id == aws[0].connection_id
    vimeo = await client.list_vimeo_connections()
    if vimeo.items:
        assert vimeo.items[0].connection_id is not None
        got = await client.get_vimeo_connection(vimeo.items[0].connection_id)
        assert got.connection_id == vimeo.items[0].connection_id


async def test_jobs_are_listed_newest_first_and_iterated(client: PictoryClient) -> None:
    first = await client.render_storyboard(STORYBOARD)
    second = await client.transcribe({"fileUrl": "https://example.com/a.mp3", "mediaType": "audio"})
    page = await client.list_jobs()
    ids = [job.job_id for job in page.items]
    assert ids.index(second.job_id) < ids.index(first.job_id)
    iterated = [job.job_id async for job in client.iter_jobs(max_pages=5)]
    assert {first.job_id, second.job_id} <= set(iterated)


# --- authentication and error mapping ---------------------------------------------------


async def test_the_key_is_sent_raw_in_the_authorization_header(
    client: PictoryClient, control: Control
) -> None:
    await client.list_brands()
    (entry,) = await control.requests("GET", "/pictoryapis/v1/brands/video")
    expected = "sha256:" + hashlib.sha256(CLIENT_KEY.encode()).hexdigest()[:12]
    assert entry["key"] == expected
    assert CLIENT_KEY not in str(await control.requests())


async def test_a_bearer_prefixed_key_is_refused_as_unauthenticated(sandbox: Any) -> None:
    async with PictoryClient(f"Bearer {CLIENT_KEY}", sandbox.api_base_url, retry=TINY) as bad:
        with pytest.raises(AuthenticationError) as caught:
            await bad.list_voices()
    assert caught.value.status_code == 401
    assert "without 'Bearer '" in str(caught.value)
    assert CLIENT_KEY not in str(caught.value)


async def test_a_key_the_account_does_not_have_is_refused(sandbox: Any, control: Control) -> None:
    await control.configure(valid_keys=["pictai_sandbox_demo_key"])
    async with PictoryClient(CLIENT_KEY, sandbox.api_base_url, retry=TINY) as bad:
        with pytest.raises(AuthenticationError) as caught:
            await bad.render_storyboard(STORYBOARD)
    assert CLIENT_KEY not in str(caught.value)
    assert CLIENT_KEY not in repr(caught.value.body)


async def test_an_unknown_job_raises_not_found(client: PictoryClient) -> None:
    with pytest.raises(NotFoundError):
        await client.get_job("00000000-0000-0000-0000-000000000000")


async def test_an_invalid_storyboard_raises_with_its_fields(client: PictoryClient) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        await client.render_storyboard({"videoName": "x", "scenes": []})
    assert caught.value.status_code == 400
    assert any(f.name.startswith("scenes") for f in caught.value.fields)


async def test_a_malformed_answer_to_a_read_is_retried(
    client: PictoryClient, control: Control
) -> None:
    await control.faults(malformed_next=1)
    quota = await client.get_quota()
    assert quota is not None


async def test_malformed_answers_on_every_attempt_raise_malformed(
    client: PictoryClient, control: Control
) -> None:
    await control.faults(malformed_next=TINY.max_attempts)
    with pytest.raises(MalformedResponseError):
        await client.get_quota()
