"""The Pictory HTTP client. Knows nothing of MCP; raises only pictory_mcp.errors (and OSError
when a download meets the file system).

Every name, and the `models` and `submit` modules, loads on first use: importing this package
imports neither httpx nor the models, so the server imports it at start-up for nothing.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pictory_mcp.facts import DEFAULT_BASE_URL

    from . import models, submit
    from ._download import Downloaded, DownloadLimits, Progress
    from ._retry import RetryPolicy, TokenBucket, parse_retry_after
    from .client import DEFAULT_USER_AGENT, MusicFacet, PictoryClient

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "DownloadLimits",
    "Downloaded",
    "MusicFacet",
    "PictoryClient",
    "Progress",
    "RetryPolicy",
    "TokenBucket",
    "models",
    "parse_retry_after",
    "submit",
]

# Where each name lives; a module's own name maps to None.
_HOMES: dict[str, str | None] = {
    "DEFAULT_BASE_URL": "pictory_mcp.facts",
    "DEFAULT_USER_AGENT": f"{__name__}.client",
    "DownloadLimits": f"{__name__}._download",
    "Downloaded": f"{__name__}._download",
    "MusicFacet": f"{__name__}.client",
    "PictoryClient": f"{__name__}.client",
    "Progress": f"{__name__}._download",
    "RetryPolicy": f"{__name__}._retry",
    "TokenBucket": f"{__name__}._retry",
    "models": None,
    "parse_retry_after": f"{__name__}._retry",
    "submit": None,
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    home = _HOMES[name]
    if home is None:
        return importlib.import_module(f"{__name__}.{name}")
    value = getattr(importlib.import_module(home), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
