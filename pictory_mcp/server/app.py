"""build_server: one configured MCPServer; serving_state: what a server process runs on
(job store, Pictory client, caches, sandbox, workflow engine)."""

from __future__ import annotations

import difflib
import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, InputRequiredResult
from mcp.types import Tool as MCPTool
from pydantic import BaseModel, ValidationError
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pictory_mcp import __version__
from pictory_mcp.config import Settings
from pictory_mcp.server.bounds import call_bound, call_deadline, over_bound
from pictory_mcp.server.http import auth_options
from pictory_mcp.server.inventory import tools
from pictory_mcp.server.lifespan import SharedState
from pictory_mcp.server.prompts import register_prompts
from pictory_mcp.server.resources import register_resources
from pictory_mcp.server.schemas import (
    compact_result,
    compact_schema,
    drop_nulls,
    shallow_output_schema,
    text_block,
)
from pictory_mcp.server.state import AppState

if TYPE_CHECKING:
    from pictory_mcp.api import PictoryClient
from pictory_mcp.server.workflows import running_workflows

logger = logging.getLogger("pictory_mcp.server")

INSTRUCTIONS = (
    "Makes videos with Pictory. Renders take minutes and spend the user's credits: "
    "check list_catalog(kind='quota') before large jobs, offer preview=true first, then poll "
    "check_job every 10-30 s. Job history: pictory://jobs."
)


def fold_options(tool: str, arguments: dict[str, Any], known: set[str]) -> dict[str, Any]:
    """Let shared options be given top-level on tools that take them as `options`."""
    from pictory_mcp.server.tools._options import SHARED_OPTION_KEYS

    if "options" not in known:
        return arguments
    loose = {k: v for k, v in arguments.items() if k in SHARED_OPTION_KEYS and k not in known}
    if not loose:
        return arguments
    nested = arguments.get("options") or {}
    if not isinstance(nested, dict):
        return arguments  # let validation report the bad `options` value
    clash = sorted(set(loose) & set(nested))
    if clash:
        raise ToolError(f"{tool}: give {', '.join(clash)} once, either top-level or in options.")
    rest = {k: v for k, v in arguments.items() if k not in loose}
    return {**rest, "options": {**nested, **loose}}


