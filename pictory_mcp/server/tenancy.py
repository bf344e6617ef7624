"""Hosted mode: who is calling, and the state each user's calls run on.

A user is the identity provider's `(iss, sub)`, reduced to an opaque id (`hosted.identity`).
Each user's calls run on an `AppState` of their own (a tenant) — their Pictory key's client, their
caches and poll tracker, a job store scoped to their rows, their own announcements — made on
this replica at the user's first call, or when the replica finds the user's unfinished work.
Nothing a later request needs lives only here: jobs, workflow steps, leases, keys and poll
slots are in the shared store, so any replica can serve any request.
"""

from __future__ import annotations

import logging
import secrets
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import anyio
from mcp.server.auth.middleware.auth_context import get_access_token
from mcp.server.mcpserver.exceptions import ToolError
from mcp.shared.exceptions import UrlElicitationRequiredError
from mcp_types import ElicitRequestURLParams

from pictory_mcp import api
from pictory_mcp.errors import (
    AuthenticationError,
    ConfigurationError,
    InputError,
    PermissionDeniedError,
)
from pictory_mcp.server.state import AppState, in_thread
from pictory_mcp.server.tenant_table import TenantTable, key_fingerprint

if TYPE_CHECKING:
    from pictory_mcp.hosted.budgets import TokenBuckets
    from pictory_mcp.hosted.links import ConnectLinks
    from pictory_mcp.hosted.vault import KeyVault

__all__ = ["KEY_SECRET", "Caller", "Tenants", "caller", "key_fingerprint"]

logger = logging.getLogger("pictory_mcp.server.hosted")

KEY_SECRET = "pictory_api_key"  # noqa: S105 -- the name of a user's Pictory key in the store's secrets
KEY_HEADER = "x-pictory-api-key"
_HEADER_TENANTS = 256  # per-request keys: tenants kept in memory only, the oldest dropped


@dataclass(frozen=True)
class Caller:
    """The verified caller of a request: their user id and the scopes their token carries."""

    user: str
    scopes: frozenset[str]


def caller() -> Caller | None:
    """The caller of the current request, from the SDK's verified access token."""
    from pictory_mcp.hosted.identity import user_id

    token = get_access_token()
    if token is None or token.subject is None:
        return None
    return Caller(user_id(token), frozenset(token.scopes))


