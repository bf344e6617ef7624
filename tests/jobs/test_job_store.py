"""Job store behaviour on both backends (a real SQLite file, a real PostgreSQL database):
submissions, status updates, listing, errors; and what only a SQLite file has."""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import EXTERNAL_KIND, JobStore
from tests.jobs.conftest import StoreFactory

START = datetime(2025, 1, 1, 12, 0, 0, tzinfo=timezone.utc)


def ticking_clock() -> Callable[[], datetime]:
    """A clock that moves one second per call, so records order deterministically."""
    ticks = iter(range(1_000_000))
    return lambda: START + timedelta(seconds=next(ticks))


@pytest.fixture
def store(store_factory: StoreFactory) -> JobStore:
    return store_factory(clock=ticking_clock())  # type: ignore[no-any-return]


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[JobStore]:
    with JobStore(tmp_path / "jobs.sqlite3", clock=ticking_clock()) as opened:
        yield opened


def test_a_submission_is_stored_and_read_back(store: JobStore) -> None:
    record = store.record_submission(
        "job-1",
        "text_to_video",
        {"videoName": "intro", "scenes": [{"story": "Hello"}]},
        {"title": "intro", "scenes": 1},
        parent_id="parent-0",
        video_name="intro",
    )
    assert record.status == "submitted"
    assert record.created_at == "2025-01-01T12:00:00.000000+00:00"
    assert record.created_at == record.updated_at
    assert store.get("job-1") == record
    assert record.payload == {"videoName": "intro", "scenes": [{"story": "Hello"}]}
    assert record.summary == {"title": "intro", "scenes": 1}
    assert record.parent_id == "parent-0"
    assert record.video_name == "intro"
    assert record.progress is None
    assert record.error is None
    assert record.steps == []


def test_an_unknown_job_id_reads_as_none(store: JobStore) -> None:
    assert store.get("nope") is None


def test_get_nowait_reads_when_the_store_is_free_and_declines_when_held(
    sqlite_store: JobStore,
) -> None:
    store = sqlite_store
    store.record_submission("job-1", "text_to_video", None, None)
    done, record = store.get_nowait("job-1")
    assert done and record is not None and record.job_id == "job-1"
    assert store.get_nowait("missing") == (True, None)
    held, release = threading.Event(), threading.Event()

    def hold() -> None:
        with store._lock:  # what a write in progress on another thread looks like
            held.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert held.wait(10)
        assert store.get_nowait("job-1") == (False, None)  # declines at once, never blocks
    finally:
        release.set()
        holder.join()
    assert store.get_nowait("job-1")[0] is True


def test_a_repeated_submission_keeps_created_at_and_the_first_payload(store: JobStore) -> None:
    first = store.record_submission("job-1", "render", {"a": 1}, {"s": 1})
    again = store.record_submission("job-1", "preview", {"b": 2}, {"s": 2}, video_name="v")
    assert again.created_at == first.created_at
    assert again.kind == "render"
    assert again.payload == {"a": 1}
    assert again.summary == {"s": 1}
    assert again.video_name == "v"
    assert store.count() == 1


def test_a_repeated_submission_fills_a_payload_the_first_left_empty(store: JobStore) -> None:
    first = store.record_submission("job-1", "render", {}, {})
    again = store.record_submission("job-1", "render", {"b": 2}, {"s": 2})
    assert again.created_at == first.created_at
    assert again.payload == {"b": 2}
    assert again.summary == {"s": 2}


def test_a_repeat_with_nothing_new_changes_nothing(store: JobStore) -> None:
    first = store.record_submission("job-1", "render", {"a": 1}, {"s": 1})
    assert store.record_submission("job-1", "render", {"a": 1}, {"s": 1}) == first


