"""HTTP transports: bearer token, non-loopback refusal, Host/Origin checks, body limit, /healthz.

Every server here binds 127.0.0.1; the non-loopback refusal happens before binding, so it
is tested by asking the CLI for 0.0.0.0 and reading its exit code and stderr.
"""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client

from pictory_mcp.config import Settings
from pictory_mcp.server.http import (
    MAX_REQUEST_BODY,
    StaticTokenVerifier,
    check_binding,
    is_loopback,
    transport_security,
)
from tests._helpers import serve_http, server_env

pytestmark = pytest.mark.slow

TOKEN = "test-bearer-token-0123456789abcdef"
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}
LIST_TOOLS = b'{"jsonrpc":"2.0","id":1,"method":"tools/list"}'
INITIALIZE = (
    b'{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-11-25",'
    b'"capabilities":{},"clientInfo":{"name":"auth-test","version":"1"}}}'
)


@pytest.fixture
def token_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    env = server_env(sandbox, tmp_path)
    env["PICTORY_MCP_AUTH_TOKEN"] = TOKEN
    yield from serve_http(env)


@pytest.fixture
def named_host_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    env = server_env(sandbox, tmp_path)
    env["PICTORY_MCP_ALLOWED_HOSTS"] = "mcp.example.org,mcp.example.org:443"
    env["PICTORY_MCP_ALLOWED_ORIGINS"] = "https://app.example.org"
    yield from serve_http(env)


@pytest.fixture
def plain_port(sandbox: Any, tmp_path: Path) -> Iterator[int]:
    yield from serve_http(server_env(sandbox, tmp_path))


def post(
    port: int, headers: dict[str, str] | None = None, body: bytes = LIST_TOOLS
) -> httpx.Response:
    with httpx.Client(timeout=20) as http:
        return http.post(
            f"http://127.0.0.1:{port}/mcp",
            headers={**JSON_HEADERS, **(headers or {})},
            content=body,
        )


def test_the_cli_refuses_a_non_loopback_bind_without_a_token(sandbox: Any, tmp_path: Path) -> None:
    env = server_env(sandbox, tmp_path)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pictory_mcp",
            "--transport",
            "streamable-http",
            "--host",
            "0.0.0.0",
        ],
        env=env,
        capture_output=True,
        timeout=60,
    )
    assert done.returncode == 2
    err = done.stderr.decode()
    assert "Refusing to serve HTTP on 0.0.0.0 without PICTORY_MCP_AUTH_TOKEN" in err
    assert done.stdout == b""


LOOPBACK_SPELLINGS = (
    "127.0.0.1",
    "localhost",
    "LocalHost",
    "::1",
    "[::1]",
    "127.0.0.2",
    "127.255.255.254",
    "0:0:0:0:0:0:0:1",
    "[0:0:0:0:0:0:0:1]",
    "::ffff:127.0.0.1",
)


def test_binding_rules_treat_only_loopback_as_safe_without_a_token() -> None:
    bare = Settings.from_env({})
    for host in LOOPBACK_SPELLINGS:
        assert is_loopback(host)
        check_binding(bare, host)
    for host in ("0.0.0.0", "192.168.1.10", "example.org", "::", "[::]", "localhost.example"):
        assert not is_loopback(host)
        with pytest.raises(Exception, match="PICTORY_MCP_AUTH_TOKEN"):
            check_binding(bare, host)
    check_binding(Settings.from_env({}, auth_token=TOKEN), "0.0.0.0")


def test_configured_hosts_and_origins_replace_the_loopback_defaults() -> None:
    custom = Settings.from_env(
        {
            "PICTORY_MCP_ALLOWED_HOSTS": "a.example, b.example:8443",
            "PICTORY_MCP_ALLOWED_ORIGINS": "https://a.example",
        }
    )
    security = transport_security(custom, host="0.0.0.0", port=9000)
    assert security is not None and security.enable_dns_rebinding_protection
    assert security.allowed_hosts == ["a.example", "b.example:8443"]
    assert security.allowed_origins == ["https://a.example"]
    wide = transport_security(Settings.from_env({}), host="0.0.0.0", port=9000)
    assert wide is not None and wide.enable_dns_rebinding_protection
    assert wide.allowed_hosts == ["127.0.0.1:9000", "localhost:9000"]


@pytest.mark.parametrize("host", LOOPBACK_SPELLINGS)
def test_every_loopback_bind_keeps_host_and_origin_checks_on(host: str) -> None:
    security = transport_security(Settings.from_env({}), host=host, port=9000)
    assert security.enable_dns_rebinding_protection
    assert "evil.example" not in security.allowed_hosts
    assert {"127.0.0.1:*", "localhost:*", "[::1]:*"} <= set(security.allowed_hosts)
    assert {"http://127.0.0.1:*", "http://localhost:*", "http://[::1]:*"} <= set(
        security.allowed_origins
    )


def test_a_loopback_bind_also_accepts_the_host_spelling_it_was_given() -> None:
    bare = Settings.from_env({})
    assert "127.0.0.2:*" in transport_security(bare, host="127.0.0.2", port=9000).allowed_hosts
    expanded = transport_security(bare, host="0:0:0:0:0:0:0:1", port=9000)
    assert "[0:0:0:0:0:0:0:1]:*" in expanded.allowed_hosts
    assert "http://[0:0:0:0:0:0:0:1]:*" in expanded.allowed_origins


