"""Who is calling: a `TokenVerifier` for the SDK's auth layer that accepts JWT access tokens
signed by the platform's identity provider, with its public keys (JWKS) fetched over HTTPS.

A user is the pair (issuer, subject); `user_id` turns it into an opaque, stable id.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import anyio
import httpx
import jwt
from mcp.server.auth.provider import AccessToken

from pictory_mcp.errors import ConfigurationError

__all__ = [
    "ASYMMETRIC_ALGORITHMS",
    "READ_SCOPE",
    "RENDER_SCOPE",
    "JwtTokenVerifier",
    "user_id",
]

READ_SCOPE = "pictory:read"
RENDER_SCOPE = "pictory:render"

# Public-key algorithms only: with HMAC the "key" would be the published JWKS itself, and
# `none` has no signature at all.
ASYMMETRIC_ALGORITHMS: tuple[str, ...] = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
_PUBLIC_KEY_TYPES = frozenset({"RSA", "EC", "OKP"})
# Real access tokens are a few kilobytes; anything far larger is refused before parsing.
_MAX_TOKEN_CHARS = 16_384

logger = logging.getLogger(__name__)


class _Refused(Exception):
    """Why a token is not accepted; the message is logged, never shown to the caller."""


def user_id(token: AccessToken) -> str:
    """A stable, opaque id for the token's user: `u_` and 32 hex digits of sha256(iss \\n sub).

    Subjects are unique only per issuer, so both go in; hashing keeps e-mail-like subjects out
    of the job store and logs. Raises `ValueError` when the token names no issuer or subject
    (`JwtTokenVerifier` never returns such a token).
    """
    issuer = (token.claims or {}).get("iss")
    if not isinstance(issuer, str) or not issuer or not token.subject:
        raise ValueError("the access token names no issuer and subject")
    digest = hashlib.sha256(f"{issuer}\n{token.subject}".encode()).hexdigest()
    return "u_" + digest[:32]


def _scopes(claims: dict[str, Any]) -> list[str]:
    # `scope` is RFC 8693/9068's space-separated string; some providers send `scp`, a list.
    raw = claims.get("scope", claims.get("scp"))
    if isinstance(raw, str):
        return raw.split()
    if isinstance(raw, list):
        return [s for s in raw if isinstance(s, str)]
    return []


def _audiences(audience: str) -> list[str]:
    # The SDK compares resource URLs ignoring a trailing slash; accept both spellings so a
    # provider configured either way matches the server's own comparison.
    bare = audience.rstrip("/")
    return [audience] if not bare else sorted({audience, bare, bare + "/"})


class JwtTokenVerifier:
    """Verifies JWT access tokens against the issuer's JWKS; `verify_token` never raises.

    Args:
        issuer: the exact `iss` tokens must carry.
        audience: this server's resource URL; the token's `aud` (string or list) must hold it.
        jwks_url: where the keys are; found from the issuer's discovery document when omitted.
        http: an `httpx.AsyncClient` to fetch with (one is made, and closed by `aclose`, if not).
        leeway: seconds of clock skew allowed on `exp`, `nbf` and `iat`.
        algorithms: accepted `alg` values; only public-key algorithms are allowed.
        refetch_interval: least seconds between two JWKS fetches caused by unknown key ids
            (or by a failed fetch), so a flood of bad tokens cannot hammer the provider.
        max_age: seconds after which the cached JWKS is fetched again on the next token.
        timeout: bound in seconds on each discovery or JWKS fetch, connect to last byte.
        clock: monotonic seconds, for the two intervals above.
    """

    def __init__(
        self,
        issuer: str,
        audience: str,
        *,
        jwks_url: str | None = None,
        http: httpx.AsyncClient | None = None,
        leeway: float = 30,
        algorithms: Iterable[str] = ASYMMETRIC_ALGORITHMS,
        refetch_interval: float = 10,
        max_age: float = 3600,
        timeout: float = 5,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not issuer:
            raise ConfigurationError("The OAuth issuer is empty; set it to the provider's URL.")
        if not audience:
            raise ConfigurationError("The resource URL is empty; set it to this server's MCP URL.")
        chosen = tuple(algorithms)
        refused = [a for a in chosen if a not in ASYMMETRIC_ALGORITHMS]
        if refused or not chosen:
            raise ConfigurationError(
                f"Token algorithms must be public-key ones ({', '.join(ASYMMETRIC_ALGORITHMS)}); "
                + (f"remove {', '.join(refused)}." if refused else "list at least one.")
            )
        self.issuer = issuer
        self.audience = audience
        self.algorithms = chosen
        self.leeway = leeway
        self.refetch_interval = refetch_interval
        self.max_age = max_age
        self.timeout = timeout
        self._jwks_url = jwks_url
        self._http = http
        self._owns_http = http is None
        self._clock = clock
        self._lock = anyio.Lock()
        self._keys: dict[str | None, dict[str, Any]] = {}
        self._parsed: dict[tuple[str | None, str], jwt.PyJWK] = {}
        self._fetched_at: float | None = None  # last successful fetch
        self._attempted_at: float | None = None  # last attempt, successful or not

    async def aclose(self) -> None:
        """Close the HTTP client this verifier made (not one it was given)."""
        if self._owns_http and self._http is not None:
            await self._http.aclose()
            self._http = None

    async def verify_token(self, token: str) -> AccessToken | None:
        """The verified token's identity and scopes, or None (with one log line saying why)."""
        try:
            if len(token) > _MAX_TOKEN_CHARS:
                raise _Refused(f"it is longer than {_MAX_TOKEN_CHARS} characters")
            return await self._verify(token)
        except _Refused as why:
            logger.info("access token refused: %s", why)
        except jwt.PyJWTError as exc:
            logger.info("access token refused: %s: %s", type(exc).__name__, str(exc)[:200])
        except Exception as exc:
            # The SDK would answer a raised error with a 500; a token that cannot be checked is
            # simply not accepted. Only the type is logged: a message could quote the token.
            logger.warning("access token refused: unexpected %s", type(exc).__name__)
        return None

    async def _verify(self, token: str) -> AccessToken:
        header = jwt.get_unverified_header(token)
        alg = header.get("alg")
        if alg not in self.algorithms:
            raise _Refused(f"algorithm {str(alg)[:20]!r} is not accepted")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise _Refused("the key id is not a string")
        key = await self._key(kid, alg)
        claims = jwt.decode(
            token,
            key=key.key,
            algorithms=[alg],
            audience=_audiences(self.audience),
            issuer=self.issuer,
            leeway=self.leeway,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
        subject = claims["sub"]
        if not isinstance(subject, str) or not subject:
            raise _Refused("the subject is empty")
        aud = claims["aud"]
        matched = [
            a for a in ([aud] if isinstance(aud, str) else aud) if a in _audiences(self.audience)
        ]
        client = claims.get("azp") or claims.get("client_id") or subject
        return AccessToken(
            token=token,
            client_id=str(client),
            scopes=_scopes(claims),
            expires_at=int(claims["exp"]),
            resource=matched[0],
            subject=subject,
            claims=claims,
        )

    # --- keys ------------------------------------------------------------------------------

    async def _key(self, kid: str | None, alg: str) -> jwt.PyJWK:
        now = self._clock()
        stale = self._fetched_at is None or now - self._fetched_at > self.max_age
        jwk = self._lookup(kid)
        if jwk is None or (stale and self._may_fetch(now)):
            # A key not known yet may be on its way: a request arriving while another fetches
            # (a replica's first moments under load) waits for that fetch rather than being
            # refused. Another request may have fetched while this one waited for the lock.
            async with self._lock:
                if self._may_fetch(self._clock()):
                    await self._refresh()
            jwk = self._lookup(kid)
        if jwk is None:
            raise _Refused(f"no published key has id {str(kid)[:40]!r}")
        wanted = jwk.get("alg")
        if wanted is not None and wanted != alg:
            raise _Refused(f"key {str(kid)[:40]!r} is for {str(wanted)[:20]!r}, not {alg!r}")
        cached = self._parsed.get((kid, alg))
        if cached is None:
            try:
                cached = jwt.PyJWK(jwk, algorithm=alg)
            except jwt.PyJWTError as exc:
                raise _Refused(f"key {str(kid)[:40]!r} does not fit {alg!r}") from exc
            self._parsed[(kid, alg)] = cached
        return cached

    def _lookup(self, kid: str | None) -> dict[str, Any] | None:
        jwk = self._keys.get(kid)
        if jwk is None and kid is None and len(self._keys) == 1:
            # A provider with a single key may leave `kid` out of its tokens.
            jwk = next(iter(self._keys.values()))
        return jwk

    def _may_fetch(self, now: float) -> bool:
        if self._attempted_at is None:
            return True
        return now - self._attempted_at >= self.refetch_interval

    async def _refresh(self) -> None:
        self._attempted_at = self._clock()
        try:
            with anyio.fail_after(self.timeout):
                url = self._jwks_url or await self._discover()
                document = await self._get_json(url)
        except (TimeoutError, httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
            # The provider is unreachable or answered nonsense: keep the keys we have.
            logger.warning("could not fetch the identity provider's keys: %s", _describe(exc))
            return
        keys: dict[str | None, dict[str, Any]] = {}
        for jwk in document.get("keys") or []:
            if (
                isinstance(jwk, dict)
                and jwk.get("kty") in _PUBLIC_KEY_TYPES
                and jwk.get("use", "sig") == "sig"
            ):
                keys[jwk.get("kid") if isinstance(jwk.get("kid"), str) else None] = jwk
        if not keys:
            logger.warning("the identity provider's JWKS holds no public signing key")
            return
        self._keys = keys
        self._parsed = {}
        self._fetched_at = self._clock()

    async def _discover(self) -> str:
        """The JWKS URL from OpenID discovery, else RFC 8414 authorization-server metadata."""
        base = self.issuer.rstrip("/")
        parts = urlsplit(base)
        candidates = [
            base + "/.well-known/openid-configuration",
            # RFC 8414 puts the well-known segment before the issuer's path.
            urlunsplit(parts._replace(path="/.well-known/oauth-authorization-server" + parts.path)),
        ]
        failures: list[str] = []
        for url in candidates:
            try:
                document = await self._get_json(url)
            except (httpx.HTTPError, httpx.InvalidURL, ValueError) as exc:
                failures.append(_describe(exc))
                continue
            if document.get("issuer") != self.issuer:
                raise ValueError(f"the discovery document at {url} names another issuer")
            jwks_uri = document.get("jwks_uri")
            if not isinstance(jwks_uri, str) or not self._acceptable(jwks_uri):
                raise ValueError(f"the discovery document at {url} has no usable jwks_uri")
            self._jwks_url = jwks_uri
            return jwks_uri
        raise ValueError("no discovery document found (" + "; ".join(failures) + ")")

    def _acceptable(self, url: str) -> bool:
        # Keys over plain HTTP only when the issuer itself is plain HTTP (a loopback test).
        scheme = urlsplit(url).scheme
        return scheme == "https" or scheme == urlsplit(self.issuer).scheme == "http"

    async def _get_json(self, url: str) -> dict[str, Any]:
        if self._http is None:
            # Fetches are minutes apart: no connection is kept open between them, so a verifier
            # nobody closes leaves no socket behind.
            self._http = httpx.AsyncClient(
                timeout=self.timeout,
                follow_redirects=False,
                limits=httpx.Limits(max_keepalive_connections=0),
            )
        response = await self._http.get(url, headers={"Accept": "application/json"})
        if response.status_code != 200:
            raise ValueError(f"{url} answered HTTP {response.status_code}")
        document = response.json()
        if not isinstance(document, dict):
            raise ValueError(f"{url} did not answer a JSON object")
        return document


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    return f"{type(exc).__name__}: {str(exc)[:200]}"