def test_secret_named_keys_are_dropped_at_any_depth_before_writing(
    sqlite_store: JobStore, tmp_path: Path
) -> None:
    store = sqlite_store
    payload = {
        "Authorization": "raw-header-value",
        "api_key": "apikey-value-1",
        "apiKey": "apikey-value-2",
        "X-API-KEY": "apikey-value-3",
        "nested": {
            "accessToken": "token-value-1",
            "Client_Secret": "secret-value-1",
            "keep": "yes",
        },
        "list": [{"password": "password-value-1", "name": "scene"}],
        "story": "mentions pictai_SECRET123 inline",
    }
    summary = {"token": "token-value-2", "title": "ok"}
    record = store.record_submission("job-1", "render", payload, summary)
    assert record.payload == {
        "nested": {"keep": "yes"},
        "list": [{"name": "scene"}],
        "story": "mentions [REDACTED] inline",
    }
    assert record.summary == {"title": "ok"}
    store.update_status("job-1", "failed", error={"message": "bad", "authorization": "h"})
    store.close()
    raw = (tmp_path / "jobs.sqlite3").read_bytes()
    wal = tmp_path / "jobs.sqlite3-wal"
    raw += wal.read_bytes() if wal.exists() else b""
    for secret in (
        "raw-header-value",
        "apikey-value-1",
        "apikey-value-2",
        "apikey-value-3",
        "token-value-1",
        "token-value-2",
        "secret-value-1",
        "password-value-1",
        "SECRET123",
    ):
        assert secret.encode() not in raw


def test_the_callers_payload_is_not_modified(store: JobStore) -> None:
    payload = {"token": "t", "inner": {"secret": "s"}}
    store.record_submission("job-1", "render", payload, {})
    assert payload == {"token": "t", "inner": {"secret": "s"}}


def test_status_updates_record_progress_result_and_error(store: JobStore) -> None:
    store.record_submission("job-1", "render", {"a": 1}, {})
    running = store.update_status("job-1", "in-progress", progress=40)
    assert (running.status, running.progress) == ("in-progress", 40.0)
    assert running.updated_at > running.created_at
    still = store.update_status("job-1", "in-progress")
    assert still.progress == 40.0
    done = store.update_status("job-1", "completed", result={"videoURL": "https://v/1.mp4"})
    assert done.status == "completed"
    assert done.progress == 100.0
    assert done.result == {"videoURL": "https://v/1.mp4"}
    assert done.finished
    assert done.payload == {"a": 1}


def test_a_failed_job_keeps_its_error(store: JobStore) -> None:
    store.record_submission("job-1", "render", {}, {})
    error = {"code": "4001", "message": "voice not found", "fix": "pick a listed voice"}
    failed = store.update_status("job-1", "failed", error=error)
    assert failed.error == error
    assert store.get("job-1") == failed


def test_a_late_in_progress_update_never_undoes_completion(store: JobStore) -> None:
    store.record_submission("job-1", "render", {}, {})
    done = store.update_status("job-1", "completed", result={"videoURL": "u"})
    assert store.update_status("job-1", "in-progress", progress=10) == done
    assert store.update_status("job-1", "submitted") == done
    cleaned = store.update_status("job-1", "cleaned")
    assert cleaned.status == "cleaned"


def test_a_status_for_a_job_never_submitted_here_is_kept_as_external(store: JobStore) -> None:
    record = store.update_status("elsewhere-1", "in-progress", progress=5)
    assert record.kind == EXTERNAL_KIND
    assert record.status == "in-progress"
    claimed = store.record_submission("elsewhere-1", "render", {"a": 1}, {"s": 1})
    assert claimed.kind == "render"
    assert claimed.status == "in-progress"
    assert claimed.created_at == record.created_at


def test_steps_and_local_path_are_stored(store: JobStore, tmp_path: Path) -> None:
    store.record_submission("job-1", "text_to_video", {}, {})
    steps = [
        {"step": "preview", "job_id": "job-1", "status": "completed"},
        {"step": "render", "job_id": "job-2", "status": "in-progress"},
    ]
    assert store.update_steps("job-1", steps).steps == steps
    video = tmp_path / "out" / "intro.mp4"
    assert store.set_local_path("job-1", video).local_path == str(video)
    reread = store.get("job-1")
    assert reread is not None
    assert (reread.steps, reread.local_path) == (steps, str(video))


def test_steps_for_an_unknown_job_raise_a_store_error(store: JobStore) -> None:
    with pytest.raises(StoreError, match="not in the local job history"):
        store.update_steps("ghost", [])
    with pytest.raises(StoreError, match="not in the local job history"):
        store.set_local_path("ghost", "/tmp/x.mp4")


