"""A recognisable API key runs every tool's happy path, its refusals and the sandbox's faults
in-process; then tool results, errors, resources, every log record and the job database
are scanned for it."""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from mcp import Client

from pictory_mcp.api._retry import RetryPolicy
from pictory_mcp.server.app import build_server
from pictory_mcp.server.inventory import all_tools
from tests._helpers import (
    ADVANCE,
    CANARY,
    Scanner,
    ShowsViews,
    call,
    job_ids,
    make_settings,
    read_all_resources,
    scan_database,
    text_of,
)

pytestmark = pytest.mark.anyio

DATA = Path(__file__).resolve().parents[1] / "data" / "vendor-payloads"
LOGGERS = ("", "httpx", "httpcore", "mcp", "pictory_mcp", "uvicorn", "anyio")
TEMPLATE = "20250901101500123a1b2c3d4e5f60718293a4b5c6d7e8f9tpl1"  # the sandbox's catalogue


def storyboard() -> dict[str, Any]:
    path = DATA / "explainer-16x9-stock-visuals-elements.json"
    loaded: dict[str, Any] = json.loads(path.read_text())
    return loaded


def happy_calls(job: str, preview: str) -> dict[str, list[dict[str, Any]]]:
    """Argument sets per tool that should succeed once `job` (a render) and `preview` exist."""
    return {
        "create_video_from_text": [{"script": "Rivers carry the story.", "voice": "Joanna"}],
        "create_video_from_article": [{"url": "https://example.com/blog/rivers"}],
        "create_video_from_presentation": [{"ppt_url": "https://example.com/deck.pptx"}],
        "create_video_from_template": [
            {"template_id": TEMPLATE, "variables": {"Product": "Rivers", "Company": "Ada"}}
        ],
        "create_video_from_storyboard": [{"storyboard": storyboard()}],
        "render_preview": [{"job_id": preview}],
        "get_preview": [{"job_id": preview, "limit": 2}],
        "update_preview_scene": [{"job_id": preview, "scene": 1, "text": "A new first line."}],
        "create_video_highlights": [{"media_url": "https://example.com/talk.mp4"}],
        "check_job": [{"job_id": job}, {"job_id": job, "detail": True}],
        "list_jobs": [{}, {"status": "completed", "since": "24h", "name_contains": "a"}],
        "wait_for_job": [{"job_id": job, "timeout_seconds": 1}],
        "download_video": [{"job_id": job}],
        "list_voices": [{"limit": 2}, {"query": "British", "include_samples": True}],
        "list_catalog": [{"kind": "quota"}, {"kind": "templates"}, {"kind": "brands"}],
        "search_library": [{"kind": "music", "limit": 2}, {"kind": "media", "query": "river"}],
        "get_player_state": [{"job_id": job}, {"job_id": preview}],
        "get_storyboard": [{"job_id": preview}],
    }


def refusal_calls(tool: str, schema: dict[str, Any]) -> list[dict[str, Any]]:
    """Calls every tool must refuse: missing, mistyped and unknown arguments, junk ids and URLs."""
    props: dict[str, Any] = schema.get("properties", {})
    calls: list[dict[str, Any]] = [{"no_such_argument": CANARY}]
    if schema.get("required"):
        calls.append({})
    for name, prop in props.items():
        if prop.get("type") == "string":
            calls.append({name: 12345})
            calls.append({name: "x" * 20_000})
        if name == "job_id":
            calls.append({"job_id": "0000-unknown-job"})
            calls.append({"job_id": "../../etc/passwd"})
        if "url" in name:
            calls.append({name: "file:///etc/passwd"})
    if tool == "create_video_from_text":
        calls.append({"script": "Hi.", "voice": "nobody-at-all"})
    return calls


def fast_retries() -> RetryPolicy:
    # Retry-After from the sandbox is at least 1 s; give up at once instead of sleeping.
    return RetryPolicy(max_attempts=2, base_delay=0.01, max_delay=0.02, max_retry_after=0.1)


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Iterator[pytest.LogCaptureFixture]:
    levels = {name: logging.getLogger(name).level for name in LOGGERS}
    for name in LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG)
    caplog.set_level(logging.DEBUG)
    try:
        yield caplog
    finally:
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)


def record_text(record: logging.LogRecord) -> str:
    """Everything a handler could print for `record`, before any redaction."""
    parts = [str(record.msg), repr(record.args)]
    with contextlib.suppress(Exception):  # a malformed record still has msg and args above
        parts.append(record.getMessage())
    if record.exc_info:
        parts.append(logging.Formatter().formatException(record.exc_info))
        parts.append(repr(record.exc_info[1]))
    parts.append(record.exc_text or "")
    parts.append(record.stack_info or "")
    return "\n".join(parts)


