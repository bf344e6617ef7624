"""Tool registrations from a generated schema file, so start-up does not build 15 argument
models.

The SDK turns each tool function into a pydantic argument model and two JSON Schemas when the
tool is added (about 10 ms a tool); for 15 tools that is most of what start-up costs over a bare
server, and `tools/list` only needs the schemas. `tool_schemas.json` (beside this module) holds
each tool's input and output schema as the SDK generates them; a tool found there with the same
signature is registered from it, and its argument model is built on its first call. A tool
missing from the file, or whose signature changed, is built the SDK's way, and so is every
tool when the installed `mcp` or `pydantic` is not the version that wrote the file (another
version may word a schema differently): a stale file can cost time, never correctness. A test
checks that the file matches the code; `python -m pictory_mcp.server.toolcache` (run by
`make snapshots`) rewrites it.
"""

from __future__ import annotations

import hashlib
import inspect
import json
from pathlib import Path
from typing import Any

from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata

from pictory_mcp.server.toolspec import ToolSpec

CACHE_FILE = Path(__file__).with_name("tool_schemas.json")


def signature_key(spec: ToolSpec) -> str:
    """What the cached schemas depend on that can be read cheaply: the function's qualified
    name and its signature as written (annotations unevaluated)."""
    fn = spec.fn
    text = f"{fn.__module__}.{fn.__qualname__}{inspect.signature(fn)}"
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def live_tool(spec: ToolSpec) -> Tool:
    """The tool built the SDK's way (argument model and schemas now)."""
    return Tool.from_function(
        spec.fn,
        name=spec.name,
        title=spec.title,
        description=inspect.cleandoc(spec.fn.__doc__ or ""),
        annotations=spec.annotations(),
        structured_output=True,
    )


class CachedTool(Tool):
    """A Tool whose schemas come from the cache; `fn_metadata` is built on first use."""

    def __getattr__(self, name: str) -> Any:
        if name == "fn_metadata":
            skip = [self.context_kwarg] if self.context_kwarg else []
            meta: FuncMetadata = func_metadata(self.fn, skip_names=skip, structured_output=True)
            self.__dict__["fn_metadata"] = meta
            return meta
        return super().__getattr__(name)  # type: ignore[misc]


def cached_tool(spec: ToolSpec, entry: dict[str, Any]) -> Tool:
    tool = CachedTool.model_construct(  # type: ignore[call-arg]  # fn_metadata comes later
        fn=spec.fn,
        name=spec.name,
        title=spec.title,
        description=inspect.cleandoc(spec.fn.__doc__ or ""),
        parameters=entry["input"],
        is_async=True,
        context_kwarg=entry["context_kwarg"],
        annotations=spec.annotations(),
    )
    tool.__dict__["output_schema"] = entry["output"]  # the Tool's cached_property
    return tool


def generator() -> dict[str, str]:
    """The versions that shape generated schemas."""
    from importlib.metadata import version

    import pydantic

    return {"mcp": version("mcp"), "pydantic": pydantic.VERSION}


def load_cache(path: Path = CACHE_FILE) -> dict[str, Any]:
    """The cache file's content (`generator` and `tools`), or {} if it cannot be read."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def build_tools(specs: list[ToolSpec], cache: dict[str, Any] | None = None) -> list[Tool]:
    """Every tool: from the cache where it is current, else built now."""
    cache = load_cache() if cache is None else cache
    entries = cache.get("tools") if cache.get("generator") == generator() else None
    if not isinstance(entries, dict):
        entries = {}
    tools: list[Tool] = []
    for spec in specs:
        entry = entries.get(spec.name)
        usable = (
            isinstance(entry, dict)
            and entry.get("key") == signature_key(spec)
            and inspect.iscoroutinefunction(spec.fn)
        )
        tools.append(cached_tool(spec, entry) if usable else live_tool(spec))  # type: ignore[arg-type]
    return tools


def generate(specs: list[ToolSpec]) -> dict[str, Any]:
    """The cache's content for these tools, from the SDK's own generation."""
    tools: dict[str, Any] = {}
    for spec in specs:
        tool = live_tool(spec)
        if tool.resolved_params or not tool.is_async:
            raise RuntimeError(f"{spec.name}: only async tools without resolvers can be cached")
        tools[spec.name] = {
            "key": signature_key(spec),
            "context_kwarg": tool.context_kwarg,
            "input": tool.parameters,
            "output": tool.output_schema,
        }
    return {"generator": generator(), "tools": tools}


def write_cache(path: Path = CACHE_FILE) -> None:
    from pictory_mcp.server.inventory import all_tools

    text = json.dumps(generate(all_tools()), indent=1, sort_keys=True, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    write_cache()
    print(f"wrote {CACHE_FILE}")
