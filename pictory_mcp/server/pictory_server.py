"""`PictoryServer`: the SDK's MCPServer with this server's rules at the one place every tool
call passes: shared options folded in, unknown argument names refused with a suggestion,
argument errors worded plainly, the call's time bound, and every expected failure turned into
one actionable sentence (`failures.describe`). Tools bound to inline views keep their cached
registration, and view-only tools are listed only to clients that show views."""

from __future__ import annotations

import difflib
import logging
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.apps import client_supports_apps
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ResourceError, ToolError, UnexpectedToolError
from mcp.server.mcpserver.tools import Tool
from mcp.types import CallToolResult, InputRequiredResult, ListToolsResult
from mcp.types import Tool as MCPTool
from pydantic import BaseModel, ValidationError

from pictory_mcp.errors import PictoryMCPError, StoreError
from pictory_mcp.server.bounds import GRACE, call_bound, call_deadline, over_bound
from pictory_mcp.server.confirm import NeedsAnswer
from pictory_mcp.server.failures import describe
from pictory_mcp.server.lifespan import SharedState
from pictory_mcp.server.option_paths import OptionNames, fold_options, speak_paths
from pictory_mcp.server.schemas import (
    compact_result,
    compact_schema,
    drop_nulls,
    shallow_output_schema,
    text_block,
)
from pictory_mcp.server.spending import CALLER, Caller
from pictory_mcp.server.state import CURRENT_TENANT, AppState
from pictory_mcp.server.submissions import CLIENT_IDEMPOTENCY_KEY, IDEMPOTENCY_META
from pictory_mcp.server.views import is_view_only, with_upstream

if TYPE_CHECKING:
    from collections.abc import Callable

    from mcp.server.context import ServerRequestContext
    from mcp.types import Icon, PaginatedRequestParams, ToolAnnotations

    from pictory_mcp.server.gate import Gate

__all__ = ["PictoryServer", "fold_options", "tool_result"]

logger = logging.getLogger("pictory_mcp.server")


# Arguments whose over-long value is better split than cut: what to do with the rest.
_SPLIT_HINT = {"script": "split it into several videos, one create_video_from_text call per part"}


def _argument_problem(exc: ValidationError) -> str:
    parts = []
    for err in exc.errors()[:5]:
        where = ".".join(str(p) for p in err["loc"] if p != "arguments") or "arguments"
        limit = (err.get("ctx") or {}).get("max_length")
        if err["type"] == "string_too_long" and isinstance(err.get("input"), str) and limit:
            # Say how long it is and the limit, so the agent knows how much to cut or split.
            hint = _SPLIT_HINT.get(where, "shorten it")
            parts.append(
                f"{where} is {len(err['input'])} characters, at most {limit} allowed: {hint}"
            )
            continue
        parts.append(f"{where}: {err['msg'].removeprefix('Value error, ')}")
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


def _state_of(context: Context[AppState, Any] | None) -> AppState | None:
    if context is None:
        return None
    try:
        state = context.request_context.lifespan_context
    except (AttributeError, LookupError, ValueError):
        return None
    return state if isinstance(state, AppState) else None


def _idempotency_key(context: Context[AppState, Any] | None) -> str | None:
    """The idempotency key a client sent in the call's `_meta`, if any (a short text)."""
    try:
        meta = context.request_context.meta if context is not None else None
    except (AttributeError, LookupError, ValueError):
        return None
    value = meta.get(IDEMPOTENCY_META) if isinstance(meta, dict) else None
    return value[:200] if isinstance(value, str) and value.strip() else None


def _translated(tool: str, exc: PictoryMCPError) -> ToolError:
    """The agent's sentence for an expected failure (never a traceback, never a secret)."""
    message = describe(exc)
    logger.info("tool %s failed: %s", tool, message)
    return ToolError(message)


