"""A real identity provider on loopback for tests: key pairs made here, a discovery document and
a JWKS served over HTTP by uvicorn in a thread, and real JWTs minted with pyjwt.

    with running_idp() as idp:
        token = idp.token("alice", audience="http://127.0.0.1:8000/mcp")
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import anyio
import jwt
import uvicorn
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

DEFAULT_AUDIENCE = "http://127.0.0.1/mcp"
ALL_SCOPES = ("pictory:read", "pictory:render")


@dataclass
class SigningKey:
    kid: str
    alg: str
    private: Any
    published: bool = True

    def jwk(self) -> dict[str, Any]:
        algorithm = jwt.get_algorithm_by_name(self.alg)
        data: dict[str, Any] = algorithm.to_jwk(self.private.public_key(), as_dict=True)
        return {**data, "kid": self.kid, "alg": self.alg, "use": "sig"}


def rsa_key(kid: str) -> SigningKey:
    return SigningKey(kid, "RS256", rsa.generate_private_key(public_exponent=65537, key_size=2048))


def ec_key(kid: str) -> SigningKey:
    return SigningKey(kid, "ES256", ec.generate_private_key(ec.SECP256R1()))


@dataclass
class IdP:
    """What tests see of the provider; its attributes may be changed while it runs."""

    port: int = 0
    keys: list[SigningKey] = field(default_factory=lambda: [rsa_key("rsa-1"), ec_key("ec-1")])
    openid_configuration: bool = True  # False: only RFC 8414 metadata is served
    jwks_available: bool = True  # False: /jwks answers 503
    jwks_delay: float = 0.0  # seconds /jwks takes to answer
    discovery_issuer: str | None = None  # another `issuer` in the discovery document
    requests: list[str] = field(default_factory=list)

    @property
    def issuer(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def jwks_url(self) -> str:
        return self.issuer + "/jwks"

    @property
    def jwks_fetches(self) -> int:
        return self.requests.count("/jwks")

    def key(self, kid: str) -> SigningKey:
        return next(k for k in self.keys if k.kid == kid)

    def rotate(self) -> SigningKey:
        """Publish a new RSA key and sign with it from now on (older keys stay published)."""
        new = rsa_key(f"rsa-{len(self.keys) + 1}")
        self.keys.insert(0, new)
        return new

    def token(
        self,
        sub: str,
        *,
        scopes: Sequence[str] | None = ALL_SCOPES,
        audience: str | list[str] | None = DEFAULT_AUDIENCE,
        expires_in: float = 300,
        issuer: str | None = None,
        kid: str | None = None,
        alg: str | None = None,
        claims: dict[str, Any] | None = None,
    ) -> str:
        """A JWT signed with the first key (or `kid`); None drops a claim, `claims` adds some."""
        signer = self.key(kid) if kid is not None else self.keys[0]
        now = int(time.time())
        payload: dict[str, Any] = {
            "iss": issuer if issuer is not None else self.issuer,
            "sub": sub,
            "aud": audience,
            "iat": now,
            "exp": now + int(expires_in),
            "jti": uuid.uuid4().hex,
            "azp": "test-agent",
            "scope": " ".join(scopes) if scopes is not None else None,
            **(claims or {}),
        }
        payload = {k: v for k, v in payload.items() if v is not None}
        return jwt.encode(
            payload, signer.private, algorithm=alg or signer.alg, headers={"kid": signer.kid}
        )

    def app(self) -> Starlette:
        async def discovery(request: Request) -> Response:
            self.requests.append(request.url.path)
            if request.url.path.endswith("openid-configuration") and not self.openid_configuration:
                return JSONResponse({"error": "not_found"}, status_code=404)
            return JSONResponse(
                {"issuer": self.discovery_issuer or self.issuer, "jwks_uri": self.jwks_url}
            )

        async def jwks(request: Request) -> Response:
            self.requests.append(request.url.path)
            await anyio.sleep(self.jwks_delay)
            if not self.jwks_available:
                return JSONResponse({"error": "unavailable"}, status_code=503)
            return JSONResponse({"keys": [k.jwk() for k in self.keys if k.published]})

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", discovery),
                Route("/.well-known/oauth-authorization-server", discovery),
                Route("/jwks", jwks),
            ]
        )


class _ThreadServer(uvicorn.Server):
    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # The test process owns signal handling.
        yield


@contextlib.contextmanager
def serving(app: Any, sock: socket.socket | None = None) -> Iterator[int]:
    """Serve an ASGI app with uvicorn in a thread on 127.0.0.1 (`sock`, or a free port) until
    the block exits; yields the port."""
    if sock is None:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        app, lifespan="auto", access_log=False, log_config=None, log_level="warning"
    )
    server = _ThreadServer(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [sock]}, name="test-http", daemon=True
    )
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the test HTTP server did not start")
            time.sleep(0.01)
        yield sock.getsockname()[1]
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.contextmanager
def running_idp() -> Iterator[IdP]:
    """An `IdP` served on 127.0.0.1 (a free port) until the block exits."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    idp = IdP(port=sock.getsockname()[1])
    with serving(idp.app(), sock):
        yield idp
