"""Response models: tolerant readings of what Pictory answers.

Unknown fields are kept (`extra="allow"`), every field not stated by the documentation
is optional, and ids arrive as strings whether Pictory sent a number or a string.
"""

from __future__ import annotations

from typing import Annotated, Any, Generic, Literal, TypeVar

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, model_validator

__all__ = [
    "AvatarGroup",
    "AvatarLook",
    "AvatarPage",
    "AwsConnection",
    "Brand",
    "JobData",
    "JobListPage",
    "JobStart",
    "JobStatus",
    "MediaPreview",
    "MediaResult",
    "MusicTrack",
    "NormalizedStatus",
    "Page",
    "Quota",
    "QuotaUsage",
    "SmartLayout",
    "Template",
    "TemplateDetail",
    "TextStyle",
    "VimeoConnection",
    "VimeoConnectionPage",
    "Voice",
]

NormalizedStatus = Literal["in-progress", "completed", "failed", "cleaned"]

_STATUS_WORDS: dict[str, NormalizedStatus] = {
    "in-progress": "in-progress",
    "in_progress": "in-progress",
    "inprogress": "in-progress",
    "queued": "in-progress",
    "pending": "in-progress",
    "running": "in-progress",
    "processing": "in-progress",
    "completed": "completed",
    "complete": "completed",
    "done": "completed",
    "succeeded": "completed",
    "success": "completed",
    "failed": "failed",
    "failure": "failed",
    "error": "failed",
    "cleaned": "cleaned",
}


def _id_text(value: Any) -> Any:
    """Ids are numbers on some endpoints and strings on others; hold them as text."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(int(value)) if float(value).is_integer() else str(value)
    return value


Id = Annotated[str, BeforeValidator(_id_text)]


class Tolerant(BaseModel):
    """Base of every response model: keeps unknown keys, accepts names or aliases."""

    model_config = ConfigDict(extra="allow", populate_by_name=True)


# --- jobs -----------------------------------------------------------------------------


def _first_job_id(body: dict[str, Any]) -> Any:
    data = body.get("data")
    holders = [data, body] if isinstance(data, dict) else [body]
    for holder in holders:
        for key in ("jobId", "job_id", "id"):
            if holder.get(key) not in (None, ""):
                return holder[key]
    return None


class JobStart(Tolerant):
    """The answer of every job-creating call: `{"success": true, "data": {"jobId": …}}`."""

    job_id: Id
    success: bool | None = None

    @model_validator(mode="before")
    @classmethod
    def _flatten(cls, value: Any) -> Any:
        # Current calls nest `data.jobId`; legacy ones put `jobId` on top or `data.job_id`.
        if isinstance(value, dict) and "job_id" not in value:
            job_id = _first_job_id(value)
            if job_id is not None:
                return {**value, "job_id": job_id}
        return value


class JobData(Tolerant):
    """`data` of a job: status, render progress, and the results of every job type."""

    status: str | None = None
    job_id: Id | None = Field(default=None, validation_alias=AliasChoices("jobId", "job_id"))
    render_progress: float | None = Field(default=None, alias="renderProgress")
    render_progress_message: str | None = Field(default=None, alias="renderProgressMessage")
    render_state: str | None = Field(default=None, alias="renderState")
    progress: float | None = None
    video_url: str | None = Field(default=None, alias="videoURL")
    video_share_url: str | None = Field(default=None, alias="videoShareURL")
    share_video_url: str | None = Field(default=None, alias="shareVideoURL")
    audio_url: str | None = Field(default=None, alias="audioURL")
    thumbnail: str | None = None
    srt_file: str | None = Field(default=None, alias="srtFile")
    vtt_file: str | None = Field(default=None, alias="vttFile")
    txt_file: str | None = Field(default=None, alias="txtFile")
    video_duration: float | None = Field(default=None, alias="videoDuration")
    ai_credits_used: float | None = Field(default=None, alias="aiCreditsUsed")
    preview: str | None = None
    project_id: Id | None = Field(default=None, alias="projectId")
    render_params: dict[str, Any] | None = Field(default=None, alias="renderParams")
    storyboard: dict[str, Any] | None = None
    transcript: list[Any] | None = None
    txt: str | None = None
    srt: str | None = None
    vtt: str | None = None
    media_info: dict[str, Any] | None = Field(default=None, alias="mediaInfo")
    url: str | None = None
    error_code: Id | None = None
    error_message: str | None = None

    @property
    def share_url(self) -> str | None:
        """The share page, under whichever of its two documented names was sent."""
        return self.video_share_url or self.share_video_url


class JobStatus(Tolerant):
    """`GET /v1/jobs/{id}`: `{"job_id", "success", "data": {...}}` (also a jobs-list item)."""

    job_id: Id | None = Field(default=None, validation_alias=AliasChoices("job_id", "jobId"))
    success: bool | None = None
    data: JobData = Field(default_factory=JobData)

    @model_validator(mode="before")
    @classmethod
    def _lift(cls, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        out = dict(value)
        if out.get("data") is None:
            out["data"] = {}
        data = out["data"]
        if isinstance(data, dict):
            # Legacy failures: {"success": false, "error": {"error_code", "error_message"}}.
            legacy = out.get("error")
            if isinstance(legacy, dict):
                data = {**{k: legacy[k] for k in ("error_code", "error_message") if k in legacy}}
                data.update(out["data"])
                out["data"] = data
            if out.get("job_id") is None and out.get("jobId") is None:
                job_id = data.get("jobId", data.get("job_id"))
                if job_id is not None:
                    out["job_id"] = job_id
        return out

    @property
    def normalized_status(self) -> NormalizedStatus:
        """The job's state in Pictory's four words, inferring it when `status` is missing."""
        raw = (self.data.status or "").strip().lower()
        if raw in _STATUS_WORDS:
            return _STATUS_WORDS[raw]
        if self.data.render_params is not None or self.data.video_url:
            # Legacy completed previews carry renderParams and no status at all.
            return "completed"
        if self.success is False or self.data.error_code is not None:
            return "failed"
        return "in-progress"

    @property
    def is_finished(self) -> bool:
        return self.normalized_status != "in-progress"

    @property
    def progress_percent(self) -> float | None:
        """0–100: the render progress while rendering, 100 when completed."""
        if self.normalized_status == "completed":
            return 100.0
        for value in (self.data.render_progress, self.data.progress):
            if value is not None:
                return max(0.0, min(100.0, value))
        return None

    @property
    def is_not_found(self) -> bool:
        """True for Pictory's unknown-job answer (error 5000 / JOB_NOT_FOUND)."""
        markers = {str(self.data.error_code or ""), str(self.data.error_message or "")}
        return bool(markers & {"5000", "JOB_NOT_FOUND"}) and self.data.status is None