def _argument_problem(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"] if p != "arguments") or "arguments"
        parts.append(f"{where}: {err['msg']}")
    return "; ".join(parts)


def tool_result(tool: Tool, value: Any) -> CallToolResult | InputRequiredResult:
    """A tool's return value as its answer: structured content without nulls, mirrored by one
    compact JSON text block.

    The common case, a tool returning its declared output model, is dumped once here; anything
    else goes through the SDK's own conversion (and its output validation) and is compacted.
    """
    meta = tool.fn_metadata
    model = meta.output_model
    try:
        if (
            isinstance(model, type)
            and isinstance(value, model)
            and isinstance(value, BaseModel)
            and meta.output_schema is not None
            and not meta.wrap_output
        ):
            structured = drop_nulls(value.model_dump(mode="json", by_alias=True))
            return CallToolResult(content=[text_block(structured)], structured_content=structured)
        converted = meta.convert_result(value)
    except Exception as exc:
        raise UnexpectedToolError(f"Error executing tool {tool.name}") from exc
    return compact_result(converted) if isinstance(converted, CallToolResult) else converted


def _settings_of(context: Context[AppState, Any] | None) -> Settings | None:
    if context is None:
        return None
    try:
        state = context.request_context.lifespan_context
    except (AttributeError, LookupError, ValueError):
        return None
    return state.settings if isinstance(state, AppState) else None


class PictoryServer(MCPServer[AppState]):
    """MCPServer that refuses unknown argument names and words validation errors plainly."""

    # The process's state; an HTTP app holds it for all its connections (see `http_serve`).
    shared_state: SharedState

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[AppState, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        tool = self._tool_manager.get_tool(name)
        if tool is not None:
            known = set(tool.parameters.get("properties", {}))
            arguments = fold_options(name, arguments, known)
            for arg in arguments:
                if arg not in known:
                    close = difflib.get_close_matches(arg, sorted(known), n=1)
                    hint = f" Did you mean '{close[0]}'?" if close else ""
                    allowed = ", ".join(sorted(known))
                    raise ToolError(
                        f"Unknown argument '{arg}' for {name}.{hint} Arguments: {allowed}."
                    )
        settings = _settings_of(context)
        bound = call_bound(name, arguments, settings) if settings else None
        try:
            if tool is None or context is None or bound is None:
                result = await super().call_tool(name, arguments, context)
            else:
                with call_deadline(bound), anyio.move_on_after(bound) as scope:
                    result = tool_result(tool, await tool.run(arguments, context))
                if scope.cancelled_caught:
                    read_only = bool(tool.annotations and tool.annotations.read_only_hint)
                    logger.warning("tool %s reached its bound of %g s", name, bound)
                    raise ToolError(over_bound(name, bound, read_only=read_only))
        except ToolError as exc:
            if isinstance(exc.__cause__, ValidationError):
                raise ToolError(
                    f"Invalid arguments for {name}: {_argument_problem(exc.__cause__)}. "
                    "Fix them and call again."
                ) from None
            raise
        return result

    async def run_stdio_async(self) -> None:
        """Serve stdio on the event loop's pipes when possible (see `server/stdio.py`)."""
        from pictory_mcp.server.stdio import serve_stdio

        await serve_stdio(self._lowlevel_server)

    async def list_tools(self) -> list[MCPTool]:
        return [self._listed(tool) for tool in await super().list_tools()]

    def _listed(self, tool: MCPTool) -> MCPTool:
        """The tool as listed: compact schemas, worked out once per registered schema."""
        memo: dict[str, tuple[Any, Any, MCPTool]] = self.__dict__.setdefault("_listed_memo", {})
        known = memo.get(tool.name)
        if known and known[0] == tool.input_schema and known[1] == tool.output_schema:
            return known[2]
        listed = tool.model_copy(
            update={
                "input_schema": compact_schema(tool.input_schema),
                "output_schema": shallow_output_schema(tool.output_schema)
                if tool.output_schema
                else None,
            }
        )
        memo[tool.name] = (tool.input_schema, tool.output_schema, listed)
        return listed


def build_server(
    settings: Settings, *, http_host: str = "127.0.0.1", http_port: int = 8000
) -> PictoryServer:
    """A server ready to run on any transport; nothing connects until its lifespan starts."""
    shared = SharedState(lambda: serving_state(settings))
    server = PictoryServer(
        name="pictory-mcp",
        title="Pictory",
        description="Pictory video API tools: videos from text, articles, PowerPoints, templates and storyboards; previews; highlights; catalogue; job tracking.",
        instructions=INSTRUCTIONS,
        version=__version__,
        lifespan=shared.connection,
        tools=tools(),
        log_level=settings.log_level.upper(),  # type: ignore[arg-type]
        **auth_options(settings, host=http_host, port=http_port),
    )

    @server.custom_route("/healthz", methods=["GET"])  # type: ignore[untyped-decorator]
    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok", "version": __version__})

    server.shared_state = shared
    register_resources(server, shared.ref)
    register_prompts(server)
    return server


@asynccontextmanager
async def serving_state(settings: Settings) -> AsyncIterator[AppState]:
    """Everything a server process runs on, opened once and closed at exit: the job store,
    the Pictory client, caches, the sandbox if asked, and the workflow engine."""
    async with AsyncExitStack() as stack:
        state = await open_state(settings, stack)
        await stack.enter_async_context(running_workflows(state))
        yield state


async def open_state(settings: Settings, stack: AsyncExitStack) -> AppState:
    """Open the job store, start the sandbox if asked, and say how to make the Pictory client."""
    from pictory_mcp.jobs import JobStore

    store = JobStore(settings.db_path)
    stack.callback(store.close)
    base_url = settings.base_url
    api_key = settings.api_key.get_secret_value() if settings.api_key else None
    sandbox_url = None
    if settings.sandbox:
        from pictory_mcp.sandbox import SANDBOX_API_KEY
        from pictory_mcp.sandbox.runner import serve_sandbox

        running = await stack.enter_async_context(serve_sandbox())
        base_url = sandbox_url = running.api_base_url
        api_key = SANDBOX_API_KEY
        logger.info("Pictory sandbox running at %s", base_url)
    factory: Callable[[], PictoryClient] | None = None
    if api_key:
        key = api_key

        def factory() -> PictoryClient:
            from pictory_mcp.api import PictoryClient

            return PictoryClient(
                key,
                base_url,
                timeout=settings.http_timeout,
                rate_per_second=settings.rate_per_second,
            )

    else:
        logger.warning("PICTORY_API_KEY is not set; tools will explain how to set it.")
    state = AppState(
        settings=settings,
        store=store,
        client_factory=factory,
        base_url=base_url,
        sandbox_url=sandbox_url,
    )
    stack.push_async_callback(state.aclose)
    state.voices.ttl = settings.voice_cache_seconds
    return state
