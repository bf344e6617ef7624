"""Per-server state lives on the server's AppState, never in module globals: two servers in one
process (two users, two tests) share nothing, and serving calls leaves every module-level
container of the package as it was."""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import MutableMapping, MutableSequence, MutableSet
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

import pictory_mcp
from pictory_mcp.server.app import build_server
from pictory_mcp.server.state import AppState

from .conftest import make_settings, structured

pytestmark = pytest.mark.anyio

SCRIPT = "Solar power is getting cheaper every year."


def package_modules() -> list[Any]:
    """Every module of the package but the sandbox (a separate program with its own state)."""
    modules = []
    for info in pkgutil.walk_packages(pictory_mcp.__path__, "pictory_mcp."):
        if info.name.startswith("pictory_mcp.sandbox") or info.name.endswith("__main__"):
            continue
        modules.append(importlib.import_module(info.name))
    return modules


def containers(modules: list[Any]) -> dict[str, int]:
    """Size of every mutable container bound at module level, by `module.name`."""
    sizes = {}
    for module in modules:
        for name, value in vars(module).items():
            if name.startswith("__"):
                continue
            if isinstance(value, MutableMapping | MutableSequence | MutableSet):
                sizes[f"{module.__name__}.{name}"] = len(value)
    return sizes


async def use(client: Client) -> str:
    await client.call_tool("list_voices", {})
    view = structured(await client.call_tool("create_video_from_text", {"script": SCRIPT}))
    job_id = str(view["job_id"])
    structured(await client.call_tool("check_job", {"job_id": job_id}))
    await client.read_resource("pictory://jobs")
    return job_id


async def test_two_servers_in_one_process_share_no_state(sandbox: Any, tmp_path: Path) -> None:
    first = build_server(make_settings(sandbox.api_base_url, tmp_path / "a"))
    second = build_server(make_settings(sandbox.api_base_url, tmp_path / "b"))
    async with Client(first) as a, Client(second) as b:
        state_a: AppState = first.shared_state.ref["state"]
        state_b: AppState = second.shared_state.ref["state"]
        job_a = await use(a)
        assert state_a.polls.last_polled(job_a) is not None
        assert state_b.polls.last_polled(job_a) is None
        assert state_b.voices.value is None  # b has fetched nothing yet
        job_b = await use(b)
        for part in ("store", "polls", "leases", "submitter", "notifier", "voices", "lookups"):
            assert getattr(state_a, part) is not getattr(state_b, part), part
        assert state_a.engine is not None and state_a.engine is not state_b.engine
        assert state_a.owner != state_b.owner
        assert state_a.require_client() is not state_b.require_client()
        assert state_a.require_client().submit_lock is not state_b.require_client().submit_lock
        assert state_a.store.get(job_b) is None and state_b.store.get(job_a) is None


async def test_serving_calls_leaves_module_level_containers_unchanged(
    sandbox: Any, tmp_path: Path
) -> None:
    modules = package_modules()
    server = build_server(make_settings(sandbox.api_base_url, tmp_path))
    async with Client(server) as client:
        await use(client)  # warm-up: caches the package fills once (schemas, lazy imports)
        before = containers(modules)
        for _ in range(2):
            await use(client)
        after = containers(modules)
    changed = {k: (before.get(k), v) for k, v in after.items() if before.get(k) != v}
    assert changed == {}
