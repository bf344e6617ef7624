"""Transcription routes: POST /v2/transcription, /v2/transcription/highlights and
/v2/transcription/{jobId}/highlights (REFERENCE §9); transcripts are derived from the URL."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from pictory_mcp.sandbox import rules
from pictory_mcp.sandbox import text as textgen
from pictory_mcp.sandbox.core import (
    context,
    invalid_body,
    invalid_request,
    job_not_found,
    job_started,
    read_json,
    sandbox_of,
)

DEFAULT_HIGHLIGHT_SECONDS = 30.0
"""INFERRED default when `highlight_duration` is omitted (the v2 summaries start at 30 s)."""


def _checked(sb: Any, fields: list[dict[str, str]]) -> Response | None:
    """A 400 for rule violations, or for an armed one-shot rejection (as the video routes do)."""
    rejection = sb.faults.take_rejection() if not fields else None
    if rejection is not None:
        fields = [rejection]
    return invalid_body(fields) if fields else None


def _subtitle_fields(transcript: list[dict[str, Any]]) -> dict[str, str]:
    cues = textgen.cues_from_transcript(transcript)
    return {"txt": textgen.txt(cues), "srt": textgen.srt(cues), "vtt": textgen.vtt(cues)}


def _media_info(transcript: list[dict[str, Any]], media_type: str) -> dict[str, Any]:
    ends = [w["end_time"] for s in transcript for w in s["words"]]
    info: dict[str, Any] = {"duration": round(max(ends, default=0.0), 2)}
    if media_type != "audio":
        info.update(width=1920, height=1080, aspectRatio="16:9")
    return info


async def transcribe(request: Request) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    refused = _checked(sb, rules.validate_transcription(body))
    if refused is not None:
        return refused
    assert isinstance(body, dict)
    if isinstance(body.get("transcript"), list) and body["transcript"]:
        transcript = textgen.normalize_transcript(body["transcript"])
    else:
        transcript = textgen.transcript_for(str(body.get("fileUrl", "")))
    job = sb.create_job(
        request,
        "transcription",
        fault=sb.faults.for_job(sb.config),
        cues=textgen.cues_from_transcript(transcript),
        transcript=transcript,
    )
    if isinstance(job, Response):
        return job
    job.result = {
        "transcript": transcript,
        **_subtitle_fields(transcript),
        "mediaInfo": _media_info(transcript, str(body.get("mediaType", "video"))),
    }
    return job_started(job)


def _budget(body: dict[str, Any]) -> float:
    value = body.get("highlight_duration")
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value > 0:
        return float(value)
    return DEFAULT_HIGHLIGHT_SECONDS


def _start_highlights(
    request: Request, transcript: list[dict[str, Any]], budget: float
) -> Response:
    sb = sandbox_of(request)
    marked = textgen.with_highlights(transcript, budget)
    chosen = textgen.highlighted_only(marked)
    job = sb.create_job(
        request,
        "highlights",
        fault=sb.faults.for_job(sb.config),
        cues=textgen.cues_from_transcript(chosen),
        transcript=marked,
    )
    if isinstance(job, Response):
        return job
    job.result = {"transcript": marked, "highlight_duration": budget, **_subtitle_fields(chosen)}
    return job_started(job)


async def highlights(request: Request) -> Response:
    body, error = await read_json(request)
    if error is not None:
        return error
    refused = _checked(sandbox_of(request), rules.validate_highlights(body))
    if refused is not None:
        return refused
    assert isinstance(body, dict)
    transcript = textgen.normalize_transcript(body.get("transcript"))
    return _start_highlights(request, transcript, _budget(body))


async def highlights_from_job(request: Request) -> Response:
    sb = sandbox_of(request)
    body, error = await read_json(request)
    if error is not None:
        return error
    refused = _checked(sb, rules.validate_highlights_from_job(body))
    if refused is not None:
        return refused
    body = body if isinstance(body, dict) else {}
    job_id = request.path_params["job_id"]
    source = sb.jobs.get(context(request).key_fp, job_id)
    if source is None:
        return job_not_found(job_id)
    if source.kind != "transcription" or source.status(sb.clock.now()) != "completed":
        return invalid_request(f"Job {job_id} is not a completed transcription")
    return _start_highlights(request, source.transcript or [], _budget(body))


ROUTES = [
    Route("/v2/transcription", transcribe, methods=["POST"]),
    Route("/v2/transcription/highlights", highlights, methods=["POST"]),
    Route("/v2/transcription/{job_id}/highlights", highlights_from_job, methods=["POST"]),
]
