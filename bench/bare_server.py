"""The baseline: a bare MCPServer with one trivial tool, on the same SDK and Python.

`python bench/bare_server.py` serves stdio; `--http PORT` serves streamable HTTP on loopback.
Two options only benchmark 2 uses: `--pipes` serves stdio on pictory-mcp's event-loop pipe
transport instead of the SDK's (that transport's own floor), and `--with-work` adds a second
tool, `work(ms)`, that answers after `ms` milliseconds of busy work: a tool that takes as long
as one HTTP request, with no request made (busy, not asleep: asyncio rounds timer sleeps up to
whole milliseconds, which would inflate the figure).
"""

from __future__ import annotations

import sys
import time

import anyio
from mcp.server.mcpserver import MCPServer

# WARNING like the benchmarked server, so neither pays for per-request INFO log lines.
server = MCPServer("bare", log_level="WARNING")


@server.tool()
async def ping() -> str:
    """Answer at once."""
    return "pong"


async def work(ms: float) -> str:
    """Answer after `ms` milliseconds of busy work."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        pass
    return "pong"


if __name__ == "__main__":
    args = sys.argv[1:]
    if "--with-work" in args:
        server.add_tool(work)
    if args[:1] == ["--http"]:
        server.run("streamable-http", host="127.0.0.1", port=int(args[1]))
    elif "--pipes" in args:
        from pictory_mcp.server.stdio import serve_stdio

        anyio.run(serve_stdio, server._lowlevel_server)
    else:
        server.run("stdio")
