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
- The history fails after the placeholder is written but before the request goes out: the
  request waits and is sent once the history answers (the call answers at its bound).
- The process dies: its lease expires, and the next process to read the placeholder finishes
  the request: sends it if it never went out (it waited for its turn), else first looks for
  the job in Pictory's list from the ids listed before it went out (the placeholder keeps
  them). Only when that cannot be told does it read as unknown, never as failed or done.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any

import anyio

from pictory_mcp import api
from pictory_mcp.errors import (
    DeadlineError,
    PictoryMCPError,
    StoreError,
    SubmitOutcomeUnknownError,
)
from pictory_mcp.jobs import DuplicateSubmission, JobRecord, SpendClaim
from pictory_mcp.server import webhooks
from pictory_mcp.server.bounds import answer_at_bound, remaining
from pictory_mcp.server.idempotency import (
    CLIENT_IDEMPOTENCY_KEY,
    IDEMPOTENCY_META,
    idempotency_key,
)
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.spending import claiming
from pictory_mcp.server.submitted import (
    TRACKING_PREFIX,
    Submitted,
    is_tracking_id,
    repeated,
    submitted_view,
)
from pictory_mcp.server.unrecorded import Unrecorded, UnrecordedJobs, journal_path

if TYPE_CHECKING:
    from pictory_mcp.api.models.responses import JobStart
    from pictory_mcp.server.state import AppState

__all__ = [
    "CLIENT_IDEMPOTENCY_KEY",
    "IDEMPOTENCY_META",
    "TRACKING_PREFIX",
    "Submitted",
    "Submitter",
    "is_tracking_id",
    "submitted_view",
]

logger = logging.getLogger("pictory_mcp.server.submissions")

# A request is not started with less time than this left in the call: it could not answer.
MIN_WINDOW = 1.0
RETRY_RECORDS_EVERY = 5.0
UNKNOWN_CODE = "SUBMIT_OUTCOME_UNKNOWN"
_RETRIES_AFTER_FAILURE = 5  # identical requests sent again after each failed at Pictory


