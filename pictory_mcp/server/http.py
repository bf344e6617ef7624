"""HTTP transport settings: bearer-token auth, which binds are loopback, Host/Origin checks."""

from __future__ import annotations

import hmac
import ipaddress
from typing import Any
from urllib.parse import urlsplit

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


def _address(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(host.removeprefix("[").removesuffix("]"))
    except ValueError:
        return None


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine only: `localhost`, 127.0.0.0/8, or ::1 in any spelling
    (bracketed, expanded, IPv4-mapped)."""
    if host.lower() == "localhost":
        return True
    address = _address(host)
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address is not None and address.is_loopback


def bind_address(host: str) -> str:
    """`host` as a socket binds it: an IPv6 address loses the brackets of its URL spelling."""
    address = _address(host)
    return str(address) if isinstance(address, ipaddress.IPv6Address) else host


def url_host(host: str) -> str:
    """`host` as a URL spells it: an IPv6 address in brackets."""
    address = _address(host)
    return f"[{address}]" if isinstance(address, ipaddress.IPv6Address) else host


def _host_names(host: str) -> list[str]:
    """How a Host header names a loopback server bound to `host`: the usual loopback names,
    plus the bind address as given and in its canonical form (IPv6 in brackets)."""
    names = ["127.0.0.1", "localhost", "[::1]"]
    address = _address(host)
    spellings = [host.removeprefix("[").removesuffix("]")]
    if address is not None:
        spellings.append(str(address))
    for spelling in spellings:
        name = f"[{spelling}]" if ":" in spelling else spelling.lower()
        if name not in names:
            names.append(name)
    return names


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
    url = f"http://{url_host(host)}:{port}"
    return {
        "token_verifier": StaticTokenVerifier(settings.auth_token.get_secret_value()),
        "auth": AuthSettings(issuer_url=url, resource_server_url=None),
    }


def check_binding(settings: Settings, host: str) -> None:
    """Binding beyond loopback exposes the user's Pictory credits: require a token (hosted
    mode always requires access tokens from the identity provider). Webhook URLs carry a
    secret: over https only, but for a loopback address."""
    public = urlsplit(settings.public_url) if settings.public_url else None
    if public is not None and public.scheme != "https" and not is_loopback(public.hostname or ""):
        raise ConfigurationError(
            "PICTORY_MCP_PUBLIC_URL must be an https:// URL: each webhook URL carries a secret. "
            "(http:// is accepted for loopback addresses only, for local testing.)"
        )
    if settings.hosted:
        settings.check_hosted()
        return
    if not is_loopback(host) and settings.auth_token is None:
        raise ConfigurationError(
            f"Refusing to serve HTTP on {host} without PICTORY_MCP_AUTH_TOKEN: anyone who can "
            "reach it could spend your Pictory credits. Set a long random token (clients send "
            "it as 'Authorization: Bearer <token>'), or bind to 127.0.0.1."
        )


def transport_security(settings: Settings, *, host: str, port: int) -> TransportSecuritySettings:
    """DNS-rebinding protection, always on: configured hosts and origins when given; else,
    on a loopback bind, the loopback names on any port; else 127.0.0.1 and localhost on `port`.
    """
    if settings.hosted and settings.resource_url and not settings.allowed_hosts:
        # Hosted: the public name clients reach (through the load balancer), unless the
        # platform lists its own.
        public = urlsplit(settings.resource_url)
        hosts = [public.netloc]
        origins = list(settings.allowed_origins) or [f"{public.scheme}://{public.netloc}"]
    elif settings.allowed_hosts or settings.allowed_origins or not is_loopback(host):
        hosts = list(settings.allowed_hosts) or [f"127.0.0.1:{port}", f"localhost:{port}"]
        origins = list(settings.allowed_origins) or [
            f"http://127.0.0.1:{port}",
            f"http://localhost:{port}",
        ]
    else:
        # Any port: a rebinding attacker controls the name, not the port, and a forwarded
        # port (ssh -L, a container mapping) reaches the server under another number.
        names = _host_names(host)
        hosts = [form for name in names for form in (name, f"{name}:*")]
        origins = [form for name in names for form in (f"http://{name}", f"http://{name}:*")]
    return TransportSecuritySettings(
        enable_dns_rebinding_protection=True, allowed_hosts=hosts, allowed_origins=origins
    )
