"""Job-creating calls that never pay for a render twice: after an ambiguous failure the job is
looked up in Pictory's job list and adopted, resubmitted only when it certainly does not exist.

Design notes.
- The client itself retries a job-creating request only on certain non-delivery (connection
  never made, 429 with `Retry-After`). Everything else that leaves the outcome open — a timeout
  or dropped connection after sending (`TransportError(request_sent=True)`), a 5xx, a 2xx whose
  body cannot be read — comes here to be resolved, never resent blindly.
- Pictory's job list (`GET /v1/jobs`, newest first) carries only ids and statuses (REFERENCE
  §8.2), so "which new job is ours" is answered by set difference: the newest page of ids is
  taken just before the POST and listed again after an ambiguous failure. New ids: exactly one
  is ours (adopted), none means nothing was created (resubmitting is safe), several mean
  another client used the key at the same time and nobody can tell (SubmitOutcomeUnknownError).
- For that to hold, job-creating calls are serialized per client (one client per API key per
  server process) with an anyio.Lock held from the snapshot to the resolved outcome. Thirty
  concurrent submissions therefore go one at a time; each costs two requests and typically well
  under a second, which is small next to a 5-15 minute render and keeps the rate budget honest.
- Lists may lag behind writes, so "no new job" is only believed after two more listings,
  `recheck_delay` and then twice that later (default: the client's retry base delay, 2 s,
  so 6 s in all).
- A process that stops after sending (the server killed mid-request) leaves `before` behind
  (the caller keeps it, see `on_send`); whoever finishes the request passes it back
  (`Resumed`), and the job is looked for as after an ambiguous failure, leaving out ids that
  other requests of the account have recorded since.
- Limit: another process submitting with the same key can still fool the difference (its one
  job could look like ours when ours was never created). Processes sharing a job history
  avoid that with a lock in the history (`server/submissions.py`); for processes on separate
  histories it is reported when seen (several new ids), and one history per key is the
  supported deployment.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import anyio

from pictory_mcp.errors import (
    MalformedResponseError,
    PictoryError,
    ServerError,
    SubmitOutcomeUnknownError,
    TransportError,
)

if TYPE_CHECKING:
    from .client import PictoryClient
    from .models.responses import JobStart

__all__ = [
    "DEFAULT_POLICY",
    "Resumed",
    "Submission",
    "SubmitPolicy",
    "submit_lock",
    "submit_safely",
]

logger = logging.getLogger("pictory_mcp.api")


@dataclass(frozen=True)
class SubmitPolicy:
    """How hard a job-creating call tries: total POSTs, list pages searched, re-check delay."""

    max_submits: int = 3
    max_pages: int = 3
    # None: the client's RetryPolicy.base_delay, so one knob makes tests fast.
    recheck_delay: float | None = None

    def __post_init__(self) -> None:
        if self.max_submits < 1 or self.max_pages < 1:
            raise ValueError("max_submits and max_pages must be at least 1")
        if self.recheck_delay is not None and self.recheck_delay < 0:
            raise ValueError("recheck_delay must not be negative")


DEFAULT_POLICY = SubmitPolicy()


@dataclass(frozen=True)
class Submission:
    """A job Pictory holds for this call; `adopted` when found in the job list after a failure."""

    job_id: str
    adopted: bool = False
    posts: int = 1


class _Unknown(Exception):
    """The job list could not settle whether a job was created (reason in the message)."""


def submit_lock(client: PictoryClient) -> anyio.Lock:
    """The lock that serializes job-creating calls of `client` (one API key)."""
    return client.submit_lock


def _ambiguous(exc: PictoryError) -> bool:
    """True when Pictory may have acted on the request although no usable answer came back."""
    if isinstance(exc, TransportError):
        return exc.request_sent
    return isinstance(exc, ServerError | MalformedResponseError)


async def _newest_ids(client: PictoryClient) -> list[str]:
    page = await client.list_jobs()
    return [str(item.job_id) for item in page.items if item.job_id]


async def _new_ids(client: PictoryClient, before: list[str], pages: int) -> list[str]:
    """Ids newer than the newest id of `before`, walking at most `pages` pages of the list."""
    known = set(before)
    found: list[str] = []
    key: str | None = None
    try:
        for _ in range(pages):
            page = await client.list_jobs(key)
            for item in page.items:
                job_id = str(item.job_id or "")
                if not job_id:
                    continue
                if job_id in known:
                    return found
                if job_id not in found:
                    found.append(job_id)
            key = page.next_page_key
            if not key:
                return found
    except PictoryError as exc:
        raise _Unknown(f"its job list could not be read ({type(exc).__name__})") from None
    if not known:
        return found
    raise _Unknown(f"more than {len(found)} jobs appeared on this API key meanwhile")


def _unknown(what: str, reason: str) -> SubmitOutcomeUnknownError:
    return SubmitOutcomeUnknownError(
        f"Pictory may or may not have created the {what} job: the request failed without a "
        f"clear answer, and {reason}. Do not submit it again yet, since that could pay for the "
        "video twice. In a few minutes, look for the job in pictory://jobs or in the user's "
        "Pictory account; submit again only if no new video was started."
    )


@dataclass(frozen=True)
class Resumed:
    """A request another process sent after Pictory listed `before` (its newest job ids), and
    then stopped without knowing the outcome. `known(ids)`: which of `ids` already belong to
    recorded jobs (other requests of the account made since), so are not this request's."""

    before: list[str]
    known: Callable[[list[str]], Awaitable[set[str]]]


