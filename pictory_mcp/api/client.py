"""PictoryClient: one async method per Pictory endpoint, returning response models.

The request machinery (retries, error mapping, downloads) is in `_base.py`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from typing import Any, Literal
from urllib.parse import quote

from pictory_mcp.errors import InputError, MalformedResponseError, NotFoundError

from ._base import DEFAULT_BASE_URL, DEFAULT_USER_AGENT, BaseClient, Payload, payload_of
from ._retry import RetryPolicy
from .models.responses import (
    AvatarPage,
    AwsConnection,
    Brand,
    JobListPage,
    JobStart,
    JobStatus,
    MediaResult,
    MusicTrack,
    Quota,
    SmartLayout,
    Template,
    TemplateDetail,
    TextStyle,
    VimeoConnection,
    VimeoConnectionPage,
    Voice,
)

__all__ = ["DEFAULT_BASE_URL", "DEFAULT_USER_AGENT", "MusicFacet", "PictoryClient", "RetryPolicy"]

MusicFacet = Literal["moods", "purposes", "genres", "genre_groups", "instruments"]
_FACET_PATHS: dict[str, str] = {
    "moods": "v1/music/moods",
    "purposes": "v1/music/purposes",
    "genres": "v1/music/genres",
    "genre_groups": "v1/music/genres/groups",
    "instruments": "v1/music/instruments",
}
# Where list endpoints have been seen to put their array (§2, §11, §12 of the reference).
_LIST_KEYS = ("items", "Items", "searchResults", "tracks", "results", "data")


def _segment(value: object, what: str) -> str:
    """An id made safe as one path segment."""
    text = str(value).strip()
    if not text or text in (".", ".."):
        raise InputError(f"The {what} is empty or invalid; pass the id Pictory returned.")
    return quote(text, safe="")


def _items(body: Any, what: str) -> list[Any]:
    """The array of a list answer: bare, or under items/Items/data/searchResults/…"""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in _LIST_KEYS:
            inner = body.get(key)
            if isinstance(inner, list):
                return inner
            if isinstance(inner, dict):
                try:
                    return _items(inner, what)
                except MalformedResponseError:
                    continue
    raise MalformedResponseError(f"{what} did not answer a list.")


class PictoryClient(BaseClient):
    """Async client for the Pictory API (`async with PictoryClient(key) as client:`).

    Job-creating methods are never resubmitted after an ambiguous failure: they raise
    `TransportError(request_sent=True)` or `ServerError`, and the caller decides.
    """

    async def __aenter__(self) -> PictoryClient:
        return self

    async def _start_job(self, method: str, path: str, body: Any = None) -> JobStart:
        data = await self._call(method, path, json=body, idempotent=False)
        result: JobStart = self._parse(JobStart, data, f"{method} /{path}")
        return result

    async def _list(self, model: type[Any], path: str, **params: Any) -> list[Any]:
        what = f"GET /{path}"
        body = await self._get(path, params or None)
        return [self._parse(model, item, what) for item in _items(body, what)]

    # --- videos -------------------------------------------------------------------------

    async def create_storyboard_preview(self, storyboard: Payload) -> JobStart:
        """POST /v2/video/storyboard: start a preview job (scenes, voice, visuals resolved)."""
        return await self._start_job("POST", "v2/video/storyboard", payload_of(storyboard))

    async def render_storyboard(self, storyboard: Payload) -> JobStart:
        """POST /v2/video/storyboard/render: render a storyboard straight to MP4."""
        return await self._start_job("POST", "v2/video/storyboard/render", payload_of(storyboard))

    async def render_from_preview(
        self, preview_job_id: str, webhook: str | None = None
    ) -> JobStart:
        """PUT /v2/video/render/{previewJobId}: render a completed preview unchanged."""
        path = f"v2/video/render/{_segment(preview_job_id, 'preview job id')}"
        return await self._start_job("PUT", path, {"webhook": webhook} if webhook else None)

    async def render_video(self, render_params: Mapping[str, Any]) -> JobStart:
        """POST /v2/video/render: render an edited `renderParams` object, sent unwrapped."""
        return await self._start_job("POST", "v2/video/render", payload_of(render_params))

    async def update_storyboard_elements(
        self, preview_job_id: str, elements: list[dict[str, Any]]
    ) -> None:
        """PUT /v2/video/storyboard/{jobId}/elements: replace elements of a completed preview."""
        path = f"v2/video/storyboard/{_segment(preview_job_id, 'preview job id')}/elements"
        # Setting the same elements twice leaves the same preview, so this may be retried.
        await self._call("PUT", path, json=list(elements), idempotent=True)

    async def render_project(self, project_id: str) -> JobStart:
        """POST /v2/projects/{projectId}/render: render a saved project."""
        return await self._start_job(
            "POST", f"v2/projects/{_segment(project_id, 'project id')}/render"
        )

    # --- jobs -----------------------------------------------------------------------------

    async def get_job(self, job_id: str) -> JobStatus:
        """GET /v1/jobs/{jobId}. An unknown id raises NotFoundError, whichever way it is told."""
        path = f"v1/jobs/{_segment(job_id, 'job id')}"
        body = await self._get(path)
        status: JobStatus = self._parse(JobStatus, body, f"GET /{path}")
        if status.is_not_found:
            raise NotFoundError(
                f"Pictory has no job {job_id!s} for this API key (JOB_NOT_FOUND).",
                status_code=200,
                code=str(status.data.error_code or "JOB_NOT_FOUND"),
                body=body,
            )
        return status

    async def list_jobs(self, next_page_key: str | None = None) -> JobListPage:
        """GET /v1/jobs: one page, newest first."""
        page: JobListPage = await self._get_model(JobListPage, "v1/jobs", nextPageKey=next_page_key)
        return page

    async def iter_jobs(self, *, max_pages: int = 10) -> AsyncIterator[JobStatus]:
        """Every job, newest first, following `nextPageKey` for at most `max_pages` pages."""
        key: str | None = None
        seen: set[str] = set()
        for _ in range(max_pages):
            page = await self.list_jobs(key)
            for item in page.items:
                yield item
            key = page.next_page_key
            if not key or key in seen:
                return
            seen.add(key)

    # --- transcription and highlights -----------------------------------------------------

    async def transcribe(self, request: Payload) -> JobStart:
        """POST /v2/transcription: transcribe a video or audio URL."""
        return await self._start_job("POST", "v2/transcription", payload_of(request))

    async def highlights_from_job(self, job_id: str, request: Payload) -> JobStart:
        """POST /v2/transcription/{jobId}/highlights: highlights of a transcription job."""
        path = f"v2/transcription/{_segment(job_id, 'transcription job id')}/highlights"
        return await self._start_job("POST", path, payload_of(request))

    async def highlights(self, request: Payload) -> JobStart:
        """POST /v2/transcription/highlights: highlights from a supplied transcript."""
        return await self._start_job("POST", "v2/transcription/highlights", payload_of(request))

    # --- voices, music, media -------------------------------------------------------------

    async def list_voices(self) -> list[Voice]:
        """GET /v1/voiceovers/tracks."""
        return await self._list(Voice, "v1/voiceovers/tracks")

    async def search_music(self, request: Payload) -> list[MusicTrack]:
        """POST /v1/music/search (a read: safe to retry)."""
        what = "POST /v1/music/search"
        body = await self._call(
            "POST", "v1/music/search", json=payload_of(request), idempotent=True
        )
        return [self._parse(MusicTrack, item, what) for item in _items(body, what)]

    async def music_facet(self, kind: MusicFacet) -> list[str]:
        """GET /v1/music/{moods|purposes|genres|genres/groups|instruments}."""
        path = _FACET_PATHS.get(kind)
        if path is None:
            raise InputError(f"Unknown music facet {kind!r}; use one of {sorted(_FACET_PATHS)}.")
        values = _items(await self._get(path), f"GET /{path}")
        return [str(v) if not isinstance(v, dict) else str(v.get("name", v)) for v in values]

    async def search_media(
        self, keyword: str, category: str | None = None, language: str = "en"
    ) -> list[MediaResult]:
        """GET /v1/media/search: stock visuals (watermarked previews)."""
        return await self._list(
            MediaResult, "v1/media/search", keyword=keyword, category=category, language=language
        )

    # --- branding, layouts, templates, avatars ---------------------------------------------

    async def list_brands(self) -> list[Brand]:
        return await self._list(Brand, "v1/brands/video")

    async def list_text_styles(self) -> list[TextStyle]:
        return await self._list(TextStyle, "v1/styles")

    async def list_smart_layouts(self) -> list[SmartLayout]:
        return await self._list(SmartLayout, "v1/smartlayouts")

    async def list_templates(self) -> list[Template]:
        return await self._list(Template, "v1/templates")

    async def get_template(self, template_id: str) -> TemplateDetail:
        path = f"v1/templates/{_segment(template_id, 'template id')}"
        template: TemplateDetail = await self._get_model(TemplateDetail, path)
        return template

    async def list_avatars(self, next_page_key: str | None = None) -> AvatarPage:
        page: AvatarPage = await self._get_model(
            AvatarPage, "v1/avatars", nextPageKey=next_page_key
        )
        return page

    # --- account and integrations --------------------------------------------------------------

    async def get_quota(self) -> Quota:
        quota: Quota = await self._get_model(Quota, "v1/quota")
        return quota

    async def list_aws_connections(self) -> list[AwsConnection]:
        return await self._list(AwsConnection, "v1/awsconnections")

    async def get_aws_connection(self, connection_id: str) -> AwsConnection:
        path = f"v1/awsconnections/{_segment(connection_id, 'connection id')}"
        connection: AwsConnection = await self._get_model(AwsConnection, path)
        return connection

    async def list_vimeo_connections(self, next_page_key: str | None = None) -> VimeoConnectionPage:
        page: VimeoConnectionPage = await self._get_model(
            VimeoConnectionPage, "v1/vimeo-connections", nextPageKey=next_page_key
        )
        return page

    async def get_vimeo_connection(self, connection_id: str) -> VimeoConnection:
        path = f"v1/vimeo-connections/{_segment(connection_id, 'connection id')}"
        connection: VimeoConnection = await self._get_model(VimeoConnection, path)
        return connection
