"""build_server: one configured server; serving_state: what a server process runs on (job
store, Pictory client, caches, background work). The composition root of the MCP layer: the
one module of `server/` that brings the tools, resources and prompts together."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING

import anyio
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pictory_mcp import __version__, api
from pictory_mcp.config import Settings
from pictory_mcp.jobs import open_store
from pictory_mcp.server.http import auth_options
from pictory_mcp.server.inventory import extras_json_schema, offered, option_names, tools
from pictory_mcp.server.lifespan import SharedState
from pictory_mcp.server.notify import Notifier
from pictory_mcp.server.phrasing import NO_CANCEL, RENDER_TIME
from pictory_mcp.server.pictory_server import PictoryServer
from pictory_mcp.server.prompts import register_prompts
from pictory_mcp.server.resources import register_resources
from pictory_mcp.server.state import AppState
from pictory_mcp.server.tasks import RenderTasks
from pictory_mcp.server.views import build_apps
from pictory_mcp.server.workflow_engine import WorkflowEngine, engine_of

if TYPE_CHECKING:
    from mcp.server.mcpserver.tools import Tool

    from pictory_mcp.api import PictoryClient, RetryPolicy
    from pictory_mcp.api.submit import SubmitPolicy

__all__ = ["INSTRUCTIONS", "Upstream", "build_server", "open_state", "serving_state"]

logger = logging.getLogger("pictory_mcp.server")

INSTRUCTIONS = (
    f"Makes videos with Pictory. Renders spend the user's credits and {NO_CANCEL} "
    "(Pictory has no cancel): check list_catalog(kind='quota') before large jobs, offer "
    f"preview=true first, then call wait_for_job(job_id) until done ({RENDER_TIME}). "
    "Job history: pictory://jobs."
)

Upstream = Callable[[], AbstractAsyncContextManager[tuple[str, str]]]
"""Starts a Pictory API for the server's lifetime and yields its base URL and API key — how
the CLI plugs in the sandbox (`--sandbox`) without this package importing it."""


def build_server(
    settings: Settings,
    *,
    http_host: str = "127.0.0.1",
    http_port: int = 8000,
    upstream: Upstream | None = None,
    retry: RetryPolicy | None = None,
    submit_policy: SubmitPolicy | None = None,
) -> PictoryServer:
    """A server ready to run on any transport; nothing connects until its lifespan starts.

    It offers the tools of `settings.toolsets` (an unknown name raises ConfigurationError),
    without those that spend credits or write files when `settings.read_only`.

    `upstream` replaces the configured Pictory API (the sandbox); `retry` replaces the Pictory
    client's retry policy and `submit_policy` how hard job-creating calls try (tests).
    """
    notifier = Notifier()
    shared = SharedState(
        lambda: serving_state(
            settings,
            upstream=upstream,
            retry=retry,
            submit_policy=submit_policy,
            notifier=notifier,
        )
    )
    options = auth_options(settings, host=http_host, port=http_port)
    if settings.hosted:
        from pictory_mcp.server.hosted_app import hosted_options

        options = hosted_options(settings)
    specs = offered(settings.toolsets, read_only=settings.read_only, hosted=settings.hosted)
    apps = build_apps(specs)  # the inline views the offered tools link to
    listed = tools(specs)
    tasks = _tasks(listed, settings)
    extensions = [e for e in (apps, tasks) if e is not None]
    server = PictoryServer(
        name="pictory-mcp",
        title="Pictory",
        description="Pictory video API tools: videos from text, articles, PowerPoints, templates and storyboards; previews; highlights; catalogue; job tracking.",
        instructions=INSTRUCTIONS,
        version=__version__,
        lifespan=shared.connection,
        tools=listed,
        extensions=extensions or None,
        log_level=settings.log_level.upper(),  # type: ignore[arg-type]
        **options,
    )

    @server.custom_route("/healthz", methods=["GET"])  # type: ignore[untyped-decorator]
    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    if settings.webhooks:
        from pictory_mcp.server.tools.jobs import poll_once
        from pictory_mcp.server.webhooks import webhook_route

        route = webhook_route(lambda: shared.ref.get("state"), poll_once)
        server._custom_starlette_routes.append(route)

    server.shared_state = shared
    if tasks is not None:
        from pictory_mcp.server.tools.jobs import stored_view

        tasks.serve(server, recorded=stored_view)
    notifier.attach(server)  # job-history changes reach listening clients
    server.option_names = option_names()
    register_resources(server, shared.ref, extras_json_schema)
    register_prompts(server)
    if settings.hosted:
        from pictory_mcp.server.hosted_app import add_hosted_routes, install_gate

        install_gate(server, settings, notifier)
        add_hosted_routes(server, shared, settings)
    return server


def _tasks(offered: list[Tool], settings: Settings) -> RenderTasks | None:
    """The tasks extension, when the server offers a tool that may start a job and check_job,
    whose answer a task's state is."""
    spending = frozenset(
        t.name for t in offered if not (t.annotations and t.annotations.read_only_hint)
    )
    if not spending or not any(t.name == "check_job" for t in offered):
        return None
    return RenderTasks(spending, settings)


