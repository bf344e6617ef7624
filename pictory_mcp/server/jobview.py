"""Normalize Pictory's job answers (all documented variations) into the agent's JobView."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from pictory_mcp.server.outputs import JobError, JobView
from pictory_mcp.server.phrasing import KEEP_WAITING
from pictory_mcp.server.voice_names import suggestions

_SPEAKER = re.compile(r"speaker \[([^\]]+)\]")
_UNREADABLE = re.compile(
    r"(?:unable to|could not|cannot) (?:read|fetch|access).*?(https?://[^\]\s]+)", re.I
)
_PPT = re.compile(r"\.pptx?(?:$|[?#])", re.I)
_TEMPLATE = re.compile(r"template \[([^\]]+)\] was not found", re.I)


def normalized_status(data: Mapping[str, Any]) -> str:
    """Pictory's status; legacy answers signal completion only by renderParams or videoURL."""
    status = data.get("status")
    if isinstance(status, str) and status:
        return "completed" if status == "complete" else status
    if data.get("renderParams") is not None or data.get("videoURL"):
        return "completed"
    if data.get("error_code") or data.get("error_message"):
        return "failed"
    return "in-progress"


def _str(data: Mapping[str, Any], *keys: str) -> str | None:
    for key in keys:
        value = data.get(key)
        if isinstance(value, str) and value:
            return value
    return None


def as_number(value: Any) -> float | None:
    """A number Pictory sent as a JSON number or numeric text; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def failure_fix(code: str | None, message: str, voices: Sequence[Any]) -> str:
    """A next step for a failed job, specific to what Pictory reported."""
    speaker = _SPEAKER.search(message)
    if speaker:
        close = suggestions(voices, speaker.group(1)) if voices else []
        hint = f" Closest voices: {', '.join(close)}." if close else ""
        return f"The voice '{speaker.group(1)}' is not valid.{hint} Resubmit with a name from list_voices."
    unreadable = _UNREADABLE.search(message)
    if unreadable:
        source = unreadable.group(1)
        what = "presentation" if _PPT.search(source) else "page"
        return (
            f"Pictory could not read the {what} at {source}. If the user can copy its text, "
            "pass it to create_video_from_text(script=...); otherwise give a public link that "
            "needs no login or paywall."
        )
    template = _TEMPLATE.search(message)
    if template:
        return (
            f"Template {template.group(1)} no longer exists; pick one from "
            "list_catalog(kind='templates') and resubmit."
        )
    if code == "SCENE_BACKGROUND_VISUAL_NOT_FOUND":
        return "No stock visual matched a scene's search. Use broader visual queries or visual URLs, then resubmit."
    if code == "INSUFFICIENT_CREDITS":
        return "The account lacks AI credits for the AI visuals. Check list_catalog(kind='quota'), or drop the AI visuals, then resubmit."
    if code in ("5000", "JOB_NOT_FOUND"):
        return "Pictory does not know this job id for this API key; check the id in pictory://jobs."
    # Pictory named no cause it could act on: a plain retry is the one step that often works.
    return (
        "Pictory gave no cause to fix. Resubmit the same request once; if it fails again, tell "
        "the user Pictory could not make this video (pictory://jobs holds what was sent)."
    )


def build_view(
    job_id: str,
    data: Mapping[str, Any],
    *,
    kind: str | None,
    poll_interval: float,
    voices: Sequence[Any] = (),
) -> JobView:
    """The compact view of one job answer's `data` object."""
    status = normalized_status(data)
    view = JobView(job_id=job_id, kind=kind, status=status, next_step="")
    if status == "in-progress":
        view.progress = as_number(data.get("renderProgress"))
        view.detail(message=_str(data, "renderProgressMessage", "renderState"))
        pct = f" ({view.progress:g}%)" if view.progress is not None else ""
        view.next_step = f"Still working{pct}. {KEEP_WAITING}"
    elif status == "completed":
        view.progress = 100.0
        view.video_url = _str(data, "videoURL", "videoUrl")
        subs = {
            name: url
            for name, url in (
                ("srt", _str(data, "srtFile")),
                ("vtt", _str(data, "vttFile")),
                ("txt", _str(data, "txtFile")),
            )
            if url
        }
        project = data.get("projectId")
        view.detail(
            share_url=_str(data, "videoShareURL", "shareVideoURL"),
            thumbnail_url=_str(data, "thumbnail"),
            subtitles=subs,
            duration_seconds=as_number(data.get("videoDuration")),
            credits_used=as_number(data.get("aiCreditsUsed")),
            preview_url=_str(data, "preview", "previewURL", "previewUrl"),
            project_id=str(project) if project not in (None, "") else None,
        )
        if view.video_url:
            view.next_step = "Done. Give the user video_url (details.share_url is a page to share)."
        elif data.get("renderParams") is not None:
            view.next_step = (
                "Preview ready: show the user details.preview_url (get_preview lists its scenes; "
                "update_preview_scene edits one), then render_preview(job_id) renders it (spends credits)."
            )
        else:
            view.next_step = "Done."
    elif status == "failed":
        code = _str(data, "error_code")
        if code is None and isinstance(data.get("error_code"), int):
            code = str(data["error_code"])
        message = _str(data, "error_message", "message") or "The job failed without a message."
        view.error = JobError(code=code, message=message, fix=failure_fix(code, message, voices))
        view.next_step = view.error.fix
    elif status == "cleaned":
        view.next_step = (
            "Pictory purged this job's data after its retention period. The URLs saved in "
            f"pictory://jobs/{job_id} may still work."
        )
    else:
        view.next_step = f"Unrecognised status '{status}'. {KEEP_WAITING}"
    return view


