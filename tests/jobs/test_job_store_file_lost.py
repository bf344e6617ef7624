"""The history file deleted or replaced under an open store: the next write notices, puts
every job back into a file at the same path, says so on stderr, and nothing is lost."""

from __future__ import annotations

import logging
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import JobStore

SIDECARS = ("-wal", "-shm")


def ids(store: JobStore) -> set[str]:
    return {record.job_id for record in store.list_recent(limit=1000)}


def remove(path: Path, *, with_sidecars: bool) -> None:
    path.unlink()
    if with_sidecars:
        for suffix in SIDECARS:
            Path(f"{path}{suffix}").unlink(missing_ok=True)


@pytest.mark.parametrize("with_sidecars", [False, True], ids=["file", "file_wal_and_shm"])
def test_a_deleted_history_is_recreated_with_every_job_on_the_next_write(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, with_sidecars: bool
) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        for i in range(5):
            store.record_submission(f"job-{i}", "render", {"i": i}, {})
        store.update_status("job-0", "completed", result={"videoURL": "https://v/0.mp4"})
        assert store.claim("job-1", "engine-a", ttl=600)
        store.begin_submission("track-1", "render", {}, {}, owner="engine-a", ttl=600)
        store.resolve_submission("track-1", "job-t")
        remove(path, with_sidecars=with_sidecars)
        with caplog.at_level(logging.WARNING, logger="pictory_mcp.jobs"):
            store.record_submission("job-5", "render", {"i": 5}, {})
        assert path.exists()
        assert "deleted" in caplog.text and str(path) in caplog.text
        store.update_status("job-2", "in-progress", progress=50)
    with JobStore(path) as reopened:
        assert ids(reopened) == {*(f"job-{i}" for i in range(6)), "job-t"}
        tracked = reopened.get_by_tracking_id("track-1")
        assert tracked is not None and tracked.job_id == "job-t"
        done = reopened.get("job-0")
        assert done is not None and done.result == {"videoURL": "https://v/0.mp4"}
        running = reopened.get("job-2")
        assert running is not None and running.progress == 50
        leased = reopened.get("job-1")
        assert leased is not None and leased.lease_owner == "engine-a"
    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def test_a_history_replaced_by_another_history_gets_the_jobs_it_lacks(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    other = tmp_path / "other.sqlite3"
    with JobStore(other) as elsewhere:
        elsewhere.record_submission("theirs", "render", {}, {})
        elsewhere.record_submission("both", "render", {"from": "them"}, {})
    with JobStore(path) as store:
        store.record_submission("ours", "render", {}, {})
        store.record_submission("both", "render", {"from": "us"}, {})
        store.update_status("both", "completed")  # newer than their copy
        other.replace(path)
        store.record_submission("after", "render", {}, {})
        assert ids(store) == {"theirs", "ours", "both", "after"}
    with JobStore(path) as reopened:
        assert ids(reopened) == {"theirs", "ours", "both", "after"}
        both = reopened.get("both")
        assert both is not None and both.status == "completed"


def test_a_history_replaced_by_a_file_not_ours_fails_the_write_until_moved_aside(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        store.record_submission("job-1", "render", {}, {})
        path.unlink()
        path.write_text("someone's notes")
        with pytest.raises(StoreError, match=r"another program|not a SQLite") as info:
            store.record_submission("job-2", "render", {}, {})
        assert str(path) in str(info.value) and "PICTORY_MCP_DB" in str(info.value)
        with pytest.raises(StoreError, match="holds its jobs until it can write them again"):
            store.ensure_open()  # what a create tool asks before paying
        assert path.read_text() == "someone's notes"
        assert ids(store) == {"job-1"}  # still readable from what this store holds
        path.rename(tmp_path / "notes.txt")
        store.record_submission("job-2", "render", {}, {})
    with JobStore(path) as reopened:
        assert ids(reopened) == {"job-1", "job-2"}


def test_two_stores_on_a_deleted_history_both_put_their_jobs_back(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as first, JobStore(path) as second:
        first.record_submission("a-0", "render", {}, {})
        second.record_submission("b-0", "render", {}, {})
        path.unlink()
        first.record_submission("a-1", "render", {}, {})
        second.record_submission("b-1", "render", {}, {})
        first.record_submission("a-2", "render", {}, {})
    with JobStore(path) as reopened:
        assert ids(reopened) == {"a-0", "b-0", "a-1", "b-1", "a-2"}


def test_closing_a_store_that_could_not_write_its_jobs_back_says_they_are_lost(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "jobs.sqlite3"
    store = JobStore(path)
    store.record_submission("job-1", "render", {}, {})
    path.unlink()
    path.mkdir()
    with pytest.raises(StoreError, match="is a folder"):
        store.update_status("job-1", "in-progress")
    with caplog.at_level(logging.WARNING, logger="pictory_mcp.jobs"):
        store.close()
    assert "lost" in caplog.text and str(path) in caplog.text


CHILD = """
import sys
from pictory_mcp.jobs import JobStore

with JobStore(sys.argv[1]) as store:
    for line in sys.stdin:
        store.record_submission(line.strip(), "render", {}, {})
        print("ok", flush=True)
"""


@pytest.mark.slow
def test_two_processes_on_a_deleted_history_both_put_their_jobs_back(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    children = [
        subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]

    def record(child: subprocess.Popen[str], job_id: str) -> None:
        assert child.stdin is not None and child.stdout is not None
        child.stdin.write(job_id + "\n")
        child.stdin.flush()
        assert child.stdout.readline().strip() == "ok"

    try:
        first, second = children
        record(first, "a-0")
        record(second, "b-0")
        path.unlink()
        for job_id in ("a-1", "b-1", "a-2", "b-2"):
            record(first if job_id.startswith("a") else second, job_id)
    finally:
        for child in children:
            assert child.stdin is not None and child.stdout is not None
            child.stdin.close()
            child.wait(timeout=30)
            child.stdout.close()
    assert [child.returncode for child in children] == [0, 0]
    with JobStore(path) as reopened:
        assert ids(reopened) == {"a-0", "b-0", "a-1", "b-1", "a-2", "b-2"}


def test_a_stale_placeholder_is_not_brought_back_over_its_resolved_job(tmp_path: Path) -> None:
    from pictory_mcp.jobs._moved import copy_rows, snapshot

    older = JobStore(tmp_path / "older.sqlite3")
    older.begin_submission("sub-1", "render", {}, {}, owner="me", ttl=60)
    newer = JobStore(tmp_path / "newer.sqlite3")
    newer.begin_submission("sub-1", "render", {}, {}, owner="me", ttl=60)
    newer.resolve_submission("sub-1", "job-9")
    copy_rows(snapshot(older._connection()), newer._connection())
    assert [r.job_id for r in newer.list_recent()] == ["job-9"]


def test_a_deleted_history_gets_back_each_owners_jobs_and_secrets(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        alice = store.scoped("alice")
        alice.record_submission("job-a", "render", {}, {})
        store.put_secret("alice", "pictory_key", b"cipher-a")
        remove(path, with_sidecars=True)
        store.scoped("bob").record_submission("job-b", "render", {}, {})
    with JobStore(path) as reopened:
        assert ids(reopened.scoped("alice")) == {"job-a"}
        assert ids(reopened.scoped("bob")) == {"job-b"}
        assert ids(reopened) == set()
        assert reopened.get_secret("alice", "pictory_key") == b"cipher-a"
