"""`pictory-mcp` entry point: serve (stdio by default), `sandbox`, `demo`, `secret-key` (a new
key for PICTORY_MCP_SECRET_KEYS), or `migrate` (bring the job store's schema up to date).

The only module that wires the sandbox and the server together. Imports stay lazy so a
desktop client's cold start pays only for what it uses.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from typing import Any

TRANSPORTS = ("stdio", "sse", "streamable-http")
SUBCOMMANDS = ("sandbox", "demo", "secret-key", "migrate")


def _serve_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pictory-mcp",
        description="MCP server for the Pictory video API. Subcommands: 'sandbox' runs the "
        "loopback Pictory simulator; 'demo' runs an end-to-end demo; 'secret-key' prints a new "
        "key for PICTORY_MCP_SECRET_KEYS; 'migrate' applies the job store's schema migrations "
        "to PICTORY_MCP_DB and exits.",
    )
    parser.add_argument("--transport", choices=TRANSPORTS, default="stdio")
    parser.add_argument("--host", default="127.0.0.1", help="HTTP transports only")
    parser.add_argument("--port", type=int, default=8000, help="HTTP transports only")
    parser.add_argument(
        "--sandbox",
        action="store_true",
        help="run against the built-in Pictory sandbox (no account needed)",
    )
    parser.add_argument("--log-level", default=None, help="DEBUG, INFO, WARNING or ERROR")
    parser.add_argument(
        "--toolsets",
        default=None,
        help="comma-separated toolsets to offer (default all): "
        "text, sources, previews, highlights, jobs, catalog",
    )
    parser.add_argument(
        "--hosted",
        action="store_true",
        default=None,
        help="serve many users over streamable HTTP, each with their own Pictory key "
        "(same as PICTORY_MCP_MODE=hosted; see the README's Hosted for a team)",
    )
    parser.add_argument(
        "--read-only",
        action="store_true",
        default=None,
        help="hide every tool that spends credits or writes files",
    )
    return parser


@asynccontextmanager
async def sandbox_upstream() -> AsyncIterator[tuple[str, str]]:
    """The built-in sandbox as the server's Pictory API (`--sandbox`): its URL and key."""
    import logging

    from pictory_mcp.sandbox import SANDBOX_API_KEY
    from pictory_mcp.sandbox.runner import serve_sandbox

    async with serve_sandbox() as running:
        logging.getLogger("pictory_mcp.server").info(
            "Pictory sandbox running at %s", running.api_base_url
        )
        yield running.api_base_url, SANDBOX_API_KEY


def serve(argv: Sequence[str]) -> int:
    args = _serve_parser().parse_args(argv)
    from pictory_mcp._logging import setup_logging
    from pictory_mcp.config import Settings
    from pictory_mcp.errors import ConfigurationError

    overrides: dict[str, Any] = {
        "sandbox": args.sandbox,
        "toolsets": args.toolsets,
        "read_only": args.read_only,
        "mode": "hosted" if args.hosted else None,
    }
    if args.log_level:
        overrides["log_level"] = args.log_level
    try:
        settings = Settings.from_env(None, **overrides)
    except ConfigurationError as exc:
        print(f"pictory-mcp: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, settings.secret_values())
    upstream = sandbox_upstream if settings.sandbox else None

    from pictory_mcp.server.inventory import selected_tools

    try:
        selected_tools(settings.toolsets, read_only=settings.read_only)  # names checked first
    except ConfigurationError as exc:
        print(f"pictory-mcp: {exc}", file=sys.stderr)
        return 2
    if settings.hosted and args.transport != "streamable-http":
        print(
            "pictory-mcp: hosted mode serves streamable HTTP only; add "
            "--transport streamable-http.",
            file=sys.stderr,
        )
        return 2
    if args.transport == "stdio" and settings.webhooks:
        print(
            "pictory-mcp: PICTORY_MCP_PUBLIC_URL turns on webhooks, which Pictory calls over "
            "HTTP; serve with --transport streamable-http (or sse), or unset it.",
            file=sys.stderr,
        )
        return 2
    if args.transport == "stdio":
        from pictory_mcp.server.app import build_server

        build_server(settings, upstream=upstream).run("stdio")
        return 0
    from pictory_mcp.server.http import check_binding

    try:
        # Before building anything: an unsafe bind must fail fast and plainly.
        check_binding(settings, args.host)
    except ConfigurationError as exc:
        print(f"pictory-mcp: {exc}", file=sys.stderr)
        return 2
    import anyio

    from pictory_mcp.server.app import build_server
    from pictory_mcp.server.http_serve import serve_http

    server = build_server(settings, http_host=args.host, http_port=args.port, upstream=upstream)
    anyio.run(lambda: serve_http(server, settings, args.transport, host=args.host, port=args.port))
    return 0


def migrate(argv: Sequence[str]) -> int:
    """Apply the job store's schema migrations to PICTORY_MCP_DB, say which version it is at,
    and exit: 0 when done, 1 when the store cannot be opened, 2 for a bad setting. What it
    prints names the store without its password."""
    argparse.ArgumentParser(
        prog="pictory-mcp migrate",
        description="Apply the job store's schema migrations to the store PICTORY_MCP_DB names "
        "(a PostgreSQL URL or a SQLite file) and exit. Replicas starting together, or this "
        "command run alongside them, migrate once.",
    ).parse_args(argv)
    from pictory_mcp._logging import setup_logging
    from pictory_mcp.config import Settings
    from pictory_mcp.errors import ConfigurationError, StoreError
    from pictory_mcp.jobs import SCHEMA_VERSION, describe_location, is_postgres_url, open_store

    try:
        settings = Settings.from_env(None)
    except ConfigurationError as exc:
        print(f"pictory-mcp: {exc}", file=sys.stderr)
        return 2
    setup_logging(settings.log_level, settings.secret_values())
    location = settings.db_url.get_secret_value() if settings.db_url else settings.db_path
    try:
        open_store(location).close()  # opening a store migrates it
    except StoreError as exc:  # its message names the store without the password
        print(f"pictory-mcp: {exc}", file=sys.stderr)
        return 1
    version = SCHEMA_VERSION
    if is_postgres_url(location):
        from pictory_mcp.jobs import postgres

        version = postgres.SCHEMA_VERSION
    print(f"The job store at {describe_location(location)} is at schema version {version}.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["sandbox"]:
        from pictory_mcp.sandbox.runner import main as sandbox_main

        code: int = sandbox_main(argv[1:])
        return code
    if argv[:1] == ["secret-key"]:
        from pictory_mcp.hosted.vault import generate_key

        print(generate_key())
        return 0
    if argv[:1] == ["migrate"]:
        return migrate(argv[1:])
    if argv[:1] == ["demo"]:
        from pictory_mcp.demo import main as demo_main

        return demo_main(argv[1:])
    try:
        return serve(argv)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
