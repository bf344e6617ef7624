"""Fixtures for driving the MCP server through real MCP clients against the sandbox."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.server.app import build_server
from tests._helpers import make_settings


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