class Submitter:
    """Runs the job-creating requests of one server process (in its background task group)."""

    def __init__(self, state: AppState) -> None:
        self.state = state
        tenant = f"{state.user}-{state.account[:8]}" if state.user else ""
        settings = state.settings
        self.unrecorded = UnrecordedJobs(
            journal_path(settings.db_path, tenant, postgres=settings.db_url is not None)
        )

    async def submit(
        self,
        *,
        kind: str,
        payload: dict[str, Any],
        summary: dict[str, Any],
        send: Callable[[str | None], Awaitable[JobStart]],
        video_name: str | None = None,
        notes: Sequence[str] = (),
        spend: SpendClaim | None = None,
    ) -> Submitted:
        """Send one job-creating request as described above; answer within the call's bound
        (`notes`: what the answer at the bound says first, as the normal answer does). A
        request that spends credits carries the claim `server/spending.approve` cleared; the
        placeholder is written with it, or not at all when the daily cap was reached meanwhile.

        `send(webhook)` sends the request with the webhook URL this server made for it (None
        when webhooks are off, or the payload names a webhook of the caller's own)."""
        client = self.state.require_client()  # no key: say so before recording anything
        if remaining() < MIN_WINDOW:
            raise DeadlineError(
                "Too little of this call's time was left to send the request safely, so "
                "nothing was submitted. Call the tool again."
            )
        tracking_id = f"{TRACKING_PREFIX}{uuid.uuid4().hex}"
        store, leases = self.state.store, self.state.leases

        async def pending() -> JobView:
            return submitted_view(self.state, Submitted(tracking_id), kind, summary, notes=notes)

        # From here on, a call cut off by its bound answers with the tracking id: the request
        # may be on its way, and the agent must not send it again.
        answer_at_bound(pending)
        dedup_key, window = idempotency_key(self.state, kind, payload)
        try:
            for _ in range(_RETRIES_AFTER_FAILURE):
                try:
                    begin = functools.partial(
                        store.begin_submission,
                        tracking_id,
                        kind,
                        payload,
                        summary,
                        owner=leases.owner,
                        ttl=leases.ttl,
                        video_name=video_name,
                        dedup_key=dedup_key,
                        dedup_window=window,
                        spend=spend,
                    )
                    with claiming(self.state, spend):
                        await anyio.to_thread.run_sync(begin)
                    break
                except DuplicateSubmission as duplicate:
                    if duplicate.record.status != "failed":
                        return repeated(duplicate.record)
                    # The first attempt failed at Pictory: trying again is what the agent
                    # means, and it is deduplicated in turn.
                    dedup_key = f"{dedup_key}:after:{duplicate.record.job_id}"[:200]
            else:
                raise DeadlineError(
                    "This request failed at Pictory several times in a row; change the request "
                    "(check_job on the last attempt gives the reason) before trying again."
                )
        except StoreError as exc:
            raise StoreError(
                f"{exc} Nothing was submitted, so no credits were spent."
                if str(exc).endswith(".")
                else f"{exc}. Nothing was submitted, so no credits were spent."
            ) from None
        hook = await self._hook(tracking_id, payload)
        leases.adopt(tracking_id)
        handle = await self.state.background.detach(
            lambda: self._send(client, tracking_id, kind, lambda: send(hook), hooked=bool(hook))
        )
        with anyio.move_on_after(remaining()):
            await handle.done.wait()
        if not handle.done.is_set():
            logger.info("%s request %s still being sent at the call's bound", kind, tracking_id)
            return Submitted(tracking_id)
        return handle.result()

    async def _hook(self, tracking_id: str, payload: dict[str, Any]) -> str | None:
        """The webhook URL for this request (None: webhooks off, or the caller's own)."""
        if payload.get("webhook"):
            return None
        try:
            return await webhooks.mint(self.state, tracking_id)
        except StoreError as exc:
            await self._abandon(tracking_id)
            raise StoreError(f"{exc} Nothing was submitted, so no credits were spent.") from None

    async def _send(
        self,
        client: Any,
        tracking_id: str,
        kind: str,
        send: Callable[[], Awaitable[JobStart]],
        resumed: api.submit.Resumed | None = None,
        *,
        hooked: bool = False,
    ) -> Submitted:
        try:
            while True:
                try:
                    async with self.state.leases.account_turn(client):
                        with anyio.CancelScope(shield=True):
                            submitted = await self._send_locked(
                                client, tracking_id, kind, send, resumed
                            )
                            if hooked and submitted.job_id and not submitted.warning:
                                await self._checked_now(submitted.job_id)
                            return submitted
                except StoreError as exc:
                    # The history failed before the request went out (taking the account's
                    # turn, or noting the send). The caller may have its tracking id already
                    # (at its bound): the request is still sent, once the history answers.
                    logger.warning(
                        "request %s not sent yet (%s); trying again in %g s",
                        tracking_id,
                        exc,
                        RETRY_RECORDS_EVERY,
                    )
                    await anyio.sleep(RETRY_RECORDS_EVERY)
        except anyio.get_cancelled_exc_class():
            # Cancelled while queued (the server is stopping): nothing was sent.
            with anyio.CancelScope(shield=True):
                await self._abandon(tracking_id)
            raise
        finally:
            if tracking_id not in self.unrecorded:  # else the lease stays until it is recorded
                self.state.leases.forget(tracking_id)

    async def take_over(
        self,
        record: JobRecord,
        send_for: Callable[[Any], Callable[[str | None], Awaitable[JobStart]]],
    ) -> bool:
        """Finish from this process a request whose sender stopped (the caller holds its
        lease now; it is kept until the request is done): send it if it never went out, else
        look for its job in Pictory's list first. False when that cannot be done: it may
        have gone out, and what Pictory listed before is not known."""
        tracking_id, kind, store = record.job_id, record.kind, self.state.store
        sent, before = await anyio.to_thread.run_sync(store.submission_sent, tracking_id)
        if sent and before is None:
            return False
        client = self.state.require_client()
        resumed = api.submit.Resumed(before, self._recorded) if before is not None else None
        # A webhook URL of its own: the stopped server's cannot be made again (only its
        # secret's hash is kept).
        hook = (
            None if record.payload.get("webhook") else await webhooks.mint(self.state, tracking_id)
        )
        logger.warning("finishing request %s, left by a stopped server", tracking_id)
        self.state.leases.adopt(tracking_id)
        send = send_for(client)
        await self.state.background.detach(
            lambda: self._send(
                client, tracking_id, kind, lambda: send(hook), resumed, hooked=bool(hook)
            )
        )
        return True

    async def _recorded(self, job_ids: list[str]) -> set[str]:
        """Which of `job_ids` other requests have recorded (or this process holds to record)."""
        recorded = await anyio.to_thread.run_sync(self.state.store.recorded_job_ids, job_ids)
        return recorded | {item.job_id for item in self.unrecorded.items()}

    async def _send_locked(
        self,
        client: Any,
        tracking_id: str,
        kind: str,
        send: Callable[[], Awaitable[JobStart]],
        resumed: api.submit.Resumed | None,
    ) -> Submitted:
        store, owner = self.state.store, self.state.leases.owner

        async def noting(before: list[str]) -> None:
            # Under this process's lease only: if it ran out while the request waited its
            # turn, another process took the request over, and sends it.
            noted = store.mark_submission_sent
            if not await anyio.to_thread.run_sync(noted, tracking_id, owner, before):
                raise _TakenOver

        try:
            done = await api.submit.submit_safely(
                client,
                send,
                what=kind,
                policy=self.state.submit_policy,
                locked=True,
                on_send=noting,
                resumed=resumed,
            )
        except _TakenOver:
            logger.warning("request %s was taken over by another server", tracking_id)
            return Submitted(tracking_id)
        except StoreError:
            raise  # before anything was sent: the request is tried again (see `_send`)
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

    async def _checked_now(self, job_id: str) -> None:
        """Pictory has just answered for the job: the webhook's safety net starts now."""
        try:
            await webhooks.may_check(self.state, job_id)
        except PictoryMCPError as exc:  # at worst one early safety check
            logger.info("job %s: could not note its first check: %s", job_id, exc)

    async def _record(self, tracking_id: str, job_id: str, adopted: bool) -> Submitted:
        try:
            await self._resolve(Unrecorded(tracking_id, job_id, adopted))
        except StoreError as exc:
            logger.error(
                "Pictory accepted job %s (request %s) but the job history could not record it "
                "(%s); retrying every %g s.",
                job_id,
                tracking_id,
                exc,
                RETRY_RECORDS_EVERY,
            )
            self.unrecorded.add(Unrecorded(tracking_id, job_id, adopted))
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
        return Submitted(tracking_id, job_id, adopted)

    async def _resolve(self, item: Unrecorded) -> None:
        """Make the placeholder the job's record, or say the adoption was someone else's."""
        # Not at module top: notify needs the state module, which needs this one.
        from pictory_mcp.server.notify import announce

        store = self.state.store
        record = await anyio.to_thread.run_sync(
            lambda: store.resolve_submission(item.tracking_id, item.job_id, adopted=item.adopted)
        )
        if record.job_id == item.tracking_id:
            # The job found in Pictory's list belongs to another request of this history.
            raise SubmitOutcomeUnknownError(
                f"{record.error.get('message') if record.error else ''} The request is kept "
                f"in the job history as {item.tracking_id}; check_job('{item.tracking_id}') "
                "shows what is known."
            )
        await announce(self.state, record, new=True)

    async def _abandon(self, tracking_id: str) -> None:
        try:
            await anyio.to_thread.run_sync(self.state.store.abandon_submission, tracking_id)
        except PictoryMCPError as exc:  # a stale placeholder is sent by the next reader
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

    async def retry_records(self) -> None:
        """Write accepted jobs the history refused (this process's, and any an earlier server
        journaled), until it takes them. Runs in the background for the server's lifetime."""
        for item in self.unrecorded.load():
            logger.warning(
                "job %s (request %s) is not in the job history yet", item.job_id, item.tracking_id
            )
            self.state.leases.adopt(item.tracking_id)
        while True:
            for item in self.unrecorded.items():
                try:
                    await self._resolve(item)
                except PictoryMCPError as exc:
                    logger.warning("job %s still not in the job history: %s", item.job_id, exc)
                    continue
                self.unrecorded.remove(item.tracking_id)
                self.state.leases.forget(item.tracking_id)
                logger.warning("job %s is now in the job history", item.job_id)
            await anyio.sleep(RETRY_RECORDS_EVERY)

    def log_unrecorded(self) -> None:
        """At shutdown: name every job still missing from the history (also journaled)."""
        for item in self.unrecorded.items():
            logger.error(
                "Pictory job %s (request %s) is not in the job history yet; the next server on "
                "this history records it from %s.",
                item.job_id,
                item.tracking_id,
                self.unrecorded.journal,
            )


class _TakenOver(Exception):
    """Another process took this request over (this one's lease ran out): it must not send."""
