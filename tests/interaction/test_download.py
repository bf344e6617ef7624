"""download_video through mcp.Client against the sandbox: files in the output directory, safe
names, refusals, and repeat downloads that never overwrite a different file."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from typing import Any

import anyio
import pytest
from mcp import Client
from mcp.types import ResourceLink

from pictory_mcp.config import Settings
from pictory_mcp.errors import InputError
from pictory_mcp.jobs import JobStore
from pictory_mcp.server.tools._delivery import inside, safe_stem
from tests._helpers import structured, text_of

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year. Panels now pay for themselves faster."
SAMPLE = Path(__file__).parents[2] / "pictory_mcp" / "sandbox" / "assets" / "sample.mp4"


def read(path: str | Path) -> bytes:
    return Path(path).read_bytes()


async def completed_job(client: Client, sandbox: Any) -> str:
    view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    sandbox.control.advance_clock(3600)
    done = structured(await client.call_tool("check_job", {"job_id": view["job_id"]}))
    assert done["status"] == "completed"
    return str(view["job_id"])


async def download(client: Client, job_id: str, **args: Any) -> Any:
    with anyio.fail_after(20):
        return await client.call_tool("download_video", {"job_id": job_id, **args})


async def test_a_completed_video_is_saved_whole_with_its_path_and_a_resource_link(
    client: Client, sandbox: Any, settings: Settings
) -> None:
    job_id = await completed_job(client, sandbox)
    result = await download(client, job_id)
    view = structured(result)
    path = Path(view["details"]["path"])
    assert path.is_absolute()
    assert path.parent == settings.output_dir.resolve()
    assert path.name.endswith(f"-{job_id}.mp4")
    data = read(path)
    assert len(data) == len(read(SAMPLE)) == view["details"]["size"]
    assert data[4:8] == b"ftyp"
    links = [c for c in result.content if isinstance(c, ResourceLink)]
    assert [str(link.uri) for link in links] == [path.as_uri()]
    assert links[0].mime_type == "video/mp4"
    assert str(path) in view["next_step"]
    record = json.loads(
        (await client.read_resource(f"pictory://jobs/{job_id}")).contents[0].text  # type: ignore[union-attr]
    )
    assert record["local_path"] == str(path)
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no leftovers


async def test_subtitles_and_thumbnail_come_along_when_asked(client: Client, sandbox: Any) -> None:
    job_id = await completed_job(client, sandbox)
    result = await download(client, job_id, include=["srt", "vtt", "txt", "thumbnail"])
    files = structured(result)["details"]["files"]
    assert sorted(files) == ["srt", "thumbnail", "txt", "vtt"]
    srt = read(files["srt"]).decode()
    assert "-->" in srt and "Solar" in srt
    assert read(files["vtt"]).startswith(b"WEBVTT")
    assert read(files["thumbnail"])[:2] == b"\xff\xd8"
    assert len([c for c in result.content if isinstance(c, ResourceLink)]) == 5


async def test_a_job_still_rendering_is_refused_with_wait_for_job_as_the_next_step(
    client: Client, sandbox: Any, settings: Settings
) -> None:
    sandbox.control.stick_next_jobs(1)
    view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    result = await download(client, view["job_id"])
    assert result.is_error
    assert "not completed" in text_of(result)
    assert "wait_for_job" in text_of(result)
    assert not settings.output_dir.exists() or not any(settings.output_dir.iterdir())


async def test_a_failed_job_is_refused_with_its_reason(client: Client, sandbox: Any) -> None:
    sandbox.control.fail_next_jobs(1, error_message="Voice not available")
    view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    sandbox.control.advance_clock(3600)
    result = await download(client, view["job_id"])
    assert result.is_error
    assert "failed" in text_of(result) and "no video to save" in text_of(result)


async def test_downloading_again_reuses_the_same_file(
    client: Client, sandbox: Any, settings: Settings
) -> None:
    job_id = await completed_job(client, sandbox)
    first = structured(await download(client, job_id))["details"]["path"]
    second = structured(await download(client, job_id))["details"]["path"]
    assert first == second
    assert len(list(settings.output_dir.glob("*.mp4"))) == 1


async def test_a_different_file_at_the_name_is_kept_and_a_new_name_chosen(
    client: Client, sandbox: Any, settings: Settings
) -> None:
    job_id = await completed_job(client, sandbox)
    first = Path(structured(await download(client, job_id))["details"]["path"])
    await anyio.Path(first).write_bytes(b"the user's own edit")
    second = Path(structured(await download(client, job_id))["details"]["path"])
    assert second != first
    assert second.parent == first.parent
    assert read(first) == b"the user's own edit"
    assert len(read(second)) == len(read(SAMPLE))


async def test_a_hostile_video_name_is_made_safe_inside_the_output_directory(
    client: Client, sandbox: Any, settings: Settings
) -> None:
    job_id = await completed_job(client, sandbox)
    with sqlite3.connect(settings.db_path) as db:  # as if another writer stored a hostile name
        db.execute("UPDATE jobs SET video_name = ? WHERE job_id = ?", ("../../etc/passwd", job_id))
    path = Path(structured(await download(client, job_id))["details"]["path"])
    assert path.parent == settings.output_dir.resolve()
    assert path.name == f"etc-passwd-{job_id}.mp4"


async def test_a_symlink_at_the_target_name_pointing_outside_is_refused(
    client: Client, sandbox: Any, settings: Settings, tmp_path: Path
) -> None:
    job_id = await completed_job(client, sandbox)
    outside = tmp_path / "elsewhere.mp4"
    outside.write_bytes(b"not yours")
    with JobStore(settings.db_path) as store:
        record = store.get(job_id)
    assert record is not None
    stem = safe_stem(record.video_name or record.payload.get("videoName"), job_id)
    settings.output_dir.mkdir(parents=True)
    (settings.output_dir / f"{stem}.mp4").symlink_to(outside)
    result = await download(client, job_id)
    assert result.is_error
    assert "outside the output directory" in text_of(result)
    assert outside.read_bytes() == b"not yours"


async def test_an_unknown_extra_is_refused_by_the_schema(client: Client, sandbox: Any) -> None:
    job_id = await completed_job(client, sandbox)
    result = await download(client, job_id, include=["mov"])
    assert result.is_error
    assert "include" in text_of(result)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd", "etc-passwd-j1"),
        ("/etc/passwd", "etc-passwd-j1"),
        ("C:\\Windows\\system32\\evil", "C-Windows-system32-evil-j1"),
        ("..", "pictory-video-j1"),
        (".hidden", "hidden-j1"),
        ("a\x00b\nc\td", "a-b-c-d-j1"),
        ("My talk: part 1?", "My-talk-part-1-j1"),
        (None, "pictory-video-j1"),
        ("x" * 500, "x" * 80 + "-j1"),
    ],
)
def test_file_names_keep_no_separators_controls_or_leading_dots(
    name: str | None, expected: str
) -> None:
    assert safe_stem(name, "j1") == expected


@pytest.mark.parametrize("name", ["../x.mp4", "/etc/passwd", "a/b.mp4", "..", "."])
def test_a_name_resolving_outside_the_directory_is_refused(tmp_path: Path, name: str) -> None:
    with pytest.raises(InputError, match="outside the output directory"):
        inside(tmp_path, name)