class PictoryServer(MCPServer[AppState]):
    """MCPServer with the rules above; `option_names` are the create tools' option names, each
    accepted top-level, in `options` or in `options.extras` (see `option_paths`)."""

    option_names: OptionNames = OptionNames()

    # The process's state; an HTTP app holds it for all its connections (see `http_serve`).
    shared_state: SharedState
    # Hosted mode: who may call what, and on whose state (see `server/gate.py`).
    gate: Gate | None = None

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[AppState, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        tool = self._tool_manager.get_tool(name)
        moved: dict[str, str] = {}
        if tool is not None:
            known = set(tool.parameters.get("properties", {}))
            arguments, moved = fold_options(name, arguments, known, self.option_names)
            for arg in arguments:
                if arg not in known:
                    close = difflib.get_close_matches(arg, sorted(known), n=1)
                    hint = f" Did you mean '{close[0]}'?" if close else ""
                    allowed = ", ".join(sorted(known))
                    raise ToolError(
                        f"Unknown argument '{arg}' for {name}.{hint} Arguments: {allowed}."
                    )
        try:
            return await self._call_tool(name, tool, arguments, context)
        except ToolError as exc:
            if not moved:
                raise
            raise ToolError(speak_paths(str(exc), moved)) from None

    async def _call_tool(
        self,
        name: str,
        tool: Tool | None,
        arguments: dict[str, Any],
        context: Context[AppState, Any] | None,
    ) -> CallToolResult | InputRequiredResult:
        state = _state_of(context)
        entered = None
        idempotency = CLIENT_IDEMPOTENCY_KEY.set(_idempotency_key(context))
        caller = CALLER.set(Caller(name, context))
        try:
            if self.gate is not None and tool is not None and state is not None:
                state, entered = await self.gate.enter(state, tool, context)
            if tool is None or context is None or state is None:
                result = await super().call_tool(name, arguments, context)
            else:
                result = await self._bounded(tool, arguments, context, state)
        except PictoryMCPError as exc:
            raise _translated(name, exc) from None
        except ToolError as exc:
            cause = exc.__cause__
            if isinstance(cause, NeedsAnswer):  # a 2026-07-28 client is asked between rounds
                return cause.result
            if isinstance(cause, ValidationError):
                raise ToolError(
                    f"Invalid arguments for {name}: {_argument_problem(cause)}. "
                    "Fix them and call again."
                ) from None
            if isinstance(cause, PictoryMCPError):
                raise _translated(name, cause) from None
            raise
        finally:
            CALLER.reset(caller)
            CLIENT_IDEMPOTENCY_KEY.reset(idempotency)
            if entered is not None:
                CURRENT_TENANT.reset(entered)
        return result

    def answer(self, name: str, value: Any) -> CallToolResult | InputRequiredResult:
        """`value` as tool `name` would answer with it (a view the server made elsewhere,
        answered in that tool's words and shape)."""
        tool = self._tool_manager.get_tool(name)
        if tool is None:
            raise ToolError(f"Unknown tool: {name}")
        return tool_result(tool, value)

    async def read_resource(self, uri: Any, context: Any = None) -> Any:
        contents = await self._read_resource(uri, context)
        state = _state_of(context)
        if str(uri).startswith("ui://") and state is not None and isinstance(contents, list):
            # A view's CSP names the upstream's origin, known only once the server runs.
            return with_upstream(contents, state.base_url)
        return contents

    async def _read_resource(self, uri: Any, context: Any) -> Any:
        if self.gate is None:
            return await super().read_resource(uri, context)
        state = _state_of(context)
        if state is None:
            raise ResourceError("The server is still starting; try again.")
        _, entered = await self.gate.enter(state, None, context)
        try:
            return await super().read_resource(uri, context)
        finally:
            CURRENT_TENANT.reset(entered)

    def add_tool(
        self,
        fn: Callable[..., Any],
        name: str | None = None,
        title: str | None = None,
        description: str | None = None,
        annotations: ToolAnnotations | None = None,
        icons: list[Icon] | None = None,
        meta: dict[str, Any] | None = None,
        structured_output: bool | None = None,
    ) -> None:
        """Register a tool; one already registered with this function (an extension binding a
        tool to its view) keeps its registration, schemas from the cache, and takes `meta`."""
        registered = self._tool_manager.get_tool(name or fn.__name__)
        if registered is not None and registered.fn is fn:
            registered.meta = {**(registered.meta or {}), **(meta or {})}
            return
        super().add_tool(
            fn,
            name=name,
            title=title,
            description=description,
            annotations=annotations,
            icons=icons,
            meta=meta,
            structured_output=structured_output,
        )

    async def _bounded(
        self,
        tool: Tool,
        arguments: dict[str, Any],
        context: Context[AppState, Any],
        state: AppState,
    ) -> CallToolResult | InputRequiredResult:
        """Run the tool in the server's background and answer by its bound, whatever the
        tool is stuck on (a cancellation cannot interrupt a history write waiting on another
        process's lock): with what the call has started, if anything, or a plain sentence."""
        name = tool.name
        bound = call_bound(name, arguments, state.settings)
        with call_deadline(bound) as call:
            handle = await state.background.detach(lambda: tool.run(arguments, context))
            try:
                with anyio.move_on_after(bound):
                    await handle.done.wait()
            finally:
                if not handle.done.is_set():  # the bound, or the client cancelled the call
                    handle.cancel()
            if handle.done.is_set():
                return tool_result(tool, handle.result())
            logger.warning("tool %s reached its bound of %g s", name, bound)
            if call.fallback is not None:
                with anyio.move_on_after(GRACE):
                    return tool_result(tool, await call.fallback())
            read_only = bool(tool.annotations and tool.annotations.read_only_hint)
            failure = state.store.recent_failure()
            if failure is not None:  # what the call was most likely waiting on
                waited = describe(StoreError(failure))
                raise ToolError(f"{name} did not finish within {bound:g} s: {waited}")
            raise ToolError(over_bound(name, bound, read_only=read_only))

    async def run_stdio_async(self) -> None:
        """Serve stdio on the event loop's pipes when possible (see `server/stdio.py`)."""
        from pictory_mcp.server.stdio import serve_stdio

        await serve_stdio(self._lowlevel_server)

    async def _handle_list_tools(
        self, ctx: ServerRequestContext[AppState], params: PaginatedRequestParams | None
    ) -> ListToolsResult:
        """Tools for views only are listed to clients that show views; hosts hide them from
        the model, and a client without views would show them to it."""
        listed = await self.list_tools()
        if not client_supports_apps(ctx):
            listed = [tool for tool in listed if not is_view_only(tool)]
        return ListToolsResult(tools=listed)

    async def list_tools(self) -> list[MCPTool]:
        listed = [self._listed(tool) for tool in await super().list_tools()]
        if self.gate is not None:
            listed = self.gate.visible(listed)
        return listed

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
