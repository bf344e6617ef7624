"""Small file-system helpers shared by the API client's downloads and the server's delivery."""

from __future__ import annotations

import logging
from pathlib import Path

__all__ = ["discard"]

logger = logging.getLogger("pictory_mcp")


def discard(path: Path) -> None:
    """Remove a partial or staging file. Synchronous, so a cancelled call still runs it; a
    failure here (e.g. on a read-only file system) must not hide the error that got us here."""
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        logger.debug("could not remove %s: %s", path, exc)
