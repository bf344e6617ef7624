"""The video-highlights workflow (transcription → highlights → render) run as one tracked job.

The workflow is a job-history record (kind "highlights", id "wf-…") whose `steps` list each
Pictory job of the chain; children carry `parent_id`. A background engine started in the
server's lifespan advances unfinished workflows every `poll_interval`, `check_job` advances one
on demand, and a restarted server resumes every unfinished workflow from the history.

The final render keeps the original footage: one `videoUrl` (or `audioUrl`) scene with
`audioLanguage` and, as its `transcript`, only the words the highlights job marked
`highlight: true` (REFERENCE §6.2 allows `transcript` on repurpose scenes; §8.1 gives the
word shape). The vendor sample instead joins those words into `story` scenes (§9), which
re-narrates them over stock visuals: a summary, not a clip of the speaker. No AI voice and
no music are added, so the media's own sound is what plays.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any

import anyio

from pictory_mcp.errors import (
    ConfigurationError,
    InputError,
    MalformedResponseError,
    NotFoundError,
    PictoryMCPError,
    RateLimitedError,
    ServerError,
    SubmitOutcomeUnknownError,
    TransportError,
)
from pictory_mcp.jobs import JobRecord
from pictory_mcp.server.failures import describe
from pictory_mcp.server.jobview import build_view, job_data, result_urls
from pictory_mcp.server.notify import announce
from pictory_mcp.server.outputs import JobError, JobView
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tools._base import in_thread, read_record

logger = logging.getLogger("pictory_mcp.server.workflows")

WORKFLOW_KIND = "highlights"
WORKFLOW_PREFIX = "wf-"
STEPS = ("transcription", "highlights", "render")
# Share of the overall progress each step covers; the render dominates the wall time.
_SPANS = {"transcription": (0.0, 30.0), "highlights": (30.0, 50.0), "render": (50.0, 100.0)}
_NO_HIGHLIGHTS_FIX = (
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


class StepFailed(Exception):
    """A step ended the workflow; `fix` is what the agent should do next."""

    def __init__(self, step: str, message: str, fix: str, code: str | None = None) -> None:
        super().__init__(message)
        self.step, self.message, self.fix, self.code = step, message, fix, code


def _retry_later(exc: PictoryMCPError) -> bool:
    """Submission errors after which Pictory certainly holds no job, so the step may be retried.

    submit_safely turns every ambiguous failure into an adopted job or
    SubmitOutcomeUnknownError, so a transport, 5xx or unreadable answer it lets through
    means no job was created.
    """
    return isinstance(
        exc,
        TransportError
        | ServerError
        | MalformedResponseError
        | RateLimitedError
        | ConfigurationError,
    )


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
    from pydantic import ValidationError

    from pictory_mcp.api.models import Storyboard

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
        return Storyboard.model_validate(payload).to_payload()
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()[:3]
        )
        raise InputError(f"The highlight storyboard is not valid: {problems}.") from None


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
        view.next_step = "Done. Give the user video_url (details.share_url is a page to share)."
    elif status == "failed":
        error = dict(record.error or {})
        fix = str(error.get("fix") or _NO_HIGHLIGHTS_FIX)
        view.error = JobError(
            code=error.get("code"), message=str(error.get("message", "failed")), fix=fix
        )
        view.detail(step=error.get("step", step))
        view.next_step = fix
    else:
        number = STEPS.index(step) + 1 if step in STEPS else 1
        wait = max(1, round(poll_interval))
        view.next_step = (
            f"Step {number}/3 ({step}) is running; the server advances the chain by itself. "
            f"Call check_job again in about {wait} s."
        )
    return view


class WorkflowEngine:
    """Advances workflows one step at a time; one lock per workflow so no step is sent twice."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self._locks: dict[str, anyio.Lock] = {}

    def _lock(self, workflow_id: str) -> anyio.Lock:
        return self._locks.setdefault(workflow_id, anyio.Lock())

    async def start(self, plan: HighlightsPlan, summary: dict[str, Any]) -> JobView:
        """Record a new workflow, submit its transcription, and answer at once."""
        workflow_id = f"{WORKFLOW_PREFIX}{uuid.uuid4().hex}"
        store = self.state.store
        await in_thread(
            lambda: store.record_submission(
                workflow_id, WORKFLOW_KIND, plan.payload(), summary, video_name=plan.video_name
            )
        )
        try:
            return await self.advance(workflow_id)
        except PictoryMCPError as exc:
            if not _retry_later(exc):
                raise
            # Nothing was sent, and the engine submits it on its next pass: answer with the
            # workflow id so the agent follows it instead of starting a second one.
            logger.info("workflow %s: first step waits (%s)", workflow_id, describe(exc))
            record = await read_record(self.state, workflow_id)
            if record is None:
                raise
            return workflow_view(record, self.state.settings.poll_interval)

    async def advance(self, workflow_id: str) -> JobView:
        """Move one workflow on by at most one step and return its view.

        Only the engine holding the workflow's lease in the job history moves it: another
        process (a second desktop app, another server on the same history) that finds the
        lease taken reports the recorded state instead.
        """
        async with self._lock(workflow_id):
            record = await read_record(self.state, workflow_id)
            if record is None or record.kind != WORKFLOW_KIND:
                raise NotFoundError(
                    f"No workflow '{workflow_id}' in this server's job history. "
                    "See pictory://jobs for recent job ids",
                    status_code=404,
                )
            if not record.finished:
                async with self.state.leases.holding(workflow_id) as owned:
                    if owned:
                        # Read again under the lease: another engine may have moved it.
                        record = await read_record(self.state, workflow_id) or record
                        if not record.finished:
                            try:
                                record = await self._step(record)
                            except StepFailed as failure:
                                record = await self._fail(record, failure)
                            await announce(self.state, record)
        return workflow_view(record, self.state.settings.poll_interval)

    async def advance_all(self) -> None:
        """One pass over every unfinished workflow; a failing poll waits for the next pass."""
        records = await in_thread(self.state.store.unfinished)
        for record in records:
            if record.kind != WORKFLOW_KIND or not is_workflow_id(record.job_id):
                continue
            try:
                await self.advance(record.job_id)
            except PictoryMCPError as exc:
                logger.info("workflow %s waits: %s", record.job_id, describe(exc))
            except Exception:  # one broken record must not stop the others
                logger.exception("workflow %s could not advance", record.job_id)

    async def run(self) -> None:
        """Resume unfinished workflows at once, then keep advancing them every poll_interval."""
        while True:
            await self.advance_all()
            await anyio.sleep(self.state.settings.poll_interval)

    # -- one step ------------------------------------------------------------------------------

    async def _step(self, record: JobRecord) -> JobRecord:
        steps = [dict(s) for s in record.steps]
        if not steps:
            return await self._submit(record, steps, "transcription", None)
        current = steps[-1]
        step = str(current.get("step"))
        if current.get("status") == "submitting" or not current.get("job_id"):
            raise StepFailed(
                step,
                f"The server stopped while submitting the {step} step, so it is unknown "
                "whether Pictory accepted it.",
                f"Look for a recent {step} job in pictory://jobs; to start over, call "
                "create_video_highlights again.",
            )
        job_id = str(current["job_id"])
        try:
            answer = await self.state.require_client().get_job(job_id)
        except NotFoundError:
            raise StepFailed(
                step,
                f"Pictory no longer knows the {step} job {job_id}.",
                "Call create_video_highlights again to start over.",
                code="JOB_NOT_FOUND",
            ) from None
        data = job_data(answer)
        view = build_view(job_id, data, kind=step, poll_interval=0)
        error = view.error.model_dump() if view.error else None
        await in_thread(
            lambda: self.state.store.update_status(
                job_id, view.status, progress=view.progress, result=result_urls(view) or None,
                error=error,
            )
        )  # fmt: skip
        if current.get("status") != view.status:
            current["status"] = view.status
            await in_thread(self.state.store.update_steps, record.job_id, steps)
        if view.status == "failed" and view.error is not None:
            raise StepFailed(step, view.error.message, view.error.fix, code=view.error.code)
        if view.status == "cleaned":
            raise StepFailed(
                step,
                f"Pictory purged the {step} job's data before the workflow used it.",
                "Call create_video_highlights again to start over.",
            )
        if view.status != "completed":
            low, high = _SPANS.get(step, (0.0, 100.0))
            share = (view.progress or 0.0) / 100.0
            return await self._progress(record.job_id, low + (high - low) * share)
        if step == "transcription":
            return await self._submit(record, steps, "highlights", None)
        if step == "highlights":
            chosen = highlighted_transcript(data.get("transcript"))
            if not chosen:
                raise StepFailed(
                    step, "Pictory chose no highlights in this media.", _NO_HIGHLIGHTS_FIX
                )
            try:
                board = highlight_storyboard(record.payload, chosen)
            except InputError as exc:
                raise StepFailed(step, str(exc), _NO_HIGHLIGHTS_FIX) from None
            return await self._submit(record, steps, "render", board)
        return await in_thread(
            lambda: self.state.store.update_status(
                record.job_id, "completed", progress=100.0, result=result_urls(view)
            )
        )

    async def _progress(self, workflow_id: str, progress: float) -> JobRecord:
        return await in_thread(
            lambda: self.state.store.update_status(
                workflow_id, "in-progress", progress=round(progress, 1)
            )
        )

    async def _submit(
        self, record: JobRecord, steps: list[dict[str, Any]], step: str, body: dict[str, Any] | None
    ) -> JobRecord:
        """Submit `step` once: mark it, send it, and store its job id before anything else."""
        from pictory_mcp.api._submit_safely import submit_safely

        store = self.state.store
        plan = record.payload
        client = self.state.require_client()
        steps.append({"step": step, "status": "submitting"})
        await in_thread(store.update_steps, record.job_id, steps)
        # Shielded: a shutdown must not lose the id of a job Pictory has just accepted.
        with anyio.CancelScope(shield=True):
            try:
                if step == "transcription":
                    from pictory_mcp.api.models import TranscriptionRequest

                    body = TranscriptionRequest(
                        file_url=plan["media_url"],
                        media_type=plan["media_type"],
                        language=plan["language"],
                    ).to_payload()
                    started = await submit_safely(
                        client, lambda: client.transcribe(body or {}), what="transcription"
                    )
                elif step == "highlights":
                    from pictory_mcp.api.models import HighlightsFromJobRequest

                    source = str(steps[-2]["job_id"])
                    body = HighlightsFromJobRequest(
                        highlight_duration=int(plan["duration_seconds"]),
                        language=str(plan["language"]).split("-")[0],
                    ).to_payload()
                    started = await submit_safely(
                        client,
                        lambda: client.highlights_from_job(source, body or {}),
                        what="highlights",
                    )
                else:
                    started = await submit_safely(
                        client, lambda: client.render_storyboard(body or {}), what="render"
                    )
            except PictoryMCPError as exc:
                if _retry_later(exc):
                    steps.pop()
                    await in_thread(store.update_steps, record.job_id, steps)
                    raise
                steps[-1]["status"] = "failed"
                await in_thread(store.update_steps, record.job_id, steps)
                if isinstance(exc, SubmitOutcomeUnknownError):
                    raise StepFailed(
                        step,
                        str(exc),
                        f"Look for a recent {step} job in pictory://jobs before calling "
                        "create_video_highlights again.",
                    ) from None
                raise StepFailed(
                    step,
                    f"Submitting the {step} step failed: {describe(exc)}",
                    "Check media_url, language and duration_seconds, then call "
                    "create_video_highlights again.",
                ) from None
            steps[-1].update(job_id=started.job_id, status="in-progress")
            child: dict[str, Any] = {"workflow": record.job_id, "step": step}
            if started.adopted:
                child["adopted"] = True
            await in_thread(
                lambda: store.record_submission(
                    started.job_id, step, body, child, parent_id=record.job_id
                )
            )
            await in_thread(store.update_steps, record.job_id, steps)
        return await self._progress(record.job_id, _SPANS[step][0])

    async def _fail(self, record: JobRecord, failure: StepFailed) -> JobRecord:
        error = {
            "code": failure.code,
            "message": f"The {failure.step} step failed: {failure.message}",
            "fix": failure.fix,
            "step": failure.step,
        }
        return await in_thread(
            lambda: self.state.store.update_status(record.job_id, "failed", error=error)
        )


_ENGINES: dict[int, WorkflowEngine] = {}


def engine_of(state: AppState) -> WorkflowEngine:
    """The engine of this server process (made on first use if the lifespan did not start one)."""
    engine = _ENGINES.get(id(state))
    if engine is None or engine.state is not state:
        engine = _ENGINES[id(state)] = WorkflowEngine(state)
    return engine


@asynccontextmanager
async def running_workflows(state: AppState) -> AsyncIterator[WorkflowEngine]:
    """Run the engine in the background for the lifespan; cancelled cleanly when it ends."""
    engine = engine_of(state)
    try:
        async with anyio.create_task_group() as group:
            group.start_soon(engine.run)
            group.start_soon(state.leases.run)
            try:
                yield engine
            finally:
                group.cancel_scope.cancel()
    finally:
        _ENGINES.pop(id(state), None)
