"""Where the server's start-up time goes: imports, build_server, lifespan (one process).

`python bench/startup_phases.py` prints each phase in ms, in a fresh interpreter each run.
"""

from __future__ import annotations

import asyncio
import itertools
import sys
import tempfile
import time
from contextlib import AsyncExitStack
from pathlib import Path


def main() -> None:
    marks = [("start", time.perf_counter())]
    import mcp.server.mcpserver  # noqa: F401 - the part the bare server also pays

    marks.append(("import mcp.server.mcpserver", time.perf_counter()))
    from pictory_mcp.config import Settings

    marks.append(("import pictory_mcp.config", time.perf_counter()))
    from pictory_mcp.server.app import build_server, open_state

    marks.append(("import pictory_mcp.server.app", time.perf_counter()))
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.from_env({}, db_path=Path(tmp) / "jobs.sqlite3")
        marks.append(("Settings.from_env", time.perf_counter()))
        server = build_server(settings)
        marks.append(("build_server", time.perf_counter()))

        async def lifespan_and_list() -> None:
            async with AsyncExitStack() as stack:
                await open_state(settings, stack)
                marks.append(("open_state (lifespan)", time.perf_counter()))
                await server.list_tools()
                marks.append(("first list_tools", time.perf_counter()))

        asyncio.run(lifespan_and_list())
    for (_, before), (name, after) in itertools.pairwise(marks):
        print(f"{name:32s} {(after - before) * 1000:7.1f} ms")
    print(f"{'total':32s} {(marks[-1][1] - marks[0][1]) * 1000:7.1f} ms")
    print("modules loaded:", len(sys.modules))


if __name__ == "__main__":
    main()
