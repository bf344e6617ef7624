"""The generated tool-schema cache: current with the code, identical on the wire to tools built
the SDK's way, and refused for any tool whose sources changed since it was written.

Set PICTORY_MCP_UPDATE_SNAPSHOTS=1 (or run `make snapshots`) to rewrite the file.
"""

from __future__ import annotations

import ast
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.config import Settings
from pictory_mcp.server import toolcache
from pictory_mcp.server.app import build_server
from pictory_mcp.server.inventory import all_tools

pytestmark = pytest.mark.anyio


def settings(tmp_path: Path) -> Settings:
    return Settings.from_env({}, db_path=tmp_path / "jobs.sqlite3")


def package_copy(tmp_path: Path) -> Path:
    """A copy of the package's sources (with its cache file) under tmp_path/pictory_mcp."""
    copy = tmp_path / "pictory_mcp"
    shutil.copytree(toolcache.PACKAGE_ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def defining_file(root: Path, name: str) -> Path:
    """The one module of the package copy that assigns `name` at its top level."""
    found = [
        path
        for path in root.rglob("*.py")
        if re.search(rf"^{re.escape(name)}\b[^=\n]*=", path.read_text(encoding="utf-8"), re.M)
    ]
    assert len(found) == 1, found
    return found[0]


def test_the_cache_file_matches_the_code() -> None:
    if os.environ.get("PICTORY_MCP_UPDATE_SNAPSHOTS"):
        toolcache.CACHE_FILE.write_text(toolcache.cache_text(all_tools()), encoding="utf-8")
    cache = toolcache.load_cache()
    if cache.get("generator") != toolcache.generator():
        # Written by other mcp/pydantic versions than these: it must then go unused.
        tools = toolcache.build_tools(all_tools(), cache)
        assert not any(isinstance(t, toolcache.CachedTool) for t in tools)
        return
    assert cache == toolcache.generate(all_tools()), (
        "pictory_mcp/server/tool_schemas.json is stale: run `make snapshots`"
    )


def test_a_cache_from_other_library_versions_is_not_used() -> None:
    cache = toolcache.load_cache()
    other = {**cache, "generator": {**toolcache.generator(), "pydantic": "0.0.1"}}
    tools = toolcache.build_tools(all_tools(), other)
    assert not any(isinstance(t, toolcache.CachedTool) for t in tools)


def test_every_tool_is_registered_from_the_cache() -> None:
    tools = toolcache.build_tools(all_tools())
    assert tools and all(isinstance(t, toolcache.CachedTool) for t in tools)
    # Nothing is built until a tool is first called.
    assert all("fn_metadata" not in t.__dict__ for t in tools)


async def test_cached_and_live_servers_list_the_same_tools(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with Client(build_server(settings(tmp_path))) as cached:
        from_cache = [t.model_dump() for t in (await cached.list_tools()).tools]
    monkeypatch.setattr(toolcache, "load_cache", lambda path=None: {})
    async with Client(build_server(settings(tmp_path))) as live:
        built = [t.model_dump() for t in (await live.list_tools()).tools]
    assert from_cache == built


def test_a_cached_tool_has_the_schemas_and_metadata_of_a_live_one() -> None:
    specs = all_tools()
    cached = toolcache.build_tools(specs)
    live = toolcache.build_tools(specs, {})
    for one, other in zip(cached, live, strict=True):
        assert isinstance(one, toolcache.CachedTool) and not isinstance(other, toolcache.CachedTool)
        assert one.parameters == other.parameters
        assert one.output_schema == other.output_schema
        assert one.context_kwarg == other.context_kwarg
        assert one.is_async and other.is_async
        # Built on first use, the SDK's way.
        assert one.fn_metadata.output_schema == other.fn_metadata.output_schema
        assert one.fn_metadata.arg_model.model_json_schema() == other.parameters


def test_a_tool_whose_key_changed_is_built_live() -> None:
    specs = all_tools()
    cache: dict[str, Any] = toolcache.load_cache()
    entries = cache["tools"]
    stale = dict(entries["check_job"], key="0" * 16, input={"type": "object", "properties": {}})
    tools = toolcache.build_tools(specs, {**cache, "tools": {**entries, "check_job": stale}})
    by_name = {t.name: t for t in tools}
    assert not isinstance(by_name["check_job"], toolcache.CachedTool)
    assert "job_id" in by_name["check_job"].parameters["properties"]  # not the stale schema
    assert isinstance(by_name["list_voices"], toolcache.CachedTool)


def test_a_missing_or_unreadable_cache_means_every_tool_is_built_live(tmp_path: Path) -> None:
    broken = tmp_path / "tool_schemas.json"
    broken.write_text("{not json", encoding="utf-8")
    assert toolcache.load_cache(broken) == {}
    tools = toolcache.build_tools(all_tools(), toolcache.load_cache(tmp_path / "absent.json"))
    assert not any(isinstance(t, toolcache.CachedTool) for t in tools)


async def test_a_cached_tool_validates_arguments_like_a_live_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = {"job_id": "not a job id!"}
    async with Client(build_server(settings(tmp_path))) as cached:
        first = await cached.call_tool("check_job", bad)
    monkeypatch.setattr(toolcache, "load_cache", lambda path=None: {})
    async with Client(build_server(settings(tmp_path))) as live:
        second = await live.call_tool("check_job", bad)
    assert first.is_error and second.is_error
    assert first.content == second.content
    assert "job_id" in first.content[0].text  # type: ignore[union-attr]


# --- the key follows the sources -------------------------------------------------------------


def test_an_edited_source_module_refuses_exactly_the_tools_generated_from_it(
    tmp_path: Path,
) -> None:
    copy = package_copy(tmp_path)
    entries = toolcache.load_cache()["tools"]
    specs = all_tools()
    for edited in ("server/outputs.py", "server/tools/_options.py", "errors.py"):
        original = (copy / edited).read_text(encoding="utf-8")
        (copy / edited).write_text(original + "\n# one more line\n", encoding="utf-8")
        tools = toolcache.build_tools(specs, root=copy)
        live = {t.name for t in tools if not isinstance(t, toolcache.CachedTool)}
        from_it = {name for name, entry in entries.items() if edited in entry["source_modules"]}
        assert from_it, edited
        assert live == from_it, edited
        (copy / edited).write_text(original, encoding="utf-8")
    assert all(isinstance(t, toolcache.CachedTool) for t in toolcache.build_tools(specs, root=copy))


def test_an_edit_no_tool_is_generated_from_keeps_the_cache(tmp_path: Path) -> None:
    copy = package_copy(tmp_path)
    for edited in ("cli.py", "sandbox/app.py", "server/toolcache.py"):
        with (copy / edited).open("a", encoding="utf-8") as f:
            f.write("\n# one more line\n")
    tools = toolcache.build_tools(all_tools(), root=copy)
    assert all(isinstance(t, toolcache.CachedTool) for t in tools)


def test_an_unreadable_source_means_the_tool_is_built_live(tmp_path: Path) -> None:
    copy = package_copy(tmp_path)
    (copy / "server" / "tools" / "voices.py").unlink()
    by_name = {t.name: t for t in toolcache.build_tools(all_tools(), root=copy)}
    assert not isinstance(by_name["list_voices"], toolcache.CachedTool)
    assert isinstance(by_name["check_job"], toolcache.CachedTool)


def test_line_endings_do_not_change_a_key(tmp_path: Path) -> None:
    copy = package_copy(tmp_path)
    for path in copy.rglob("*.py"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    tools = toolcache.build_tools(all_tools(), root=copy)
    assert all(isinstance(t, toolcache.CachedTool) for t in tools)


def write_package(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")


def test_the_sources_of_a_module_are_what_it_imports_when_imported(tmp_path: Path) -> None:
    write_package(
        tmp_path,
        {
            "__init__.py": "",
            "tools/__init__.py": "",
            "tools/a.py": """
                from typing import TYPE_CHECKING
                from pictory_mcp.limits import MAX
                from . import b
                from .c import thing
                from pictory_mcp.lazy import Anything
                import pictory_mcp.package_only
                if TYPE_CHECKING:
                    from pictory_mcp.heavy import Model
                else:
                    from pictory_mcp.light import Other
                if not TYPE_CHECKING:
                    from pictory_mcp.at_run_time import y
                try:
                    from pictory_mcp.optional import x
                except ImportError:
                    from pictory_mcp.fallback import x
                class Holder:
                    from pictory_mcp.in_class import y
                def later():
                    from pictory_mcp.in_function import z
            """,
            "tools/b.py": "from ..deep.d import D\n",
            "tools/c.py": "thing = 1\n",
            "deep/__init__.py": "",
            "deep/d.py": "D = 1\n",
            "limits.py": "MAX = 1\n",
            "heavy.py": "",
            "at_run_time.py": "",
            "light.py": "",
            "optional.py": "",
            "fallback.py": "",
            "in_class.py": "",
            "in_function.py": "",
            "lazy/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
            "lazy/one.py": "",
            "lazy/sub/__init__.py": "",
            "lazy/sub/two.py": "",
            "package_only/__init__.py": "def __getattr__(name):\n    raise AttributeError(name)\n",
            "package_only/three.py": "",
            "unrelated.py": "",
        },
    )
    assert toolcache.source_modules("pictory_mcp.tools.a", tmp_path) == [
        "__init__.py",
        "at_run_time.py",
        "deep/__init__.py",
        "deep/d.py",
        "fallback.py",
        "in_class.py",
        "lazy/__init__.py",
        "lazy/one.py",
        "lazy/sub/__init__.py",
        "lazy/sub/two.py",
        "light.py",
        "limits.py",
        "optional.py",
        "package_only/__init__.py",
        "tools/__init__.py",
        "tools/a.py",
        "tools/b.py",
        "tools/c.py",
    ]


def test_the_cache_module_imports_nothing_from_the_package() -> None:
    tree = ast.parse(Path(toolcache.__file__).read_text(encoding="utf-8"))
    imported = {
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    } | {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    }
    assert not [name for name in imported if name.split(".")[0] == "pictory_mcp"]


_LOADED_BY_GENERATION = """
import json, sys
from pictory_mcp.server import toolcache
from pictory_mcp.server.inventory import all_tools

toolcache.generate(all_tools())
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] == "pictory_mcp")))
"""


@pytest.mark.slow
def test_generating_every_schema_loads_no_package_module_outside_the_recorded_sources() -> None:
    # What the import statements do not show (importlib, a call at import time that imports)
    # would load a module the keys do not cover.
    done = subprocess.run(
        [sys.executable, "-c", _LOADED_BY_GENERATION],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    loaded = set(json.loads(done.stdout.strip().splitlines()[-1]))
    recorded = {
        ".".join(["pictory_mcp", *Path(source).with_suffix("").parts]).removesuffix(".__init__")
        for entry in toolcache.load_cache()["tools"].values()
        for source in entry["source_modules"]
    }
    machinery = {"pictory_mcp.server.inventory", "pictory_mcp.server.toolcache"}
    assert {spec.fn.__module__ for spec in all_tools()} <= loaded
    assert loaded - machinery <= recorded, sorted(loaded - machinery - recorded)


# Run in a copy of the package: the URL limit every URL argument's schema is built from is
# changed where it is defined, away from the argument type that uses it.
_LIST_URL_SCHEMAS = """
import asyncio, json, sys
from pathlib import Path
import pictory_mcp
from mcp import Client
from pictory_mcp.config import Settings
from pictory_mcp.server import toolcache
from pictory_mcp.server.app import build_server
from pictory_mcp.server.inventory import all_tools

assert pictory_mcp.__file__.startswith(sys.argv[1]), pictory_mcp.__file__
live = [t.name for t in toolcache.build_tools(all_tools()) if not isinstance(t, toolcache.CachedTool)]

async def main():
    settings = Settings.from_env({}, db_path=Path(sys.argv[1]) / "jobs.sqlite3")
    async with Client(build_server(settings)) as client:
        tools = (await client.list_tools()).tools
    url = {t.name: t.input_schema["properties"]["url"] for t in tools if "url" in t.input_schema["properties"]}
    print(json.dumps({"live": live, "url": url}))

asyncio.run(main())
"""


@pytest.mark.slow
def test_a_changed_argument_type_is_listed_as_changed_not_from_the_stale_cache(
    tmp_path: Path,
) -> None:
    copy = package_copy(tmp_path)
    constant = defining_file(copy, "MAX_URL")
    with constant.open("a", encoding="utf-8") as f:
        f.write("\nMAX_URL = 1234\n")
    env = {k: v for k, v in os.environ.items() if not k.startswith("PICTORY_")}
    env["PYTHONPATH"] = str(tmp_path)
    done = subprocess.run(
        [sys.executable, "-c", _LIST_URL_SCHEMAS, str(tmp_path)],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["url"] and all(s["maxLength"] == 1234 for s in seen["url"].values()), seen
    assert set(seen["url"]) <= set(seen["live"])
    edited = constant.relative_to(copy).as_posix()
    entries = toolcache.load_cache()["tools"]
    assert set(seen["live"]) == {n for n, e in entries.items() if edited in e["source_modules"]}