async def submit_safely(
    client: PictoryClient,
    send: Callable[[], Awaitable[JobStart]],
    *,
    what: str = "video",
    policy: SubmitPolicy | None = None,
    locked: bool = False,
    on_send: Callable[[list[str]], Awaitable[None]] | None = None,
    resumed: Resumed | None = None,
) -> Submission:
    """Run the job-creating call `send` so that Pictory ends up with exactly one job for it.

    Raises what `send` raises when Pictory answered clearly (400, 401, 429 after the client's
    retries ...) or certainly never got the request; SubmitOutcomeUnknownError when a job may
    exist but cannot be identified; the last failure when every allowed POST certainly failed.
    `locked`: the caller already holds `submit_lock(client)`. `on_send(before)` runs just
    before each POST, with the job ids listed for it (what it raises stops the request).
    `resumed`: the request was sent once already, by a process that stopped; it is looked for
    first, and sent again only if it certainly was not created.
    """
    if locked:
        return await _submit(client, send, what, policy, on_send, resumed)
    async with submit_lock(client):
        return await _submit(client, send, what, policy, on_send, resumed)


async def _submit(
    client: PictoryClient,
    send: Callable[[], Awaitable[JobStart]],
    what: str,
    policy: SubmitPolicy | None,
    on_send: Callable[[list[str]], Awaitable[None]] | None,
    resumed: Resumed | None,
) -> Submission:
    chosen = policy if policy is not None else DEFAULT_POLICY
    delay = chosen.recheck_delay if chosen.recheck_delay is not None else client.retry.base_delay
    posts = 0
    if resumed is not None:
        posts = 1
        logger.info("%s job: its sender stopped after sending it; looking for it", what)
        found = await _look_for(client, resumed.before, what, chosen, delay, resumed.known)
        if found is not None:
            return found
        logger.info("%s job was not created; submitting it", what)
    before = await _newest_ids(client)
    while True:
        if on_send is not None:
            await on_send(before)
        posts += 1
        try:
            started = await send()
        except PictoryError as exc:
            if not _ambiguous(exc):
                raise
            failure: PictoryError = exc
        else:
            return Submission(str(started.job_id), adopted=False, posts=posts)
        logger.info("%s job: ambiguous failure (%s); looking for it", what, failure)
        found = await _look_for(client, before, what, chosen, delay)
        if found is not None:
            return Submission(found.job_id, adopted=True, posts=posts)
        if posts >= chosen.max_submits:
            raise failure
        logger.info("%s job was not created; submitting again", what)
        before = await _newest_ids(client)


async def _look_for(
    client: PictoryClient,
    before: list[str],
    what: str,
    policy: SubmitPolicy,
    delay: float,
    known: Callable[[list[str]], Awaitable[set[str]]] | None = None,
) -> Submission | None:
    """The job a request sent after `before` was listed created (adopted); None when it
    certainly created none; SubmitOutcomeUnknownError when that cannot be told."""

    async def new_ids() -> list[str]:
        found = await _new_ids(client, before, policy.max_pages)
        taken = await known(found) if known is not None and found else set()
        return [job_id for job_id in found if job_id not in taken]

    try:
        new = await new_ids()
        # A list may lag behind the write it follows: believe "none" only after looking
        # again, later each time (delay, then twice that), since resending pays twice.
        for wait in (delay, 2 * delay):
            if new:
                break
            await anyio.sleep(wait)
            new = await new_ids()
    except _Unknown as unknown:
        raise _unknown(what, str(unknown)) from None
    if len(new) == 1:
        logger.info("%s job %s was created despite the failure; adopted", what, new[0])
        return Submission(new[0], adopted=True)
    if len(new) > 1:
        raise _unknown(
            what,
            f"{len(new)} new jobs appeared on this API key at the same time "
            "(another app or server is using it), so which one is this request's "
            "cannot be told",
        )
    return None
