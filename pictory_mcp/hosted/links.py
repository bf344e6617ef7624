"""Signed, short-lived connect links: a URL-safe token naming a user and an expiry, with an
HMAC-SHA256 over both, so the `/connect` page knows whose key it is taking without a login.

The signing key is derived (HKDF) from the first secret key; any listed key verifies, so links
made just before a key rotation still work until they expire.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import math
import time
from collections.abc import Callable, Sequence
from urllib.parse import urlencode

from pictory_mcp.errors import InputError
from pictory_mcp.hosted.vault import KeyVault

__all__ = ["ConnectLinks", "LinkError"]

_VERSION = "c1"
_PURPOSE = "connect links v1"
_MAX_TOKEN = 1024  # far above a real token; refuses junk before any work
_ASK_AGAIN = "go back to your assistant and retry, and it will give you a new one"


class LinkError(InputError):
    """A connect link is expired, altered or malformed; the message says what to do."""


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class ConnectLinks:
    """Makes and checks connect-link tokens.

    Args:
        secret: the `KeyVault` (its keys, derived for this purpose) or raw secret bytes
            (one key, or several: the first signs, any verifies).
        ttl: seconds a link stays valid.
        clock: wall-clock seconds (links cross processes, so not a monotonic clock).
    """

    def __init__(
        self,
        secret: KeyVault | bytes | Sequence[bytes],
        ttl: float = 600,
        *,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if isinstance(secret, KeyVault):
            keys = secret.derived_keys(_PURPOSE)
        elif isinstance(secret, bytes):
            keys = [secret]
        else:
            keys = list(secret)
        if not keys or any(len(k) < 16 for k in keys):
            raise ValueError("connect links need secret keys of at least 16 bytes")
        self._keys = keys
        self.ttl = ttl
        self._clock = clock

    def make(self, owner: str) -> str:
        """A token binding `owner` until now + ttl."""
        expires = math.ceil(self._clock() + self.ttl)
        body = _b64(json.dumps({"o": owner, "e": expires}, separators=(",", ":")).encode())
        signed = f"{_VERSION}.{body}"
        return f"{signed}.{_b64(self._mac(self._keys[0], signed))}"

    def url(self, page_url: str, owner: str) -> str:
        """The connect page's address (e.g. `https://mcp.example.com/connect`) with a fresh
        token for `owner` as its `t` query parameter."""
        separator = "&" if "?" in page_url else "?"
        return f"{page_url}{separator}{urlencode({'t': self.make(owner)})}"

    def check(self, token: str) -> str:
        """The owner a valid token names; `LinkError` when it is altered, malformed or expired."""
        parts = token.split(".") if len(token) <= _MAX_TOKEN else []
        if len(parts) != 3 or parts[0] != _VERSION:
            raise LinkError(f"This connect link is not valid; {_ASK_AGAIN}.")
        signed = f"{parts[0]}.{parts[1]}"
        try:
            mac = _unb64(parts[2])
        except (binascii.Error, ValueError):
            mac = b""
        # Nothing in the token is read before its signature is known to be ours.
        if not any(hmac.compare_digest(mac, self._mac(key, signed)) for key in self._keys):
            raise LinkError(f"This connect link is not valid; {_ASK_AGAIN}.")
        try:
            claims = json.loads(_unb64(parts[1]))
        except (binascii.Error, ValueError):
            raise LinkError(f"This connect link is not valid; {_ASK_AGAIN}.") from None
        owner, expires = (claims.get("o"), claims.get("e")) if isinstance(claims, dict) else (0, 0)
        if not isinstance(owner, str) or not owner or not isinstance(expires, int):
            raise LinkError(f"This connect link is not valid; {_ASK_AGAIN}.")
        if self._clock() > expires:
            raise LinkError(f"This connect link has expired; {_ASK_AGAIN}.")
        return owner

    @staticmethod
    def _mac(key: bytes, signed: str) -> bytes:
        return hmac.new(key, signed.encode(), hashlib.sha256).digest()
