"""The baseline: a bare MCPServer with one trivial tool, on the same SDK and Python.

`python bench/bare_server.py` serves stdio; `--http PORT` serves streamable HTTP on loopback.
"""

from __future__ import annotations

import sys

from mcp.server.mcpserver import MCPServer

# WARNING like the benchmarked server, so neither pays for per-request INFO log lines.
server = MCPServer("bare", log_level="WARNING")


@server.tool()
async def ping() -> str:
    """Answer at once."""
    return "pong"


if __name__ == "__main__":
    if sys.argv[1:2] == ["--http"]:
        server.run("streamable-http", host="127.0.0.1", port=int(sys.argv[2]))
    else:
        server.run("stdio")
