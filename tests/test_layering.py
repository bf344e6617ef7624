"""Imports flow one way, as the README's Development section says: errors ← config ← api, jobs
← server ← cli; the API client knows nothing of MCP; the sandbox imports nothing else from the
package and only the CLI wires it in; toolsets import the server layer, never the reverse
(but for the composition root that lists and registers them); hosted mode's building blocks
import only the error hierarchy of ours, and are loaded lazily."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "pictory_mcp"

# The modules of server/ that bring the toolsets in: they alone may import server.tools.
COMPOSITION_ROOTS = {"pictory_mcp.server.app", "pictory_mcp.server.inventory"}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def node_targets(node: ast.AST, package: str) -> set[str]:
    """The modules one import statement names (a relative import resolved against `package`)."""
    found: set[str] = set()
    if isinstance(node, ast.Import):
        found.update(alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:
            base = package.split(".")
            base = base[: len(base) - (node.level - 1)]
            target = ".".join([*base, node.module] if node.module else base)
        else:
            target = node.module or ""
        found.add(target)
        found.update(f"{target}.{alias.name}" for alias in node.names)
    return found


def package_of(path: Path) -> str:
    name = module_name(path)
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def imports(path: Path) -> set[str]:
    """Every module `path` imports, at any depth (function-local and TYPE_CHECKING included)."""
    package = package_of(path)
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        found |= node_targets(node, package)
    return found


MODULES = {module_name(p): imports(p) for p in sorted(PACKAGE.rglob("*.py"))}


def importers_of(prefix: str, *, within: str) -> dict[str, list[str]]:
    """Modules under `within` that import anything under `prefix`."""
    out = {}
    for name, targets in MODULES.items():
        if name == within or name.startswith(within + "."):
            hits = sorted(t for t in targets if t == prefix or t.startswith(prefix + "."))
            if hits:
                out[name] = hits
    return out


def test_the_package_was_found() -> None:
    assert "pictory_mcp.server.app" in MODULES and "pictory_mcp.api.client" in MODULES


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("pictory_mcp.errors", "pictory_mcp"),
        ("pictory_mcp.config", "pictory_mcp.api"),
        ("pictory_mcp.config", "pictory_mcp.jobs"),
        ("pictory_mcp.config", "pictory_mcp.server"),
        ("pictory_mcp.api", "pictory_mcp.server"),
        ("pictory_mcp.api", "pictory_mcp.jobs"),
        ("pictory_mcp.api", "mcp"),
        ("pictory_mcp.jobs", "pictory_mcp.api"),
        ("pictory_mcp.jobs", "pictory_mcp.server"),
        ("pictory_mcp.jobs", "mcp"),
        ("pictory_mcp.jobs", "httpx"),
        ("pictory_mcp.server", "pictory_mcp.cli"),
        ("pictory_mcp.server", "pictory_mcp.demo"),
        ("pictory_mcp.server", "pictory_mcp.sandbox"),
        ("pictory_mcp.api", "pictory_mcp.sandbox"),
        ("pictory_mcp.jobs", "pictory_mcp.sandbox"),
    ],
)
def test_a_lower_layer_imports_nothing_from_a_higher_one(layer: str, forbidden: str) -> None:
    found = importers_of(forbidden, within=layer)
    if layer == "pictory_mcp.errors":
        found = {k: [t for t in v if t != "pictory_mcp"] for k, v in found.items()}
        found = {k: v for k, v in found.items() if v}
    assert found == {}


def test_the_sandbox_imports_nothing_else_from_the_package() -> None:
    outside = {
        name: [
            t
            for t in targets
            if t.startswith("pictory_mcp") and not t.startswith("pictory_mcp.sandbox")
        ]
        for name, targets in MODULES.items()
        if name.startswith("pictory_mcp.sandbox")
    }
    assert {k: v for k, v in outside.items() if v} == {}


def test_only_the_cli_wires_the_sandbox_into_the_server() -> None:
    users = {
        name
        for name, targets in MODULES.items()
        if not name.startswith("pictory_mcp.sandbox")
        and any(t.startswith("pictory_mcp.sandbox") for t in targets)
    }
    assert users == {"pictory_mcp.cli"}


# What hosted mode's building blocks may import: the error hierarchy, the SDK, the web and crypto
# libraries, the standard library.
HOSTED_MAY_IMPORT = ("pictory_mcp.errors", "pictory_mcp.hosted")


def test_the_hosted_package_imports_only_the_error_hierarchy_of_ours() -> None:
    outside = {
        name: [
            t
            for t in targets
            if t.startswith("pictory_mcp")
            and t != "pictory_mcp"
            and not t.startswith(HOSTED_MAY_IMPORT)
        ]
        for name, targets in MODULES.items()
        if name.startswith("pictory_mcp.hosted")
    }
    assert {k: v for k, v in outside.items() if v} == {}


def test_nothing_on_the_single_user_path_imports_the_hosted_package_at_import_time() -> None:
    # The server loads `pictory_mcp.hosted` inside the functions that start hosted mode, so
    # a module-level import anywhere else would slow every single-user start-up.
    found = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        name = module_name(path)
        if name.startswith("pictory_mcp.hosted"):
            continue
        tree = ast.parse(path.read_text(), str(path))
        hits = [
            node.lineno
            for node in tree.body
            if any(t.startswith("pictory_mcp.hosted") for t in node_targets(node, package_of(path)))
        ]
        if hits:
            found[name] = hits
    assert found == {}


def test_toolsets_depend_on_the_server_layer_never_the_reverse() -> None:
    found = importers_of("pictory_mcp.server.tools", within="pictory_mcp.server")
    reverse = {
        name: targets
        for name, targets in found.items()
        if not name.startswith("pictory_mcp.server.tools") and name not in COMPOSITION_ROOTS
    }
    assert reverse == {}
