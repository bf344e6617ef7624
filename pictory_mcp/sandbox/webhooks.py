"""Webhook deliveries: a job created with a `webhook` URL has its final state POSTed there once it
leaves `in-progress` (REFERENCE §19).

INFERRED (the reference documents no payload, header, signature or retry policy): the body is
the job-status envelope `GET /v1/jobs/{id}` gives at that moment (`{job_id, success, data}`)
plus `webhookInput` when the request carried one; no signature; a delivery that gets no 2xx
answer is tried again twice, a second apart. Faults, drawn once per job from the sandbox's
seeded RNG: `webhook_delay_seconds` (late), `webhook_duplicate_rate` (sent twice),
`webhook_drop_rate` (never sent).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from pictory_mcp.sandbox.core import Sandbox

logger = logging.getLogger("pictory_mcp.sandbox")

ATTEMPTS = 3
RETRY_PAUSE = 1.0  # real seconds between attempts
TICK = 0.05  # real seconds between looks at the pending deliveries
TIMEOUT = 5.0
LOG_SIZE = 10_000


@dataclass
class Pending:
    """A job whose webhook is still to be sent, and how (decided when the job is created)."""

    job_id: str
    url: str
    webhook_input: Any = None
    copies: int = 1  # 0: never sent; 2: sent twice
    delay: float = 0.0  # sandbox seconds after the job finishes


@dataclass
class Webhooks:
    """The sandbox's outgoing webhook calls: pending ones, and a log of every attempt."""

    pending: dict[str, Pending] = field(default_factory=dict)
    log: list[dict[str, Any]] = field(default_factory=list)
    _task: asyncio.Task[None] | None = None

    def register(self, sandbox: Sandbox, job_id: str, url: str, webhook_input: Any) -> None:
        """Remember to call `url` when `job_id` finishes; starts the delivery loop if needed."""
        config, faults = sandbox.config, sandbox.faults
        copies = 1
        if faults.hit(config.webhook_drop_rate):
            copies = 0
        elif faults.hit(config.webhook_duplicate_rate):
            copies = 2
        self.pending[job_id] = Pending(
            job_id, url, webhook_input, copies, config.webhook_delay_seconds
        )
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run(sandbox))

    def clear(self) -> None:
        self.pending.clear()
        self.log.clear()

    async def stop(self) -> None:
        """Cancel the delivery loop (the sandbox server is stopping)."""
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task

    async def _run(self, sandbox: Sandbox) -> None:
        sending: set[asyncio.Task[None]] = set()
        async with httpx.AsyncClient(timeout=TIMEOUT) as client:
            while self.pending or sending:
                now = sandbox.clock.now()
                for job_id, item in list(self.pending.items()):
                    job = sandbox.jobs.get_any(job_id)
                    if job is None:  # evicted or reset: nothing to tell
                        self.pending.pop(job_id, None)
                        continue
                    end = job.finished_at()
                    if end is None or now < end + item.delay:
                        continue
                    self.pending.pop(job_id, None)
                    success, data = job.data(now)
                    body: dict[str, Any] = {"job_id": job_id, "success": success, "data": data}
                    if item.webhook_input is not None:
                        body["webhookInput"] = item.webhook_input
                    if item.copies == 0:
                        self._note(item, 0, "dropped")
                    for copy in range(1, item.copies + 1):
                        task = asyncio.get_running_loop().create_task(
                            self._deliver(client, item, body, copy)
                        )
                        sending.add(task)
                        task.add_done_callback(sending.discard)
                await asyncio.sleep(TICK)

    async def _deliver(
        self, client: httpx.AsyncClient, item: Pending, body: dict[str, Any], copy: int
    ) -> None:
        entry = self._note(item, copy, "sending")
        for attempt in range(1, ATTEMPTS + 1):
            entry["attempts"] = attempt
            try:
                answer = await client.post(item.url, json=body)
            except httpx.HTTPError as exc:
                entry["outcome"] = f"error: {type(exc).__name__}"
            else:
                entry["status"] = answer.status_code
                entry["outcome"] = "delivered" if answer.is_success else "refused"
                if answer.is_success or answer.status_code < 500:
                    return
            if attempt < ATTEMPTS:
                await asyncio.sleep(RETRY_PAUSE)

    def _note(self, item: Pending, copy: int, outcome: str) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "job_id": item.job_id,
            "url": item.url,
            "copy": copy,
            "outcome": outcome,
        }
        self.log.append(entry)
        del self.log[:-LOG_SIZE]
        return entry
