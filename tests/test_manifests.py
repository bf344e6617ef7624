"""The client configurations in manifests/ name the real command, variables, tools and version.

They are pasted by hand into other programs, so nothing else would notice when they drift.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:  # pytest itself depends on tomli before 3.11
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
MANIFESTS = ROOT / "manifests"
COMPOSE = MANIFESTS / "deploy" / "docker-compose.yml"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION: str = PYPROJECT["project"]["version"]

# Files that use the `mcpServers` (or VS Code's `servers`) shape of a client config.
CLIENT_CONFIGS = (
    "claude_desktop_config.json",
    "cursor.mcp.json",
    "windsurf.mcp_config.json",
    "vscode.mcp.json",
)
EXPECTED_JSON = {*CLIENT_CONFIGS, "manifest.json", "server.json"}

# The variables holding credentials; both must be real settings (checked below).
SECRET_VARS = frozenset({"PICTORY_API_KEY", "PICTORY_MCP_AUTH_TOKEN"})
# Set by the MCP Bundle so `python -m pictory_mcp` finds the bundled packages.
NON_PICTORY_VARS = frozenset({"PYTHONPATH"})


def load(name: str) -> Any:
    return json.loads((MANIFESTS / name).read_text(encoding="utf-8"))


def console_script() -> str:
    """The one console script pyproject.toml declares for pictory_mcp.cli:main."""
    scripts: dict[str, str] = PYPROJECT["project"]["scripts"]
    names = [name for name, target in scripts.items() if target == "pictory_mcp.cli:main"]
    assert len(names) == 1, scripts
    return names[0]


def known_env_vars() -> set[str]:
    from pictory_mcp.config import ENV_VARS

    return {row[0] for row in ENV_VARS}


def client_servers(name: str) -> dict[str, Any]:
    data = load(name)
    key = "servers" if name == "vscode.mcp.json" else "mcpServers"
    servers: dict[str, Any] = data[key]
    assert servers, f"{name} declares no server"
    return servers


def all_env_names() -> dict[str, set[str]]:
    """Every environment variable each manifest sets, by file."""
    found: dict[str, set[str]] = {}
    for name in CLIENT_CONFIGS:
        found[name] = {var for spec in client_servers(name).values() for var in spec.get("env", {})}
    found["manifest.json"] = set(load("manifest.json")["server"]["mcp_config"]["env"])
    found["server.json"] = {
        var["name"]
        for pkg in load("server.json")["packages"]
        for var in pkg["environmentVariables"]
    }
    compose = COMPOSE.read_text(encoding="utf-8")
    found["docker-compose.yml"] = set(re.findall(r"^\s+([A-Z][A-Z0-9_]*):\s", compose, re.M))
    return found


def test_the_manifests_directory_holds_every_expected_config_and_each_is_valid_json() -> None:
    present = {path.name for path in MANIFESTS.glob("*.json")}
    assert present == EXPECTED_JSON
    for name in present:
        assert isinstance(load(name), dict), name


def test_the_console_script_the_manifests_launch_resolves_to_the_cli_main() -> None:
    from pictory_mcp import cli

    assert console_script() == "pictory-mcp"
    assert callable(cli.main)
    assert (ROOT / "pictory_mcp" / "__main__.py").is_file()


@pytest.mark.parametrize("name", CLIENT_CONFIGS)
def test_each_client_config_launches_the_console_script_with_flags_the_cli_accepts(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    from pictory_mcp.cli import main

    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    assert exited.value.code == 0
    help_text = capsys.readouterr().out
    for server, spec in client_servers(name).items():
        assert spec["command"] == console_script(), (name, server)
        for arg in spec.get("args", []):
            assert arg.startswith("--"), (name, server, arg)
            assert re.search(rf"(?<![\w-]){re.escape(arg)}(?![\w-])", help_text), (name, arg)


def test_the_claude_desktop_config_offers_a_sandbox_entry_that_needs_no_key() -> None:
    servers = client_servers("claude_desktop_config.json")
    assert servers["pictory"]["command"] == console_script()
    sandbox = servers["pictory-sandbox"]
    assert sandbox["args"] == ["--sandbox"]
    assert "PICTORY_API_KEY" not in sandbox.get("env", {})


def test_the_vscode_config_uses_the_stdio_type_and_prompts_for_the_key() -> None:
    data = load("vscode.mcp.json")
    assert data["servers"]["pictory"]["type"] == "stdio"
    assert any(item["id"] == "pictory-api-key" for item in data["inputs"])


def test_every_environment_variable_a_manifest_sets_is_one_the_server_reads() -> None:
    known = known_env_vars()
    assert known >= SECRET_VARS
    for where, names in all_env_names().items():
        unknown = names - known - NON_PICTORY_VARS
        assert not unknown, f"{where} sets variables the server never reads: {sorted(unknown)}"
    # Also catch variables mentioned only in prose, comments or commands.
    texts = [path.read_text(encoding="utf-8") for path in MANIFESTS.rglob("*") if path.is_file()]
    texts.append((ROOT / "Dockerfile").read_text(encoding="utf-8"))
    mentioned = {match for text in texts for match in re.findall(r"PICTORY_[A-Z0-9_]+", text)}
    assert mentioned - known == set()


def test_only_the_mcp_bundle_sets_a_variable_outside_the_server_settings() -> None:
    for where, names in all_env_names().items():
        if where != "manifest.json":
            assert names & NON_PICTORY_VARS == set(), where


@pytest.mark.parametrize(
    "name", ["claude_desktop_config.json", "cursor.mcp.json", "windsurf.mcp_config.json"]
)
def test_plain_client_configs_hold_a_placeholder_or_an_environment_reference_never_a_key(
    name: str,
) -> None:
    for spec in client_servers(name).values():
        for var, value in spec.get("env", {}).items():
            if var in SECRET_VARS:
                assert value == f"${{env:{var}}}" or "REPLACE" in value, (name, var, value)


def test_the_vscode_config_takes_secrets_from_a_password_input() -> None:
    data = load("vscode.mcp.json")
    inputs = {item["id"]: item for item in data["inputs"]}
    secrets = {
        var: value
        for spec in data["servers"].values()
        for var, value in spec.get("env", {}).items()
        if var in SECRET_VARS
    }
    assert "PICTORY_API_KEY" in secrets
    for var, value in secrets.items():
        match = re.fullmatch(r"\$\{input:([\w-]+)\}", value)
        assert match, (var, value)
        prompt = inputs[match.group(1)]
        assert prompt["type"] == "promptString"
        assert prompt["password"] is True


def test_the_mcp_bundle_takes_the_key_from_a_sensitive_required_user_setting() -> None:
    data = load("manifest.json")
    user_config = data["user_config"]
    settings = {}
    for var, value in data["server"]["mcp_config"]["env"].items():
        match = re.fullmatch(r"\$\{user_config\.(\w+)\}", value)
        if match:
            settings[var] = user_config[match.group(1)]
        assert match or var not in SECRET_VARS, (var, value)
    key = settings["PICTORY_API_KEY"]
    assert key["type"] == "string"
    assert key["sensitive"] is True
    assert key["required"] is True
    assert key["title"]
    assert key["description"]


def test_the_registry_entry_marks_the_key_secret_and_required() -> None:
    for package in load("server.json")["packages"]:
        by_name = {var["name"]: var for var in package["environmentVariables"]}
        assert by_name["PICTORY_API_KEY"]["isSecret"] is True
        assert by_name["PICTORY_API_KEY"]["isRequired"] is True
        for var in by_name.values():
            assert var["description"], var["name"]
            assert var.get("isSecret", False) is (var["name"] in SECRET_VARS), var["name"]


def test_the_compose_file_takes_secrets_from_the_environment_and_requires_them() -> None:
    compose = COMPOSE.read_text(encoding="utf-8")
    for var in SECRET_VARS:
        assert re.search(rf"^\s+{var}: \$\{{{var}:\?[^}}]+\}}$", compose, re.M), var


def test_every_version_in_the_manifests_equals_the_pyproject_version() -> None:
    manifest = load("manifest.json")
    server = load("server.json")
    assert manifest["version"] == VERSION
    assert server["version"] == VERSION
    assert [pkg["version"] for pkg in server["packages"]] == [VERSION]
    compose = COMPOSE.read_text(encoding="utf-8")
    assert re.findall(r"^\s+image: pictory-mcp:(\S+)$", compose, re.M) == [VERSION]


def test_the_bundle_lists_exactly_the_tools_the_server_registers() -> None:
    from pictory_mcp.server.inventory import all_tools

    listed = [tool["name"] for tool in load("manifest.json")["tools"]]
    assert len(listed) == len(set(listed))
    # The tools only the inline views call are not the user's to see.
    assert set(listed) == {spec.name for spec in all_tools() if not spec.view_only}
    for tool in load("manifest.json")["tools"]:
        assert tool["description"], tool["name"]


# The fields MCPB manifest 0.3 defines; its validator rejects any other key.
MCPB_FIELDS = frozenset(
    [
        "manifest_version",
        "name",
        "display_name",
        "version",
        "description",
        "long_description",
        "author",
        "repository",
        "homepage",
        "documentation",
        "support",
        "icon",
        "icons",
        "screenshots",
        "localization",
        "server",
        "tools",
        "tools_generated",
        "prompts",
        "prompts_generated",
        "keywords",
        "license",
        "privacy_policies",
        "compatibility",
        "user_config",
        "_meta",
    ]
)
MCPB_OPTION_FIELDS = frozenset(
    ["type", "title", "description", "required", "default", "multiple", "sensitive", "min", "max"]
)


def test_the_bundle_follows_the_mcpb_manifest_spec() -> None:
    data = load("manifest.json")
    assert set(data) <= MCPB_FIELDS
    assert set(data["server"]) == {"type", "entry_point", "mcp_config"}
    assert set(data["server"]["mcp_config"]) <= {"command", "args", "env", "platform_overrides"}
    assert data["manifest_version"] == "0.3"
    assert data["name"] == PYPROJECT["project"]["name"]
    for field in ("display_name", "description", "author", "server", "keywords"):
        assert data[field], field
    assert data["author"]["name"]
    assert data["license"] == PYPROJECT["project"]["license"]
    assert data["privacy_policies"]
    assert all(url.startswith("https://") for url in data["privacy_policies"])
    server = data["server"]
    assert server["type"] == "python"
    # A bundle is the package installed into server/lib, run as `python -m pictory_mcp`.
    assert server["entry_point"] == "server/lib/pictory_mcp/__main__.py"
    assert server["mcp_config"]["command"] == "python"
    assert server["mcp_config"]["args"] == ["-m", "pictory_mcp"]
    assert server["mcp_config"]["env"]["PYTHONPATH"] == "${__dirname}/server/lib"
    assert data["compatibility"]["runtimes"]["python"] == PYPROJECT["project"]["requires-python"]
    for option in data["user_config"].values():
        assert set(option) <= MCPB_OPTION_FIELDS
        assert option["type"] in {"string", "number", "boolean", "directory", "file"}
        assert option["title"]
        assert option["description"]


def test_the_registry_entry_follows_the_server_json_schema() -> None:
    data = load("server.json")
    assert re.fullmatch(
        r"https://static\.modelcontextprotocol\.io/schemas/\d{4}-\d{2}-\d{2}/server\.schema\.json",
        data["$schema"],
    )
    assert re.fullmatch(r"[a-zA-Z0-9.-]+/[a-zA-Z0-9._-]+", data["name"])
    assert data["name"].split("/")[0].count(".") >= 1  # reverse-DNS namespace
    assert 1 <= len(data["description"]) <= 100
    (package,) = data["packages"]
    assert package["registryType"] == "pypi"
    assert package["identifier"] == PYPROJECT["project"]["name"]
    assert package["transport"] == {"type": "stdio"}


def test_the_compose_file_serves_http_on_loopback_only_with_a_health_probe() -> None:
    compose = COMPOSE.read_text(encoding="utf-8")
    assert re.search(
        r'command: \["--transport", "streamable-http", "--host", "0\.0\.0\.0"', compose
    )
    published = re.findall(r'^\s+- "([\d.]+):(\d+):(\d+)"$', compose, re.M)
    assert published == [("127.0.0.1", "8000", "8000")]
    assert "http://127.0.0.1:8000/healthz" in compose
    assert re.search(r"^\s+healthcheck:$", compose, re.M)


def test_the_manifests_readme_says_where_every_file_goes() -> None:
    readme = (MANIFESTS / "README.md").read_text(encoding="utf-8")
    files = [p.relative_to(MANIFESTS).as_posix() for p in MANIFESTS.rglob("*") if p.is_file()]
    for name in files:
        if name != "README.md":
            assert f"`{name}`" in readme, name
