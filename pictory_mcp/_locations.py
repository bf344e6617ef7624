"""Where a job history lives, as PICTORY_MCP_DB (or a caller of `open_store`) names it: a
PostgreSQL URL, a `sqlite:///` URL or a plain path. One reading for the settings and the store.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote

__all__ = ["is_postgres_url", "sqlite_path"]

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")
_SQLITE_SCHEME = "sqlite://"


def is_postgres_url(location: str | Path) -> bool:
    """True for a `postgresql://` or `postgres://` URL."""
    return isinstance(location, str) and location.lower().startswith(_POSTGRES_SCHEMES)


def sqlite_path(location: str | Path) -> Path:
    """The file a SQLite location names: `sqlite:///abs/path`, `sqlite:///~/x`, or a path."""
    if isinstance(location, Path):
        return location.expanduser()
    if location.lower().startswith(_SQLITE_SCHEME):
        rest = unquote(location[len(_SQLITE_SCHEME) :])
        if not rest.startswith("/"):
            raise ValueError(
                f"{location!r} names no file: write sqlite:///absolute/path or a plain path."
            )
        # sqlite:///~/x names a file in the home folder, /~/x read literally would not exist.
        rest = rest[1:] if rest.startswith("/~") else rest
        return Path(rest).expanduser()
    return Path(location).expanduser()
