"""Fetching result files from CDN hosts, bounded: one deadline over the whole fetch (redirects
and retries included), a size cap, a few redirect hops, and every hop's addresses checked
before connecting. Failures are `DownloadError`s whose message is a clause for the caller to
frame; a file system failure stays an `OSError`. No partial file survives any exit.
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import os
import secrets
import shutil
import socket
from collections.abc import Awaitable, Callable, Collection
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

import anyio
import httpx

from pictory_mcp._files import discard
from pictory_mcp.errors import DownloadError

from ._retry import RetryPolicy, parse_retry_after

logger = logging.getLogger("pictory_mcp.api")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Progress = Callable[[int, int | None], Awaitable[None]]
"""Called with the bytes received so far and the announced total (None when not announced)."""

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_CHUNK = 64 * 1024
_PROGRESS_EVERY = 0.5  # seconds between progress reports while a body arrives


@dataclass(frozen=True)
class DownloadLimits:
    """The bounds of one download: seconds for all of it, bytes saved, redirect hops."""

    timeout: float = 300.0
    max_bytes: int = 2 * 1024**3
    max_redirects: int = 5


@dataclass(frozen=True)
class Downloaded:
    """A saved file: where, how many bytes, and the media type the host declared ('' if none,
    lower case, without parameters)."""

    path: Path
    size: int
    content_type: str


def _plain(address: IPAddress) -> IPAddress:
    """An IPv4-mapped IPv6 address (::ffff:127.0.0.1) as the IPv4 address it carries."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def address_kind(address: IPAddress) -> str | None:
    """None for a public unicast address; otherwise what it is, in words for a message."""
    address = _plain(address)
    if address.is_loopback:
        return "loopback"
    if address.is_link_local:
        return "link-local"
    if address.is_unspecified:
        return "unspecified"
    if address.is_multicast:
        return "multicast"
    return None if address.is_global else "private"


def address_allowed(address: IPAddress, trusted: Collection[IPAddress] = ()) -> bool:
    """Whether a download may connect to `address`: any public unicast address, and any other
    only when the Pictory base URL itself resolves to it (`trusted`: the sandbox, or an
    in-house gateway whose result files live on the same machine)."""
    return address_kind(address) is None or _plain(address) in trusted


async def resolve(host: str, port: int) -> list[IPAddress]:
    """The addresses `host` stands for: itself when it is an IP literal, else what DNS says."""
    try:
        return [_plain(ipaddress.ip_address(host))]
    except ValueError:
        pass
    try:
        infos = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise DownloadError(
            f"the video host {host} could not be found ({exc.strerror or type(exc).__name__})",
            reason="transport",
        ) from None
    found: list[IPAddress] = []
    for *_, sockaddr in infos:
        address = _plain(ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0]))
        if address not in found:
            found.append(address)
    return found


def checked_url(url: str | httpx.URL) -> httpx.URL:
    """`url` parsed, if it is an absolute http(s) URL; else a refusal."""
    try:
        parsed = httpx.URL(url)
    except httpx.InvalidURL:
        parsed = httpx.URL()
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise DownloadError("its URL is not an http(s) URL", reason="refused-host")
    return parsed


def _too_large(limit: int) -> DownloadError:
    return DownloadError(f"it is larger than {limit // (1024 * 1024)} MB", reason="too-large")


