"""Job-creating requests: sent once, never lost, and answered within the call's bound.

A create tool does not send its request from its own task. It writes a placeholder in the job
history (tracking id "sub-…", status "submitting", leased by this process), hands the request
to this process's submitter, and waits for the outcome no longer than its call allows:

- The request runs in the server process's task group, not the tool call's: a client that
  cancels the call or disconnects does not stop it, and an accepted job is always recorded.
  Once its turn comes (requests of one API key go one at a time, see `api/submit`), sending
  and recording are shielded from cancellation, so even a shutdown finishes them first.
- Accepted: the placeholder becomes the job's record in one write, and the answer carries the
  job id. If that write fails (history locked, disk full), the answer still carries the job
  id, with a warning, and the write is retried until it lands.
- Certainly not created (a 400, a 401, nothing sent): the placeholder is removed.
- Nobody can tell (see `submit_safely`): the placeholder stays, marked, so the agent and the
  user can find it; the answer says not to submit again yet.
- The call's bound comes first: the answer is the tracking id ("still being sent; do not
  submit again; wait_for_job gives the job id"), and the request goes on.
- The process dies mid-request: its lease expires, and a later read says the outcome is
  unknown instead of pretending it failed or succeeded.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import anyio
from anyio.abc import TaskGroup

from pictory_mcp.errors import DeadlineError, PictoryMCPError, StoreError
from pictory_mcp.server.bounds import remaining

if TYPE_CHECKING:
    from pictory_mcp.api.models.responses import JobStart
    from pictory_mcp.server.state import AppState

__all__ = ["TRACKING_PREFIX", "Submitted", "Submitter", "is_tracking_id"]

logger = logging.getLogger("pictory_mcp.server.submissions")

TRACKING_PREFIX = "sub-"
# A request is not started with less time than this left in the call: it could not answer.
MIN_WINDOW = 1.0
RETRY_RECORDS_EVERY = 5.0
UNKNOWN_CODE = "SUBMIT_OUTCOME_UNKNOWN"

T = TypeVar("T")


def is_tracking_id(job_id: str) -> bool:
    """True for ids this server gave to a job-creating request (never a Pictory job id)."""
    return job_id.startswith(TRACKING_PREFIX)


@dataclass(frozen=True)
class Submitted:
    """What a create call knows when it answers: always the tracking id; the job id once
    Pictory named it; a warning when the job is accepted but not yet in the history."""

    tracking_id: str
    job_id: str | None = None
    adopted: bool = False
    warning: str | None = None


class Detached(Generic[T]):
    """The outcome of work running in the server's task group, for whoever waits on it."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.value: T | None = None
        self.error: BaseException | None = None

    def result(self) -> T:
        if self.error is not None:
            raise self.error
        assert self.value is not None
        return self.value


