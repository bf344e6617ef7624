"""Fixtures for driving the MCP server through real MCP clients against the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.server.app import build_server


def make_settings(base_url: str, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "api_key": SANDBOX_API_KEY,
        "base_url": base_url,
        "db_path": tmp_path / "jobs.sqlite3",
        "output_dir": tmp_path / "out",
        "poll_interval": 1.0,
    }
    values.update(overrides)
    return Settings.from_env({}, **values)


@pytest.fixture
def settings(sandbox: Any, tmp_path: Path) -> Settings:
    return make_settings(sandbox.api_base_url, tmp_path)


@pytest.fixture(params=["auto", "legacy"])
def mode(request: pytest.FixtureRequest) -> str:
    """Both protocol eras: 2026-07-28 (no handshake) and the 2025-11-25 handshake."""
    return str(request.param)


@pytest.fixture
async def client(settings: Settings, mode: str) -> AsyncIterator[Client]:
    async with Client(build_server(settings), mode=mode) as connected:  # type: ignore[arg-type]
        yield connected


def structured(result: Any) -> dict[str, Any]:
    assert not result.is_error, text_of(result)
    assert isinstance(result.structured_content, dict)
    return result.structured_content


def text_of(result: Any) -> str:
    return " ".join(getattr(c, "text", "") for c in result.content)


def posts(sandbox: Any, path: str) -> list[dict[str, Any]]:
    """Requests with a mutating method that the sandbox logged for `path`.

    A `path` ending in '/' matches any id after it (e.g. '/v2/video/render/').
    """
    found = []
    for r in sandbox.control.requests():
        if r["method"] not in ("POST", "PUT"):
            continue
        logged = r["path"]
        if path.endswith("/"):
            head, _, tail = logged.rpartition("/")
            if (head + "/").endswith(path) and tail:
                found.append(r)
        elif logged.endswith(path):
            found.append(r)
    return found
