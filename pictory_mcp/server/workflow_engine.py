"""The video-highlights workflow (transcription → highlights → render) run as one tracked job.

The workflow is a job-history record (kind "highlights", id "wf-…") whose `steps` list each
Pictory job of the chain; children carry `parent_id`. A background engine started in the
server's lifespan advances unfinished workflows every `poll_interval`, `check_job` advances one
on demand, and a restarted server resumes every unfinished workflow from the history.

The plan, the final storyboard and the agent's view live in `server/highlights.py`.
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

import anyio

from pictory_mcp.errors import (
    InputError,
    NotFoundError,
    PictoryMCPError,
    StoreError,
)
from pictory_mcp.jobs import JobRecord, SpendClaim
from pictory_mcp.server import webhooks
from pictory_mcp.server.bounds import answer_at_bound, remaining
from pictory_mcp.server.failures import describe
from pictory_mcp.server.highlights import (
    NO_HIGHLIGHTS_FIX,
    STEP_SPANS,
    STEPS,
    WORKFLOW_KIND,
    WORKFLOW_PREFIX,
    HighlightsPlan,
    highlight_storyboard,
    highlighted_transcript,
    is_workflow_id,
    workflow_view,
)
from pictory_mcp.server.jobview import build_view, job_data, result_urls
from pictory_mcp.server.notify import announce
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.state import AppState, in_thread, read_record
from pictory_mcp.server.workflow_steps import StepSendFailed, UnrecordedSteps, send_step

logger = logging.getLogger("pictory_mcp.server.workflow_engine")

# Where a hosted workflow's payload names the Pictory account (key fingerprint) it runs on.
ACCOUNT_KEY = "account"

__all__ = [
    "STEPS",
    "WORKFLOW_KIND",
    "WORKFLOW_PREFIX",
    "HighlightsPlan",
    "WorkflowEngine",
    "engine_of",
    "is_workflow_id",
    "workflow_view",
]


class StepFailed(Exception):
    """A step ended the workflow; `fix` is what the agent should do next."""

    def __init__(self, step: str, message: str, fix: str, code: str | None = None) -> None:
        super().__init__(message)
        self.step, self.message, self.fix, self.code = step, message, fix, code


class WorkflowEngine:
    """Advances workflows one step at a time; one lock per workflow so no step is sent twice."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self._locks: dict[str, anyio.Lock] = {}
        # Steps Pictory accepted that the history could not record yet, by workflow id.
        self.unrecorded = UnrecordedSteps()

    def _lock(self, workflow_id: str) -> anyio.Lock:
        return self._locks.setdefault(workflow_id, anyio.Lock())

    async def start(
        self, plan: HighlightsPlan, summary: dict[str, Any], spend: SpendClaim | None = None
    ) -> JobView:
        """Record a new workflow (with the minutes it claims, `spend`), submit its
        transcription, and answer at once."""
        workflow_id = f"{WORKFLOW_PREFIX}{uuid.uuid4().hex}"
        store = self.state.store
        payload = plan.payload()
        if self.state.account:  # hosted: its steps are jobs of this Pictory account
            payload[ACCOUNT_KEY] = self.state.account
        await in_thread(
            lambda: store.record_submission(
                workflow_id,
                WORKFLOW_KIND,
                payload,
                summary,
                video_name=plan.video_name,
                spend=spend,
            )
        )

        # The first step runs in the server's background: a call cut off by its bound or by
        # the client leaves the step sent and recorded, and answers with the workflow id.
        async def recorded_view() -> JobView:
            record = await read_record(self.state, workflow_id)
            if record is None:
                raise StoreError(f"Workflow {workflow_id} could not be read back.")
            return workflow_view(record, self.state.settings.poll_interval)

        answer_at_bound(recorded_view)
        handle = await self.state.background.detach(lambda: self.advance(workflow_id))
        with anyio.move_on_after(remaining()):
            await handle.done.wait()
        if not handle.done.is_set():
            return await recorded_view()
        try:
            return handle.result()
        except PictoryMCPError as exc:
            # The workflow is recorded and the engine carries it on (a step that could not be
            # sent is sent on a later pass): answer with its id, so the agent follows it
            # instead of starting a second one.
            logger.info("workflow %s: first step waits (%s)", workflow_id, describe(exc))
            return await recorded_view()

    async def advance(self, workflow_id: str) -> JobView:
        """Move one workflow on by at most one step and return its view.

        Only the engine holding the workflow's lease in the job history moves it: another
        process (a second desktop app, another server on the same history) that finds the
        lease taken reports the recorded state instead.
        """
        async with self._lock(workflow_id):
            record = await read_record(self.state, workflow_id)
            if record is None or record.kind != WORKFLOW_KIND:
                # A local id: Pictory was never asked, so this is no Pictory 404.
                raise InputError(
                    f"No workflow '{workflow_id}' in this server's job history. Use the id "
                    "create_video_highlights returned; pictory://jobs lists recent jobs."
                )
            if not record.finished and self._ours(record):
                async with self.state.leases.holding(workflow_id) as owned:
                    if owned:
                        # Read again under the lease: another engine may have moved it.
                        record = await read_record(self.state, workflow_id) or record
                        if workflow_id in self.unrecorded:
                            record = await self.unrecorded.write(self.state, workflow_id)
                        elif not record.finished:
                            try:
                                record = await self._step(record)
                            except StepFailed as failure:
                                record = await self._fail(record, failure)
                            await announce(self.state, record)
        return workflow_view(record, self.state.settings.poll_interval)

    async def waits_for_webhook(self, record: JobRecord) -> bool:
        """Whether Pictory will report the workflow's running step by webhook, so asking now
        would be early: true until the safety interval since anyone last asked has passed."""
        steps = record.steps
        if not self.state.settings.webhooks or not steps:
            return False
        if steps[-1].get("status") != "in-progress":  # a next step may be due: no waiting
            return False
        if not await in_thread(self.state.store.hooked, record.job_id):
            return False
        return not await webhooks.may_check(self.state, record.job_id)

    def _ours(self, record: JobRecord) -> bool:
        """Whether this engine's Pictory key can move the workflow: its step jobs belong to
        the account it was started with (a hosted user may hold two keys)."""
        account = record.payload.get(ACCOUNT_KEY)
        return account is None or account == self.state.account

    async def advance_all(self) -> None:
        """One pass over every unfinished workflow; a failing poll waits for the next pass."""
        records = await in_thread(self.state.store.unfinished)
        for record in records:
            if record.kind != WORKFLOW_KIND or not is_workflow_id(record.job_id):
                continue
            if not self._ours(record) or await self.waits_for_webhook(record):
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
            try:
                await self.advance_all()
            except StoreError as exc:  # the store has logged why; tools tell the user
                logger.debug("workflows wait for the job history: %s", exc)
            except Exception:  # never end the process's background work: next pass
                logger.exception("the workflow engine's pass failed")
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
            low, high = STEP_SPANS.get(step, (0.0, 100.0))
            share = (view.progress or 0.0) / 100.0
            return await self._progress(record.job_id, low + (high - low) * share)
        if step == "transcription":
            return await self._submit(record, steps, "highlights", None)
        if step == "highlights":
            chosen = highlighted_transcript(data.get("transcript"))
            if not chosen:
                raise StepFailed(
                    step, "Pictory chose no highlights in this media.", NO_HIGHLIGHTS_FIX
                )
            try:
                board = highlight_storyboard(record.payload, chosen)
            except InputError as exc:
                raise StepFailed(step, str(exc), NO_HIGHLIGHTS_FIX) from None
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
        """Send `step` once (see `workflow_steps.send_step`) and record the progress."""
        try:
            await send_step(self.state, record, steps, step, body, self.unrecorded)
        except StepSendFailed as failed:
            raise StepFailed(step, failed.message, failed.fix) from None
        return await self._progress(record.job_id, STEP_SPANS[step][0])

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


def engine_of(state: AppState) -> WorkflowEngine:
    """The engine of this server process (made on first use if the lifespan did not start one)."""
    if state.engine is None:
        state.engine = WorkflowEngine(state)
    assert isinstance(state.engine, WorkflowEngine)
    return state.engine
