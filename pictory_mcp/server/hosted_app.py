"""Hosted mode's parts of the server: OAuth resource-server options (a JWT verifier for the
platform's identity provider, protected-resource metadata), request-state keys shared by all
replicas, the replica's tenants, the /connect page and /readyz, and the loop that turns the
store's change notifications into wake-ups and announcements on this replica.

Imported only in hosted mode, so single-user start-up never loads JWT, crypto or PostgreSQL.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio
from mcp.server.auth.settings import AuthSettings
from mcp.server.request_state import RequestStateSecurity
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from pictory_mcp.errors import ConfigurationError
from pictory_mcp.server.gate import Gate
from pictory_mcp.server.notify import Notifier, announce
from pictory_mcp.server.state import in_thread
from pictory_mcp.server.tenancy import Tenants, caller

if TYPE_CHECKING:
    from pictory_mcp.config import Settings
    from pictory_mcp.hosted.vault import KeyVault
    from pictory_mcp.server.lifespan import SharedState
    from pictory_mcp.server.pictory_server import PictoryServer
    from pictory_mcp.server.state import AppState

__all__ = [
    "RESUME_EVERY",
    "add_hosted_routes",
    "hosted_options",
    "install_gate",
    "listen_for_changes",
    "open_tenants",
]

logger = logging.getLogger("pictory_mcp.server.hosted")

CONNECT_PATH = "/connect"
RESUME_EVERY = 30.0  # seconds between looks for another replica's orphaned work


def public_origin(settings: Settings) -> str:
    """scheme://host[:port] of this server's public URL (the resource URL)."""
    assert settings.resource_url is not None
    parts = urlsplit(settings.resource_url)
    return f"{parts.scheme}://{parts.netloc}"


def hosted_options(settings: Settings) -> dict[str, Any]:
    """MCPServer constructor options for hosted mode."""
    from pictory_mcp.hosted.identity import READ_SCOPE, JwtTokenVerifier

    settings.check_hosted()  # before anything reads the settings it needs
    assert settings.oauth_issuer is not None and settings.resource_url is not None
    verifier = JwtTokenVerifier(
        settings.oauth_issuer, settings.resource_url, jwks_url=settings.oauth_jwks_url
    )
    return {
        "token_verifier": verifier,
        "auth": AuthSettings(
            issuer_url=settings.oauth_issuer,
            resource_server_url=settings.resource_url,
            required_scopes=[READ_SCOPE],
            # The verifier checks the audience itself (and reports it as the resource).
            validate_token_resource=True,
        ),
        # Every replica seals and opens request state with the same keys (rotation: the
        # first seals, any opens).
        "request_state_security": RequestStateSecurity(
            keys=_vault(settings).derived_keys("request-state")
        ),
    }


def open_tenants(process: AppState) -> Tenants:
    """The replica's tenants, with the vault, connect links and budgets from the settings."""
    from pictory_mcp.hosted.budgets import TokenBuckets
    from pictory_mcp.hosted.links import ConnectLinks

    settings = process.settings
    vault = _vault(settings)

    def per_minute(calls: float) -> TokenBuckets:  # bursts up to a minute's worth
        return TokenBuckets(calls / 60.0, max(1, int(calls)))

    return Tenants(
        process,
        vault=vault,
        links=ConnectLinks(vault),
        connect_url=public_origin(settings) + CONNECT_PATH,
        user_budget=per_minute(settings.user_calls_per_minute),
        account_budget=per_minute(settings.account_calls_per_minute),
    )


def install_gate(server: PictoryServer, settings: Settings, notifier: Notifier) -> None:
    """Admit every call through the gate, and serve listen streams per user."""
    server.gate = Gate(allow_key_header=settings.allow_key_header)

    def user_of() -> str | None:
        who = caller()
        return who.user if who is not None else None

    notifier.serve_per_user(server, user_of)


def add_hosted_routes(server: PictoryServer, shared: SharedState, settings: Settings) -> None:
    """/connect (each user's Pictory key) and /readyz (the store answers)."""
    from pictory_mcp.hosted.connect import connect_routes

    def tenants() -> Tenants:
        state = shared.ref.get("state")
        if state is None or state.tenants is None:
            raise ConfigurationError("The server is still starting; try again in a moment.")
        return state.tenants

    async def verify(key: str) -> None:
        await tenants().verify_key(key)

    async def save(user: str, key: str) -> None:
        await tenants().save_key(user, key)

    async def delete(user: str) -> None:
        await tenants().delete_key(user)

    from pictory_mcp.hosted.links import ConnectLinks

    links = ConnectLinks(_vault(settings))
    https = urlsplit(public_origin(settings)).scheme == "https"
    # Behind the load balancer that terminates TLS, the page sees plain HTTP with
    # X-Forwarded-Proto: https; replicas are reached only through it.
    for route in connect_routes(
        links=links,
        verify_key=verify,
        save_key=save,
        delete_key=delete,
        require_https=https,
        trust_forwarded_proto=https,
    ):
        server._custom_starlette_routes.append(route)

    @server.custom_route("/readyz", methods=["GET"])  # type: ignore[untyped-decorator]
    async def readyz(_: Request) -> Response:
        state = shared.ref.get("state")
        if state is None:
            return JSONResponse({"status": "starting"}, status_code=503)
        try:
            with anyio.fail_after(5):
                await in_thread(state.store.count)
        except Exception:  # the store's own message is for the log, not the prober
            logger.warning("readiness check: the job store does not answer", exc_info=True)
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})


def _vault(settings: Settings) -> KeyVault:
    from pictory_mcp.hosted.vault import KeyVault

    assert settings.secret_keys is not None
    return KeyVault.from_setting(settings.secret_keys.get_secret_value())


async def listen_for_changes(process: AppState) -> None:
    """Background: every job change any replica records wakes this replica's waiters of that
    job and reaches the owner's listeners here; after a lost connection, every waiter wakes
    and re-reads (a notification may have been missed). Never ends the server: a failure is
    logged and listening starts again."""
    while True:
        try:
            await _relay_changes(process)
        except Exception:
            logger.exception("job change notifications stopped; listening again in 5 s")
        await anyio.sleep(5)
        _wake_all(process)


async def _relay_changes(process: AppState) -> None:
    store: Any = process.store
    tenants = process.tenants
    assert tenants is not None
    async for owner, job_id in store.listen():
        if owner is None or job_id is None:
            _wake_all(process)
            continue
        states = tenants.states_of(owner)
        if not states and process.notifier is not None:  # a listener here, its calls elsewhere
            await process.notifier.relay(owner, job_id)
        for state in states:
            try:
                record = await in_thread(state.store.get, job_id)
            except Exception:
                logger.warning("could not read job %s after a change notification", job_id)
                continue
            if record is not None:
                await announce(state, record)


def _wake_all(process: AppState) -> None:
    assert process.tenants is not None
    for state in process.tenants.all_states():
        assert state.notifier is not None
        state.notifier.wake()
