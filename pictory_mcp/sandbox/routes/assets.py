"""The files behind job URLs: a real MP4, thumbnail and MP3 (committed in `assets/`), subtitles
written from the job's own text, and small HTML preview/share pages. No auth, like a CDN."""

from __future__ import annotations

import html
from functools import cache
from importlib import resources

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from pictory_mcp.sandbox import text as textgen
from pictory_mcp.sandbox.core import not_found, sandbox_of
from pictory_mcp.sandbox.state import Job

_FILES = {
    "video.mp4": ("sample.mp4", "video/mp4"),
    "thumbnail.jpg": ("thumbnail.jpg", "image/jpeg"),
    "audio.mp3": ("audio.mp3", "audio/mpeg"),
}
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
    job = sb.store.get_any(request.path_params["job_id"])
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


async def page(request: Request) -> Response:
    job = _finished(request)
    if job is None:
        return not_found()
    title = html.escape(str((job.storyboard or {}).get("videoName", job.job_id)))
    video = f"/assets/{html.escape(job.job_id)}/video.mp4"
    body = (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
        f"<body><h1>{title}</h1><video controls src='{video}'></video></body></html>"
    )
    return HTMLResponse(body)


ROUTES = [
    Route("/assets/{job_id}/{name}", asset, methods=["GET", "HEAD"]),
    Route("/preview/{job_id}", page, methods=["GET"]),
    Route("/share/{job_id}", page, methods=["GET"]),
]
