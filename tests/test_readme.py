"""README: the commands it shows run as written, and its tables are whole."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCKERFILE = (ROOT / "Dockerfile").read_text(encoding="utf-8")
SNAPSHOT = json.loads((ROOT / "tests" / "snapshots" / "resources_prompts.json").read_text())


def docker_runs(text: str) -> list[list[str]]:
    """Every `docker run ...` command in `text`, joined across `\\` continuations and split."""
    joined = re.sub(r"\\\s*\n\s*#?\s*", " ", text)
    commands = []
    for match in re.finditer(r"docker run [^`\n]*", joined):
        commands.append(shlex.split(match.group(0).split("#")[0]))
    return commands


def serves_http_beyond_loopback(words: list[str]) -> bool:
    transport = words[words.index("--transport") + 1] if "--transport" in words else "stdio"
    host = words[words.index("--host") + 1] if "--host" in words else "127.0.0.1"
    return transport != "stdio" and host not in ("127.0.0.1", "localhost", "::1")


def test_every_documented_docker_http_command_passes_the_bearer_token_the_server_requires() -> None:
    for source in (README, DOCKERFILE):
        http = [words for words in docker_runs(source) if serves_http_beyond_loopback(words)]
        assert http, "no HTTP docker command found"
        for words in http:
            passed = {words[i + 1].split("=")[0] for i, w in enumerate(words[:-1]) if w == "-e"}
            assert {"PICTORY_API_KEY", "PICTORY_MCP_AUTH_TOKEN"} <= passed, " ".join(words)


def table_after(heading_row: str) -> list[str]:
    """The rows of the markdown table whose header row starts with `heading_row`."""
    lines = README.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(heading_row))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    return rows


def test_the_resources_table_is_one_table_listing_every_resource() -> None:
    rows = table_after("| resource |")
    listed = {re.search(r"`([^`]+)`", row).group(1) for row in rows}  # type: ignore[union-attr]
    registered = {r["uri"] for r in SNAPSHOT["resources"]} | {
        t["uriTemplate"] for t in SNAPSHOT["templates"]
    }
    assert listed == registered
