"""Secret scrubbing and status ordering, the rules the store applies to everything it writes."""

from __future__ import annotations

from typing import Any

import pytest

from pictory_mcp.jobs.records import JobRecord, is_secret_key, scrub, status_rank


@pytest.mark.parametrize(
    "key",
    [
        "Authorization",
        "authorization",
        "api_key",
        "API-KEY",
        "apikey",
        "x_api_key",
        "token",
        "accessToken",
        "refresh_token",
        "client_secret",
        "secretAccessKey",
        "password",
        "Set-Cookie",
    ],
)
def test_credential_like_keys_are_recognised(key: str) -> None:
    assert is_secret_key(key)


@pytest.mark.parametrize(
    "key", ["videoName", "story", "nextPageKey", "keyword", "highlightKeywords", "voiceOver"]
)
def test_ordinary_pictory_fields_are_kept(key: str) -> None:
    assert not is_secret_key(key)


def test_scrub_walks_dicts_lists_and_tuples_without_touching_the_input() -> None:
    value: dict[str, Any] = {
        "a": ({"token": 1, "b": [{"Secret": 2, "c": "pictai_x-y_z"}]},),
        "n": 3.5,
    }
    assert scrub(value) == {"a": [{"b": [{"c": "[REDACTED]"}]}], "n": 3.5}
    assert value["a"][0]["token"] == 1


def test_statuses_only_move_forward() -> None:
    order = ["submitted", "in-progress", "completed", "cleaned"]
    assert [status_rank(s) for s in order] == sorted(status_rank(s) for s in order)
    assert status_rank("failed") == status_rank("completed")
    assert status_rank("submitting") == status_rank("submitted")
    assert status_rank("queued-someday") == status_rank("in-progress")


def test_a_record_is_finished_only_in_a_terminal_status() -> None:
    def record(status: str) -> JobRecord:
        return JobRecord(job_id="j", kind="render", created_at="t", updated_at="t", status=status)

    assert not record("in-progress").finished
    assert not record("submitted").finished
    assert not record("submitting").finished
    assert record("failed").finished
    assert record("cleaned").finished
