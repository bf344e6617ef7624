"""The request machinery under PictoryClient, in named layers:
build → send with retries → send once → map errors. Endpoint methods live in client.py.
"""

from __future__ import annotations

import hashlib
import logging
import os
from collections.abc import Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

import anyio
import httpx
from pydantic import BaseModel, ValidationError

from pictory_mcp import __version__
from pictory_mcp.errors import (
    AuthenticationError,
    ConfigurationError,
    DownloadError,
    MalformedResponseError,
)
from pictory_mcp.facts import DEFAULT_BASE_URL as DEFAULT_BASE_URL

from ._download import Downloaded, DownloadLimits, Fetch, IPAddress, Progress, resolve
from ._retry import RetryPolicy, TokenBucket, parse_retry_after
from ._transport import (
    Scrubber,
    describe,
    error_from_response,
    json_from_response,
    parse_body,
    transport_error,
)

logger = logging.getLogger("pictory_mcp.api")

DEFAULT_USER_AGENT = f"pictory-mcp/{__version__} (+https://github.com/pictory-mcp)"
_RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})


@runtime_checkable
class SupportsPayload(Protocol):
    """A request model that serializes itself to the JSON Pictory expects."""

    def to_payload(self) -> dict[str, Any]: ...


Payload = SupportsPayload | BaseModel | Mapping[str, Any]


def payload_of(value: Payload | list[Any]) -> Any:
    """The JSON body for a model (`to_payload()`), a mapping or a list."""
    if isinstance(value, SupportsPayload):
        return value.to_payload()
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json", by_alias=True, exclude_none=True)
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, list):
        return list(value)
    raise TypeError(f"expected a request model or a dict, not {type(value).__name__}")


