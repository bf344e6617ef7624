"""Where the journal of accepted-but-unrecorded jobs lives, and that it is written even when
its folder does not exist yet (a replica's temporary folder, a new user data folder)."""

from __future__ import annotations

import tempfile
from pathlib import Path
from types import SimpleNamespace

import pytest

from pictory_mcp.config import Settings
from pictory_mcp.server.submissions import Submitter
from pictory_mcp.server.unrecorded import Unrecorded, UnrecordedJobs


@pytest.fixture
def temporary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "tmpdir"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))  # as TMPDIR would set it
    return folder


def submitter(settings: Settings, user: str = "", account: str = "") -> Submitter:
    return Submitter(SimpleNamespace(settings=settings, user=user, account=account))  # type: ignore[arg-type]


def test_a_hosted_replica_on_postgresql_journals_in_the_temporary_folder(
    temporary: Path,
) -> None:
    settings = Settings.from_env({"PICTORY_MCP_DB": "postgresql://pictory@db/pictory"})
    journal = submitter(settings, "u1", "0123456789abcdef").unrecorded.journal
    assert journal == temporary / "pictory-mcp" / "jobs.u1-01234567.unrecorded.jsonl"


def test_a_sqlite_history_keeps_its_journal_beside_the_file(tmp_path: Path) -> None:
    settings = Settings.from_env({"PICTORY_MCP_DB": str(tmp_path / "jobs.sqlite3")})
    assert submitter(settings).unrecorded.journal == tmp_path / "jobs.sqlite3.unrecorded.jsonl"


def test_a_journal_whose_folder_does_not_exist_yet_is_written_and_read_back(
    temporary: Path,
) -> None:
    path = temporary / "pictory-mcp" / "jobs.unrecorded.jsonl"
    item = Unrecorded("sub-1", "job-1")
    UnrecordedJobs(path).add(item)
    assert UnrecordedJobs(path).load() == [item]
