"""Connect links: a signed, short-lived token naming the user whose key the page will take."""

from __future__ import annotations

import pytest

from pictory_mcp.errors import PictoryMCPError
from pictory_mcp.hosted.links import ConnectLinks, LinkError
from pictory_mcp.hosted.vault import KeyVault, generate_key


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


def test_a_link_names_its_owner_until_it_expires() -> None:
    clock = Clock()
    links = ConnectLinks(KeyVault.from_setting(generate_key()), ttl=600, clock=clock)
    token = links.make("u_alice")
    assert links.check(token) == "u_alice"
    clock.now += 599
    assert links.check(token) == "u_alice"
    clock.now += 2
    with pytest.raises(LinkError, match="has expired; go back to your assistant and retry"):
        links.check(token)


def test_a_link_is_url_safe() -> None:
    token = ConnectLinks(b"k" * 32).make("u_alice/with?odd&chars")
    assert all(c.isalnum() or c in "-_." for c in token)


def test_a_link_altered_anywhere_is_refused() -> None:
    links = ConnectLinks(b"k" * 32)
    token = links.make("u_alice")
    version, body, mac = token.split(".")
    forged_body = ConnectLinks(b"k" * 32).make("u_bob").split(".")[1]
    for altered in [
        f"{version}.{forged_body}.{mac}",
        f"{version}.{body}.{mac[:-2]}AA",
        f"c2.{body}.{mac}",
        f"{version}.{body}",
        "",
        "x" * 5000,
        f"{version}.!!!.{mac}",
    ]:
        with pytest.raises(LinkError, match="not valid"):
            links.check(altered)


def test_a_link_signed_with_another_secret_is_refused() -> None:
    token = ConnectLinks(KeyVault.from_setting(generate_key())).make("u_alice")
    with pytest.raises(LinkError, match="not valid"):
        ConnectLinks(KeyVault.from_setting(generate_key())).check(token)


def test_links_made_before_a_key_rotation_still_work() -> None:
    old, new = generate_key(), generate_key()
    token = ConnectLinks(KeyVault.from_setting(old)).make("u_alice")
    assert ConnectLinks(KeyVault.from_setting(f"{new},{old}")).check(token) == "u_alice"


def test_a_link_error_is_one_of_the_projects_errors() -> None:
    assert issubclass(LinkError, PictoryMCPError)


def test_a_link_url_carries_a_token_the_page_accepts() -> None:
    links = ConnectLinks(b"k" * 32)
    url = links.url("https://mcp.example.com/connect", "u_alice")
    page, _, query = url.partition("?t=")
    assert page == "https://mcp.example.com/connect"
    assert links.check(query) == "u_alice"
    assert "?x=1&t=" in links.url("https://mcp.example.com/connect?x=1", "u_alice")