def test_listing_is_newest_first_with_limit_offset_and_filters(store: JobStore) -> None:
    for i in range(6):
        store.record_submission(f"job-{i}", "render" if i % 2 else "preview", {}, {})
    store.update_status("job-4", "completed")
    ids = [r.job_id for r in store.list_recent()]
    assert ids == ["job-5", "job-4", "job-3", "job-2", "job-1", "job-0"]
    assert [r.job_id for r in store.list_recent(limit=2, offset=1)] == ["job-4", "job-3"]
    assert [r.job_id for r in store.list_recent(kind="render")] == ["job-5", "job-3", "job-1"]
    assert [r.job_id for r in store.list_recent(status="completed")] == ["job-4"]
    assert store.list_recent(kind="preview", status="completed") == [
        store.get("job-4"),
    ]
    assert store.count() == 6
    assert store.count(kind="render") == 3
    assert store.count(status="submitted") == 5
    assert store.count(kind="render", status="completed") == 0


def test_children_of_a_workflow_can_be_listed_by_parent(store: JobStore) -> None:
    store.record_submission("parent", "text_to_video", {}, {})
    store.record_submission("child-1", "preview", {}, {}, parent_id="parent")
    store.record_submission("child-2", "render", {}, {}, parent_id="parent")
    children = store.list_recent(parent_id="parent")
    assert [r.job_id for r in children] == ["child-2", "child-1"]
    assert store.count(parent_id="parent") == 2


def test_unfinished_lists_submitted_and_in_progress_jobs_oldest_first(store: JobStore) -> None:
    for job_id in ("a", "b", "c", "d"):
        store.record_submission(job_id, "render", {}, {})
    store.update_status("b", "in-progress", progress=1)
    store.update_status("c", "failed", error={"message": "x"})
    store.update_status("d", "completed")
    assert [r.job_id for r in store.unfinished()] == ["a", "b"]


@pytest.mark.parametrize(("limit", "offset"), [(0, 0), (-1, 0), (5, -1)])
def test_a_nonsensical_page_is_a_value_error(store: JobStore, limit: int, offset: int) -> None:
    with pytest.raises(ValueError, match="limit"):
        store.list_recent(limit=limit, offset=offset)


def test_an_empty_job_id_is_a_value_error(store: JobStore) -> None:
    with pytest.raises(ValueError, match="job_id"):
        store.record_submission(" ", "render", {}, {})


def test_to_dict_is_json_ready_and_leaves_out_the_payload_unless_asked(store: JobStore) -> None:
    record = store.record_submission("job-1", "render", {"big": "x" * 10}, {"title": "t"})
    brief = record.to_dict()
    assert "payload" not in brief
    assert brief["job_id"] == "job-1"
    assert brief["summary"] == {"title": "t"}
    full = record.to_dict(include_payload=True)
    assert full["payload"] == {"big": "x" * 10}
    assert json.loads(json.dumps(full)) == full
    full["summary"]["title"] = "changed"
    assert record.summary == {"title": "t"}


def test_the_parent_folder_is_created(tmp_path: Path) -> None:
    path = tmp_path / "a" / "b" / "jobs.sqlite3"
    with JobStore(path) as store:
        store.record_submission("job-1", "render", {}, {})
    assert path.exists()
    with JobStore(path) as reopened:
        assert reopened.count() == 1


def test_the_file_uses_wal_and_passes_an_integrity_check(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    JobStore(path).close()
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(jobs)")}
        assert {"jobs_created_at", "jobs_status"} <= indexes
    finally:
        conn.close()


def test_a_closed_store_raises_a_store_error(store_factory: StoreFactory) -> None:
    store = store_factory()
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.get("job-1")


def test_writes_from_many_threads_are_all_kept(store_factory: StoreFactory) -> None:
    with store_factory() as store:
        failures: list[BaseException] = []

        def write(worker: int) -> None:
            try:
                for i in range(50):
                    job_id = f"t{worker}-{i}"
                    store.record_submission(job_id, "render", {"i": i}, {})
                    store.update_status(job_id, "in-progress", progress=i)
            except BaseException as exc:  # reported below, on the test's thread
                failures.append(exc)

        threads = [threading.Thread(target=write, args=(w,)) for w in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert not any(thread.is_alive() for thread in threads)
        assert failures == []
        assert store.count() == 400
        assert store.count(status="in-progress") == 400
