"""HTTP transport settings: bearer-token auth, Host/Origin checks, /healthz."""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any

from mcp.server.auth.provider import AccessToken
from mcp.server.auth.settings import AuthSettings
from mcp.server.transport_security import TransportSecuritySettings

from pictory_mcp.config import Settings
from pictory_mcp.errors import ConfigurationError

MAX_REQUEST_BODY = 1_000_000


class StaticTokenVerifier:
    """Accepts exactly one bearer token (PICTORY_MCP_AUTH_TOKEN), compared in constant time."""

    def __init__(self, token: str) -> None:
        self._token = token.encode()

    def __repr__(self) -> str:
        return "StaticTokenVerifier(<redacted>)"

    async def verify_token(self, token: str) -> AccessToken | None:
        if hmac.compare_digest(token.encode(), self._token):
            return AccessToken(token="<redacted>", client_id="pictory-mcp-client", scopes=[])  # noqa: S106
        return None


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def auth_options(settings: Settings, *, host: str, port: int) -> dict[str, Any]:
    """MCPServer constructor options for bearer auth, when a token is configured.

    The SDK takes a token verifier only with AuthSettings. Leaving `resource_server_url` unset
    keeps it from publishing OAuth protected-resource metadata, which would name this server
    as its own authorization server and send clients (the Inspector among them) into an OAuth
    flow it cannot serve; a refused request still gets 401 with `WWW-Authenticate: Bearer`.
    `issuer_url` is required by the model and served nowhere without an OAuth provider.
    """
    if settings.auth_token is None:
        return {}
    url = f"http://{host}:{port}"
    return {
        "token_verifier": StaticTokenVerifier(settings.auth_token.get_secret_value()),
        "auth": AuthSettings(issuer_url=url, resource_server_url=None),
    }


def check_binding(settings: Settings, host: str) -> None:
    """Binding beyond loopback exposes the user's Pictory credits: require a token."""
    if not is_loopback(host) and settings.auth_token is None:
        raise ConfigurationError(
            f"Refusing to serve HTTP on {host} without PICTORY_MCP_AUTH_TOKEN: anyone who can "
            "reach it could spend your Pictory credits. Set a long random token (clients send "
            "it as 'Authorization: Bearer <token>'), or bind to 127.0.0.1."
        )


def transport_security(
    settings: Settings, *, host: str, port: int
) -> TransportSecuritySettings | None:
    """Keep DNS-rebinding protection on; widen it only to configured hosts and origins."""
    if not settings.allowed_hosts and not settings.allowed_origins and is_loopback(host):
        return None  # the SDK's loopback default: on, for 127.0.0.1/localhost
    hosts = list(settings.allowed_hosts) or [f"127.0.0.1:{port}", f"localhost:{port}"]
    origins = list(settings.allowed_origins) or [
        f"http://127.0.0.1:{port}",
        f"http://localhost:{port}",
    ]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )
