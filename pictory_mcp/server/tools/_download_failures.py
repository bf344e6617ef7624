"""The sentence an agent gets when a file of a job could not be saved: what went wrong (a bound,
the host rule, the host, the bytes, the output folder) and what to do next."""

from __future__ import annotations

import errno
from pathlib import Path

from pictory_mcp.errors import DownloadError

WHAT = {
    "video": "video",
    "thumbnail": "thumbnail",
    "srt": "SRT subtitles",
    "vtt": "WebVTT subtitles",
    "txt": "transcript",
}
_INSTEAD = "give the user the job's video_url (check_job shows it) instead"
_FRESH = "call check_job(job_id) for fresh result URLs, then download_video again"
_FULL = frozenset({errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC), errno.EFBIG})
_DENIED = frozenset({errno.EACCES, errno.EPERM})


def download_failure(exc: DownloadError, kind: str, job_id: str, timeout: float) -> str:
    """The sentence for a file that could not be fetched; nothing of it was saved."""
    head = f"Could not save the {WHAT.get(kind, kind)} of job {job_id}"
    reason = exc.reason
    if reason == "timeout":
        return (
            f"{head}: it did not finish within {timeout:g} s (PICTORY_MCP_DOWNLOAD_TIMEOUT), so "
            f"nothing was saved; {_INSTEAD}, or raise PICTORY_MCP_DOWNLOAD_TIMEOUT if your "
            "client waits longer."
        )
    if reason == "too-large":
        return (
            f"{head}: {exc} (PICTORY_MCP_MAX_DOWNLOAD_MB), so nothing was saved; {_INSTEAD}, "
            "or raise PICTORY_MCP_MAX_DOWNLOAD_MB."
        )
    if reason == "refused-host":
        return (
            f"{head}: {exc}, so nothing was fetched; call check_job(job_id) to ask Pictory for "
            "the job's URLs again, and check PICTORY_API_BASE_URL if it still happens."
        )
    status = exc.status_code
    if reason == "wrong-type" or (status is not None and status < 500 and status != 429):
        # A page or an error status in place of the file: often an expired signed URL.
        return f"{head}: {exc}, so nothing was saved; {_FRESH}, or {_INSTEAD}."
    return f"{head}: {exc}; try again in a minute, or {_INSTEAD}."


def disk_failure(exc: OSError, kind: str, job_id: str, folder: Path) -> str:
    """The sentence for an output folder that could not take the file."""
    head = f"Could not save the {WHAT.get(kind, kind)} of job {job_id}"
    again = "then call download_video again"
    blocker = _file_in_the_way(folder)
    if blocker is not None:
        return (
            f"{head}: {blocker} is a file, not a folder, so it cannot hold downloads; set "
            f"PICTORY_MCP_OUTPUT_DIR to a folder (or move that file away), {again}."
        )
    if exc.errno in _FULL:
        return (
            f"{head}: there is not enough free space for it on the disk holding the output "
            f"folder {folder} (full or nearly full), so nothing was saved; free some space or set "
            f"PICTORY_MCP_OUTPUT_DIR to a folder on another disk, {again}."
        )
    if exc.errno == errno.EROFS:
        return (
            f"{head}: the output folder {folder} is on a read-only file system; set "
            f"PICTORY_MCP_OUTPUT_DIR to a writable folder, {again}."
        )
    if exc.errno in _DENIED:
        return (
            f"{head}: the server may not write to the output folder {folder} (permission "
            "denied); make it writable for the user running the server or set "
            f"PICTORY_MCP_OUTPUT_DIR to another folder, {again}."
        )
    problem = exc.strerror or type(exc).__name__
    return (
        f"{head}: writing to the output folder {folder} failed ({problem}); check that folder "
        f"or set PICTORY_MCP_OUTPUT_DIR to another one, {again}."
    )


def _file_in_the_way(folder: Path) -> Path | None:
    """The folder itself or the nearest ancestor, if what exists there is not a directory."""
    for path in (folder, *folder.parents):
        try:
            if path.exists() or path.is_symlink():
                return None if path.is_dir() else path
        except OSError:
            return None
    return None
