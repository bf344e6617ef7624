"""The download host rule on its own: which addresses a download may connect to, and how host
names are resolved and judged before any connection is made."""

from __future__ import annotations

import ipaddress
from pathlib import Path

import pytest

from pictory_mcp.api import PictoryClient
from pictory_mcp.api._download import address_allowed, address_kind, resolve
from pictory_mcp.errors import DownloadError

LOOPBACK = ipaddress.ip_address("127.0.0.1")


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.8.9.10", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("169.254.169.254", "link-local"),
        ("fe80::1", "link-local"),
        ("10.1.2.3", "private"),
        ("172.16.0.9", "private"),
        ("192.168.1.1", "private"),
        ("100.64.0.1", "private"),
        ("fc00::5", "private"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.251", "multicast"),
    ],
)
def test_non_public_addresses_are_refused_and_named(address: str, kind: str) -> None:
    ip = ipaddress.ip_address(address)
    assert address_kind(ip) == kind
    assert not address_allowed(ip)


@pytest.mark.parametrize("address", ["93.184.215.14", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address: str) -> None:
    ip = ipaddress.ip_address(address)
    assert address_kind(ip) is None
    assert address_allowed(ip)


def test_a_non_public_address_is_allowed_only_when_the_base_url_resolves_to_it() -> None:
    assert address_allowed(LOOPBACK, {LOOPBACK})
    assert address_allowed(ipaddress.ip_address("::ffff:127.0.0.1"), {LOOPBACK})
    assert not address_allowed(ipaddress.ip_address("169.254.169.254"), {LOOPBACK})
    assert not address_allowed(ipaddress.ip_address("127.0.0.2"), {LOOPBACK})


@pytest.mark.anyio
async def test_names_are_resolved_and_literals_taken_as_they_are() -> None:
    assert LOOPBACK in await resolve("localhost", 80)
    assert await resolve("::ffff:10.0.0.1", 80) == [ipaddress.ip_address("10.0.0.1")]


@pytest.mark.anyio
@pytest.mark.parametrize(
    "url",
    [
        "http://localhost:9/video.mp4",
        "http://127.0.0.1:9/video.mp4",
        "http://[::1]:9/video.mp4",
        "http://169.254.169.254/latest/meta-data/",
        "https://10.0.0.1/video.mp4",
    ],
)
async def test_the_client_refuses_non_public_hosts_when_pictory_is_remote(
    tmp_path: Path, url: str
) -> None:
    async with PictoryClient("pictai_test", "https://pictory.invalid/pictoryapis") as client:
        with pytest.raises(DownloadError, match="downloads only go to public hosts") as caught:
            await client.download(url, tmp_path / "v.mp4")
    assert caught.value.reason == "refused-host"
    assert not any(tmp_path.iterdir())  # noqa: ASYNC240 (a look at a test folder)
