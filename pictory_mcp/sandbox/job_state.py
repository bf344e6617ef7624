"""In-memory state of the sandbox: the clock, jobs and projects per key, and the request log.

Everything here runs on the server's event loop only, so no locks are needed.
"""

from __future__ import annotations

import hashlib
import time
from collections import OrderedDict, deque
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

SandboxJobKind = Literal["preview", "render", "transcription", "highlights"]
JobOutcome = Literal["complete", "fail", "stick"]
SandboxJobStatus = Literal["in-progress", "completed", "failed"]

RENDER_STARTS_AT = 0.2
"""Share of a render job's duration spent queued (data holds only `status`) before rendering."""
FAILS_AT = 0.5
"""Share of a job's duration after which a failing job reports `failed`."""
REQUEST_LOG_SIZE = 10_000


def fingerprint(key: str) -> str:
    """A stable, non-reversible name for an API key, safe to log and to show."""
    return "sha256:" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:12]


class Clock:
    """Sandbox time: real monotonic time x speed, plus an offset moved by the control API."""

    def __init__(self, speed: float = 1.0) -> None:
        self._speed = speed
        self._origin = time.monotonic()
        self._base = 0.0

    def now(self) -> float:
        return self._base + (time.monotonic() - self._origin) * self._speed

    def advance(self, seconds: float) -> float:
        self._base += seconds
        return self.now()

    def set_speed(self, speed: float) -> None:
        # Rebase so that changing the speed never makes time jump.
        self._base = self.now()
        self._origin = time.monotonic()
        self._speed = speed

    def reset(self, speed: float) -> None:
        self._speed = speed
        self._origin = time.monotonic()
        self._base = 0.0


Cue = tuple[float, float, str]


@dataclass
class Job:
    """One asynchronous job; its visible state is a function of the sandbox clock."""

    job_id: str
    seq: int
    key_fp: str
    kind: SandboxJobKind
    created: float
    created_wall: float
    duration: float
    root_url: str
    outcome: JobOutcome = "complete"
    error_code: str | None = None
    error_message: str | None = None
    result: dict[str, Any] = field(default_factory=dict)
    cues: list[Cue] = field(default_factory=list)
    transcript: list[dict[str, Any]] | None = None
    storyboard: dict[str, Any] | None = None
    project_id: str | None = None

    def status(self, now: float) -> SandboxJobStatus:
        elapsed = now - self.created
        if self.outcome == "stick":
            return "in-progress"
        if self.outcome == "fail":
            return "failed" if elapsed >= self.duration * FAILS_AT else "in-progress"
        return "completed" if elapsed >= self.duration else "in-progress"

    def finished_at(self) -> float | None:
        """The sandbox time at which the job leaves `in-progress`; None when it never will."""
        if self.outcome == "stick":
            return None
        return self.created + self.duration * (FAILS_AT if self.outcome == "fail" else 1.0)

    def finishes_in(self, now: float) -> float | None:
        """Sandbox seconds until the job leaves `in-progress`; None when it never will."""
        end = self.finished_at()
        return None if end is None else max(0.0, end - now)

    def data(self, now: float) -> tuple[bool, dict[str, Any]]:
        """`(success, data)` of the job-status envelope at sandbox time `now`."""
        status = self.status(now)
        if status == "failed":
            return False, {
                "status": "failed",
                "error_code": self.error_code,
                "error_message": self.error_message,
            }
        if status == "completed":
            return True, {"status": "completed", **self.result}
        data: dict[str, Any] = {"status": "in-progress"}
        elapsed = now - self.created
        if (
            self.kind == "render"
            and self.duration > 0
            and elapsed >= self.duration * RENDER_STARTS_AT
        ):
            share = min(elapsed / self.duration, 0.99) if self.outcome != "stick" else 0.42
            data["renderProgress"] = max(1, min(99, int(share * 100)))
            data["renderProgressMessage"] = "Generating video"
            data["renderState"] = "RUNNING"
        return True, data


@dataclass
class Project:
    """A saved project (from `saveProject: true`); rendering it replays its storyboard."""

    project_id: str
    key_fp: str
    storyboard: dict[str, Any]
    created_wall: float


class SandboxJobs:
    """Jobs and projects, scoped by key fingerprint, bounded per key."""

    def __init__(self) -> None:
        self._jobs: dict[str, Job] = {}
        self._by_key: dict[str, OrderedDict[str, Job]] = {}
        self._projects: dict[str, Project] = {}
        self._seq = 0

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    def make_room(self, key_fp: str, limit: int, now: float) -> float | None:
        """Evict the oldest finished jobs until one more fits; else seconds to wait (>= 1)."""
        jobs = self._by_key.get(key_fp)
        if jobs is None or len(jobs) < limit:
            return None
        for job in list(jobs.values()):
            if len(jobs) < limit:
                break
            if job.status(now) != "in-progress":
                del jobs[job.job_id]
                del self._jobs[job.job_id]
        if len(jobs) < limit:
            return None
        waits = [w for w in (j.finishes_in(now) for j in jobs.values()) if w is not None]
        return max(1.0, min(waits)) if waits else 60.0

    def add(self, job: Job) -> None:
        self._jobs[job.job_id] = job
        self._by_key.setdefault(job.key_fp, OrderedDict())[job.job_id] = job

    def get(self, key_fp: str, job_id: str) -> Job | None:
        job = self._jobs.get(job_id)
        return job if job is not None and job.key_fp == key_fp else None

    def get_any(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def for_key(self, key_fp: str) -> list[Job]:
        """The key's jobs, newest first."""
        return sorted(self._by_key.get(key_fp, {}).values(), key=lambda j: j.seq, reverse=True)

    def all(self) -> list[Job]:
        return sorted(self._jobs.values(), key=lambda j: j.seq)

    def add_project(self, project: Project, limit: int) -> None:
        own = [p for p in self._projects.values() if p.key_fp == project.key_fp]
        for old in own[: max(0, len(own) - limit + 1)]:
            del self._projects[old.project_id]
        self._projects[project.project_id] = project

    def get_project(self, key_fp: str, project_id: str) -> Project | None:
        project = self._projects.get(project_id)
        return project if project is not None and project.key_fp == key_fp else None

    def clear(self) -> None:
        self._jobs.clear()
        self._by_key.clear()
        self._projects.clear()


class RequestLog:
    """The last API requests, as shown by GET /__sandbox/requests (never holding a raw key)."""

    def __init__(self, size: int = REQUEST_LOG_SIZE) -> None:
        self._entries: deque[dict[str, Any]] = deque(maxlen=size)
        self._seq = 0

    def record(self, entry: dict[str, Any]) -> None:
        self._seq += 1
        self._entries.append({"seq": self._seq, **entry})

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(list(self._entries))

    def clear(self) -> None:
        self._entries.clear()
        self._seq = 0
