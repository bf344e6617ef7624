"""Screenshots of the inline views rendering sandbox jobs, for the README (`make screenshots`).

Starts the sandbox and a server in this process, makes the jobs each picture needs (a finished
video, a render in progress, a failed render, a preview), then shows each view as a host would:
a page with the view's HTML in a sandboxed iframe under the CSP its resource asks for, answering
the view's initialize, tool input and result, and tools/call with the server's own answers. A
headless Chromium (Debian's `chromium`) takes each picture once the page has settled, sized to
the view's reported height; every picture is then checked not to be blank (`png_check.py`).
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from pathlib import Path
from typing import Any

import anyio
from mcp import Client
from mcp.client.extension import ClientExtension
from mcp.server.apps import APP_MIME_TYPE

from pictory_mcp.config import Settings
from pictory_mcp.sandbox import SANDBOX_API_KEY
from pictory_mcp.sandbox.control_client import AsyncSandboxControl
from pictory_mcp.sandbox.runner import serve_sandbox
from pictory_mcp.server.app import build_server

sys.path.insert(0, str(Path(__file__).parent))
from png_check import colours

WIDTH = 760
# Root in a container needs --no-sandbox. The view's sandboxed iframe stays in the page's
# process, or virtual time (which waits for the page to settle) does not wait for its messages.
CHROMIUM_FLAGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--mute-audio",
    "--disable-features=IsolateSandboxedIframes,site-per-process",
)
HOST_THEME = {
    "theme": "light",
    "styles": {
        "variables": {
            "--color-background-primary": "#ffffff",
            "--color-background-secondary": "#f4f4f5",
            "--color-text-primary": "#18181b",
            "--color-ring-primary": "#2563eb",
            "--font-sans": "DejaVu Sans, sans-serif",
        }
    },
    "displayMode": "inline",
}

HOST_PAGE = """<!doctype html>
<html><head><meta charset="utf-8"><style>
body { margin: 0; padding: 16px; background: #e4e4e7; }
iframe { display: block; width: 100%; height: 120px; border: 1px solid #d4d4d8;
  border-radius: 10px; background: #fff; }
</style></head><body>
<iframe id="view" sandbox="allow-scripts"></iframe>
<script>
const DATA = __DATA__;
const frame = document.getElementById("view");
function post(message) { frame.contentWindow.postMessage(Object.assign({ jsonrpc: "2.0" }, message), "*"); }
window.addEventListener("message", (event) => {
  if (event.source !== frame.contentWindow) return;
  const m = event.data;
  if (m.method === "ui/initialize") {
    post({ id: m.id, result: { protocolVersion: "2026-01-26", hostInfo: { name: "screenshots", version: "1" },
      hostCapabilities: { openLinks: {}, serverTools: {} }, hostContext: DATA.context } });
  } else if (m.method === "ui/notifications/initialized") {
    post({ method: "ui/notifications/tool-input", params: { arguments: DATA.input } });
    post({ method: "ui/notifications/tool-result", params: DATA.result });
  } else if (m.method === "ui/notifications/size-changed") {
    frame.style.height = m.params.height + 2 + "px";
    document.title = String(m.params.height + 34);  // the frame, its border and the margins
  } else if (m.method === "tools/call") {
    post({ id: m.id, result: DATA.answers[m.params.name] });
  } else if (m.id !== undefined) {
    post({ id: m.id, result: {} });
  }
});
frame.srcdoc = DATA.html;
</script></body></html>
"""


class ShowsViews(ClientExtension):
    identifier = "io.modelcontextprotocol/ui"

    def settings(self) -> dict[str, Any]:
        return {"mimeTypes": [APP_MIME_TYPE]}


def with_csp(html: str, csp: dict[str, Any]) -> str:
    """The view's HTML under the CSP a host builds from its resource's `_meta.ui.csp`."""
    media = " ".join(csp.get("resourceDomains", []))
    policy = (
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
        f"img-src data: {media}; media-src data: {media}; font-src {media}; "
        "connect-src 'none'; frame-src 'none'; base-uri 'none'"
    )
    meta = f'<meta http-equiv="Content-Security-Policy" content="{policy}">'
    return html.replace("<head>", "<head>\n" + meta, 1)


async def answer(client: Client, tool: str, args: dict[str, Any]) -> dict[str, Any]:
    result = await client.call_tool(tool, args)
    dumped: dict[str, Any] = result.model_dump(mode="json", by_alias=True, exclude_none=True)
    if result.is_error:
        raise RuntimeError(f"{tool} failed: {dumped}")
    return dumped


async def shot(chromium: str, page: Path, out: Path, height: int) -> None:
    await anyio.run_process(
        [chromium, *CHROMIUM_FLAGS, "--hide-scrollbars",
         f"--window-size={WIDTH},{height}", "--virtual-time-budget=8000",
         f"--screenshot={out}", page.as_uri()],
        check=True,
    )  # fmt: skip


async def settled_height(chromium: str, page: Path) -> int:
    dom = await anyio.run_process(
        [chromium, *CHROMIUM_FLAGS,
         f"--window-size={WIDTH},600", "--virtual-time-budget=8000", "--dump-dom", page.as_uri()],
        check=True,
    )  # fmt: skip
    found = re.search(rb"<title>(\d+)</title>", dom.stdout)
    return int(found.group(1)) if found else 600


async def render(
    chromium: str, folder: Path, out: Path, view: dict[str, Any], data: dict[str, Any]
) -> None:
    data = {**data, "html": with_csp(view["text"], view["csp"]), "context": HOST_THEME}
    text = json.dumps(data).replace("</", "<\\/")
    page = folder / f"{out.stem}.html"
    page.write_text(HOST_PAGE.replace("__DATA__", text), encoding="utf-8")
    height = await settled_height(chromium, page)
    await shot(chromium, page, out, height)
    width, tall, count = colours(out)
    if count <= 1:
        raise SystemExit(f"{out} is blank ({width}x{tall}, one colour)")
    print(f"{out}: {width}x{tall}, {count} colours")


async def main(chromium: str, out: Path) -> None:
    with tempfile.TemporaryDirectory(prefix="pictory-shots-") as tmp:
        folder = Path(tmp)
        async with serve_sandbox() as sandbox, AsyncSandboxControl(sandbox.root_url) as control:
            settings = Settings.from_env(
                {},
                api_key=SANDBOX_API_KEY,
                base_url=sandbox.api_base_url,
                db_path=folder / "jobs.sqlite3",
                output_dir=folder / "out",
                poll_interval=10.0,
                log_level="WARNING",
            )
            server = build_server(settings)
            async with Client(server, extensions=[ShowsViews()]) as client:  # type: ignore[arg-type]
                await take_all(client, control, chromium, folder, out)


async def view_of(client: Client, uri: str) -> dict[str, Any]:
    content = (await client.read_resource(uri)).contents[0]
    return {"text": content.text, "csp": (content.meta or {})["ui"]["csp"]}  # type: ignore[union-attr]


async def take_all(
    client: Client, control: AsyncSandboxControl, chromium: str, folder: Path, out: Path
) -> None:
    player = await view_of(client, "ui://pictory/player.html")
    storyboard = await view_of(client, "ui://pictory/storyboard.html")
    script = (
        "Oceans cover seven tenths of our planet. They make half of the oxygen we breathe. "
        "Protecting them protects us."
    )

    made = await answer(
        client, "create_video_from_text", {"script": script, "video_name": "Ocean facts"}
    )
    job = {"job_id": made["structuredContent"]["job_id"]}
    await control.advance_clock(3600)
    checked = await answer(client, "check_job", job)
    state = await answer(client, "get_player_state", job)
    await render(chromium, folder, out / "player.png", player,
                 {"input": job, "result": checked, "answers": {"get_player_state": state}})  # fmt: skip

    await control.configure(render_seconds=600)
    slow = await answer(
        client,
        "create_video_from_text",
        {"script": script, "video_name": "Ocean facts, vertical", "aspect_ratio": "9:16"},
    )
    running = {"job_id": slow["structuredContent"]["job_id"]}
    await control.advance_clock(240)
    waited = await answer(client, "check_job", running)
    state = await answer(client, "get_player_state", running)
    await render(chromium, folder, out / "player-progress.png", player,
                 {"input": running, "result": waited, "answers": {"get_player_state": state}})  # fmt: skip

    await control.configure(render_seconds=6)
    await control.fail_next_jobs(
        1,
        error_code="SCENE_BACKGROUND_VISUAL_NOT_FOUND",
        error_message="No stock visual matched scene 2 ('plankton bloom').",
    )
    doomed = await answer(
        client, "create_video_from_text", {"script": script, "video_name": "Plankton"}
    )
    failed = {"job_id": doomed["structuredContent"]["job_id"]}
    await control.advance_clock(3600)
    checked = await answer(client, "check_job", failed)
    state = await answer(client, "get_player_state", failed)
    await render(chromium, folder, out / "player-failed.png", player,
                 {"input": failed, "result": checked, "answers": {"get_player_state": state}})  # fmt: skip

    made = await answer(
        client,
        "create_video_from_text",
        {"script": script, "video_name": "Ocean facts", "preview": True},
    )
    preview = {"job_id": made["structuredContent"]["job_id"]}
    await control.advance_clock(3600)
    page = await answer(client, "get_preview", preview)
    board = await answer(client, "get_storyboard", preview)
    await render(chromium, folder, out / "storyboard.png", storyboard,
                 {"input": preview, "result": page, "answers": {"get_storyboard": board}})  # fmt: skip


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chromium", default="chromium", help="the Chromium executable")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    anyio.run(main, args.chromium, args.out)
