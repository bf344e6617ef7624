"""A history file that cannot be used is refused without being touched: the store still
constructs, says why on every call, and opens the file once the cause is gone."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from pictory_mcp.errors import StoreError
from pictory_mcp.jobs import JobStore
from pictory_mcp.jobs._opening import APPLICATION_ID
from pictory_mcp.jobs._schema import migrate


def text_file(path: Path) -> str:
    path.parent.mkdir()
    path.write_bytes(b"this is not sqlite at all, just some text " * 40)
    return "not a SQLite database"


def folder(path: Path) -> str:
    path.parent.mkdir()
    path.mkdir()
    return "is a folder"


def foreign(path: Path) -> str:
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    with conn:
        conn.execute("CREATE TABLE contacts (name TEXT, phone TEXT)")
    conn.close()
    return "another program's SQLite database"


def marked_by_another_program(path: Path) -> str:
    path.parent.mkdir()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.execute("CREATE TABLE jobs (x)")
    conn.execute("CREATE TABLE schema_version (x)")
    conn.close()
    return "another program's SQLite database"


def damaged(path: Path) -> str:
    path.parent.mkdir()
    with JobStore(path) as store:
        store.record_submission("job-1", "render", {}, {})
    size = path.stat().st_size
    with path.open("r+b") as file:
        file.seek(100)
        file.write(b"\xa5" * (size - 100))
    return "damaged"


def under_a_file(path: Path) -> str:
    path.parent.write_text("a file where the folder should be")
    return "is a file"


CASES: dict[str, Callable[[Path], str]] = {
    "text_file": text_file,
    "folder": folder,
    "foreign": foreign,
    "marked_by_another_program": marked_by_another_program,
    "damaged": damaged,
    "under_a_file": under_a_file,
}


def files(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes: what "untouched" is checked against."""
    return {str(p): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_an_unusable_file_is_refused_untouched_with_its_cause_and_fix(
    tmp_path: Path, case: str
) -> None:
    path = tmp_path / "place" / "jobs.sqlite3"
    cause = CASES[case](path)
    before = files(tmp_path)
    store = JobStore(path)  # does not raise: the server must still start
    problem = store.problem
    assert problem is not None
    assert str(path) in problem and cause in problem and "PICTORY_MCP_DB" in problem
    calls: list[Callable[[], object]] = [
        store.ensure_open,
        lambda: store.get("job-1"),
        store.list_recent,
        store.count,
        store.unfinished,
        lambda: store.record_submission("job-2", "render", {}, {}),
        lambda: store.update_status("job-2", "in-progress"),
        lambda: store.claim("job-1", "engine", ttl=5),
    ]
    for call in calls:
        with pytest.raises(StoreError) as info:
            call()
        assert str(info.value) == problem
    assert store.get_nowait("job-1") == (False, None)  # never opens on the event loop
    assert files(tmp_path) == before
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.get("job-1")


def test_a_history_opens_on_a_later_call_once_the_cause_is_moved_aside(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    path.mkdir()
    with JobStore(path) as store:
        assert store.problem is not None
        path.rename(tmp_path / "aside")
        store.record_submission("job-1", "render", {}, {})
        assert store.problem is None
        assert store.count() == 1


def _application_id(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("PRAGMA application_id").fetchone()[0])
    finally:
        conn.close()


def test_a_new_history_is_marked_as_ours(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    JobStore(path).close()
    assert _application_id(path) == APPLICATION_ID


def test_an_unmarked_history_from_an_earlier_version_is_accepted_and_marked(
    tmp_path: Path,
) -> None:
    path = tmp_path / "jobs.sqlite3"
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    migrate(conn, target=1)
    conn.execute(
        "INSERT INTO jobs (job_id, kind, status, created_at, updated_at) "
        "VALUES ('old-1', 'render', 'completed', 't', 't')"
    )
    conn.execute("COMMIT")
    conn.close()
    assert _application_id(path) == 0
    with JobStore(path) as store:
        assert store.problem is None
        assert store.get("old-1") is not None
    assert _application_id(path) == APPLICATION_ID


def test_an_empty_file_becomes_a_new_history(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite3"
    path.touch()
    with JobStore(path) as store:
        store.record_submission("job-1", "render", {}, {})
        assert store.count() == 1


@pytest.fixture
def immutable() -> Iterator[Callable[[Path], None]]:
    """Marks paths immutable (root cannot write them either); skips where chattr cannot."""
    marked: list[Path] = []
    chattr = shutil.which("chattr")

    def mark(path: Path) -> None:
        if chattr is None:
            pytest.skip("chattr is not available")
        done = subprocess.run([chattr, "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip("this file system or user cannot mark files immutable")
        marked.append(path)

    yield mark
    for path in marked:
        subprocess.run([chattr or "chattr", "-i", str(path)], check=False)


def test_a_history_that_cannot_be_written_is_refused_as_read_only(
    tmp_path: Path, immutable: Callable[[Path], None]
) -> None:
    path = tmp_path / "jobs.sqlite3"
    with JobStore(path) as store:
        store.record_submission("job-1", "render", {}, {})
    before = path.read_bytes()
    immutable(path)
    with JobStore(path) as store:
        assert store.problem is not None and "read-only" in store.problem
        with pytest.raises(StoreError, match="read-only"):
            store.get("job-1")
    assert path.read_bytes() == before


def test_a_history_in_a_folder_that_cannot_be_written_is_refused(
    tmp_path: Path, immutable: Callable[[Path], None]
) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    immutable(folder)
    with JobStore(folder / "jobs.sqlite3") as store:
        assert store.problem is not None and "read-only folder" in store.problem
    assert list(folder.iterdir()) == []