@asynccontextmanager
async def serving_state(
    settings: Settings,
    *,
    upstream: Upstream | None = None,
    retry: RetryPolicy | None = None,
    submit_policy: SubmitPolicy | None = None,
    notifier: Notifier | None = None,
) -> AsyncIterator[AppState]:
    """Everything a server process runs on, opened once and closed at exit: the job store,
    the Pictory client, caches, the upstream if given, and the background work."""
    async with AsyncExitStack() as stack:
        state = await open_state(settings, stack, upstream=upstream, retry=retry)
        state.notifier = notifier
        state.submit_policy = submit_policy
        await stack.enter_async_context(running_background(state))
        yield state


async def open_state(
    settings: Settings,
    stack: AsyncExitStack,
    *,
    upstream: Upstream | None = None,
    retry: RetryPolicy | None = None,
) -> AppState:
    """Open the job store and the upstream if given, and say how to make the Pictory client."""
    store = open_store(settings.db_url.get_secret_value() if settings.db_url else settings.db_path)
    stack.callback(store.close)
    base_url = settings.base_url
    api_key = settings.api_key.get_secret_value() if settings.api_key else None
    sandbox_url = None
    if upstream is not None:
        base_url, api_key = await stack.enter_async_context(upstream())
        sandbox_url = base_url
    factory: Callable[[], PictoryClient] | None = None
    if settings.hosted:
        api_key = None  # each user's own key, looked up per call (server/tenancy.py)
    if api_key:
        key = api_key

        def factory() -> PictoryClient:
            return api.PictoryClient(
                key,
                base_url,
                timeout=settings.http_timeout,
                rate_per_second=settings.rate_per_second,
                retry=retry,
            )

    elif not settings.hosted:
        logger.warning("PICTORY_API_KEY is not set; tools will explain how to set it.")
    state = AppState(
        settings=settings,
        store=store,
        client_factory=factory,
        base_url=base_url,
        sandbox_url=sandbox_url,
        lease_seconds=settings.lease_seconds,
    )
    stack.push_async_callback(state.aclose)
    state.voices.ttl = settings.voice_cache_seconds
    if settings.hosted:
        from pictory_mcp.server.hosted_app import open_tenants

        state.tenants = open_tenants(state)
        stack.push_async_callback(state.tenants.aclose)
    return state


@asynccontextmanager
async def running_background(state: AppState) -> AsyncIterator[WorkflowEngine]:
    """The process's background work for the lifespan: the workflow engine, the submitter's
    record retries, and lease renewals. Renewals stop last, after the requests still being
    sent (shielded) have finished and released what they held."""
    engine = engine_of(state)
    try:
        async with anyio.create_task_group() as renewals:
            renewals.start_soon(state.leases.run)
            async with state.background.running():
                if state.tenants is not None:  # hosted: the tenants run their own engines
                    _start_hosted(state)
                else:
                    state.background.start(engine.run)
                    state.background.start(state.submitter.retry_records)
                yield engine
            renewals.cancel_scope.cancel()
    finally:
        state.engine = None
        state.submitter.log_unrecorded()


def _start_hosted(state: AppState) -> None:
    from pictory_mcp.server.hosted_app import RESUME_EVERY, listen_for_changes

    assert state.tenants is not None
    tenants = state.tenants
    state.background.start(lambda: tenants.watch(min(RESUME_EVERY, state.lease_seconds / 2)))
    if getattr(state.store, "supports_listen", False):
        state.background.start(lambda: listen_for_changes(state))