async def test_the_key_never_appears_in_results_errors_resources_logs_or_the_database(
    sandbox: Any,
    tmp_path: Path,
    debug_logs: pytest.LogCaptureFixture,
) -> None:
    settings = make_settings(sandbox.api_base_url, tmp_path, api_key=CANARY)
    scan = Scanner()
    exercised: set[str] = set()
    # As a host of inline views sees the server: every tool listed, the views' own included.
    async with Client(
        build_server(settings, retry=fast_retries()),
        extensions=[ShowsViews()],  # type: ignore[arg-type]
    ) as client:
        tools = {t.name: t.input_schema for t in (await client.list_tools()).tools}
        assert {s.name for s in all_tools()} <= set(tools)
        job, preview = await job_ids(client)
        sandbox.control.advance_clock(ADVANCE)
        await call(client, scan, "check_job", {"job_id": job})
        await call(client, scan, "check_job", {"job_id": preview})
        happy = happy_calls(job, preview)
        for tool, schema in tools.items():
            for args in happy.get(tool, []):
                exercised.add(tool)
                result = await call(client, scan, tool, args)
                assert result is not None and not result.is_error, (tool, text_of(result))
            for args in refusal_calls(tool, schema):
                result = await call(client, scan, tool, args)
                assert result is not None and result.is_error, (tool, args)
            sandbox.control.advance_clock(ADVANCE)
        await read_all_resources(client, scan, [job, preview, "0000-unknown-job"])
    assert exercised == set(tools), f"no happy path for {set(tools) - exercised}"
    scan_database(scan, settings.db_path)
    for record in debug_logs.records:
        scan.add(f"log {record.name}", record_text(record))
    scan.assert_clean()


FAULTS: list[tuple[str, dict[str, Any], dict[str, Any]]] = [
    ("401", {"valid_keys": ["pictai_some_other_key"]}, {}),
    ("5xx-before", {}, {"error_next": 20, "error_status": 503, "error_phase": "before"}),
    ("5xx-after", {}, {"error_next": 20, "error_status": 500, "error_phase": "after"}),
    ("dropped", {}, {"drop_next": 20}),
    ("malformed", {}, {"malformed_next": 20}),
    ("429", {"rate_limit": 0.001}, {}),
    ("400", {}, {"reject_next": 5, "reject_field": "scenes[0].story"}),
]

FAULTED_CALLS: list[tuple[str, dict[str, Any]]] = [
    ("list_voices", {"limit": 1}),
    ("list_catalog", {"kind": "quota"}),
    ("search_library", {"kind": "music"}),
    ("create_video_from_text", {"script": "Rivers carry the story.", "voice": "Joanna"}),
    ("create_video_from_storyboard", {"storyboard": storyboard()}),
    ("create_video_from_article", {"url": "https://example.com/blog/rivers"}),
    ("check_job", {"job_id": "0000-unknown-job"}),
]


@pytest.mark.parametrize(("config", "faults"), [f[1:] for f in FAULTS], ids=[f[0] for f in FAULTS])
async def test_the_key_never_appears_under_sandbox_faults(
    sandbox: Any,
    tmp_path: Path,
    debug_logs: pytest.LogCaptureFixture,
    config: dict[str, Any],
    faults: dict[str, Any],
) -> None:
    settings = make_settings(sandbox.api_base_url, tmp_path, api_key=CANARY)
    scan = Scanner()
    errors = 0
    # As a host of inline views sees the server: every tool listed, the views' own included.
    async with Client(
        build_server(settings, retry=fast_retries()),
        extensions=[ShowsViews()],  # type: ignore[arg-type]
    ) as client:
        if config:
            sandbox.control.configure(**config)
        if faults:
            sandbox.control.faults(**faults)
        for tool, args in FAULTED_CALLS:
            result = await call(client, scan, tool, args)
            assert result is not None, f"{tool} raised a protocol error"
            errors += bool(result.is_error)
        await read_all_resources(client, scan, [])
    assert errors, "the fault never reached a tool"
    scan_database(scan, settings.db_path)
    for record in debug_logs.records:
        scan.add(f"log {record.name}", record_text(record))
    scan.assert_clean()


def failure_text(exc: BaseException) -> str:
    import traceback

    chain = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return f"{exc!r}\n{exc}\n{chain}"


@pytest.mark.parametrize(
    ("key", "base_url"),
    [
        (CANARY + "é", "http://127.0.0.1:9/p"),  # httpx cannot encode it: its error quotes it
        (CANARY + "\n", "http://127.0.0.1:9/p"),
        (CANARY + "\x00x", "http://127.0.0.1:9/p"),
        (CANARY, "http://[not-a-host/p"),
        (CANARY, "ftp://127.0.0.1:9/p"),
        (CANARY, "http://127.0.0.1:9/p"),  # connection refused
    ],
    ids=["non-ascii-key", "newline-key", "nul-key", "bad-url", "bad-scheme", "refused"],
)
async def test_client_failures_built_from_httpx_errors_do_not_carry_the_key(
    key: str, base_url: str
) -> None:
    from pictory_mcp.api import PictoryClient
    from pictory_mcp.errors import PictoryMCPError

    with pytest.raises(PictoryMCPError) as caught:
        async with PictoryClient(key, base_url, retry=RetryPolicy.no_retries()) as api:
            await api.list_voices()
    assert CANARY not in failure_text(caught.value)


def test_settings_errors_do_not_carry_the_key() -> None:
    from pictory_mcp.config import Settings
    from pictory_mcp.errors import ConfigurationError

    bad = [
        {"PICTORY_API_KEY": CANARY, "PICTORY_MCP_HTTP_TIMEOUT": "soon"},
        {"PICTORY_API_KEY": CANARY, "PICTORY_MCP_POLL_INTERVAL": "0"},
        {"PICTORY_API_KEY": CANARY, "PICTORY_MCP_AUTH_TOKEN": CANARY, "PICTORY_MCP_LOG_LEVEL": "x"},
    ]
    for env in bad:
        with pytest.raises(ConfigurationError) as caught:
            Settings.from_env(env)
        assert CANARY not in failure_text(caught.value)
    settings = Settings.from_env({"PICTORY_API_KEY": CANARY})
    assert CANARY not in repr(settings) + str(settings) + settings.model_dump_json()
