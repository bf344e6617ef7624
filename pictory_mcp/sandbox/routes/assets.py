"""The files behind job URLs: a real MP4, thumbnail and MP3 (committed in `assets/`), subtitles
written from the job's own text, and small HTML preview/share pages. No auth, like a CDN."""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from pictory_mcp.sandbox import text as textgen
from pictory_mcp.sandbox.core import not_found, sandbox_of
from pictory_mcp.sandbox.job_state import Job

_FILES = {
    "video.mp4": ("sample.mp4", "video/mp4"),
    "thumbnail.jpg": ("thumbnail.jpg", "image/jpeg"),
    "audio.mp3": ("audio.mp3", "audio/mpeg"),
}
_SCENE_ID = re.compile(r"^(backgroundElement|SceneText)_(\d+)$")
_SUBTITLES = {
    "subtitles.srt": (textgen.srt, "application/x-subrip; charset=utf-8"),
    "subtitles.vtt": (textgen.vtt, "text/vtt; charset=utf-8"),
    "subtitles.txt": (textgen.txt, "text/plain; charset=utf-8"),
}


@cache
def asset_bytes(name: str) -> bytes:
    """A committed asset file, read once from the installed package."""
    return (resources.files("pictory_mcp.sandbox") / "assets" / name).read_bytes()


def _finished(request: Request) -> Job | None:
    sb = sandbox_of(request)
    job = sb.jobs.get_any(request.path_params["job_id"])
    if job is None or job.status(sb.clock.now()) != "completed":
        return None
    return job


async def asset(request: Request) -> Response:
    job = _finished(request)
    name = request.path_params["name"]
    if job is None:
        return not_found()
    if name in _FILES:
        filename, media_type = _FILES[name]
        return Response(asset_bytes(filename), media_type=media_type)
    if name in _SUBTITLES:
        render, media_type = _SUBTITLES[name]
        return Response(render(job.cues).encode("utf-8"), media_type=media_type)
    return not_found()


def _scene_list(job: Job) -> str:
    """A preview's scenes as they stand now, so element updates show on the preview page."""
    params = job.result.get("renderParams") if job.kind == "preview" else None
    elements = params.get("elements") if isinstance(params, dict) else None
    scenes: dict[int, dict[str, Any]] = {}
    for element in elements if isinstance(elements, list) else []:
        match = _SCENE_ID.match(str(element.get("id", ""))) if isinstance(element, dict) else None
        if match:
            scenes.setdefault(int(match.group(2)), {})[match.group(1)] = element
    items = []
    for n, parts in sorted(scenes.items()):
        background = parts.get("backgroundElement", {})
        url = html.escape(str(background.get("url", "")), quote=True)
        media = (
            f"<img src='{url}' alt=''>"
            if background.get("type") == "image"
            else f"<video src='{url}' muted></video>"
        )
        text = html.escape(str(parts.get("SceneText", {}).get("text", "")))
        items.append(f"<li id='scene-{n}'>{media}<p>{text}</p></li>")
    return f"<ol class='scenes'>{''.join(items)}</ol>" if items else ""


async def page(request: Request) -> Response:
    job = _finished(request)
    if job is None:
        return not_found()
    title = html.escape(str((job.storyboard or {}).get("videoName", job.job_id)))
    video = f"/assets/{html.escape(job.job_id)}/video.mp4"
    body = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><video controls src='{video}'></video>"
        f"{_scene_list(job)}</body></html>"
    )
    return HTMLResponse(body)


ROUTES = [
    Route("/assets/{job_id}/{name}", asset, methods=["GET", "HEAD"]),
    Route("/preview/{job_id}", page, methods=["GET"]),
    Route("/share/{job_id}", page, methods=["GET"]),
]
