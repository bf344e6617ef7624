"""The verifier inside the SDK's own auth layer, over streamable HTTP on loopback: what the SDK
does with the tokens it returns (resource check, scopes, who the tool sees)."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from dataclasses import dataclass

import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.auth.settings import AuthSettings
from mcp.server.mcpserver import MCPServer

from pictory_mcp.hosted.identity import READ_SCOPE, RENDER_SCOPE, JwtTokenVerifier, user_id
from tests.hosted.idp import IdP, serving

pytestmark = pytest.mark.anyio


@dataclass(frozen=True)
class Served:
    url: str


@pytest.fixture
def served(idp: IdP) -> Iterator[Served]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    url = f"http://127.0.0.1:{sock.getsockname()[1]}/mcp"
    server = MCPServer(
        "identity-check",
        token_verifier=JwtTokenVerifier(idp.issuer, url),
        auth=AuthSettings(
            issuer_url=idp.issuer,
            resource_server_url=url,
            required_scopes=[READ_SCOPE],
            validate_token_resource=True,
        ),
    )

    @server.tool()
    def whoami() -> str:
        """The calling user's id and scopes."""
        token = get_access_token()
        assert token is not None
        return f"{user_id(token)} {' '.join(token.scopes)}"

    with serving(server.streamable_http_app(stateless_http=True), sock):
        yield Served(url)


async def whoami(url: str, token: str) -> str:
    headers = {"Authorization": f"Bearer {token}"}
    async with (
        httpx2.AsyncClient(headers=headers, timeout=30) as http,
        Client(streamable_http_client(url, http_client=http)) as client,
    ):
        result = await client.call_tool("whoami", {})
    text = result.content[0].text  # type: ignore[union-attr]
    assert isinstance(text, str)
    return text


async def test_each_user_reaches_tools_as_themselves(idp: IdP, served: Served) -> None:
    alice = await whoami(served.url, idp.token("alice", audience=served.url))
    bob = await whoami(served.url, idp.token("bob", audience=served.url, kid="ec-1"))
    assert alice.split()[1:] == [READ_SCOPE, RENDER_SCOPE]
    assert alice.split()[0].startswith("u_") and bob.split()[0].startswith("u_")
    assert alice.split()[0] != bob.split()[0]


async def test_a_read_only_token_is_let_in_with_only_the_read_scope(
    idp: IdP, served: Served
) -> None:
    reader = await whoami(served.url, idp.token("carol", audience=served.url, scopes=[READ_SCOPE]))
    assert reader.split()[1:] == [READ_SCOPE]


@pytest.mark.parametrize("kind", ["none", "wrong-audience", "expired", "wrong-issuer", "no-scope"])
async def test_a_request_without_a_good_token_is_refused_with_the_resource_metadata(
    idp: IdP, served: Served, kind: str
) -> None:
    tokens = {
        "wrong-audience": idp.token("alice", audience="https://other.example/mcp"),
        "expired": idp.token("alice", audience=served.url, expires_in=-600),
        "wrong-issuer": idp.token("alice", audience=served.url, issuer="https://evil.example"),
        "no-scope": idp.token("alice", audience=served.url, scopes=[]),
    }
    headers = {"Accept": "application/json, text/event-stream"}
    if kind in tokens:
        headers["Authorization"] = f"Bearer {tokens[kind]}"
    async with httpx.AsyncClient(timeout=30) as http:
        response = await http.post(
            served.url,
            headers=headers,
            json={"jsonrpc": "2.0", "id": 1, "method": "tools/list"},
        )
        metadata = await http.get(
            served.url.replace("/mcp", "/.well-known/oauth-protected-resource/mcp")
        )
    assert response.status_code == (403 if kind == "no-scope" else 401)
    assert "resource_metadata=" in response.headers["www-authenticate"]
    assert metadata.status_code == 200
    assert metadata.json()["resource"] == served.url
    assert metadata.json()["authorization_servers"] == [idp.issuer]