class Submitter:
    """Runs job-creating requests (and other work that must outlive a call) for one process."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        self._group: TaskGroup | None = None
        self._unrecorded: dict[str, tuple[str, bool]] = {}

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """Own the task group detached work runs in, for the server process's lifetime."""
        async with anyio.create_task_group() as group:
            self._group = group
            group.start_soon(self._retry_records)
            try:
                yield
            finally:
                self._group = None
                group.cancel_scope.cancel()  # shielded sends finish first
        for tracking_id, (job_id, _) in self._unrecorded.items():
            logger.error(
                "Pictory job %s (request %s) was never written to the job history; keep this "
                "id to find the video in the Pictory account.",
                job_id,
                tracking_id,
            )

    async def detach(self, work: Callable[[], Awaitable[T]]) -> Detached[T]:
        """Start `work` in the server's task group (inline when none runs) and return its
        handle at once."""
        handle: Detached[T] = Detached()

        async def run() -> None:
            try:
                handle.value = await work()
            except Exception as exc:
                handle.error = exc
            finally:
                handle.done.set()

        if self._group is None:
            await run()
        else:
            self._group.start_soon(run)
        return handle

    async def submit(
        self,
        *,
        kind: str,
        payload: dict[str, Any],
        summary: dict[str, Any],
        send: Callable[[], Awaitable[JobStart]],
        video_name: str | None = None,
    ) -> Submitted:
        """Send one job-creating request as described above; answer within the call's bound."""
        client = self.state.require_client()  # no key: say so before recording anything
        if remaining() < MIN_WINDOW:
            raise DeadlineError(
                "Too little of this call's time was left to send the request safely, so "
                "nothing was submitted. Call the tool again."
            )
        tracking_id = f"{TRACKING_PREFIX}{uuid.uuid4().hex}"
        store, leases = self.state.store, self.state.leases
        try:
            await anyio.to_thread.run_sync(
                lambda: store.begin_submission(
                    tracking_id,
                    kind,
                    payload,
                    summary,
                    owner=leases.owner,
                    ttl=leases.ttl,
                    video_name=video_name,
                )
            )
        except StoreError as exc:
            raise StoreError(
                f"{exc} Nothing was submitted, so no credits were spent."
                if str(exc).endswith(".")
                else f"{exc}. Nothing was submitted, so no credits were spent."
            ) from None
        leases.adopt(tracking_id)
        handle = await self.detach(lambda: self._send(client, tracking_id, kind, send))
        with anyio.move_on_after(remaining()):
            await handle.done.wait()
        if not handle.done.is_set():
            logger.info("%s request %s still being sent at the call's bound", kind, tracking_id)
            return Submitted(tracking_id)
        return handle.result()

    async def _send(
        self, client: Any, tracking_id: str, kind: str, send: Callable[[], Awaitable[JobStart]]
    ) -> Submitted:
        from pictory_mcp.api.submit import submit_lock

        try:
            async with submit_lock(client):
                with anyio.CancelScope(shield=True):
                    submitted = await self._send_locked(client, tracking_id, kind, send)
        except anyio.get_cancelled_exc_class():
            # Cancelled while queued (the server is stopping): nothing was sent.
            with anyio.CancelScope(shield=True):
                await self._abandon(tracking_id)
            raise
        finally:
            self.state.leases.forget(tracking_id)
        return submitted

    async def _send_locked(
        self, client: Any, tracking_id: str, kind: str, send: Callable[[], Awaitable[JobStart]]
    ) -> Submitted:
        from pictory_mcp.api.submit import submit_safely
        from pictory_mcp.errors import SubmitOutcomeUnknownError

        try:
            done = await submit_safely(client, send, what=kind, locked=True)
        except SubmitOutcomeUnknownError as exc:
            await self._mark_unknown(tracking_id, exc)
            raise SubmitOutcomeUnknownError(
                f"{exc} The request is kept in the job history as {tracking_id}; "
                f"check_job('{tracking_id}') shows what is known."
            ) from None
        except BaseException:
            await self._abandon(tracking_id)
            raise
        return await self._record(tracking_id, done.job_id, done.adopted)

    async def _record(self, tracking_id: str, job_id: str, adopted: bool) -> Submitted:
        from pictory_mcp.server.notify import announce

        store = self.state.store
        try:
            record = await anyio.to_thread.run_sync(
                lambda: store.resolve_submission(tracking_id, job_id, adopted=adopted)
            )
        except StoreError as exc:
            logger.error(
                "Pictory accepted job %s (request %s) but the job history could not record it "
                "(%s); retrying every %g s.",
                job_id,
                tracking_id,
                exc,
                RETRY_RECORDS_EVERY,
            )
            self._unrecorded[tracking_id] = (job_id, adopted)
            return Submitted(
                tracking_id,
                job_id,
                adopted,
                warning=(
                    f"Pictory accepted the job, but the local job history could not record it "
                    f"({exc}). The server keeps trying; until then this job_id is the only "
                    "reference to the video, so keep it and tell the user. Do not submit again."
                ),
            )
        await announce(self.state, record, new=True)
        return Submitted(tracking_id, job_id, adopted)

    async def _abandon(self, tracking_id: str) -> None:
        try:
            await anyio.to_thread.run_sync(self.state.store.abandon_submission, tracking_id)
        except PictoryMCPError as exc:  # a stale placeholder reads as "unknown" later
            logger.warning("could not remove submission %s: %s", tracking_id, exc)

    async def _mark_unknown(self, tracking_id: str, exc: PictoryMCPError) -> None:
        error = {
            "code": UNKNOWN_CODE,
            "message": str(exc),
            "fix": "Do not submit it again yet: in a few minutes, look for the new video in the "
            "user's Pictory account; submit again only if none was started.",
        }
        try:
            await anyio.to_thread.run_sync(
                self.state.store.mark_submission_unknown, tracking_id, error
            )
        except PictoryMCPError as failure:
            logger.warning("could not mark submission %s unknown: %s", tracking_id, failure)

    async def _retry_records(self) -> None:
        """Write accepted jobs the history refused, until it takes them."""
        while True:
            await anyio.sleep(RETRY_RECORDS_EVERY)
            for tracking_id, (job_id, adopted) in list(self._unrecorded.items()):
                try:
                    await self._record_again(tracking_id, job_id, adopted)
                except PictoryMCPError as exc:
                    logger.warning("job %s still not in the job history: %s", job_id, exc)

    async def _record_again(self, tracking_id: str, job_id: str, adopted: bool) -> None:
        from pictory_mcp.server.notify import announce

        store = self.state.store
        record = await anyio.to_thread.run_sync(
            lambda: store.resolve_submission(tracking_id, job_id, adopted=adopted)
        )
        del self._unrecorded[tracking_id]
        logger.warning("job %s is now in the job history", job_id)
        await announce(self.state, record, new=True)