class BaseClient:
    """Holds the key, the httpx pool, the retry policy and the optional request budget."""

    def __init__(
        self,
        api_key: str,
        base_url: str = DEFAULT_BASE_URL,
        *,
        timeout: float = 30.0,
        user_agent: str = DEFAULT_USER_AGENT,
        max_connections: int = 10,
        retry: RetryPolicy | None = None,
        rate_per_second: float | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        key = api_key.strip() if isinstance(api_key, str) else ""
        if not key:
            raise ConfigurationError(
                "No Pictory API key: set PICTORY_API_KEY (keys start with 'pictai_')."
            )
        if not key.isascii() or any(ord(ch) < 32 or ord(ch) == 127 for ch in key):
            # A header value cannot hold these (httpx would raise an error quoting the key);
            # say so without echoing it.
            raise ConfigurationError(
                "The Pictory API key contains control characters or non-ASCII characters; copy it again "
                "from https://app.pictory.ai/api-access."
            )
        if timeout <= 0:
            raise ConfigurationError("The HTTP timeout must be a positive number of seconds.")
        self.__key = key
        self._scrub = Scrubber(key)
        self.base_url = base_url.rstrip("/")
        self.retry = retry if retry is not None else RetryPolicy()
        self._bucket = TokenBucket(rate_per_second) if rate_per_second else None
        # API calls wait here, not in httpx's pool: the pool re-scans every queued request
        # whenever a connection frees up, which under many concurrent calls costs more CPU
        # than the requests themselves.
        self._gate = anyio.Semaphore(max_connections)
        # Held from the job-list snapshot to the resolved outcome of each job-creating call
        # (see api/submit.py): one at a time per client, so one per API key per process.
        self.submit_lock = anyio.Lock()
        # The same, named for locks shared with other processes: a fingerprint of the key,
        # never the key itself.
        self.submit_lock_name = "submit:" + hashlib.sha256(key.encode()).hexdigest()[:16]
        self._user_agent = user_agent
        self._transport = transport
        self._downloads: httpx.AsyncClient | None = None
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            timeout=httpx.Timeout(timeout),
            limits=httpx.Limits(
                max_connections=max_connections,
                max_keepalive_connections=max_connections,
            ),
            headers={"User-Agent": user_agent, "Accept": "application/json"},
            transport=transport,
            follow_redirects=False,
            trust_env=False,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={self.base_url!r})"

    async def __aenter__(self) -> BaseClient:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()
        if self._downloads is not None:
            await self._downloads.aclose()

    # --- layer 1: build -----------------------------------------------------------------

    def _build(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
    ) -> httpx.Request:
        # The key travels in this one header, raw (Pictory rejects "Bearer"), and only
        # on API requests: downloads go to CDN hosts and never carry it.
        headers = {"Authorization": self.__key}
        query = {k: v for k, v in (params or {}).items() if v is not None}
        return self._http.build_request(
            method,
            path.lstrip("/"),
            params=query or None,
            json=json,
            headers=headers,
        )

    # --- layer 2: send with retries -------------------------------------------------------

    async def _send_with_retries(
        self, request: httpx.Request, *, idempotent: bool
    ) -> httpx.Response:
        """Send, retrying what is safe to retry.

        Idempotent calls retry transport failures, 429, 5xx and 2xx answers whose body cannot
        be read (a truncated answer). Job-creating calls retry
        only when Pictory certainly did not act: the connection was never made, or it
        answered 429. A timeout or dropped connection after sending, or a 5xx, may mean a
        job exists (and is billed), so those are raised for the caller to resolve.
        """
        policy = self.retry
        attempt = 1
        while True:
            try:
                response = await self._send_once(request)
            except httpx.HTTPError as exc:
                error = transport_error(exc, request, self._scrub)
                transient = not isinstance(
                    exc, httpx.UnsupportedProtocol | httpx.LocalProtocolError
                )
                may_retry = transient and (idempotent or not error.request_sent)
                if not may_retry or attempt >= policy.max_attempts:
                    raise error from None
                wait = policy.backoff(attempt)
                logger.info("%s; retry %d in %.2fs", error, attempt, wait)
            else:
                status = response.status_code
                unreadable = idempotent and 200 <= status < 300 and not parse_body(response)[0]
                if unreadable and attempt < policy.max_attempts:
                    # A truncated or garbled answer to a read is as passing as a 5xx.
                    wait = policy.backoff(attempt)
                    logger.info(
                        "%s answered an unreadable body; retry %d in %.2fs",
                        describe(request),
                        attempt,
                        wait,
                    )
                    attempt += 1
                    await anyio.sleep(wait)
                    continue
                if status not in _RETRY_STATUSES or attempt >= policy.max_attempts:
                    return response
                if status != 429 and not idempotent:
                    return response
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                delay = policy.delay(attempt, retry_after)
                if delay is None:
                    return response  # asked to wait too long: let the caller see the 429/503
                wait = delay
                await response.aclose()
                logger.info(
                    "%s answered %d; retry %d in %.2fs", describe(request), status, attempt, wait
                )
            attempt += 1
            await anyio.sleep(wait)

    # --- layer 3: send once -----------------------------------------------------------------

    async def _send_once(
        self, request: httpx.Request, *, stream: bool = False, budget: bool = True
    ) -> httpx.Response:
        # Downloads go to CDN hosts, so they do not spend the Pictory request budget.
        if budget and self._bucket is not None:
            await self._bucket.acquire()
        if stream:
            response = await self._http.send(request, stream=True)
        else:
            async with self._gate:
                response = await self._http.send(request)
        logger.debug("%s -> %d", describe(request), response.status_code)
        return response

    # --- layer 4: map errors ------------------------------------------------------------------

    def _map(self, response: httpx.Response) -> Any:
        """Parsed JSON of a 2xx answer; the mapped exception for anything else."""
        if response.status_code >= 400:
            error = error_from_response(response, self._scrub)
            if isinstance(error, AuthenticationError) and self.__key.lower().startswith("bearer"):
                error.args = (f"{error} (Pictory wants the raw key, without 'Bearer ')",)
            raise error
        if response.status_code >= 300:
            raise MalformedResponseError(
                f"{describe(response.request)} answered with a redirect "
                f"(HTTP {response.status_code}); check PICTORY_API_BASE_URL.",
                status_code=response.status_code,
            )
        return json_from_response(response, self._scrub)

    def _parse(self, model: type[Any], body: Any, what: str) -> Any:
        """Validate a body against a response model; a shape mismatch is malformed."""
        try:
            return model.model_validate(body)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '(body)'}: {err['msg']}"
                for err in exc.errors(include_input=False, include_url=False)[:3]
            )
            raise MalformedResponseError(
                self._scrub.text(f"{what} answered an unexpected shape: {problems}")
            ) from None

    async def _call(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, Any] | None = None,
        json: Any = None,
        idempotent: bool,
    ) -> Any:
        request = self._build(method, path, params=params, json=json)
        response = await self._send_with_retries(request, idempotent=idempotent)
        return self._map(response)

    async def _get(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return await self._call("GET", path, params=params, idempotent=True)

    async def _get_model(self, model: type[BaseModel], path: str, **params: Any) -> Any:
        body = await self._get(path, params or None)
        return self._parse(model, body, f"GET /{path.lstrip('/')}")

    # --- downloads ----------------------------------------------------------------------------

    async def download(
        self,
        url: str,
        dest_path: str | os.PathLike[str],
        *,
        limits: DownloadLimits | None = None,
        on_progress: Progress | None = None,
    ) -> Downloaded:
        """Stream `url` to `dest_path` through a partial file renamed into place, within
        `limits` (see `_download.py`: deadline, size, redirects, allowed hosts).

        The API key is never sent: result URLs live on CDN hosts. Retried like any GET.
        """
        target = Path(dest_path)
        await anyio.Path(target.parent).mkdir(parents=True, exist_ok=True)
        fetch = Fetch(
            self._download_client(),
            url,
            target,
            limits=limits or DownloadLimits(),
            retry=self.retry,
            trusted=self._base_addresses,
            on_progress=on_progress,
        )
        return await fetch.run()

    def _download_client(self) -> httpx.AsyncClient:
        """The HTTP client for downloads: no key, no redirects followed by httpx, and no kept
        connections, since requests go to checked addresses and a kept connection could be
        handed a request for another host name on the same address."""
        if self._downloads is None:
            self._downloads = httpx.AsyncClient(
                timeout=self._http.timeout,
                limits=httpx.Limits(max_keepalive_connections=0),
                headers={"User-Agent": self._user_agent},
                transport=self._transport,
                follow_redirects=False,
                trust_env=False,
            )
        return self._downloads

    async def _base_addresses(self) -> frozenset[IPAddress]:
        """The addresses of the Pictory base URL's host (where the sandbox serves its files)."""
        url = httpx.URL(self.base_url)
        try:
            return frozenset(await resolve(url.raw_host.decode("ascii"), url.port or 443))
        except DownloadError:
            return frozenset()
