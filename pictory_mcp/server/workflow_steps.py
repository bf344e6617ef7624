"""Sending one highlights workflow step to Pictory exactly once, and keeping its job id.

The engine calls `send_step` while it holds the workflow's lease. The step is marked
"submitting" in the history before it is sent (a new lease holder that finds that mark knows
the previous owner died mid-send), the lease is confirmed right before the mark (so an owner
that lost its lease, after a long sleep or a stalled history, never sends), and sending plus
recording are shielded from cancellation. If Pictory accepts the step but the history cannot
record it, its job id is logged, kept in memory with the lease held, and written on the
engine's next pass: it is never lost, and the workflow is never failed as "stopped".
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import anyio

from pictory_mcp import api
from pictory_mcp.errors import (
    ConfigurationError,
    MalformedResponseError,
    PictoryMCPError,
    RateLimitedError,
    ServerError,
    StoreError,
    SubmitOutcomeUnknownError,
    TransportError,
)
from pictory_mcp.jobs import JobRecord
from pictory_mcp.server import webhooks
from pictory_mcp.server.failures import describe
from pictory_mcp.server.state import AppState, in_thread

__all__ = ["StepSendFailed", "UnrecordedSteps", "retry_later", "send_step"]

logger = logging.getLogger("pictory_mcp.server.workflow_engine")


class StepSendFailed(Exception):
    """Sending the step failed for good; `fix` is what the agent should do next."""

    def __init__(self, message: str, fix: str) -> None:
        super().__init__(message)
        self.message, self.fix = message, fix


class LeaseLost(PictoryMCPError):
    """Another engine holds the workflow now; this one must not send anything."""


def retry_later(exc: PictoryMCPError) -> bool:
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
        | ConfigurationError
        | LeaseLost,
    )


@dataclass
class _Accepted:
    steps: list[dict[str, Any]]
    job_id: str
    step: str
    body: dict[str, Any] | None
    child: dict[str, Any]


@dataclass
class UnrecordedSteps:
    """Accepted steps whose records are still to be written, by workflow id."""

    items: dict[str, _Accepted] = field(default_factory=dict)

    def __contains__(self, workflow_id: object) -> bool:
        return workflow_id in self.items

    async def write(self, state: AppState, workflow_id: str) -> JobRecord:
        """Write the step's records; on success stop holding the extra lease."""
        accepted = self.items[workflow_id]
        record = await _write(state, workflow_id, accepted)
        del self.items[workflow_id]
        await state.leases.release(workflow_id)
        logger.warning(
            "workflow %s: job %s is now in the job history", workflow_id, accepted.job_id
        )
        return record


async def _write(state: AppState, workflow_id: str, accepted: _Accepted) -> JobRecord:
    store = state.store
    await in_thread(
        lambda: store.record_submission(
            accepted.job_id, accepted.step, accepted.body, accepted.child, parent_id=workflow_id
        )
    )
    return await in_thread(store.update_steps, workflow_id, accepted.steps)


async def send_step(
    state: AppState,
    record: JobRecord,
    steps: list[dict[str, Any]],
    step: str,
    body: dict[str, Any] | None,
    unrecorded: UnrecordedSteps,
) -> None:
    """Send `step` of the workflow `record` once and record its job id (see the module notes).

    Raises what may be retried on a later pass (nothing was sent), or StepSendFailed.
    """
    store, leases = state.store, state.leases
    client = state.require_client()
    async with leases.account_turn(client):  # the account's turn, as create calls take it
        if not await in_thread(store.claim, record.job_id, leases.owner, leases.ttl):
            raise LeaseLost(f"Workflow {record.job_id} is being moved on by another server.")
        hook = await webhooks.mint(state, record.job_id)  # before anything is sent
        steps.append({"step": step, "status": "submitting"})
        await in_thread(store.update_steps, record.job_id, steps)
        # Shielded: a shutdown must not lose the id of a job Pictory has just accepted.
        with anyio.CancelScope(shield=True):
            try:
                started, body = await _send(
                    client, record, steps, step, body, state.submit_policy, hook
                )
            except PictoryMCPError as exc:
                if retry_later(exc):
                    steps.pop()
                    await in_thread(store.update_steps, record.job_id, steps)
                    raise
                steps[-1]["status"] = "failed"
                await in_thread(store.update_steps, record.job_id, steps)
                if isinstance(exc, SubmitOutcomeUnknownError):
                    raise StepSendFailed(
                        str(exc),
                        f"Look for a recent {step} job in pictory://jobs before calling "
                        "create_video_highlights again.",
                    ) from None
                raise StepSendFailed(
                    f"Submitting the {step} step failed: {describe(exc)}",
                    "Check media_url, language and duration_seconds, then call "
                    "create_video_highlights again.",
                ) from None
            steps[-1].update(job_id=started.job_id, status="in-progress")
            child: dict[str, Any] = {"workflow": record.job_id, "step": step}
            if started.adopted:
                child["adopted"] = True
            accepted = _Accepted(steps, started.job_id, step, body, child)
            try:
                await _write(state, record.job_id, accepted)
                if hook:  # Pictory has just answered: the webhook's safety net starts now
                    await webhooks.may_check(state, record.job_id)
            except StoreError as exc:
                logger.error(
                    "workflow %s: Pictory accepted the %s step as job %s, but the job history could "
                    "not record it (%s); writing it again on the next pass.",
                    record.job_id,
                    step,
                    started.job_id,
                    exc,
                )
                unrecorded.items[record.job_id] = accepted
                leases.adopt(record.job_id)  # held (and renewed) until the step is written
                raise


async def _send(
    client: Any,
    record: JobRecord,
    steps: list[dict[str, Any]],
    step: str,
    body: dict[str, Any] | None,
    policy: Any,
    hook: str | None,
) -> tuple[Any, dict[str, Any] | None]:
    """Send the step; returns Pictory's answer and the body to record (without the webhook
    URL, whose secret is never stored)."""

    def hooked(sent: dict[str, Any]) -> dict[str, Any]:
        return {**sent, "webhook": hook} if hook else sent

    plan = record.payload
    if step == "transcription":
        sent = api.models.TranscriptionRequest(
            file_url=plan["media_url"],
            media_type=plan["media_type"],
            language=plan["language"],
        ).to_payload()
        started = await api.submit.submit_safely(
            client,
            lambda: client.transcribe(hooked(sent)),
            what="transcription",
            policy=policy,
            locked=True,
        )
        return started, sent
    if step == "highlights":
        source = str(steps[-2]["job_id"])
        sent = api.models.HighlightsFromJobRequest(
            highlight_duration=int(plan["duration_seconds"]),
            language=str(plan["language"]).split("-")[0],
        ).to_payload()
        started = await api.submit.submit_safely(
            client,
            lambda: client.highlights_from_job(source, hooked(sent)),
            what="highlights",
            policy=policy,
            locked=True,
        )
        return started, sent
    board = body or {}
    started = await api.submit.submit_safely(
        client,
        lambda: client.render_storyboard(hooked(board)),
        what="render",
        policy=policy,
        locked=True,
    )
    return started, board
