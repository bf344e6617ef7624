"""Where download_video may fetch from: public hosts, or the Pictory base URL's own address
(the sandbox); never loopback, private or link-local addresses otherwise, on any redirect hop."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from pictory_mcp.config import Settings

from .conftest import make_settings, structured, text_of
from .hostile_host import (
    MP4,
    HostileHost,
    download_recorded,
    hostile_host,
    redirect,
    saved_bytes,
    serve,
)

pytestmark = pytest.mark.anyio

JOB = "host-rule-job"
# A Pictory API that is not on this machine; never contacted, as the job is already complete.
REMOTE_API = "https://pictory.invalid/pictoryapis"


@pytest.fixture
async def host() -> AsyncIterator[HostileHost]:
    async with hostile_host({"/video.mp4": serve(MP4)}) as running:
        yield running


async def download(settings: Settings, video_url: str) -> Any:
    return await download_recorded(settings, JOB, video_url)


def nothing_saved(settings: Settings) -> bool:
    return not settings.output_dir.exists() or not any(settings.output_dir.iterdir())


@pytest.mark.parametrize("name", ["127.0.0.1", "localhost"])
async def test_a_loopback_video_url_is_refused_when_pictory_is_remote(
    tmp_path: Path, host: HostileHost, name: str
) -> None:
    settings = make_settings(REMOTE_API, tmp_path)
    result = await download(settings, host.url("/video.mp4", host=name))
    assert result.is_error
    message = text_of(result)
    assert "127.0.0.1" in message and "loopback" in message
    assert "check_job" in message
    assert host.hits() == 0  # refused before connecting
    assert nothing_saved(settings)


async def test_the_sandbox_control_api_is_not_saved_as_a_video(
    settings: Settings, sandbox: Any
) -> None:
    result = await download(settings, f"{sandbox.root_url}/__sandbox/config")
    assert result.is_error
    assert "not an MP4 video" in text_of(result) and "application/json" in text_of(result)
    assert nothing_saved(settings)


async def test_a_redirect_to_a_link_local_address_is_refused_before_connecting(
    settings: Settings, host: HostileHost
) -> None:
    host.routes["/cdn"] = redirect("http://169.254.169.254/latest/meta-data/")
    result = await download(settings, host.url("/cdn"))
    assert result.is_error
    message = text_of(result)
    assert "169.254.169.254" in message and "link-local" in message
    assert nothing_saved(settings)


async def test_downloads_from_the_sandboxs_own_address_are_allowed(
    settings: Settings, host: HostileHost
) -> None:
    # The sandbox serves result files from its own loopback address, so that address is
    # trusted; the hostile host shares it.
    view = structured(await download(settings, host.url("/video.mp4")))
    assert saved_bytes(view["details"]["path"]) == MP4


async def test_a_non_http_video_url_is_refused(settings: Settings) -> None:
    result = await download(settings, "file:///etc/passwd")
    assert result.is_error
    assert "http" in text_of(result)
    assert nothing_saved(settings)
