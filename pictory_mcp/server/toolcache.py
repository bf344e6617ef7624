"""Tool registrations from a generated schema file, so start-up does not build 15 argument
models.

The SDK turns each tool function into a pydantic argument model and two JSON Schemas when the
tool is added; for 15 tools that is most of what start-up costs over a bare server, and
`tools/list` only needs the schemas. `tool_schemas.json` (beside this module) holds each tool's
input and output schema as the SDK generates them, and registers a tool from there when its key
is current; its argument model is then built on its first call.

A schema is a function of the source code it is generated from: the tool's signature, the
types it names, and whatever those were built from (a constant imported from another module, a
validator, a model's docstring). So an entry lists the package modules the tool's module
imports at module level, transitively (`source_modules`), and its key is a hash of their
content. Editing any of them (an argument type such as `UrlArg`, a model such as `JobView`)
changes the key, and the tool is built the SDK's way until the file is regenerated; so is every
tool when the installed `mcp` or `pydantic` is not the version that wrote the file, or when a
source cannot be read. Hashing the sources costs 1–2 ms; a tool built live about 4 ms. A
test checks that generating every schema loads no package module outside the recorded sources
(an import the statements do not show, such as `importlib`, would be missed).

The cached `Tool` is the SDK's public model made with pydantic's `model_construct` (its field
names and `Tool.run` reading `fn_metadata` are all it relies on); since the file is only used
with the library versions that wrote it, and `tests/server/test_toolcache.py` compares cached
and live tools under those versions, that reliance is tested wherever it is used.
`make snapshots` (that test with `PICTORY_MCP_UPDATE_SNAPSHOTS=1`) rewrites the file.
"""

from __future__ import annotations

import ast
import hashlib
import inspect
import json
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from mcp.server.mcpserver.tools import Tool
from mcp.server.mcpserver.utilities.func_metadata import FuncMetadata, func_metadata
from pydantic import ConfigDict, Field

if TYPE_CHECKING:
    from mcp.types import ToolAnnotations

CACHE_FILE = Path(__file__).with_name("tool_schemas.json")
PACKAGE = "pictory_mcp"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]


class ToolDeclaration(Protocol):
    """What a tool declaration gives to be registered (`server.toolspec.ToolSpec`)."""

    @property
    def fn(self) -> Callable[..., Any]: ...
    @property
    def name(self) -> str: ...
    @property
    def title(self) -> str: ...
    def annotations(self) -> ToolAnnotations: ...


def live_tool(spec: ToolDeclaration) -> Tool:
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

    # Made only by `model_construct`, never validated: building its validator would cost
    # start-up what the cache saves.
    model_config = ConfigDict(defer_build=True)

    cached_output_schema: dict[str, Any] | None = Field(default=None, exclude=True)

    @property
    def output_schema(self) -> dict[str, Any] | None:
        return self.cached_output_schema

    def __getattr__(self, name: str) -> Any:
        # Reached only while `fn_metadata` is unset (model_construct left it out).
        if name == "fn_metadata":
            skip = [self.context_kwarg] if self.context_kwarg else []
            meta: FuncMetadata = func_metadata(self.fn, skip_names=skip, structured_output=True)
            self.__dict__["fn_metadata"] = meta
            return meta
        return super().__getattr__(name)  # type: ignore[misc]


def cached_tool(spec: ToolDeclaration, entry: dict[str, Any]) -> Tool:
    return CachedTool.model_construct(  # type: ignore[call-arg]  # fn_metadata comes later
        fn=spec.fn,
        name=spec.name,
        title=spec.title,
        description=inspect.cleandoc(spec.fn.__doc__ or ""),
        parameters=entry["input"],
        is_async=True,
        context_kwarg=entry["context_kwarg"],
        annotations=spec.annotations(),
        cached_output_schema=entry["output"],
    )


def generator() -> dict[str, str]:
    """The versions that shape generated schemas."""
    from importlib.metadata import version

    import pydantic

    return {"mcp": version("mcp"), "pydantic": pydantic.VERSION}


# --- what a schema is generated from -------------------------------------------------------


def module_file(module: str, root: Path = PACKAGE_ROOT) -> Path | None:
    """The source file of a package module (`pictory_mcp.x.y`), or None if it is not one."""
    parts = module.split(".")
    if parts[0] != PACKAGE:
        return None
    base = root.joinpath(*parts[1:])
    for candidate in (base / "__init__.py", base.with_suffix(".py")):
        if candidate.is_file():
            return candidate
    return None


def _is_type_checking(test: ast.expr) -> bool:
    """`TYPE_CHECKING` or `typing.TYPE_CHECKING`, as an `if` tests it."""
    if isinstance(test, ast.Attribute):
        return test.attr == "TYPE_CHECKING"
    return isinstance(test, ast.Name) and test.id == "TYPE_CHECKING"


def _module_level(nodes: Iterable[ast.stmt]) -> Iterable[ast.stmt]:
    """Statements run when the module is imported: not function bodies, not the
    `if TYPE_CHECKING:` branch (a name only the type checker sees cannot shape a schema)."""
    for node in nodes:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        yield node
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            yield from _module_level(node.orelse)
            continue
        for field in ("body", "orelse", "finalbody", "handlers"):
            yield from _module_level(getattr(node, field, None) or [])


