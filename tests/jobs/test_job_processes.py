"""Two processes writing one job history at the same time lose nothing and corrupt nothing."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from pictory_mcp.jobs import JobStore

PER_PROCESS = 200


def _write_jobs(path: str, prefix: str, count: int, start: Any) -> None:
    """Child process body: submit `count` jobs and move each one to in-progress."""
    # Both children pass this point together, so they create and migrate the new
    # file at the same moment and their writes interleave.
    start.wait(timeout=60)
    with JobStore(Path(path)) as store:
        for i in range(count):
            job_id = f"{prefix}-{i}"
            store.record_submission(job_id, "render", {"i": i, "by": prefix}, {"n": i})
            store.update_status(job_id, "in-progress", progress=float(i % 100))


@pytest.mark.slow
def test_two_processes_writing_at_once_keep_every_record(tmp_path: Path) -> None:
    path = tmp_path / "shared" / "jobs.sqlite3"
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(2)
    workers = [
        context.Process(target=_write_jobs, args=(str(path), prefix, PER_PROCESS, start))
        for prefix in ("alpha", "beta")
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    for worker in workers:
        if worker.is_alive():
            worker.kill()
            worker.join()
    assert [worker.exitcode for worker in workers] == [0, 0]

    with JobStore(path) as store:
        assert store.count() == 2 * PER_PROCESS
        assert store.count(status="in-progress") == 2 * PER_PROCESS
        ids = {record.job_id for record in store.list_recent(limit=1000)}
        assert ids == {f"{p}-{i}" for p in ("alpha", "beta") for i in range(PER_PROCESS)}
        record = store.get("beta-7")
        assert record is not None
        assert record.payload == {"i": 7, "by": "beta"}

    conn = sqlite3.connect(path)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()
