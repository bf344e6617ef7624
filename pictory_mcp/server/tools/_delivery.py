"""Saving a job's files into the output directory: all or nothing, safe names, no writes outside
the directory, and never overwriting a different file (an identical one is reused, so a repeat
is harmless)."""

from __future__ import annotations

import filecmp
import logging
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

import anyio

from pictory_mcp._files import discard
from pictory_mcp.errors import DownloadError, InputError
from pictory_mcp.server.tools._base import in_thread
from pictory_mcp.server.tools._filekinds import WANTED, FileType, read_head, recognise

if TYPE_CHECKING:
    from pictory_mcp.api import DownloadLimits, PictoryClient, Progress

logger = logging.getLogger("pictory_mcp.server")

MAX_STEM = 80
_UNSAFE = re.compile(r"[^\w.-]+")  # anything but letters, digits, '_', '.', '-'
_DOTS = re.compile(r"\.{2,}")


@dataclass(frozen=True)
class Wanted:
    """What to save: the job's video name (may be hostile), its id, and a URL per file kind."""

    video_name: str | None
    job_id: str
    urls: dict[str, str]


@dataclass(frozen=True)
class Saved:
    path: Path
    size: int
    mime_type: str


def safe_stem(video_name: str | None, job_id: str) -> str:
    """A file name stem from the video name and job id: no separators, control characters,
    leading dots or '..'; at most MAX_STEM characters of name."""
    text = unicodedata.normalize("NFKC", video_name or "")
    text = "".join(" " if unicodedata.category(c)[0] in "CZ" else c for c in text)
    text = _DOTS.sub(".", _UNSAFE.sub("-", text.strip()))
    stem = text[:MAX_STEM].strip(".-_") or "pictory-video"
    ident = _DOTS.sub(".", _UNSAFE.sub("-", job_id)).strip(".-")[:64] or "job"
    return f"{stem}-{ident}"


def inside(directory: Path, name: str) -> Path:
    """`directory/name` resolved, or a refusal if it resolves anywhere but directly inside."""
    root = directory.resolve()
    target = (root / name).resolve()
    if target.parent != root or target.name != name:
        raise InputError(
            f"Refused to write '{name}': it resolves outside the output directory {root}."
        )
    return target


class SaveFailed(Exception):
    """Saving one file of a job failed; `kind` says which file, `cause` why."""

    def __init__(self, kind: str, cause: DownloadError | OSError) -> None:
        super().__init__(kind, cause)
        self.kind = kind
        self.cause = cause


async def save_files(
    client: PictoryClient,
    directory: Path,
    wanted: Wanted,
    limits: DownloadLimits,
    on_progress: Progress | None = None,
) -> dict[str, Saved]:
    """Download every URL of `wanted` into `directory`; one Saved per file kind.

    All files are fetched into hidden staging files and checked first, then put in place
    together, so a failure (or a cancelled call) leaves no new file at all. `limits.timeout`
    bounds the whole call. A failure is raised as SaveFailed naming the file kind.
    """
    deadline = anyio.current_time() + limits.timeout
    stem = safe_stem(wanted.video_name, wanted.job_id)
    stagings: list[Path] = []
    staged: dict[str, tuple[Path, FileType]] = {}
    done = 0
    kind = next(iter(wanted.urls))
    try:
        await in_thread(lambda: directory.mkdir(parents=True, exist_ok=True))
        for kind, url in wanted.urls.items():
            staging = inside(directory, f".{stem}.{secrets.token_hex(6)}.staging")
            stagings.append(staging)
            left = max(deadline - anyio.current_time(), 0.001)
            got = await client.download(
                url,
                staging,
                limits=replace(limits, timeout=left),
                on_progress=_offset(on_progress, done),
            )
            head = await in_thread(read_head, staging)
            found = recognise(kind, head, got.content_type, whole=got.size <= len(head))
            if found is None:
                raise DownloadError(
                    f"the host sent {got.content_type or 'a file'} ({got.size} bytes), "
                    f"not {WANTED[kind]}",
                    reason="wrong-type",
                )
            staged[kind] = (staging, found)
            done += got.size
        return await in_thread(_place_all, stem, directory, staged)
    except (DownloadError, OSError) as exc:
        raise SaveFailed(kind, exc) from None
    finally:
        for staging in stagings:
            discard(staging)


def _offset(on_progress: Progress | None, done: int) -> Progress | None:
    """Progress over the whole call: bytes of the files already fetched plus this one's."""
    if on_progress is None:
        return None
    report = on_progress

    async def progress(received: int, total: int | None) -> None:
        await report(done + received, None if total is None else done + total)

    return progress


def _place_all(
    stem: str, directory: Path, staged: dict[str, tuple[Path, FileType]]
) -> dict[str, Saved]:
    """Every staged file at its name, in one thread hop so cancellation cannot split it; every
    name is checked before the first file is placed."""
    targets = {
        kind: inside(directory, stem + found.extension) for kind, (_, found) in staged.items()
    }
    saved: dict[str, Saved] = {}
    for kind, (staging, found) in staged.items():
        final = _place(staging, targets[kind])
        saved[kind] = Saved(final, final.stat().st_size, found.mime)
    return saved


def _place(staging: Path, target: Path) -> Path:
    """Put the staged file at `target`, or reuse an identical file there, or pick `name-N`."""
    for n in range(1, 1000):
        candidate = target if n == 1 else target.with_name(f"{target.stem}-{n}{target.suffix}")
        candidate = inside(target.parent, candidate.name)
        if candidate.exists():
            if candidate.is_file() and filecmp.cmp(candidate, staging, shallow=False):
                return candidate
            continue
        try:
            # A hard link never replaces a file that appeared meanwhile, unlike rename.
            os.link(staging, candidate)
            return candidate
        except FileExistsError:
            continue
        except OSError:  # no hard links on this file system: rename (checked just above)
            os.replace(staging, candidate)
            return candidate
    raise InputError(f"Too many different files named like {target.name}; clean up the folder.")