def _lazy_package_modules(package: str, root: Path) -> set[str]:
    """Every module of `package` if its `__init__` defines a module-level `__getattr__` (it
    may then load any of them when a name is imported from it), else nothing."""
    init = module_file(package, root)
    if init is None or init.name != "__init__.py":
        return set()
    tree = ast.parse(init.read_text(encoding="utf-8"))
    if not any(isinstance(n, ast.FunctionDef) and n.name == "__getattr__" for n in tree.body):
        return set()
    return {
        ".".join([package, *p.relative_to(init.parent).with_suffix("").parts]).removesuffix(
            ".__init__"
        )
        for p in init.parent.rglob("*.py")
    }


def imported_modules(module: str, path: Path, root: Path = PACKAGE_ROOT) -> set[str]:
    """The package modules `module` imports when it is imported, as import statements say.

    Importing a name from a package whose `__init__` loads names on first use counts as
    importing every module of that package; importing the package itself does not.
    """
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found: set[str] = set()
    for node in _module_level(tree.body):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, *([node.module] if node.module else [])])
            found.add(base)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                if module_file(submodule, root) is not None:
                    found.add(submodule)
                else:
                    found.update(_lazy_package_modules(base, root))
    return found


def source_modules(module: str, root: Path = PACKAGE_ROOT) -> list[str]:
    """`module` and every package module it imports at import time, transitively (parent
    packages included, since importing a module runs them), as paths relative to `root`."""
    seen: dict[str, Path] = {}
    todo = [module]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        path = module_file(name, root)
        if path is None:
            continue
        seen[name] = path
        parts = name.split(".")
        todo.extend(".".join(parts[:i]) for i in range(1, len(parts)))
        todo.extend(imported_modules(name, path, root))
    return sorted(path.relative_to(root).as_posix() for path in seen.values())


def file_digest(path: Path) -> str:
    # Line endings normalised: a checkout with CRLF endings is the same source.
    return hashlib.sha256(path.read_bytes().replace(b"\r\n", b"\n")).hexdigest()


def tool_key(
    spec: ToolDeclaration, sources: Sequence[str], digest: Callable[[str], str | None]
) -> str | None:
    """The hash of what the tool's schemas are generated from, or None if a source is
    unreadable."""
    text = [f"{spec.fn.__module__}.{spec.fn.__qualname__}"]
    for source in sources:
        found = digest(source)
        if found is None:
            return None
        text.append(f"{source} {found}")
    return hashlib.sha256("\n".join(text).encode()).hexdigest()[:16]


class Digests:
    """File digests under a root, each file read once."""

    def __init__(self, root: Path = PACKAGE_ROOT) -> None:
        self.root = root
        self._known: dict[str, str | None] = {}

    def __call__(self, source: str) -> str | None:
        if source not in self._known:
            try:
                self._known[source] = file_digest(self.root / source)
            except OSError:
                self._known[source] = None
        return self._known[source]


# --- the file ------------------------------------------------------------------------------


def load_cache(path: Path = CACHE_FILE) -> dict[str, Any]:
    """The cache file's content (`generator` and `tools`), or {} if it cannot be read."""
    try:
        loaded = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


def _usable(
    spec: ToolDeclaration, entry: dict[str, Any], digest: Callable[[str], str | None]
) -> bool:
    if not inspect.iscoroutinefunction(spec.fn):
        return False
    sources = entry.get("source_modules")
    if not isinstance(sources, list) or not all(isinstance(s, str) for s in sources):
        return False
    key = entry.get("key")
    return key is not None and key == tool_key(spec, sources, digest)


def build_tools(
    specs: Sequence[ToolDeclaration],
    cache: dict[str, Any] | None = None,
    *,
    root: Path = PACKAGE_ROOT,
) -> list[Tool]:
    """Every tool: from the cache where its key is current, else built now."""
    cache = load_cache() if cache is None else cache
    entries = cache.get("tools") if cache.get("generator") == generator() else None
    if not isinstance(entries, dict):
        entries = {}
    digest = Digests(root)
    tools: list[Tool] = []
    for spec in specs:
        entry = entries.get(spec.name)
        if isinstance(entry, dict) and _usable(spec, entry, digest):
            tools.append(cached_tool(spec, entry))
        else:
            tools.append(live_tool(spec))
    return tools


def generate(specs: Sequence[ToolDeclaration], *, root: Path = PACKAGE_ROOT) -> dict[str, Any]:
    """The cache's content for these tools, from the SDK's own generation."""
    digest = Digests(root)
    tools: dict[str, Any] = {}
    for spec in specs:
        tool = live_tool(spec)
        if tool.resolved_params or not tool.is_async:
            raise RuntimeError(f"{spec.name}: only async tools without resolvers can be cached")
        sources = source_modules(spec.fn.__module__, root)
        tools[spec.name] = {
            "key": tool_key(spec, sources, digest),
            "source_modules": sources,
            "context_kwarg": tool.context_kwarg,
            "input": tool.parameters,
            "output": tool.output_schema,
        }
    return {"generator": generator(), "tools": tools}


def cache_text(specs: Sequence[ToolDeclaration]) -> str:
    """The cache file's text for these tools."""
    return json.dumps(generate(specs), indent=1, sort_keys=True, ensure_ascii=False) + "\n"
