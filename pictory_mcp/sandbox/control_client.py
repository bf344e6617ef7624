"""Clients for the sandbox control API (/__sandbox): `SandboxControl` (sync) and
`AsyncSandboxControl`, with the same methods."""

from __future__ import annotations

from types import TracebackType
from typing import Any

import httpx

DEFAULT_TIMEOUT = 10.0


def _fault_body(n: int, error_code: str | None, error_message: str | None) -> dict[str, Any]:
    body: dict[str, Any] = {"fail_next_jobs": n}
    if error_code is not None:
        body["error_code"] = error_code
    if error_message is not None:
        body["error_message"] = error_message
    return body


def _payload(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise ValueError(f"sandbox control call failed ({response.status_code}): {response.text}")
    return response.json()


class SandboxControl:
    """Synchronous control-API client; `root_url` is the sandbox root (without /pictoryapis)."""

    def __init__(self, root_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.root_url = root_url.rstrip("/")
        self._http = httpx.Client(base_url=self.root_url, timeout=timeout)

    def _call(
        self, verb: str, path: str, body: object = None, params: dict[str, Any] | None = None
    ) -> Any:
        query = {k: v for k, v in (params or {}).items() if v is not None}
        response = self._http.request(verb, path, json=body, params=query or None)
        return _payload(response)

    def reset(self) -> None:
        self._call("POST", "/__sandbox/reset")

    def configure(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("PATCH", "/__sandbox/config", fields)
        return result

    def config(self) -> dict[str, Any]:
        result: dict[str, Any] = self._call("GET", "/__sandbox/config")
        return result

    def requests(
        self, *, method: str | None = None, path_prefix: str | None = None
    ) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call(
            "GET", "/__sandbox/requests", None, {"method": method, "path_prefix": path_prefix}
        )["requests"]
        return result

    def advance_clock(self, seconds: float) -> float:
        return float(self._call("POST", "/__sandbox/clock/advance", {"seconds": seconds})["now"])

    def faults(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = self._call("POST", "/__sandbox/faults", fields)["pending"]
        return result

    def fail_next_jobs(
        self, n: int = 1, *, error_code: str | None = None, error_message: str | None = None
    ) -> None:
        self._call("POST", "/__sandbox/faults", _fault_body(n, error_code, error_message))

    def stick_next_jobs(self, n: int = 1) -> None:
        self._call("POST", "/__sandbox/faults", {"stick_next_jobs": n})

    def jobs(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = self._call("GET", "/__sandbox/jobs")["jobs"]
        return result

    def webhooks(self) -> list[dict[str, Any]]:
        """Every webhook call made (or dropped), oldest first."""
        result: list[dict[str, Any]] = self._call("GET", "/__sandbox/webhooks")["webhooks"]
        return result

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SandboxControl:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncSandboxControl:
    """Asynchronous twin of `SandboxControl`."""

    def __init__(self, root_url: str, *, timeout: float = DEFAULT_TIMEOUT) -> None:
        self.root_url = root_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.root_url, timeout=timeout)

    async def _call(
        self, verb: str, path: str, body: object = None, params: dict[str, Any] | None = None
    ) -> Any:
        query = {k: v for k, v in (params or {}).items() if v is not None}
        response = await self._http.request(verb, path, json=body, params=query or None)
        return _payload(response)

    async def reset(self) -> None:
        await self._call("POST", "/__sandbox/reset")

    async def configure(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = await self._call("PATCH", "/__sandbox/config", fields)
        return result

    async def config(self) -> dict[str, Any]:
        result: dict[str, Any] = await self._call("GET", "/__sandbox/config")
        return result

    async def requests(
        self, *, method: str | None = None, path_prefix: str | None = None
    ) -> list[dict[str, Any]]:
        body = await self._call(
            "GET", "/__sandbox/requests", None, {"method": method, "path_prefix": path_prefix}
        )
        result: list[dict[str, Any]] = body["requests"]
        return result

    async def advance_clock(self, seconds: float) -> float:
        body = await self._call("POST", "/__sandbox/clock/advance", {"seconds": seconds})
        return float(body["now"])

    async def faults(self, **fields: Any) -> dict[str, Any]:
        result: dict[str, Any] = (await self._call("POST", "/__sandbox/faults", fields))["pending"]
        return result

    async def fail_next_jobs(
        self, n: int = 1, *, error_code: str | None = None, error_message: str | None = None
    ) -> None:
        await self._call("POST", "/__sandbox/faults", _fault_body(n, error_code, error_message))

    async def stick_next_jobs(self, n: int = 1) -> None:
        await self._call("POST", "/__sandbox/faults", {"stick_next_jobs": n})

    async def jobs(self) -> list[dict[str, Any]]:
        result: list[dict[str, Any]] = (await self._call("GET", "/__sandbox/jobs"))["jobs"]
        return result

    async def webhooks(self) -> list[dict[str, Any]]:
        """Every webhook call made (or dropped), oldest first."""
        answer = await self._call("GET", "/__sandbox/webhooks")
        result: list[dict[str, Any]] = answer["webhooks"]
        return result

    async def aclose(self) -> None:
        await self._http.aclose()

    async def __aenter__(self) -> AsyncSandboxControl:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
