"""Request budgets: token buckets per key that say how long to wait, and forget idle keys."""

from __future__ import annotations

import pytest

from pictory_mcp.hosted.budgets import TokenBuckets


class Clock:
    def __init__(self) -> None:
        self.now = 500.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_is_allowed_then_the_answer_says_how_long_to_wait() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate_per_second=2, burst=3, clock=clock)
    assert [buckets.take("alice") for _ in range(3)] == [0, 0, 0]
    assert buckets.take("alice") == pytest.approx(0.5)
    # A refusal spends nothing: asking again at once gives the same wait.
    assert buckets.take("alice") == pytest.approx(0.5)
    clock.now += 0.5
    assert buckets.take("alice") == 0
    assert buckets.take("alice") == pytest.approx(0.5)


def test_one_noisy_key_does_not_spend_another_keys_budget() -> None:
    buckets = TokenBuckets(rate_per_second=1, burst=2, clock=Clock())
    while buckets.take("noisy") == 0:
        pass
    assert buckets.take("quiet") == 0 and buckets.take("quiet") == 0


def test_a_costly_request_waits_for_enough_tokens() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate_per_second=1, burst=5, clock=clock)
    assert buckets.take("alice", cost=4) == 0
    assert buckets.take("alice", cost=3) == pytest.approx(2)
    clock.now += 2
    assert buckets.take("alice", cost=3) == 0
    with pytest.raises(ValueError, match="burst"):
        buckets.take("alice", cost=6)


def test_a_bucket_never_holds_more_than_its_burst() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate_per_second=10, burst=2, clock=clock)
    buckets.take("alice")
    clock.now += 3600
    assert [buckets.take("alice") for _ in range(2)] == [0, 0]
    assert buckets.take("alice") > 0


def test_a_clock_stepping_back_neither_mints_nor_loses_tokens() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate_per_second=1, burst=1, clock=clock)
    assert buckets.take("alice") == 0
    clock.now -= 100
    assert buckets.take("alice") == pytest.approx(1)


def test_idle_keys_are_forgotten_once_their_bucket_is_full_again() -> None:
    clock = Clock()
    buckets = TokenBuckets(rate_per_second=1, burst=2, clock=clock)
    for n in range(1000):
        buckets.take(f"user-{n}")
    assert len(buckets) == 1000
    clock.now += 10
    buckets.take("late")
    assert len(buckets) == 1


def test_memory_stays_bounded_under_many_busy_keys() -> None:
    buckets = TokenBuckets(rate_per_second=0.001, burst=1, clock=Clock(), max_keys=100)
    for n in range(5000):
        buckets.take(f"user-{n}")
    assert len(buckets) == 100
    # The most recent keys are the ones kept.
    assert buckets.take("user-4999") > 0


@pytest.mark.parametrize(
    "arguments",
    [{"rate_per_second": 0, "burst": 1}, {"rate_per_second": 1, "burst": 0}],
)
def test_a_budget_that_could_never_be_met_is_refused(arguments: dict[str, float]) -> None:
    with pytest.raises(ValueError, match="must be"):
        TokenBuckets(**arguments)  # type: ignore[arg-type]