class Tenants:
    """The tenants of one replica, made from the process state (`process`), which owns the
    store, the background task group and the settings."""

    def __init__(
        self,
        process: AppState,
        *,
        vault: KeyVault,
        links: ConnectLinks,
        connect_url: str,
        user_budget: TokenBuckets,
        account_budget: TokenBuckets,
    ) -> None:
        self.process = process
        self.vault = vault
        self.links = links
        self.connect_url = connect_url
        self.user_budget = user_budget
        self.account_budget = account_budget
        self.table = TenantTable(process, self._client, _HEADER_TENANTS)
        self._lock = anyio.Lock()
        self._unresumable: set[str] = set()

    # -- keys -------------------------------------------------------------------------------

    async def stored_key(self, user: str) -> str | None:
        """The user's Pictory key from the store, decrypted; None when they have none."""
        store = self.process.store
        blob = await in_thread(store.get_secret, user, KEY_SECRET)
        return None if blob is None else self.vault.decrypt(user, blob)

    async def save_key(self, user: str, key: str) -> None:
        """Check the key against Pictory, then store it encrypted."""
        await self.verify_key(key)
        blob = self.vault.encrypt(user, key)
        await in_thread(self.process.store.put_secret, user, KEY_SECRET, blob)
        logger.info("user %s connected a Pictory key (%s)", user[:10], key_fingerprint(key))

    async def delete_key(self, user: str) -> None:
        await in_thread(self.process.store.delete_secret, user, KEY_SECRET)
        await self.table.retire_stale(user, None)  # other replicas: at their next key check
        logger.info("user %s disconnected their Pictory key", user[:10])

    async def verify_key(self, key: str) -> None:
        """Raise InputError (a sentence for the user) unless Pictory accepts `key`."""
        client = self._client(key)
        try:
            await client.list_voices()
        except (AuthenticationError, PermissionDeniedError):
            raise InputError(
                "Pictory refused this API key. Copy it again from "
                "https://app.pictory.ai/api-access and paste it whole."
            ) from None
        finally:
            await client.aclose()

    def connect_link(self, user: str) -> str:
        return self.links.url(self.connect_url, user)

    def key_required(self, user: str) -> UrlElicitationRequiredError:
        """The answer to a user with no key on file: open the connect page, then retry."""
        link = self.connect_link(user)
        return UrlElicitationRequiredError(
            [
                ElicitRequestURLParams(
                    mode="url",
                    message=(
                        "Connect your Pictory account: open this page, paste your Pictory API "
                        "key (from https://app.pictory.ai/api-access), then retry."
                    ),
                    url=link,
                    elicitation_id=f"connect-{secrets.token_hex(8)}",
                )
            ],
            message=(
                "This server has no Pictory API key for you yet. Ask the user to open "
                f"{link} and connect their key, then call the tool again."
            ),
        )

    # -- tenants ----------------------------------------------------------------------------

    async def state_for(self, user: str, header_key: str | None = None) -> AppState:
        """The tenant serving `user`'s call: with the key from the request header when the
        server allows it (never stored), else the user's stored key, else the connect answer."""
        from pictory_mcp.hosted.vault import KeyUnreadableError

        try:
            key = header_key if header_key is not None else await self.stored_key(user)
        except KeyUnreadableError as exc:  # sealed with a retired key, or tampered with
            logger.warning("the stored Pictory key of user %s cannot be read: %s", user[:10], exc)
            key = None
        if key is None:
            if header_key is None:
                await self.table.retire_stale(user, None)  # the key was removed
            raise self.key_required(user)
        header = header_key is not None
        state = self.table.get(user, key, header=header)
        if state is None:
            async with self._lock:
                state = self.table.get(user, key, header=header)
                if state is None:
                    state = await self.table.open(user, key, header=header)
        return state

    def charge(self, user: str, state: AppState) -> None:
        """Take one call from the user's and their Pictory account's budgets, or refuse with
        how long to wait."""
        wait = self.user_budget.take(user)
        if wait == 0:
            wait = self.account_budget.take(state.account)
        if wait > 0:
            raise ToolError(
                f"Too many calls: this user's (or this Pictory account's) budget is spent for "
                f"now. Wait {max(1, round(wait))} s, then call again."
            )

    async def resume(self) -> int:
        """Make tenants for users with unfinished work in the store (a replica that died left
        it), so this replica's engines can take their leases over. Returns how many."""
        store = self.process.store
        owners = await in_thread(store.owners_with_unfinished)
        made = 0
        for user in owners:
            if not user or user in self.table.stored_users():
                continue
            try:
                await self.state_for(user)
            except (UrlElicitationRequiredError, ConfigurationError) as exc:
                if user not in self._unresumable:  # once per user, not every pass
                    self._unresumable.add(user)
                    logger.warning(
                        "the unfinished jobs of user %s wait for their next call: %s",
                        user[:10],
                        "no stored key" if isinstance(exc, UrlElicitationRequiredError) else exc,
                    )
                continue
            made += 1
        return made

    async def recheck_keys(self) -> None:
        """Retire tenants whose user replaced or removed their key (through any replica)."""
        from pictory_mcp.hosted.vault import KeyUnreadableError

        for user in self.table.stored_users():
            try:
                key = await self.stored_key(user)
            except KeyUnreadableError:
                key = None
            await self.table.retire_stale(user, key)

    async def watch(self, every: float) -> None:
        """Background, every `every` seconds: retire tenants whose key changed elsewhere, and
        take up other replicas' orphaned work."""
        while True:
            try:
                await self.recheck_keys()
                await self.resume()
            except Exception:  # the store may be down for a while: try again later
                logger.exception("could not look for unfinished jobs to resume")
            await anyio.sleep(every)

    def states_of(self, user: str) -> list[AppState]:
        """This replica's tenants of `user` (stored key and header keys)."""
        return self.table.of_user(user)

    async def aclose(self) -> None:
        """Close every tenant's Pictory client (at shutdown)."""
        await self.table.aclose()

    def all_states(self) -> list[AppState]:
        return self.table.all()

    def _client(self, key: str) -> Any:
        settings = self.process.settings
        return api.PictoryClient(
            key,
            self.process.base_url,
            timeout=settings.http_timeout,
            rate_per_second=settings.rate_per_second,
        )
