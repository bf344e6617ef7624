"""When to try a request again and how long to wait: the backoff policy, `Retry-After`
parsing and a token bucket that spaces requests out across concurrent calls.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime

import anyio

__all__ = ["RetryPolicy", "TokenBucket", "parse_retry_after"]


@dataclass(frozen=True)
class RetryPolicy:
    """How many attempts a request gets and how long to wait between them.

    The n-th retry waits `base_delay * 2**(n-1)` seconds (2 s, 4 s, 8 s by default),
    capped at `max_delay` and spread by ±`jitter` (a fraction) so that concurrent
    clients do not retry in lockstep. A server's `Retry-After` replaces the computed
    wait; one longer than `max_retry_after` ends the retries, because sleeping for
    minutes inside a tool call helps nobody — the caller gets the error and the hint.
    """

    max_attempts: int = 4
    base_delay: float = 2.0
    max_delay: float = 30.0
    jitter: float = 0.2
    max_retry_after: float = 60.0

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        if self.base_delay < 0 or self.max_delay < 0 or self.max_retry_after < 0:
            raise ValueError("delays must not be negative")
        if not 0 <= self.jitter <= 1:
            raise ValueError("jitter must be between 0 and 1")

    @classmethod
    def no_retries(cls) -> RetryPolicy:
        """A policy that makes exactly one attempt."""
        return cls(max_attempts=1)

    def backoff(self, retry_number: int, *, rng: Callable[[], float] = random.random) -> float:
        """Seconds to wait before retry number `retry_number` (1 = the first retry)."""
        exponent = max(retry_number - 1, 0)
        # min() before the power would overflow for absurd retry numbers.
        raw = self.base_delay * (2.0 ** min(exponent, 64))
        capped = min(raw, self.max_delay)
        spread = 1.0 + self.jitter * (2.0 * rng() - 1.0)
        return max(0.0, capped * spread)

    def delay(
        self,
        retry_number: int,
        retry_after: float | None,
        *,
        rng: Callable[[], float] = random.random,
    ) -> float | None:
        """The wait before the next attempt, or None when the server asked for too long."""
        if retry_after is not None:
            if retry_after > self.max_retry_after:
                return None
            return max(0.0, retry_after)
        return self.backoff(retry_number, rng=rng)


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Seconds from a `Retry-After` header: delta-seconds or an HTTP date; None if unusable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        if math.isnan(seconds) or math.isinf(seconds):
            return None
        return max(0.0, seconds)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        # RFC 9110 dates are always GMT; a naive result means the zone was "-0000".
        when = when.replace(tzinfo=timezone.utc)
    current = now if now is not None else datetime.now(timezone.utc)
    return max(0.0, (when - current).total_seconds())


class TokenBucket:
    """A request budget shared by every call of one client: `rate` per second, bursts of `burst`.

    Each acquirer reserves a slot under a lock and then sleeps outside it, so waiting
    callers are served in arrival order without holding the lock while asleep.
    """

    def __init__(
        self,
        rate: float,
        *,
        burst: float | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if rate <= 0 or math.isnan(rate) or math.isinf(rate):
            raise ValueError("rate must be a positive number of requests per second")
        self.rate = rate
        self.capacity = max(1.0, burst if burst is not None else rate)
        self._clock = clock
        self._tokens = self.capacity
        self._stamp = clock()
        self._lock = anyio.Lock()

    def reserve(self) -> float:
        """Take one token now (possibly going into debt); return how long to wait for it."""
        now = self._clock()
        elapsed = max(0.0, now - self._stamp)
        self._stamp = now
        self._tokens = min(self.capacity, self._tokens + elapsed * self.rate)
        self._tokens -= 1.0
        if self._tokens >= 0:
            return 0.0
        return -self._tokens / self.rate

    async def acquire(self) -> None:
        """Wait until this caller may send one request."""
        async with self._lock:
            wait = self.reserve()
        if wait > 0:
            await anyio.sleep(wait)
