"""The JWT verifier against a real identity provider on loopback: who is accepted, who is not,
and how the provider's keys are found, cached and refetched."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import socket
from collections.abc import AsyncIterator

import anyio
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from mcp.server.auth.provider import AccessToken

from pictory_mcp.errors import ConfigurationError
from pictory_mcp.hosted.identity import READ_SCOPE, RENDER_SCOPE, JwtTokenVerifier, user_id
from tests._helpers import until_found
from tests.hosted.idp import DEFAULT_AUDIENCE, IdP

pytestmark = pytest.mark.anyio


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def verifier(idp: IdP, clock: Clock) -> AsyncIterator[JwtTokenVerifier]:
    v = JwtTokenVerifier(idp.issuer, DEFAULT_AUDIENCE, clock=clock)
    yield v
    await v.aclose()


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def forged(header: dict[str, object], payload: dict[str, object], key: bytes) -> str:
    signing_input = b64(json.dumps(header).encode()) + "." + b64(json.dumps(payload).encode())
    signature = hmac.new(key, signing_input.encode(), hashlib.sha256).digest()
    return signing_input + "." + b64(signature)


async def test_two_users_get_their_own_identity_and_scopes(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    alice = await verifier.verify_token(idp.token("alice"))
    bob = await verifier.verify_token(idp.token("bob", kid="ec-1"))
    assert alice is not None and bob is not None
    assert (alice.subject, bob.subject) == ("alice", "bob")
    assert alice.scopes == [READ_SCOPE, RENDER_SCOPE]
    assert alice.resource == DEFAULT_AUDIENCE
    assert alice.client_id == "test-agent"
    assert alice.claims is not None and alice.claims["iss"] == idp.issuer
    assert alice.expires_at is not None and alice.expires_at > 0
    assert user_id(alice) != user_id(bob)
    assert user_id(alice).startswith("u_") and "alice" not in user_id(alice)


async def test_a_user_id_is_the_same_for_every_token_of_that_user(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    first = await verifier.verify_token(idp.token("alice"))
    second = await verifier.verify_token(idp.token("alice", kid="ec-1", scopes=[READ_SCOPE]))
    assert first is not None and second is not None
    assert user_id(first) == user_id(second)
    assert len(user_id(first)) == 34


def test_the_same_subject_at_another_issuer_is_another_user() -> None:
    def token(iss: str) -> AccessToken:
        return AccessToken(
            token="t", client_id="c", scopes=[], subject="alice", claims={"iss": iss}
        )

    assert user_id(token("https://a.example")) != user_id(token("https://b.example"))


async def test_a_token_with_only_the_read_scope_reports_only_that_scope(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    reader = await verifier.verify_token(idp.token("carol", scopes=[READ_SCOPE]))
    assert reader is not None and reader.scopes == [READ_SCOPE]
    none = await verifier.verify_token(idp.token("dave", scopes=None))
    assert none is not None and none.scopes == []


async def test_scopes_are_read_from_an_scp_list_too(idp: IdP, verifier: JwtTokenVerifier) -> None:
    token = idp.token("erin", scopes=None, claims={"scp": [READ_SCOPE, RENDER_SCOPE]})
    access = await verifier.verify_token(token)
    assert access is not None and access.scopes == [READ_SCOPE, RENDER_SCOPE]


async def test_an_audience_list_holding_this_server_is_accepted_and_reported(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    token = idp.token("alice", audience=["https://other.example/api", DEFAULT_AUDIENCE + "/"])
    access = await verifier.verify_token(token)
    assert access is not None and access.resource == DEFAULT_AUDIENCE + "/"


@pytest.mark.parametrize(
    "change",
    [
        pytest.param({"audience": "https://other.example/mcp"}, id="wrong-audience"),
        pytest.param({"audience": None}, id="no-audience"),
        pytest.param({"expires_in": -120}, id="expired"),
        pytest.param({"issuer": "https://evil.example"}, id="wrong-issuer"),
        pytest.param({"claims": {"nbf": 4_000_000_000}}, id="not-yet-valid"),
        pytest.param({"claims": {"exp": None}}, id="no-expiry"),
    ],
)
async def test_a_token_not_meant_for_this_server_now_is_refused(
    idp: IdP,
    verifier: JwtTokenVerifier,
    change: dict[str, object],
    caplog: pytest.LogCaptureFixture,
) -> None:
    claims = change.pop("claims", None)
    token = idp.token("alice", **change)  # type: ignore[arg-type]
    if isinstance(claims, dict):
        payload = jwt.decode(token, options={"verify_signature": False})
        payload.update(claims)
        payload = {k: v for k, v in payload.items() if v is not None}
        signer = idp.keys[0]
        token = jwt.encode(
            payload, signer.private, algorithm=signer.alg, headers={"kid": signer.kid}
        )
    with caplog.at_level(logging.INFO, logger="pictory_mcp.hosted.identity"):
        assert await verifier.verify_token(token) is None
    assert "access token refused" in caplog.text
    assert token not in caplog.text


async def test_a_token_expired_within_the_leeway_is_still_accepted(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    assert await verifier.verify_token(idp.token("alice", expires_in=-5)) is not None


async def test_a_token_signed_by_a_key_the_provider_does_not_publish_is_refused(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    idp.key("rsa-1").published = False
    assert await verifier.verify_token(idp.token("alice", kid="rsa-1")) is None


async def test_an_unsigned_token_is_refused(idp: IdP, verifier: JwtTokenVerifier) -> None:
    payload = jwt.decode(idp.token("alice"), options={"verify_signature": False})
    unsigned = jwt.encode(payload, None, algorithm="none", headers={"kid": "rsa-1"})
    assert await verifier.verify_token(unsigned) is None


async def test_an_hmac_token_keyed_with_the_public_key_is_refused(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    payload = jwt.decode(idp.token("alice"), options={"verify_signature": False})
    public_pem = (
        idp.key("rsa-1")
        .private.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    trick = forged({"alg": "HS256", "typ": "JWT", "kid": "rsa-1"}, payload, public_pem)
    assert await verifier.verify_token(trick) is None


async def test_a_token_claiming_another_keys_algorithm_is_refused(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    assert await verifier.verify_token(idp.token("alice")) is not None
    # Signed by the EC key but naming the RSA key's id.
    payload = jwt.decode(idp.token("alice"), options={"verify_signature": False})
    mixed = jwt.encode(
        payload, idp.key("ec-1").private, algorithm="ES256", headers={"kid": "rsa-1"}
    )
    assert await verifier.verify_token(mixed) is None


async def test_garbage_is_refused(verifier: JwtTokenVerifier) -> None:
    for junk in ["", "abc", "a.b.c", "e30.e30.", "x" * 5000, "e30." * 6000]:
        assert await verifier.verify_token(junk) is None


def test_only_public_key_algorithms_may_be_configured() -> None:
    with pytest.raises(ConfigurationError, match="public-key"):
        JwtTokenVerifier("https://idp.example", DEFAULT_AUDIENCE, algorithms=["RS256", "HS256"])
    with pytest.raises(ConfigurationError, match="public-key"):
        JwtTokenVerifier("https://idp.example", DEFAULT_AUDIENCE, algorithms=["none"])


async def test_the_keys_are_found_through_openid_discovery_and_cached(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    for _ in range(3):
        assert await verifier.verify_token(idp.token("alice")) is not None
    assert idp.requests == ["/.well-known/openid-configuration", "/jwks"]


async def test_the_keys_are_found_through_authorization_server_metadata_when_openid_is_absent(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    idp.openid_configuration = False
    assert await verifier.verify_token(idp.token("alice")) is not None
    assert "/.well-known/oauth-authorization-server" in idp.requests


async def test_a_discovery_document_naming_another_issuer_is_not_trusted(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    idp.discovery_issuer = "https://evil.example"
    assert await verifier.verify_token(idp.token("alice")) is None
    assert "/jwks" not in idp.requests


async def test_a_named_jwks_url_skips_discovery(idp: IdP, clock: Clock) -> None:
    verifier = JwtTokenVerifier(idp.issuer, DEFAULT_AUDIENCE, jwks_url=idp.jwks_url, clock=clock)
    try:
        assert await verifier.verify_token(idp.token("alice")) is not None
    finally:
        await verifier.aclose()
    assert idp.requests == ["/jwks"]


async def test_tokens_arriving_while_the_first_key_fetch_is_under_way_wait_for_it(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    # A replica's first moments under load: requests keep coming while it fetches the keys.
    idp.jwks_delay = 0.5
    accepted: list[AccessToken | None] = []

    async def verify(user: str) -> None:
        accepted.append(await verifier.verify_token(idp.token(user)))

    async with anyio.create_task_group() as group:
        group.start_soon(verify, "first")
        await until_found(lambda: idp.jwks_fetches)  # the fetch is under way
        for n in range(10):
            group.start_soon(verify, f"user{n}")
    assert len(accepted) == 11 and None not in accepted
    assert idp.jwks_fetches == 1


async def test_a_rotated_key_is_fetched_once_and_accepted(
    idp: IdP, verifier: JwtTokenVerifier, clock: Clock
) -> None:
    assert await verifier.verify_token(idp.token("alice")) is not None
    idp.rotate()
    clock.now += verifier.refetch_interval
    assert await verifier.verify_token(idp.token("alice")) is not None
    assert await verifier.verify_token(idp.token("bob")) is not None
    assert idp.jwks_fetches == 2


async def test_a_flood_of_unknown_key_ids_fetches_the_keys_at_most_once_per_interval(
    idp: IdP, verifier: JwtTokenVerifier, clock: Clock
) -> None:
    assert await verifier.verify_token(idp.token("alice")) is not None
    clock.now += verifier.refetch_interval
    stranger = idp.rotate()
    stranger.published = False  # never published: every token names an unknown key
    for _ in range(50):
        assert await verifier.verify_token(idp.token("mallory")) is None
    assert idp.jwks_fetches == 2
    clock.now += verifier.refetch_interval
    assert await verifier.verify_token(idp.token("mallory")) is None
    assert idp.jwks_fetches == 3


async def test_keys_already_fetched_keep_working_while_the_provider_is_down(
    idp: IdP, verifier: JwtTokenVerifier, clock: Clock
) -> None:
    assert await verifier.verify_token(idp.token("alice")) is not None
    idp.jwks_available = False
    clock.now += verifier.max_age + 1
    assert await verifier.verify_token(idp.token("alice")) is not None
    assert idp.jwks_fetches == 2


async def test_an_unreachable_provider_refuses_tokens_within_the_fetch_bound(
    idp: IdP, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    # A listening socket that never answers: only the verifier's own bound ends the fetch.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/jwks"
        verifier = JwtTokenVerifier(
            idp.issuer, DEFAULT_AUDIENCE, jwks_url=url, timeout=0.5, clock=clock
        )
        try:
            with anyio.fail_after(10), caplog.at_level(logging.WARNING):
                assert await verifier.verify_token(idp.token("alice")) is None
                # Within the interval the next token does not wait on the provider again.
                assert await verifier.verify_token(idp.token("alice")) is None
        finally:
            await verifier.aclose()
    assert "could not fetch the identity provider's keys: timed out" in caplog.text


async def test_a_provider_refusing_connections_refuses_tokens(idp: IdP, clock: Clock) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{closed.getsockname()[1]}/jwks"
    verifier = JwtTokenVerifier(idp.issuer, DEFAULT_AUDIENCE, jwks_url=url, clock=clock)
    try:
        with anyio.fail_after(10):
            assert await verifier.verify_token(idp.token("alice")) is None
    finally:
        await verifier.aclose()


async def test_a_token_naming_its_own_key_set_is_not_trusted(
    idp: IdP, verifier: JwtTokenVerifier
) -> None:
    # The attacker's own key, published at an address the token names (`jku`): never fetched.
    attacker = idp.rotate()
    attacker.published = False
    token = jwt.encode(
        {"iss": idp.issuer, "sub": "alice", "aud": DEFAULT_AUDIENCE, "exp": 4_000_000_000},
        attacker.private,
        algorithm="RS256",
        headers={"kid": attacker.kid, "jku": "http://127.0.0.1:9/jwks"},
    )
    assert await verifier.verify_token(token) is None


async def test_a_token_without_a_key_id_is_checked_against_a_single_published_key(
    idp: IdP, verifier: JwtTokenVerifier, clock: Clock
) -> None:
    idp.key("ec-1").published = False
    signer = idp.key("rsa-1")
    payload = jwt.decode(idp.token("alice"), options={"verify_signature": False})
    token = jwt.encode(payload, signer.private, algorithm="RS256")
    assert await verifier.verify_token(token) is not None
    clock.now += verifier.refetch_interval
    assert await verifier.verify_token(token) is not None
    assert idp.jwks_fetches == 1
