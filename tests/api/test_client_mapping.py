"""Error mapping, key scrubbing and input handling of the client, tested without a server."""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from pictory_mcp.api import PictoryClient, RetryPolicy
from pictory_mcp.api._base import payload_of
from pictory_mcp.api._transport import (
    Scrubber,
    error_from_response,
    json_from_response,
    transport_error,
)
from pictory_mcp.api.client import _items, _segment
from pictory_mcp.errors import (
    AuthenticationError,
    ConfigurationError,
    DownloadError,
    FieldError,
    InputError,
    InvalidRequestError,
    MalformedResponseError,
    NotFoundError,
    RateLimitedError,
    ServerError,
)

CANARY = "pictai_SECRET_canary_123"
REQUEST = httpx.Request("POST", "https://api.example/pictoryapis/v2/video/storyboard/render")


def answer(
    status: int, content: bytes | str, headers: dict[str, str] | None = None
) -> httpx.Response:
    raw = content.encode() if isinstance(content, str) else content
    return httpx.Response(status, content=raw, headers=headers, request=REQUEST)


def test_the_scrubber_removes_the_key_and_any_key_shaped_token() -> None:
    scrub = Scrubber(CANARY)
    assert CANARY not in scrub.text(f"bad key {CANARY}!")
    assert "pictai_other" not in scrub.text("also pictai_other_key")
    nested = scrub.data({"a": [CANARY, {"b": f"x{CANARY}"}], CANARY: 1, "n": 3})
    assert CANARY not in repr(nested)
    assert nested["n"] == 3


def test_a_connection_refusal_is_reported_as_not_sent() -> None:
    error = transport_error(httpx.ConnectError("refused"), REQUEST, Scrubber(CANARY))
    assert error.request_sent is False
    assert "did not reach" in str(error)


@pytest.mark.parametrize(
    "exc",
    [
        httpx.ReadTimeout("timed out"),
        httpx.RemoteProtocolError("Server disconnected without sending a response."),
        httpx.ReadError("connection reset"),
        httpx.WriteTimeout("timed out"),
    ],
)
def test_failures_after_sending_are_reported_as_possibly_received(exc: httpx.HTTPError) -> None:
    error = transport_error(exc, REQUEST, Scrubber(CANARY))
    assert error.request_sent is True
    assert "may have received" in str(error)
    assert "/v2/video/storyboard/render" in str(error)


def test_a_transport_message_never_echoes_the_key() -> None:
    error = transport_error(httpx.ConnectError(f"boom {CANARY}"), REQUEST, Scrubber(CANARY))
    assert CANARY not in str(error)


def test_a_400_carries_its_fields() -> None:
    body = (
        '{"code":"INVALID_REQUEST_BODY","message":"bad","fields":[{"name":"scenes","errors":"x"}]}'
    )
    error = error_from_response(answer(400, body), Scrubber(CANARY))
    assert isinstance(error, InvalidRequestError)
    assert error.fields == [FieldError(name="scenes", errors="x")]
    assert error.code == "INVALID_REQUEST_BODY"


def test_a_429_carries_the_retry_after_seconds() -> None:
    error = error_from_response(
        answer(429, '{"message":"Too Many Requests"}', {"Retry-After": "12"}), Scrubber(CANARY)
    )
    assert isinstance(error, RateLimitedError)
    assert error.retry_after == 12.0


def test_an_html_error_page_becomes_a_short_secret_free_server_error() -> None:
    page = f"<html>{'x' * 5000} {CANARY}</html>"
    error = error_from_response(answer(502, page), Scrubber(CANARY))
    assert isinstance(error, ServerError)
    assert len(str(error)) < 300
    assert CANARY not in str(error)


def test_an_error_body_echoing_the_key_is_scrubbed_everywhere() -> None:
    body = f'{{"message":"key {CANARY} is not valid","detail":{{"auth":"{CANARY}"}}}}'
    error = error_from_response(answer(401, body), Scrubber(CANARY))
    assert isinstance(error, AuthenticationError)
    assert CANARY not in str(error)
    assert CANARY not in repr(error.body)


def test_a_404_job_not_found_maps_to_not_found() -> None:
    body = '{"success":false,"data":{"error_code":"5000","error_message":"JOB_NOT_FOUND"}}'
    error = error_from_response(answer(404, body), Scrubber(CANARY))
    assert isinstance(error, NotFoundError)
    assert error.code == "5000"


def test_a_successful_answer_that_is_not_json_is_malformed() -> None:
    with pytest.raises(MalformedResponseError, match="not JSON") as caught:
        json_from_response(answer(200, "{truncated"), Scrubber(CANARY))
    assert caught.value.status_code == 200


def test_an_empty_successful_answer_is_none() -> None:
    assert json_from_response(answer(204, b""), Scrubber(CANARY)) is None


def test_a_client_needs_a_key() -> None:
    with pytest.raises(ConfigurationError, match="PICTORY_API_KEY"):
        PictoryClient("  ")