@pytest.mark.parametrize(
    ("host", "url_host"),
    [("127.0.0.2", "127.0.0.2"), ("0:0:0:0:0:0:0:1", "[::1]"), ("[::1]", "[::1]")],
    ids=["127.0.0.2", "expanded-ipv6", "bracketed-ipv6"],
)
def test_a_server_on_any_loopback_address_serves_its_own_host_and_refuses_others(
    sandbox: Any, tmp_path: Path, host: str, url_host: str
) -> None:
    for port in serve_http(server_env(sandbox, tmp_path), host=host):
        url = f"http://{url_host}:{port}/mcp"
        with httpx.Client(timeout=20) as http:
            ok = http.post(url, headers=JSON_HEADERS, content=INITIALIZE)
            evil = http.post(
                url, headers={**JSON_HEADERS, "Host": "evil.example"}, content=LIST_TOOLS
            )
            foreign = http.post(
                url, headers={**JSON_HEADERS, "Origin": "http://evil.example"}, content=LIST_TOOLS
            )
        assert ok.status_code == 200, ok.text
        assert evil.status_code == 421
        assert foreign.status_code == 403


def test_a_token_protected_server_names_no_oauth_authorization_server(token_port: int) -> None:
    base = f"http://127.0.0.1:{token_port}"
    with httpx.Client(timeout=20) as http:
        for path in (
            "/.well-known/oauth-protected-resource",
            "/.well-known/oauth-protected-resource/mcp",
        ):
            assert http.get(base + path).status_code == 404
        refused = http.post(f"{base}/mcp", headers=JSON_HEADERS, content=LIST_TOOLS)
    assert refused.status_code == 401
    challenge = refused.headers["WWW-Authenticate"]
    assert challenge.lower().startswith("bearer")
    assert "resource_metadata" not in challenge


@pytest.mark.anyio
async def test_the_token_verifier_accepts_only_the_exact_token() -> None:
    verifier = StaticTokenVerifier(TOKEN)
    assert TOKEN not in repr(verifier)
    accepted = await verifier.verify_token(TOKEN)
    assert accepted is not None and TOKEN not in repr(accepted)
    for wrong in ("", TOKEN[:-1], TOKEN + "x", TOKEN.upper(), "é" * 8):
        assert await verifier.verify_token(wrong) is None


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Bearer wrong-token"},
        {"Authorization": TOKEN},
        {"Authorization": f"Basic {TOKEN}"},
    ],
    ids=["missing", "wrong", "no-scheme", "basic"],
)
def test_requests_without_the_right_token_get_401_with_a_challenge(
    token_port: int, headers: dict[str, str]
) -> None:
    answer = post(token_port, headers)
    assert answer.status_code == 401
    assert answer.headers["WWW-Authenticate"].lower().startswith("bearer")
    assert TOKEN not in answer.text


def test_a_raw_json_rpc_post_with_the_token_is_answered(token_port: int) -> None:
    answer = post(token_port, {"Authorization": f"Bearer {TOKEN}"}, INITIALIZE)
    assert answer.status_code == 200, answer.text
    assert '"serverInfo"' in answer.text and "pictory-mcp" in answer.text


@pytest.mark.anyio
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_an_mcp_client_with_the_token_can_call_tools(
    sandbox: Any, token_port: int, mode: str
) -> None:
    headers = {"Authorization": f"Bearer {TOKEN}"}
    async with httpx2.AsyncClient(headers=headers, timeout=30) as http:
        transport = streamable_http_client(f"http://127.0.0.1:{token_port}/mcp", http_client=http)
        async with Client(transport, mode=mode) as client:
            result = await client.call_tool("list_voices", {"limit": 1})
    assert not result.is_error
    assert isinstance(result.structured_content, dict) and result.structured_content["voices"]


def test_healthz_answers_without_a_token(token_port: int) -> None:
    answer = httpx.get(f"http://127.0.0.1:{token_port}/healthz", timeout=10)
    assert answer.status_code == 200
    assert answer.json()["status"] == "ok"


def test_host_and_origin_checks_stay_on_by_default(plain_port: int) -> None:
    assert post(plain_port, {"Host": "evil.example"}).status_code == 421
    assert (
        post(
            plain_port, {"Host": f"127.0.0.1:{plain_port}", "Origin": "https://evil.example"}
        ).status_code
        == 403
    )
    ok = post(plain_port, {"Origin": f"http://127.0.0.1:{plain_port}"})
    assert ok.status_code not in (403, 421)


def test_a_configured_host_name_and_origin_are_accepted_and_others_refused(
    named_host_port: int,
) -> None:
    good = post(named_host_port, {"Host": "mcp.example.org", "Origin": "https://app.example.org"})
    assert good.status_code not in (403, 421), good.text
    assert post(named_host_port, {"Host": "mcp.example.org:443"}).status_code not in (403, 421)
    assert post(named_host_port, {"Host": "other.example.org"}).status_code == 421
    # Configuring a real host name replaces the loopback defaults.
    assert post(named_host_port, {"Host": f"127.0.0.1:{named_host_port}"}).status_code == 421
    bad_origin = post(
        named_host_port, {"Host": "mcp.example.org", "Origin": "https://evil.example"}
    )
    assert bad_origin.status_code == 403


def test_request_bodies_over_the_limit_are_refused_with_413(plain_port: int) -> None:
    padding = b" " * (MAX_REQUEST_BODY + 1)
    answer = post(plain_port, body=LIST_TOOLS[:-1] + padding + b"}")
    assert answer.status_code == 413
    small = post(plain_port, body=LIST_TOOLS[:-1] + b" " * 1000 + b"}")
    assert small.status_code != 413


def test_an_oversized_body_from_an_authenticated_client_is_refused_with_413(
    token_port: int,
) -> None:
    padding = b" " * (MAX_REQUEST_BODY + 1)
    answer = post(
        token_port, {"Authorization": f"Bearer {TOKEN}"}, LIST_TOOLS[:-1] + padding + b"}"
    )
    assert answer.status_code == 413
