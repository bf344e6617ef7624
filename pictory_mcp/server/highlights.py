"""The highlights workflow's parts that need no engine: its ids, the plan stored with it, the
storyboard of its final render, and the agent's view of it (the engine: `server/workflow_engine.py`).

The final render keeps the original footage: one `videoUrl` (or `audioUrl`) scene with
`audioLanguage` and, as its `transcript`, only the words the highlights job marked
`highlight: true` (REFERENCE §6.2 allows `transcript` on repurpose scenes; §8.1 gives the
word shape). The vendor sample instead joins those words into `story` scenes (§9), which
re-narrates them over stock visuals: a summary, not a clip of the speaker. No AI voice and
no music are added, so the media's own sound is what plays.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from pictory_mcp import api
from pictory_mcp.errors import InputError
from pictory_mcp.jobs import JobRecord
from pictory_mcp.server.outputs import JobError, JobView
from pictory_mcp.server.phrasing import KEEP_WAITING

WORKFLOW_KIND = "highlights"
WORKFLOW_PREFIX = "wf-"
STEPS = ("transcription", "highlights", "render")
# Share of the overall progress each step covers; the render dominates the wall time.
STEP_SPANS = {"transcription": (0.0, 30.0), "highlights": (30.0, 50.0), "render": (50.0, 100.0)}
NO_HIGHLIGHTS_FIX = (
    "Call create_video_highlights again with a longer duration_seconds, or with a media_url "
    "whose audio has clear speech."
)


def is_workflow_id(job_id: str) -> bool:
    """True for ids this server gave to a workflow (never a Pictory job id)."""
    return job_id.startswith(WORKFLOW_PREFIX)


@dataclass(frozen=True)
class HighlightsPlan:
    """What the caller asked for; stored as the workflow's payload so a restart can go on."""

    media_url: str
    media_type: str
    duration_seconds: int
    language: str
    aspect_ratio: str
    video_name: str

    def payload(self) -> dict[str, Any]:
        return {"workflow": WORKFLOW_KIND, **self.__dict__}


def highlighted_transcript(transcript: Any) -> list[dict[str, Any]]:
    """The sentences of a highlights answer, keeping only words marked `highlight: true`."""
    kept: list[dict[str, Any]] = []
    for sentence in transcript if isinstance(transcript, list) else []:
        if not isinstance(sentence, dict) or not isinstance(sentence.get("words"), list):
            continue
        words = [w for w in sentence["words"] if isinstance(w, dict) and w.get("highlight")]
        if words:
            kept.append({**sentence, "words": words})
    return kept


def highlight_storyboard(plan: dict[str, Any], transcript: list[dict[str, Any]]) -> dict[str, Any]:
    """The storyboard that renders the highlighted ranges of the original media."""
    source = "audioUrl" if plan.get("media_type") == "audio" else "videoUrl"
    payload = {
        "videoName": plan["video_name"],
        "aspectRatio": plan["aspect_ratio"],
        "backgroundMusic": {"enabled": False},
        "scenes": [
            {source: plan["media_url"], "audioLanguage": plan["language"], "transcript": transcript}
        ],
    }
    try:
        return api.models.Storyboard.model_validate(payload).to_payload()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise InputError(f"The highlight storyboard is not valid: {problems}.") from None


def _length_note(plan: dict[str, Any], result: dict[str, Any]) -> str:
    """A sentence when the clip is clearly shorter than asked (the user should hear it from the
    agent, not find out), else nothing."""
    asked, got = plan.get("duration_seconds"), result.get("duration_seconds")
    if not isinstance(asked, int | float) or not isinstance(got, int | float):
        return ""
    # Renders round to tenths and pad scene ends: within 10 % is what was asked.
    if got >= asked * 0.9:
        return ""
    return (
        f"The clip is {got:g} s, shorter than the {asked:g} s asked: Pictory marked only that "
        "much of the speech as highlights. Tell the user. "
    )


def workflow_view(record: JobRecord, poll_interval: float) -> JobView:
    """The agent's view of a workflow record: status, current step, progress, result or error."""
    steps = [
        {k: s[k] for k in ("step", "job_id", "status") if s.get(k) is not None}
        for s in record.steps
    ]
    step = steps[-1]["step"] if steps else STEPS[0]
    status = "in-progress" if record.status == "submitted" else record.status
    view = JobView(
        job_id=record.job_id,
        status=status,
        kind=WORKFLOW_KIND,
        progress=record.progress,
        next_step="",
    )
    view.detail(step=step, steps=steps, submitted=record.summary)
    if status == "completed":
        result = dict(record.result)
        view.video_url = result.pop("video_url", None)
        view.detail(**result)
        view.next_step = (
            f"{_length_note(record.payload, result)}Done. Give the user video_url "
            "(details.share_url is a page to share)."
        )
    elif status == "failed":
        error = dict(record.error or {})
        fix = str(error.get("fix") or NO_HIGHLIGHTS_FIX)
        view.error = JobError(
            code=error.get("code"), message=str(error.get("message", "failed")), fix=fix
        )
        view.detail(step=error.get("step", step))
        view.next_step = fix
    else:
        number = STEPS.index(step) + 1 if step in STEPS else 1
        view.next_step = (
            f"Step {number}/3 ({step}) is running; the server advances the chain by itself. "
            f"{KEEP_WAITING}"
        )
    return view