def test_a_key_with_a_newline_is_refused_without_being_echoed() -> None:
    with pytest.raises(ConfigurationError, match="control characters") as caught:
        PictoryClient("pictai_SECRET\ncanary")
    assert "SECRET" not in str(caught.value)


@pytest.mark.anyio
async def test_the_client_repr_and_vars_hold_no_key() -> None:
    client = PictoryClient(CANARY, "http://127.0.0.1:9/pictoryapis")
    try:
        assert CANARY not in repr(client)
        assert CANARY not in str(client)
        assert "127.0.0.1:9" in repr(client)
    finally:
        await client.aclose()


class Model:
    def to_payload(self) -> dict[str, Any]:
        return {"videoName": "x"}


def test_payloads_may_be_models_dicts_or_lists() -> None:
    assert payload_of(Model()) == {"videoName": "x"}
    assert payload_of({"a": 1}) == {"a": 1}
    assert payload_of([{"id": "voiceOver"}]) == [{"id": "voiceOver"}]
    with pytest.raises(TypeError, match="request model or a dict"):
        payload_of("videoName=x")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "body",
    [
        [1, 2],
        {"items": [1, 2]},
        {"Items": [1, 2]},
        {"data": {"items": [1, 2]}},
        {"data": {"page": 1, "searchResults": [1, 2]}},
        {"data": [1, 2]},
    ],
)
def test_list_answers_are_found_under_every_documented_wrapper(body: Any) -> None:
    assert _items(body, "GET /x") == [1, 2]


@pytest.mark.parametrize("body", [{"message": "hi"}, "text", None, {"data": {"page": 1}}])
def test_an_answer_without_a_list_is_malformed(body: Any) -> None:
    with pytest.raises(MalformedResponseError, match="did not answer a list"):
        _items(body, "GET /x")


def test_ids_become_single_path_segments() -> None:
    assert _segment("a/b", "job id") == "a%2Fb"
    assert _segment(" 123 ", "job id") == "123"
    for bad in ("", " ", "..", "."):
        with pytest.raises(InputError, match="job id"):
            _segment(bad, "job id")


@pytest.mark.anyio
async def test_api_requests_carry_the_raw_key_a_user_agent_and_a_timeout() -> None:
    client = PictoryClient(CANARY, "http://127.0.0.1:9/pictoryapis/", timeout=12.5)
    try:
        request = client._build("GET", "v1/jobs", params={"nextPageKey": None})
        assert request.headers["Authorization"] == CANARY
        assert request.headers["User-Agent"].startswith("pictory-mcp/")
        assert str(request.url) == "http://127.0.0.1:9/pictoryapis/v1/jobs"
        # Only API requests get the key; downloads to CDN hosts must not.
        assert "Authorization" not in client._http.headers
        assert client._http.timeout.read == 12.5
    finally:
        await client.aclose()


@pytest.mark.anyio
async def test_only_http_urls_can_be_downloaded(tmp_path: Any) -> None:
    async with PictoryClient(CANARY, "http://127.0.0.1:9/pictoryapis") as client:
        for url in ("file:///etc/passwd", "ftp://host/x.mp4", "not a url"):
            with pytest.raises(DownloadError, match="http") as caught:
                await client.download(url, tmp_path / "x.mp4")
            assert caught.value.reason == "refused-host"
    assert list(tmp_path.iterdir()) == []


# --- answers a real server cannot be made to give on demand (httpx.MockTransport) ----------


@pytest.mark.anyio
async def test_a_200_job_not_found_answer_raises_not_found() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        body = {"job_id": "j", "success": False, "data": {"error_code": "5000"}}
        body["data"]["error_message"] = "JOB_NOT_FOUND"
        return httpx.Response(200, json=body)

    transport = httpx.MockTransport(handler)
    async with PictoryClient(CANARY, "http://pictory.test", transport=transport) as client:
        with pytest.raises(NotFoundError, match="JOB_NOT_FOUND") as caught:
            await client.get_job("j")
    assert caught.value.code == "5000"


@pytest.mark.anyio
async def test_a_truncated_download_is_retried_and_never_left_half_written(tmp_path: Any) -> None:
    video = b"\x00\x00\x00\x18ftypmp42" + bytes(4000)
    sent: list[dict[str, str]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        sent.append(dict(request.headers))
        # The first answer promises the whole file and delivers a tenth of it.
        content = video[: len(video) // 10] if len(sent) == 1 else video
        return httpx.Response(200, content=content, headers={"Content-Length": str(len(video))})

    policy = RetryPolicy(max_attempts=2, base_delay=0.01)
    transport = httpx.MockTransport(handler)
    async with PictoryClient(
        CANARY, "http://pictory.test", retry=policy, transport=transport
    ) as client:
        # A public address literal: no DNS needed, and the mock transport answers for it.
        saved = await client.download("https://1.1.1.1/v.mp4", tmp_path / "v.mp4")
    assert saved.path.read_bytes() == video
    assert saved.size == len(video)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["v.mp4"]
    assert all("authorization" not in headers for headers in sent)
