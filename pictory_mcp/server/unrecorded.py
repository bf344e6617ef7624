"""Jobs Pictory accepted that the job history could not record yet (locked by another process,
disk full): kept in memory and in a small journal beside the history, so that even a server
stopped before the history recovers hands the ids to the next one, which records them."""

from __future__ import annotations

import json
import logging
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Unrecorded", "UnrecordedJobs", "journal_path"]

logger = logging.getLogger("pictory_mcp.server.submissions")


def journal_path(db_path: Path, tenant: str = "", *, postgres: bool = False) -> Path | None:
    """Where the journal of a history lives (None for an in-memory history): beside the SQLite
    file, one per hosted tenant. A PostgreSQL store's replicas keep theirs in the temporary
    folder (TMPDIR), the one place a replica on a read-only root filesystem may write (in
    Kubernetes the pod's /tmp, which outlives a restart of the container); it only needs to
    be writable, not shared."""
    suffix = f".{tenant}" if tenant else ""
    if postgres:
        return Path(tempfile.gettempdir()) / "pictory-mcp" / f"jobs{suffix}.unrecorded.jsonl"
    if str(db_path) == ":memory:":
        return None
    return db_path.with_name(db_path.name + suffix + ".unrecorded.jsonl")


@dataclass(frozen=True)
class Unrecorded:
    """A job Pictory accepted for a request (tracking id) that is not in the history yet."""

    tracking_id: str
    job_id: str
    adopted: bool = False


class UnrecordedJobs:
    """The accepted-but-unrecorded jobs of one history. Journal failures are logged, never
    raised: the job id is also in the answer and in the log."""

    def __init__(self, journal: Path | None) -> None:
        self.journal = journal
        self._items: dict[str, Unrecorded] = {}

    def __contains__(self, tracking_id: object) -> bool:
        return tracking_id in self._items

    def __len__(self) -> int:
        return len(self._items)

    def items(self) -> list[Unrecorded]:
        return list(self._items.values())

    def add(self, item: Unrecorded) -> None:
        self._items[item.tracking_id] = item
        if self.journal is None:
            return
        try:
            self.journal.parent.mkdir(parents=True, exist_ok=True)
            with self.journal.open("a", encoding="utf-8") as out:
                out.write(json.dumps(asdict(item)) + "\n")
                out.flush()
                os.fsync(out.fileno())
        except OSError as exc:
            logger.error("could not journal job %s: %s", item.job_id, exc)

    def remove(self, tracking_id: str) -> None:
        self._items.pop(tracking_id, None)
        if self.journal is None:
            return
        try:
            if not self._items:
                self.journal.unlink(missing_ok=True)
                return
            temp = self.journal.with_name(self.journal.name + ".tmp")
            temp.write_text(
                "".join(json.dumps(asdict(i)) + "\n" for i in self._items.values()),
                encoding="utf-8",
            )
            os.replace(temp, self.journal)
        except OSError as exc:
            logger.warning("could not update the journal %s: %s", self.journal, exc)

    def load(self) -> list[Unrecorded]:
        """Take in what an earlier server journaled (and could not record); returns it."""
        if self.journal is None:
            return []
        try:
            lines = self.journal.read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        except OSError as exc:
            logger.warning("could not read the journal %s: %s", self.journal, exc)
            return []
        found = []
        for line in lines:
            try:
                data = json.loads(line)
                item = Unrecorded(
                    str(data["tracking_id"]), str(data["job_id"]), bool(data.get("adopted"))
                )
            except (ValueError, KeyError, TypeError):
                continue  # a torn last line: the rest still counts
            self._items[item.tracking_id] = item
            found.append(item)
        return found
