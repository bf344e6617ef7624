"""download_video against a misbehaving video host: a deadline, a size cap, bounded redirects,
a check of what arrived, and no file left behind on any of those exits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server

from .conftest import structured, text_of
from .hostile_host import (
    MP4,
    HostileHost,
    download_recorded,
    drip,
    flood,
    hostile_host,
    record_completed,
    redirect,
    saved_bytes,
    serve,
    until,
)

pytestmark = pytest.mark.anyio

JOB = "hostile-job-1"


@pytest.fixture
async def host() -> AsyncIterator[HostileHost]:
    async with hostile_host({"/video.mp4": serve(MP4)}) as running:
        yield running


def files_in(directory: Path) -> list[str]:
    """Everything in the output directory, hidden staging and partial files included."""
    return sorted(p.name for p in directory.iterdir()) if directory.exists() else []


async def download_from(
    settings: Settings, video_url: str, *, include: list[str] | None = None, **changes: Any
) -> Any:
    return await download_recorded(settings, JOB, video_url, include=include, **changes)


async def test_a_body_dripping_one_byte_a_second_is_abandoned_at_the_deadline(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/drip.mp4"] = drip()
    result = await download_from(settings, host.url("/drip.mp4"), download_timeout=2)
    assert result.is_error
    message = text_of(result)
    assert "within 2 s" in message and "PICTORY_MCP_DOWNLOAD_TIMEOUT" in message
    assert "video_url" in message
    assert files_in(settings.output_dir) == []


async def test_a_body_without_a_length_that_outgrows_the_maximum_is_cut_off(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/flood.mp4"] = flood(8 * 1024 * 1024)
    result = await download_from(settings, host.url("/flood.mp4"), max_download_mb=1)
    assert result.is_error
    message = text_of(result)
    assert "larger than 1 MB" in message and "PICTORY_MCP_MAX_DOWNLOAD_MB" in message
    assert files_in(settings.output_dir) == []


async def test_a_declared_length_over_the_maximum_is_refused_before_the_body(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/big.mp4"] = drip(length=5 * 1024 * 1024)
    result = await download_from(settings, host.url("/big.mp4"), max_download_mb=1)
    assert result.is_error
    assert "larger than 1 MB" in text_of(result)
    assert files_in(settings.output_dir) == []


async def test_redirects_are_followed_to_the_real_video(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/moved"] = redirect(host.url("/moved-again"))
    host.routes["/moved-again"] = redirect("/video.mp4", "307 Temporary Redirect")
    view = structured(await download_from(settings, host.url("/moved")))
    assert saved_bytes(view["details"]["path"]) == MP4
    assert view["details"]["size"] == len(MP4)
    assert [r["path"] for r in host.requests] == ["/moved", "/moved-again", "/video.mp4"]
    assert all("authorization" not in r["headers"] for r in host.requests)


async def test_a_redirect_loop_is_refused_after_a_few_hops(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/a"] = redirect("/b")
    host.routes["/b"] = redirect("/a")
    result = await download_from(settings, host.url("/a"))
    assert result.is_error
    assert "redirected more than 5 times" in text_of(result)
    assert host.hits() == 6
    assert files_in(settings.output_dir) == []


async def test_an_html_page_in_place_of_the_video_is_refused(
    settings: Settings, host: HostileHost
) -> None:
    page = b"<!doctype html><html><body>Sign in to continue</body></html>"
    host.routes["/page.mp4"] = serve(page, "text/html; charset=utf-8")
    result = await download_from(settings, host.url("/page.mp4"))
    assert result.is_error
    message = text_of(result)
    assert "not an MP4 video" in message and "text/html" in message
    assert files_in(settings.output_dir) == []


async def test_an_expired_link_is_refused_with_fresh_urls_as_the_next_step(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/expired.mp4"] = serve(
        b"<Error>AccessDenied</Error>", "application/xml", status="403 Forbidden"
    )
    result = await download_from(settings, host.url("/expired.mp4"))
    assert result.is_error
    message = text_of(result)
    assert "HTTP 403 Forbidden" in message and "check_job(job_id) for fresh result URLs" in message
    assert host.hits("/expired.mp4") == 1  # a refusal is not retried
    assert files_in(settings.output_dir) == []


async def test_a_video_served_as_octet_stream_is_accepted_on_its_bytes(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/s3.mp4"] = serve(MP4, "binary/octet-stream")
    view = structured(await download_from(settings, host.url("/s3.mp4")))
    assert saved_bytes(view["details"]["path"]) == MP4


async def test_a_body_shorter_than_its_length_is_refused_without_blaming_pictory(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/short.mp4"] = serve(MP4[:100], length=len(MP4))
    # Retries back off 2 s, then 4 s: a 5 s deadline leaves room for exactly one retry.
    result = await download_from(settings, host.url("/short.mp4"), download_timeout=5)
    assert result.is_error
    message = text_of(result)
    assert "video host" in message and "PICTORY_API_BASE_URL" not in message
    assert host.hits("/short.mp4") == 2  # a broken transfer is retried while time allows
    assert files_in(settings.output_dir) == []


async def test_an_extra_of_the_wrong_kind_keeps_the_video_from_being_saved_too(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/thumb.jpg"] = serve(b'{"error": "expired"}', "application/json")
    result = await download_from(
        settings,
        host.url("/video.mp4"),
        include=["thumbnail"],
        result={"thumbnail_url": host.url("/thumb.jpg")},
    )
    assert result.is_error
    assert "thumbnail" in text_of(result) and "not a JPEG, PNG or WebP image" in text_of(result)
    assert files_in(settings.output_dir) == []


async def test_subtitles_that_are_not_text_are_refused(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/subs.vtt"] = serve(MP4, "text/vtt")
    result = await download_from(
        settings,
        host.url("/video.mp4"),
        include=["vtt"],
        result={"subtitles": {"vtt": host.url("/subs.vtt")}},
    )
    assert result.is_error
    assert "vtt" in text_of(result) and "not WebVTT subtitles" in text_of(result)
    assert files_in(settings.output_dir) == []


async def test_a_download_the_client_gives_up_on_leaves_no_partial_file(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/drip.mp4"] = drip()
    record_completed(settings.db_path, JOB, host.url("/drip.mp4"))
    async with Client(build_server(settings)) as client:
        with anyio.fail_after(15), pytest.raises(MCPError, match="Timed out"):
            await client.call_tool("download_video", {"job_id": JOB}, read_timeout_seconds=1.5)
        await until(lambda: not files_in(settings.output_dir))  # the clean-up has run
    assert files_in(settings.output_dir) == []


async def test_progress_is_reported_up_to_the_whole_file(
    settings: Settings, host: HostileHost
) -> None:
    total = 3 * 64 * 1024
    host.routes["/slow.mp4"] = flood(total, pause=0.3)
    record_completed(settings.db_path, JOB, host.url("/slow.mp4"))
    seen: list[float] = []

    async def on_progress(progress: float, total: float | None, message: str | None) -> None:
        seen.append(progress)

    async with Client(build_server(settings)) as client:
        with anyio.fail_after(15):
            result = await client.call_tool(
                "download_video", {"job_id": JOB}, progress_callback=on_progress
            )
    assert structured(result)["details"]["size"] == total
    assert seen and seen == sorted(seen) and seen[-1] == total