# --- pages ----------------------------------------------------------------------------

ItemT = TypeVar("ItemT")


class Page(Tolerant, Generic[ItemT]):
    """A list object `{items, nextPageKey}`; also accepts `Items`, `pageKey`, a bare array."""

    items: list[ItemT] = Field(default_factory=list)
    next_page_key: str | None = Field(
        default=None, validation_alias=AliasChoices("nextPageKey", "pageKey", "next_page_key")
    )

    @model_validator(mode="before")
    @classmethod
    def _unwrap(cls, value: Any) -> Any:
        if isinstance(value, list):
            return {"items": value}
        if isinstance(value, dict) and "items" not in value:
            for key in ("Items", "data", "results"):
                inner = value.get(key)
                if isinstance(inner, list):
                    return {**value, "items": inner}
                if isinstance(inner, dict) and isinstance(inner.get("items"), list):
                    return {**value, **inner}
        return value


class JobListPage(Page[JobStatus]):
    """`GET /v1/jobs`: newest first; items are `{success, data: {jobId, status, ...}}`."""


# --- catalog resources ----------------------------------------------------------------


class Voice(Tolerant):
    """An AI voice from `GET /v1/voiceovers/tracks`; `id` or `name` goes in `speaker`."""

    id: Id | None = None
    name: str | None = None
    voice: str | None = None
    accent: str | None = None
    category: str | None = None
    engine: str | None = None
    gender: str | None = None
    language: str | None = None
    sample: str | None = None
    service: str | None = None
    ssml_help: str | None = Field(default=None, alias="ssmlHelp")
    ssml_support_category: str | None = Field(default=None, alias="ssmlSupportCategory")