NOT_REPORTED = "Pictory does not report this upload; look for the video in that account."


def destination_outcomes(
    data: Mapping[str, Any], payload: Mapping[str, Any]
) -> dict[str, str] | None:
    """Each upload a finished render was asked for, and what Pictory reports of it: the Vimeo
    link (under a key the reference does not name, so any `*vimeo*` URL), or a plain sentence
    that it reports nothing."""
    kinds = {
        str(d.get("type")) for d in payload.get("destinations") or [] if isinstance(d, Mapping)
    }
    out: dict[str, str] = {}
    if "vimeo" in kinds or payload.get("vimeoConnectionId"):
        links = [
            v
            for k, v in data.items()
            if "vimeo" in k.lower() and isinstance(v, str) and v.startswith(("http://", "https://"))
        ]
        out["vimeo"] = links[0] if links else NOT_REPORTED
    for kind in sorted(kinds - {"vimeo"}):
        out[kind] = NOT_REPORTED
    return out or None


# What a poll's answer leaves out unless asked for (`check_job(job_id, detail=true)`): the job
# history keeps all of it, and the agent's next step needs none of it.
FULL_DETAIL_ONLY = (
    "thumbnail_url",
    "subtitles",
    "project_id",
    "credits_used",
    "steps",
    "submitted",
)


def lean(view: JobView) -> JobView:
    """The answer without `FULL_DETAIL_ONLY`; a finished job's `next_step` says what
    `detail=true` adds."""
    details = view.details or {}
    dropped = [key for key in FULL_DETAIL_ONLY if key in details]
    if not dropped:
        return view
    view.details = {k: v for k, v in details.items() if k not in FULL_DETAIL_ONLY} or None
    shown = [key for key in dropped if key not in ("steps", "submitted")]
    if view.status == "completed" and shown:
        view.next_step += f" check_job(job_id, detail=true) adds {', '.join(shown)}."
    return view


def result_urls(view: JobView) -> dict[str, Any]:
    """What the job history keeps of a finished job (Pictory may purge its copy later)."""
    kept = {
        k: v for k, v in (view.details or {}).items() if k not in ("message", "submitted", "step")
    }
    if view.video_url:
        kept["video_url"] = view.video_url
    return kept


def job_data(status: Any) -> dict[str, Any]:
    """The raw `data` object of a job-status answer, with Pictory's own key names."""
    data = getattr(status, "data", None)
    if data is None and isinstance(status, Mapping):
        data = status.get("data")
    if data is not None and hasattr(data, "model_dump"):
        dumped: dict[str, Any] = data.model_dump(by_alias=True, exclude_none=True)
        return dumped
    return dict(data) if isinstance(data, Mapping) else {}
