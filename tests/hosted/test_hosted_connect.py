"""The connect page over HTTP: a user with a signed link gives their Pictory key (checked with the
sandbox before it is stored) or removes it, and the key never comes back out."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from pictory_mcp.errors import AuthenticationError, StoreError, error_for_status
from pictory_mcp.hosted.connect import connect_routes
from pictory_mcp.hosted.links import ConnectLinks
from pictory_mcp.hosted.vault import KeyVault, generate_key

pytestmark = pytest.mark.anyio

# A key the sandbox accepts, and one it refuses; both recognisable anywhere they might leak.
GOOD_KEY = "pictai_CONNECT_CANARY_7f3a9c"
BAD_KEY = "WRONG-CONNECT-CANARY-51e0b2"


@dataclass
class Keys:
    """The server side of the page: keys checked against the sandbox, stored in a dict."""

    api_base_url: str
    stored: dict[str, str] = field(default_factory=dict)
    deleted: list[str] = field(default_factory=list)
    verify_failure: BaseException | None = None
    save_failure: BaseException | None = None

    async def verify(self, key: str) -> None:
        if self.verify_failure is not None:
            raise self.verify_failure
        async with httpx.AsyncClient(base_url=self.api_base_url, timeout=10) as http:
            response = await http.get("/v1/quota", headers={"Authorization": key})
        if response.status_code != 200:
            raise error_for_status(response.status_code, response.json())

    async def save(self, owner: str, key: str) -> None:
        if self.save_failure is not None:
            raise self.save_failure
        self.stored[owner] = key

    async def delete(self, owner: str) -> None:
        self.stored.pop(owner, None)
        self.deleted.append(owner)


@pytest.fixture
def links() -> ConnectLinks:
    return ConnectLinks(KeyVault.from_setting(generate_key()))


@pytest.fixture
def keys(sandbox: Any) -> Keys:
    return Keys(sandbox.api_base_url)


def make_app(links: ConnectLinks, keys: Keys, **options: Any) -> Starlette:
    options.setdefault("require_https", True)
    return Starlette(
        routes=connect_routes(
            links=links,
            verify_key=keys.verify,
            save_key=keys.save,
            delete_key=keys.delete,
            **options,
        )
    )


@pytest.fixture
async def page(links: ConnectLinks, keys: Keys) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=make_app(links, keys))
    async with httpx.AsyncClient(transport=transport, base_url="https://mcp.example") as client:
        yield client


def assert_no_key_in(*texts: str) -> None:
    for text in texts:
        assert GOOD_KEY not in text and BAD_KEY not in text


def assert_hardened(response: httpx.Response) -> None:
    assert response.headers["cache-control"] == "no-store"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "form-action 'self'" in csp
    assert "<script" not in response.text
    assert not re.search(r"(src|href)=", response.text)


async def test_a_valid_link_shows_a_form_for_the_key_and_a_disconnect_button(
    page: httpx.AsyncClient, links: ConnectLinks
) -> None:
    token = links.make("u_alice")
    response = await page.get("/connect", params={"t": token})
    assert response.status_code == 200
    assert_hardened(response)
    assert '<input type="password" id="api_key" name="api_key"' in response.text
    assert f'name="t" value="{token}"' in response.text
    assert "Disconnect" in response.text
    style = re.search(r"<style>(.*)</style>", response.text, re.S)
    assert style is not None
    digest = base64.b64encode(hashlib.sha256(style.group(1).encode()).digest()).decode()
    assert f"style-src 'sha256-{digest}'" in response.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({}, "needs the link your assistant gave you"),
        ({"t": "c1.e30.AAAA"}, "This connect link is not valid"),
    ],
)
async def test_a_missing_or_forged_link_shows_why_and_no_form(
    page: httpx.AsyncClient, params: dict[str, str], message: str
) -> None:
    response = await page.get("/connect", params=params)
    assert response.status_code == 400
    assert_hardened(response)
    assert message in response.text and "<form" not in response.text


async def test_an_expired_link_says_to_get_a_new_one(keys: Keys) -> None:
    secret = b"s" * 32
    expired = ConnectLinks(secret, ttl=-1).make("u_alice")
    app = make_app(ConnectLinks(secret), keys)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="https://mcp.example"
    ) as client:
        response = await client.post("/connect", data={"t": expired, "api_key": GOOD_KEY})
    assert response.status_code == 400
    assert "This connect link has expired; go back to your assistant and retry" in response.text
    assert keys.stored == {}


async def test_a_key_pictory_accepts_is_stored_for_the_links_user(
    page: httpx.AsyncClient, links: ConnectLinks, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = await page.post(
            "/connect", data={"t": links.make("u_alice"), "api_key": f"  {GOOD_KEY}\n"}
        )
    assert response.status_code == 200
    assert_hardened(response)
    assert "Connected. Go back to your assistant and retry." in response.text
    assert keys.stored == {"u_alice": GOOD_KEY}
    assert_no_key_in(response.text, caplog.text)


async def test_a_key_pictory_refuses_is_not_stored_and_the_form_says_why(
    page: httpx.AsyncClient, links: ConnectLinks, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        response = await page.post(
            "/connect", data={"t": links.make("u_alice"), "api_key": BAD_KEY}
        )
    assert response.status_code == 400
    assert "Unauthorized" in response.text
    assert 'name="api_key"' in response.text  # the form again, empty, to try another key
    assert keys.stored == {}
    assert_no_key_in(response.text, caplog.text)


async def test_a_refusal_that_echoes_the_key_is_shown_without_it(
    page: httpx.AsyncClient, links: ConnectLinks, keys: Keys
) -> None:
    keys.verify_failure = AuthenticationError(
        f"Pictory refused the key {BAD_KEY}; copy it again.", status_code=401
    )
    response = await page.post("/connect", data={"t": links.make("u_alice"), "api_key": BAD_KEY})
    assert response.status_code == 400
    assert "Pictory refused the key [REDACTED]; copy it again." in response.text
    assert_no_key_in(response.text)


async def test_an_unexpected_failure_while_checking_or_storing_hides_the_key(
    page: httpx.AsyncClient, links: ConnectLinks, keys: Keys, caplog: pytest.LogCaptureFixture
) -> None:
    keys.verify_failure = RuntimeError(f"boom {GOOD_KEY}")
    with caplog.at_level(logging.DEBUG):
        checking = await page.post(
            "/connect", data={"t": links.make("u_alice"), "api_key": GOOD_KEY}
        )
        keys.verify_failure = None
        keys.save_failure = StoreError(f"database said no to {GOOD_KEY}")
        storing = await page.post(
            "/connect", data={"t": links.make("u_alice"), "api_key": GOOD_KEY}
        )
    assert checking.status_code == 502 and "try again in a minute" in checking.text
    assert storing.status_code == 500 and "database said no to [REDACTED]" in storing.text
    assert keys.stored == {}
    assert_no_key_in(checking.text, storing.text, caplog.text)


async def test_an_empty_key_is_asked_for_again(
    page: httpx.AsyncClient, links: ConnectLinks, keys: Keys
) -> None:
    response = await page.post("/connect", data={"t": links.make("u_alice"), "api_key": "  "})
    assert response.status_code == 400 and "Enter your Pictory API key." in response.text
    assert keys.stored == {}


async def test_disconnect_removes_the_links_users_key(
    page: httpx.AsyncClient, links: ConnectLinks, keys: Keys
) -> None:
    keys.stored = {"u_alice": GOOD_KEY, "u_bob": "pictai_bob"}
    response = await page.post("/connect", data={"t": links.make("u_alice"), "action": "delete"})
    assert response.status_code == 200
    assert "Disconnected." in response.text
    assert keys.stored == {"u_bob": "pictai_bob"}


async def test_a_script_can_disconnect_with_delete(
    page: httpx.AsyncClient, links: ConnectLinks, keys: Keys
) -> None:
    keys.stored = {"u_alice": GOOD_KEY}
    response = await page.delete("/connect", params={"t": links.make("u_alice")})
    assert response.status_code == 200 and response.json() == {"status": "disconnected"}
    assert response.headers["cache-control"] == "no-store"
    refused = await page.delete("/connect", params={"t": "c1.nope.nope"})
    assert refused.status_code == 400
    assert "not valid" in refused.json()["error"]
    assert keys.deleted == ["u_alice"]


@pytest.mark.parametrize(
    ("request_kwargs", "status"),
    [
        pytest.param({"json": {"api_key": GOOD_KEY}}, 415, id="json"),
        pytest.param({"files": {"api_key": ("k", GOOD_KEY.encode())}}, 415, id="multipart"),
        pytest.param({"data": {"api_key": GOOD_KEY, "pad": "x" * 5000}}, 413, id="too-large"),
    ],
)
async def test_only_a_small_url_encoded_form_is_read(
    page: httpx.AsyncClient, keys: Keys, request_kwargs: dict[str, Any], status: int
) -> None:
    response = await page.post("/connect", **request_kwargs)
    assert response.status_code == status
    assert keys.stored == {}
    assert_no_key_in(response.text)


async def test_a_form_posted_in_chunks_past_the_bound_is_refused(
    page: httpx.AsyncClient, keys: Keys
) -> None:
    async def chunks() -> AsyncIterator[bytes]:
        for _ in range(10):
            yield b"a=" + b"x" * 1000 + b"&"

    response = await page.post(
        "/connect",
        content=chunks(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 413
    assert keys.stored == {}


@pytest.mark.parametrize(
    ("trust", "forwarded", "accepted"),
    [
        pytest.param(False, None, False, id="plain-http"),
        pytest.param(False, "https", False, id="forwarded-not-trusted"),
        pytest.param(True, "https", True, id="forwarded-trusted"),
        pytest.param(True, "https, http", False, id="forwarded-last-hop-http"),
        pytest.param(True, None, False, id="trusted-but-absent"),
    ],
)
async def test_over_plain_http_the_page_takes_no_key(
    links: ConnectLinks, keys: Keys, trust: bool, forwarded: str | None, accepted: bool
) -> None:
    app = make_app(links, keys, trust_forwarded_proto=trust)
    headers = {"x-forwarded-proto": forwarded} if forwarded else {}
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://mcp.example", headers=headers
    ) as client:
        shown = await client.get("/connect", params={"t": links.make("u_alice")})
        posted = await client.post(
            "/connect", data={"t": links.make("u_alice"), "api_key": GOOD_KEY}
        )
    if accepted:
        assert shown.status_code == 200 and posted.status_code == 200
        assert keys.stored == {"u_alice": GOOD_KEY}
    else:
        assert shown.status_code == 400 and posted.status_code == 400
        assert "only over HTTPS" in shown.text and "<form" not in shown.text
        assert keys.stored == {}


async def test_without_require_https_plain_http_is_served(links: ConnectLinks, keys: Keys) -> None:
    app = make_app(links, keys, require_https=False)
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://127.0.0.1"
    ) as client:
        posted = await client.post(
            "/connect", data={"t": links.make("u_alice"), "api_key": GOOD_KEY}
        )
    assert posted.status_code == 200 and keys.stored == {"u_alice": GOOD_KEY}