class Fetch:
    """One download of `url` into `target`, through a hidden partial file beside it."""

    def __init__(
        self,
        http: httpx.AsyncClient,
        url: str,
        target: Path,
        *,
        limits: DownloadLimits,
        retry: RetryPolicy,
        trusted: Callable[[], Awaitable[Collection[IPAddress]]],
        on_progress: Progress | None = None,
    ) -> None:
        self.http = http
        self.url = checked_url(url)
        self.target = target
        self.limits = limits
        self.retry = retry
        self.trusted = trusted
        self.on_progress = on_progress
        self.deadline = 0.0

    async def run(self) -> Downloaded:
        temp = self.target.with_name(f".{self.target.name}.{secrets.token_hex(6)}.part")
        got: tuple[int, str] | None = None
        try:
            # Opened (and closed) synchronously: a cancelled call still closes it, and a
            # folder that cannot take a file fails here, before the host is contacted.
            with temp.open("xb") as out:
                with anyio.move_on_after(self.limits.timeout) as scope:
                    self.deadline = anyio.current_time() + self.limits.timeout
                    got = await self._attempts(out)
                if scope.cancelled_caught or got is None:
                    raise DownloadError(
                        f"it did not finish within {self.limits.timeout:g} s", reason="timeout"
                    )
            os.replace(temp, self.target)
        finally:
            discard(temp)
        logger.info("downloaded %d bytes to %s", got[0], self.target)
        return Downloaded(self.target, *got)

    async def _attempts(self, out: BinaryIO) -> tuple[int, str]:
        """Whole attempts (redirects and all) until one succeeds or a retry would not help."""
        attempt = 1
        while True:
            try:
                return await self._attempt(out)
            except DownloadError as exc:
                delay = self.retry.delay(attempt, exc.retry_after)
                late = delay is None or anyio.current_time() + delay >= self.deadline
                if not exc.retriable or attempt >= self.retry.max_attempts or late:
                    raise
                logger.info("download failed: %s; retry %d in %.2fs", exc, attempt, delay)
            assert delay is not None
            await anyio.sleep(delay)
            attempt += 1

    async def _attempt(self, out: BinaryIO) -> tuple[int, str]:
        out.seek(0)
        out.truncate()
        url = self.url
        for _ in range(self.limits.max_redirects + 1):
            response = await self._open(url)
            try:
                if response.status_code in _REDIRECTS:
                    location = response.headers.get("Location")
                    if not location:
                        raise self._status_error(response)
                    url = checked_url(url.join(location))
                    continue
                if not 200 <= response.status_code < 300:
                    raise self._status_error(response)
                return await self._save(response, out)
            finally:
                # Shielded: an abandoned body must still close its connection.
                with anyio.move_on_after(2, shield=True):
                    await response.aclose()
        raise DownloadError(
            f"the video host redirected more than {self.limits.max_redirects} times",
            reason="redirects",
        )

    async def _open(self, url: httpx.URL) -> httpx.Response:
        """Check where `url` leads, then send the request to the checked address itself, so a
        second DNS answer cannot send it elsewhere (TLS still verifies the host name)."""
        host = url.raw_host.decode("ascii")
        addresses = await resolve(host, url.port or (443 if url.scheme == "https" else 80))
        if not addresses:
            raise DownloadError(f"the video host {host} has no address", reason="transport")
        refused = [a for a in addresses if address_kind(a) is not None]
        if refused:
            trusted = await self.trusted()
            refused = [a for a in refused if not address_allowed(a, trusted)]
        if refused:
            shown = str(refused[0])
            named = shown if host == shown else f"{host} ({shown})"
            raise DownloadError(
                f"its URL points at {named}, a {address_kind(refused[0])} address, and "
                "downloads only go to public hosts",
                reason="refused-host",
            )
        pinned = url.copy_with(host=str(addresses[0]))
        headers = {
            "Accept": "*/*",
            "Accept-Encoding": "identity",  # so sizes compare with Content-Length
            "Host": url.netloc.decode("ascii"),
        }
        extensions = {"sni_hostname": host} if url.scheme == "https" else {}
        request = self.http.build_request("GET", pinned, headers=headers, extensions=extensions)
        try:
            return await self.http.send(request, stream=True)
        except httpx.HTTPError as exc:
            raise DownloadError(
                f"the video host {host} could not be reached ({type(exc).__name__})",
                reason="transport",
            ) from None

    @staticmethod
    def _status_error(response: httpx.Response) -> DownloadError:
        status = response.status_code
        answer = f"HTTP {status} {response.reason_phrase}".strip()
        if status in _REDIRECTS:
            answer += " without a Location"
        return DownloadError(
            f"the video host answered {answer}",
            reason="http-status",
            status_code=status,
            retry_after=parse_retry_after(response.headers.get("Retry-After")),
        )

    async def _save(self, response: httpx.Response, out: BinaryIO) -> tuple[int, str]:
        declared = _declared_length(response)
        limit = self.limits.max_bytes
        if declared is not None:
            if declared > limit:
                raise _too_large(limit)
            free = shutil.disk_usage(self.target.parent).free
            if declared > free:
                raise OSError(errno.ENOSPC, f"not enough free space for {declared} bytes")
        written = 0
        reported = anyio.current_time()
        try:
            async for chunk in response.aiter_bytes(_CHUNK):
                written += len(chunk)
                if written > limit:
                    raise _too_large(limit)
                await anyio.to_thread.run_sync(out.write, chunk)
                if self.on_progress and anyio.current_time() - reported >= _PROGRESS_EVERY:
                    reported = anyio.current_time()
                    await self.on_progress(written, declared)
        except httpx.HTTPError as exc:
            raise DownloadError(
                f"the video host broke off the transfer after {written} bytes "
                f"({type(exc).__name__})",
                reason="transport",
            ) from None
        # Content-Length counts the bytes on the wire: the raw count when the host encoded the
        # body anyway (it was asked not to), else the bytes written.
        encoded = response.headers.get("Content-Encoding", "identity").strip().lower()
        received = written if encoded in ("", "identity") else response.num_bytes_downloaded
        if declared is not None and received != declared:
            raise DownloadError(
                f"the video host sent {received} of the {declared} bytes it announced",
                reason="transport",
            )
        await anyio.to_thread.run_sync(out.flush)
        if self.on_progress:
            await self.on_progress(written, declared)
        content_type = response.headers.get("Content-Type", "")
        return written, content_type.split(";", 1)[0].strip().lower()


def _declared_length(response: httpx.Response) -> int | None:
    value = response.headers.get("Content-Length", "").strip()
    return int(value) if value.isdigit() else None
