"""The retry policy, Retry-After parsing and the token bucket, tested without a network."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import anyio
import pytest

from pictory_mcp.api import RetryPolicy, TokenBucket, parse_retry_after

NOW = datetime(2026, 1, 18, 9, 0, 0, tzinfo=timezone.utc)


def test_backoff_doubles_from_the_base_delay_and_stops_at_the_cap() -> None:
    policy = RetryPolicy(base_delay=2.0, max_delay=10.0, jitter=0.0)
    waits = [policy.backoff(n) for n in range(1, 6)]
    assert waits == [2.0, 4.0, 8.0, 10.0, 10.0]


def test_the_default_policy_waits_two_four_then_eight_seconds() -> None:
    policy = RetryPolicy()
    assert [policy.backoff(n, rng=lambda: 0.5) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert policy.max_attempts == 4


def test_jitter_spreads_the_wait_by_at_most_its_fraction() -> None:
    policy = RetryPolicy(base_delay=4.0, max_delay=30.0, jitter=0.25)
    assert policy.backoff(1, rng=lambda: 0.0) == pytest.approx(3.0)
    assert policy.backoff(1, rng=lambda: 1.0) == pytest.approx(5.0)


def test_a_huge_retry_number_does_not_overflow() -> None:
    policy = RetryPolicy(base_delay=1.0, max_delay=7.0, jitter=0.0)
    assert policy.backoff(10_000) == 7.0


def test_a_retry_after_hint_replaces_the_computed_backoff() -> None:
    policy = RetryPolicy(base_delay=2.0, jitter=0.0, max_retry_after=60.0)
    assert policy.delay(1, 5.0) == 5.0
    assert policy.delay(3, None) == 8.0


def test_a_retry_after_longer_than_the_limit_ends_the_retries() -> None:
    policy = RetryPolicy(max_retry_after=10.0)
    assert policy.delay(1, 11.0) is None


@pytest.mark.parametrize(
    "kwargs",
    [{"max_attempts": 0}, {"base_delay": -1.0}, {"jitter": 1.5}, {"max_retry_after": -2.0}],
)
def test_a_nonsensical_policy_is_refused(kwargs: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must"):
        RetryPolicy(**kwargs)  # type: ignore[arg-type]


def test_no_retries_means_one_attempt() -> None:
    assert RetryPolicy.no_retries().max_attempts == 1


@pytest.mark.parametrize(
    ("header", "expected"),
    [("7", 7.0), (" 1.5 ", 1.5), ("0", 0.0), ("-3", 0.0)],
)
def test_retry_after_in_seconds_is_read_as_seconds(header: str, expected: float) -> None:
    assert parse_retry_after(header, now=NOW) == expected


def test_retry_after_as_an_http_date_is_the_time_until_that_date() -> None:
    header = "Sun, 18 Jan 2026 09:00:30 GMT"
    assert parse_retry_after(header, now=NOW) == pytest.approx(30.0)


def test_retry_after_with_a_date_in_the_past_means_now() -> None:
    header = (NOW - timedelta(minutes=5)).strftime("%a, %d %b %Y %H:%M:%S GMT")
    assert parse_retry_after(header, now=NOW) == 0.0


@pytest.mark.parametrize("header", [None, "", "soon", "nan", "inf", "Mon, 99 Foo 2026"])
def test_an_unusable_retry_after_is_ignored(header: str | None) -> None:
    assert parse_retry_after(header, now=NOW) is None


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_the_bucket_lets_a_burst_through_then_spaces_requests_at_its_rate() -> None:
    clock = FakeClock()
    bucket = TokenBucket(2.0, burst=2, clock=clock)
    assert [bucket.reserve() for _ in range(2)] == [0.0, 0.0]
    # Each further caller queues half a second behind the previous one.
    assert bucket.reserve() == pytest.approx(0.5)
    assert bucket.reserve() == pytest.approx(1.0)


def test_the_bucket_refills_with_time_but_never_beyond_its_burst() -> None:
    clock = FakeClock()
    bucket = TokenBucket(1.0, burst=1, clock=clock)
    assert bucket.reserve() == 0.0
    clock.now += 60.0
    assert bucket.reserve() == 0.0
    assert bucket.reserve() == pytest.approx(1.0)


@pytest.mark.parametrize("rate", [0.0, -1.0, float("nan"), float("inf")])
def test_a_bucket_needs_a_positive_rate(rate: float) -> None:
    with pytest.raises(ValueError, match="positive"):
        TokenBucket(rate)


@pytest.mark.anyio
async def test_concurrent_callers_all_get_through_a_fast_bucket() -> None:
    bucket = TokenBucket(200.0, burst=1)
    done: list[int] = []

    async def one(i: int) -> None:
        await bucket.acquire()
        done.append(i)

    with anyio.fail_after(5):
        async with anyio.create_task_group() as tg:
            for i in range(5):
                tg.start_soon(one, i)
    assert sorted(done) == [0, 1, 2, 3, 4]
