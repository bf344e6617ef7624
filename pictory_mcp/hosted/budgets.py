"""Request budgets: one token bucket per key (a user, a Pictory account), so one noisy caller
waits while the others carry on, and the answer says how long to wait.

Not thread-safe: every caller runs on the server's one event loop, and `take` never awaits, so
two tasks cannot interleave inside it.
"""

from __future__ import annotations

import math
import time
from collections import OrderedDict
from collections.abc import Callable

__all__ = ["TokenBuckets"]


class TokenBuckets:
    """Token buckets by key: each holds up to `burst` tokens and refills at `rate_per_second`.

    Memory is bounded: a bucket that has refilled to full is the same as no bucket and is
    dropped; past `max_keys` the least recently used buckets go too (those callers get a full
    bucket back, the least harmful error).
    """

    def __init__(
        self,
        rate_per_second: float,
        burst: int,
        *,
        clock: Callable[[], float] = time.monotonic,
        max_keys: int = 10_000,
    ) -> None:
        if not rate_per_second > 0 or not math.isfinite(rate_per_second):
            raise ValueError("rate_per_second must be a positive number")
        if burst < 1:
            raise ValueError("burst must be at least 1")
        if max_keys < 1:
            raise ValueError("max_keys must be at least 1")
        self.rate = rate_per_second
        self.burst = burst
        self.max_keys = max_keys
        self._clock = clock
        # key -> (tokens at `when`, when); least recently used first.
        self._buckets: OrderedDict[str, tuple[float, float]] = OrderedDict()

    def __len__(self) -> int:
        return len(self._buckets)

    def take(self, key: str, cost: float = 1) -> float:
        """0 when `key` may go now (its tokens are spent), else the seconds until it may (nothing
        is spent). A `cost` above `burst` can never be paid and raises `ValueError`."""
        if cost > self.burst or cost < 0:
            raise ValueError(f"cost must be between 0 and the burst ({self.burst})")
        now = self._clock()
        tokens = self._tokens(key, now)
        if tokens >= cost:
            tokens -= cost
            wait = 0.0
        else:
            wait = (cost - tokens) / self.rate
        self._buckets[key] = (tokens, now)
        self._buckets.move_to_end(key)
        self._evict(now)
        return wait

    def _tokens(self, key: str, now: float) -> float:
        held = self._buckets.get(key)
        if held is None:
            return float(self.burst)
        tokens, when = held
        # A clock that steps back must not mint tokens or take them away.
        return min(float(self.burst), tokens + max(0.0, now - when) * self.rate)

    def _evict(self, now: float) -> None:
        # The oldest buckets are the likeliest to be full again; drop those that are, stopping
        # at the first that is not, so each call does a bounded amount of work on average.
        while self._buckets:
            key = next(iter(self._buckets))
            if self._tokens(key, now) < self.burst:
                break
            del self._buckets[key]
        while len(self._buckets) > self.max_keys:
            self._buckets.popitem(last=False)
