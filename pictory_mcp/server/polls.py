"""What this server process knows about its own polls of Pictory: when each job was last asked
about (so waits keep Pictory's polling interval across calls) and which polls are in flight (so
concurrent polls of one job share one request)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Generic, TypeVar

import anyio

__all__ = ["PollTracker", "SharedPoll"]

V = TypeVar("V")


class SharedPoll(Generic[V]):
    """A poll in flight: callers that arrive meanwhile take its answer instead of asking again."""

    def __init__(self) -> None:
        self.done = anyio.Event()
        self.waiters = 0
        self.value: V | None = None
        self.error: Exception | None = None


class PollTracker(Generic[V]):
    """Last poll times (the `remember` most recent jobs) and the polls in flight, per job id."""

    def __init__(self, remember: int = 5000) -> None:
        self.remember = remember
        self._last: OrderedDict[str, float] = OrderedDict()
        self.in_flight: dict[str, SharedPoll[V]] = {}

    def last_polled(self, job_id: str) -> float | None:
        """The anyio clock time of the last poll of `job_id`, if remembered."""
        return self._last.get(job_id)

    def mark(self, job_id: str) -> None:
        """Record that `job_id` is being polled now; the oldest entry goes past `remember`."""
        self._last[job_id] = anyio.current_time()
        self._last.move_to_end(job_id)
        while len(self._last) > self.remember:
            self._last.popitem(last=False)