class MusicTrack(Tolerant):
    """A library track; its `audio_url` goes in `backgroundMusic.musicUrl`."""

    id: Id | None = None
    title: str | None = None
    audio_url: str | None = Field(default=None, alias="audioUrl")
    duration: float | None = None
    genres: list[str] = Field(default_factory=list)
    instruments: list[str] = Field(default_factory=list)
    moods: list[str] = Field(default_factory=list)
    purposes: list[str] = Field(default_factory=list)


class MediaPreview(Tolerant):
    jpg: str | None = None
    url: str | None = None


class MediaResult(Tolerant):
    """A stock visual from `GET /v1/media/search` (watermarked previews)."""

    id: Id | None = None
    asset_id: Id | None = Field(default=None, alias="assetId")
    keyword: str | None = None
    media_type: str | None = Field(default=None, alias="mediaType")
    duration: float | None = None
    media_description: str | None = Field(default=None, alias="mediaDescription")
    preview: MediaPreview | None = None
    thumbnail: MediaPreview | None = None
    search_library: str | None = Field(default=None, alias="searchLibrary")


class Brand(Tolerant):
    id: Id | None = None
    name: str | None = None


class TextStyle(Tolerant):
    id: Id | None = None
    name: str | None = None


class SmartLayout(Tolerant):
    template_id: Id | None = Field(default=None, alias="templateId")
    template_name: str | None = Field(default=None, alias="templateName")
    schema_version: str | None = Field(default=None, alias="schemaVersion")


class Template(Tolerant):
    template_id: Id | None = Field(default=None, alias="templateId")
    name: str | None = None
    language: str | None = None
    published: bool | None = None
    # The by-id page spells it "depricated".
    deprecated: bool | None = Field(
        default=None, validation_alias=AliasChoices("deprecated", "depricated")
    )


class TemplateDetail(Template):
    background_music: dict[str, Any] | None = Field(default=None, alias="backgroundMusic")
    voice_over: dict[str, Any] | None = Field(default=None, alias="voiceOver")
    scenes: list[Any] = Field(default_factory=list)
    variables: dict[str, Any] = Field(default_factory=dict)
    schema_version: str | None = Field(default=None, alias="schemaVersion")


class AvatarLook(Tolerant):
    """One look of an avatar; its `id` is what `avatar.avatarId` takes."""

    id: Id | None = None
    name: str | None = None
    preview_image: str | None = Field(default=None, alias="previewImage")
    preview_video: str | None = Field(default=None, alias="previewVideo")


class AvatarGroup(Tolerant):
    id: Id | None = None
    name: str | None = None
    gender: str | None = None
    looks: list[AvatarLook] = Field(default_factory=list)


class AvatarPage(Page[AvatarGroup]):
    """`GET /v1/avatars`."""


class QuotaUsage(Tolerant):
    used: float | None = None
    limit: float | None = None


class Quota(Tolerant):
    video_minutes: QuotaUsage | None = Field(default=None, alias="videoMinutes")
    transcription_minutes: QuotaUsage | None = Field(default=None, alias="transcriptionMinutes")
    eleven_labs_voice_over_minutes: QuotaUsage | None = Field(
        default=None, alias="elevenLabsVoiceOverMinutes"
    )
    ai_credits: QuotaUsage | None = Field(default=None, alias="aiCredits")


class AwsConnection(Tolerant):
    connection_id: Id | None = Field(default=None, alias="connectionId")
    name: str | None = None
    description: str | None = None
    aws_account_id: Id | None = Field(default=None, alias="awsAccountId")
    aws_region: str | None = Field(default=None, alias="awsRegion")
    type: str | None = None
    enabled: bool | None = None
    created_date: Id | None = Field(default=None, alias="createdDate")
    updated_date: Id | None = Field(default=None, alias="updatedDate")
    version: int | None = None


class VimeoConnection(Tolerant):
    connection_id: Id | None = Field(default=None, alias="connectionId")
    name: str | None = None
    description: str | None = None
    client_identifier: str | None = Field(default=None, alias="clientIdentifier")
    type: str | None = None
    enabled: bool | None = None
    created_date: Id | None = Field(default=None, alias="createdDate")
    updated_date: Id | None = Field(default=None, alias="updatedDate")
    version: int | None = None


class VimeoConnectionPage(Page[VimeoConnection]):
    """`GET /v1/vimeo-connections` (`{Items, nextPageKey}`)."""
