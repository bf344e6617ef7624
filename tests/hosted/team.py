"""A hosted server for tests: `pictory-mcp` in hosted mode on a loopback port (in this process,
under uvicorn), tokens from a real loopback identity provider, the sandbox as Pictory, and MCP
clients for named users with bearer tokens.

    async with hosted_server(settings_for(idp, sandbox, db)) as team:
        async with team.client("alice") as alice: ...
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

import anyio
import httpx
import httpx2
import pytest
from mcp import Client
from mcp.client.extension import ClientExtension
from mcp.client.streamable_http import streamable_http_client
from mcp.shared.exceptions import MCPError

from pictory_mcp.config import Settings
from pictory_mcp.hosted.vault import generate_key
from tests._helpers import free_port, serving
from tests.hosted.idp import ALL_SCOPES, IdP

URL_ELICITATION_REQUIRED = -32042
# Each user has a Pictory account (a key) of their own in the sandbox.
USER_KEYS = {
    name: f"pictai_{name}_account_key"
    for name in ("alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy")
}


def settings_for(
    idp: IdP, sandbox: Any, db: str, *, port: int | None = None, **extra: Any
) -> Settings:
    """Hosted settings on a free port (or `port`), the sandbox as Pictory, the store `db`."""
    port = port or free_port()
    values: dict[str, Any] = {
        "mode": "hosted",
        "oauth_issuer": idp.issuer,
        "resource_url": f"http://127.0.0.1:{port}/mcp",
        "secret_keys": generate_key(),
        "base_url": sandbox.api_base_url,
        "db_path": db,
        "log_level": "WARNING",
        "poll_interval": 1.0,
        **extra,
    }
    return Settings.model_validate(values)


def port_of(settings: Settings) -> int:
    assert settings.resource_url is not None
    port = urlsplit(settings.resource_url).port
    assert port is not None
    return port


@dataclass
class Team:
    """A running hosted server and the identity provider its users sign in with."""

    settings: Settings
    idp: IdP

    @property
    def url(self) -> str:
        assert self.settings.resource_url is not None
        return self.settings.resource_url

    @property
    def origin(self) -> str:
        return self.url.removesuffix("/mcp")

    def token(self, user: str, *, scopes: Sequence[str] | None = ALL_SCOPES, **kw: Any) -> str:
        return self.idp.token(user, scopes=scopes, audience=kw.pop("audience", self.url), **kw)

    @contextlib.asynccontextmanager
    async def client(
        self,
        user: str,
        *,
        scopes: Sequence[str] | None = ALL_SCOPES,
        headers: dict[str, str] | None = None,
        url: str | None = None,
        mode: str = "2026-07-28",
        extensions: Sequence[ClientExtension] = (),
        elicitation_callback: Any = None,
    ) -> AsyncIterator[Client]:
        """An MCP client for `user` (a fresh token with `scopes`, the client `extensions`; one
        that can answer questions with `elicitation_callback`)."""
        sent = {"Authorization": f"Bearer {self.token(user, scopes=scopes)}", **(headers or {})}
        http = httpx2.AsyncClient(headers=sent, timeout=httpx2.Timeout(60, read=120))
        async with http:
            transport = streamable_http_client(url or self.url, http_client=http)
            async with Client(
                transport,  # type: ignore[arg-type]
                mode=mode,  # type: ignore[arg-type]
                extensions=extensions,
                elicitation_callback=elicitation_callback,
            ) as client:
                yield client

    async def connect_link(self, client: Client) -> str:
        """The connect page link a user without a key is given (from the -32042 answer)."""
        with anyio.fail_after(30), pytest.raises(MCPError) as asked:
            await client.call_tool("list_voices", {})
        assert asked.value.error.code == URL_ELICITATION_REQUIRED, asked.value
        (elicitation,) = (asked.value.error.data or {})["elicitations"]
        assert elicitation["mode"] == "url"
        return str(elicitation["url"])

    def tenants_link(self, user: str) -> str:
        """A fresh connect link for `user` as the server signs them (the user's own page)."""
        from mcp.server.auth.provider import AccessToken

        from pictory_mcp.hosted.identity import user_id
        from pictory_mcp.hosted.links import ConnectLinks
        from pictory_mcp.hosted.vault import KeyVault

        assert self.settings.secret_keys is not None
        vault = KeyVault.from_setting(self.settings.secret_keys.get_secret_value())
        token = AccessToken(
            token="-", client_id="-", scopes=[], subject=user, claims={"iss": self.idp.issuer}
        )
        return ConnectLinks(vault).url(self.origin + "/connect", user_id(token))

    async def submit_key(self, link: str, key: str, action: str = "save") -> httpx.Response:
        """What the user's browser does on the connect page: POST the form."""
        token = parse_qs(urlsplit(link).query)["t"][0]
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.post(
                link.split("?")[0], data={"t": token, "api_key": key, "action": action}
            )

    async def get(self, url: str, **kw: Any) -> httpx.Response:
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.get(url, **kw)

    async def post(self, url: str, **kw: Any) -> httpx.Response:
        async with httpx.AsyncClient(timeout=30) as http:
            return await http.post(url, **kw)

    async def connected(self, user: str, key: str | None = None) -> None:
        """Connect `user`'s Pictory key through the connect page, as a user would."""
        async with self.client(user) as client:
            link = await self.connect_link(client)
        answer = await self.submit_key(link, key or USER_KEYS[user])
        assert answer.status_code == 200, answer.text


@contextlib.asynccontextmanager
async def hosted_server(settings: Settings, idp: IdP) -> AsyncIterator[Team]:
    """`settings`' hosted server on its resource URL's port until the block exits."""
    async with serving(settings, port_of(settings)):
        yield Team(settings, idp)
