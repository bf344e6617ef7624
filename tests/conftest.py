"""Shared fixtures: the anyio backend, one loopback sandbox per session (reset before every
test that asks for it), the sandbox API key, and a PostgreSQL server (`tests._postgres`)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest

from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import SandboxControl
from pictory_mcp.sandbox.runner import SandboxThread
from pictory_mcp.sandbox.sandbox_config import SandboxConfig
from tests._postgres import postgres_admin_url, postgres_url, restartable_postgres

# Fixtures of a real PostgreSQL server.
__all__ = ["postgres_admin_url", "postgres_url", "restartable_postgres"]

SESSION_RENDER_SECONDS = 1.0


@dataclass(frozen=True)
class SandboxHandle:
    """What tests see of the session sandbox."""

    root_url: str
    api_base_url: str
    control: SandboxControl


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="session")
def _sandbox_server() -> Iterator[SandboxThread]:
    with SandboxThread(SandboxConfig(render_seconds=SESSION_RENDER_SECONDS)) as server:
        yield server


@pytest.fixture
def sandbox(_sandbox_server: SandboxThread) -> Iterator[SandboxHandle]:
    """The session sandbox, reset (jobs, log, faults, clock, config) before the test."""
    with SandboxControl(_sandbox_server.root_url) as control:
        control.reset()
        yield SandboxHandle(_sandbox_server.root_url, _sandbox_server.api_base_url, control)


@pytest.fixture
def api_key() -> str:
    return SANDBOX_API_KEY
