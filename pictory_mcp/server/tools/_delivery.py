"""Saving a job's files into the output directory: safe names, no writes outside the directory,
and never overwriting a different file (an identical one is reused, so a repeat is harmless)."""

from __future__ import annotations

import filecmp
import os
import re
import secrets
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from pictory_mcp.errors import InputError
from pictory_mcp.server.tools._base import in_thread

if TYPE_CHECKING:
    from pictory_mcp.api import PictoryClient

MAX_STEM = 80
_UNSAFE = re.compile(r"[^\w.-]+")  # anything but letters, digits, '_', '.', '-'
_DOTS = re.compile(r"\.{2,}")
EXTENSIONS = {
    "video": (".mp4", "video/mp4"),
    "thumbnail": (".jpg", "image/jpeg"),
    "srt": (".srt", "application/x-subrip"),
    "vtt": (".vtt", "text/vtt"),
    "txt": (".txt", "text/plain"),
}


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


async def save_files(client: PictoryClient, directory: Path, wanted: Wanted) -> dict[str, Saved]:
    """Download every URL of `wanted` into `directory`; one Saved per file kind."""
    await in_thread(lambda: directory.mkdir(parents=True, exist_ok=True))
    stem = safe_stem(wanted.video_name, wanted.job_id)
    saved: dict[str, Saved] = {}
    for kind, url in wanted.urls.items():
        extension, mime = EXTENSIONS[kind]
        name = stem + extension
        target = inside(directory, name)
        staging = inside(directory, f".{stem}.{secrets.token_hex(6)}.staging")
        try:
            await client.download(url, staging)
            final = await in_thread(_place, staging, target)
        finally:
            await in_thread(_discard, staging)
        saved[kind] = Saved(final, final.stat().st_size, mime)
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


def _discard(path: Path) -> None:
    path.unlink(missing_ok=True)
