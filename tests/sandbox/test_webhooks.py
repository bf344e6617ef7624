"""The sandbox calls a job's `webhook` URL when the job finishes, as REFERENCE §19 describes
(the payload is INFERRED: the job-status envelope plus `webhookInput`), late, twice or never
when told to."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest

from tests.sandbox.conftest import poll, start_job

BODY = {
    "videoName": "oceans",
    "scenes": [{"story": "Plastic enters our oceans every year."}],
}


class Receiver:
    """A loopback HTTP server that records every POST and answers with `status`."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                receiver.calls.append({"path": self.path, "body": json.loads(raw)})
                self.send_response(receiver.status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver()
    yield r
    r.close()


def until(check: Callable[[], Any], seconds: float = 10.0) -> Any:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        time.sleep(0.05)
    raise AssertionError("condition not met in time")


def settle() -> None:
    """Long enough for a due delivery to have been sent (the loop looks every 0.05 s)."""
    time.sleep(0.5)


def test_a_finished_render_posts_its_job_status_and_webhook_input_to_the_webhook(
    sandbox: Any, http: httpx.Client, receiver: Receiver
) -> None:
    body = {**BODY, "webhook": receiver.url, "webhookInput": {"row": 7}}
    job_id = start_job(http, "/v2/video/storyboard/render", body)
    settle()
    assert receiver.calls == []  # not before the job finishes
    sandbox.control.advance_clock(60)
    until(lambda: receiver.calls)
    settle()
    assert len(receiver.calls) == 1
    call = receiver.calls[0]
    assert call["path"] == "/hook"
    status = poll(http, job_id)
    assert call["body"] == {**status, "webhookInput": {"row": 7}}
    assert call["body"]["data"]["status"] == "completed"
    assert call["body"]["data"]["videoURL"]
    log = sandbox.control.webhooks()
    assert [(e["job_id"], e["outcome"], e["status"]) for e in log] == [(job_id, "delivered", 200)]


def test_a_failed_job_posts_its_failure(
    sandbox: Any, http: httpx.Client, receiver: Receiver
) -> None:
    sandbox.control.fail_next_jobs(1)
    job_id = start_job(http, "/v2/transcription", {"fileUrl": "https://m.example/a.mp4",
                                                   "mediaType": "video",
                                                   "webhook": receiver.url})  # fmt: skip
    sandbox.control.advance_clock(60)
    until(lambda: receiver.calls)
    body = receiver.calls[0]["body"]
    assert body["job_id"] == job_id
    assert body["success"] is False
    assert body["data"]["status"] == "failed"
    assert body["data"]["error_code"]


def test_a_job_without_a_webhook_calls_nobody(
    sandbox: Any, http: httpx.Client, receiver: Receiver
) -> None:
    start_job(http, "/v2/video/storyboard/render", BODY)
    sandbox.control.advance_clock(60)
    settle()
    assert receiver.calls == []
    assert sandbox.control.webhooks() == []


def test_a_late_webhook_waits_for_its_delay_on_the_sandbox_clock(
    sandbox: Any, http: httpx.Client, receiver: Receiver
) -> None:
    sandbox.control.configure(webhook_delay_seconds=120)
    start_job(http, "/v2/video/storyboard/render", {**BODY, "webhook": receiver.url})
    sandbox.control.advance_clock(60)
    settle()
    assert receiver.calls == []
    sandbox.control.advance_clock(120)
    until(lambda: receiver.calls)


def test_a_duplicated_webhook_arrives_twice_and_a_dropped_one_never(
    sandbox: Any, http: httpx.Client, receiver: Receiver
) -> None:
    sandbox.control.configure(webhook_duplicate_rate=1.0)
    twice = start_job(http, "/v2/video/storyboard/render", {**BODY, "webhook": receiver.url})
    sandbox.control.configure(webhook_duplicate_rate=0.0, webhook_drop_rate=1.0)
    never = start_job(http, "/v2/video/storyboard/render", {**BODY, "webhook": receiver.url})
    sandbox.control.advance_clock(60)
    until(lambda: len(receiver.calls) >= 2)
    settle()
    assert [c["body"]["job_id"] for c in receiver.calls] == [twice, twice]
    outcomes = {(e["job_id"], e["outcome"]) for e in sandbox.control.webhooks()}
    assert (never, "dropped") in outcomes


def test_a_refused_webhook_is_tried_three_times_in_all(
    sandbox: Any, http: httpx.Client, receiver: Receiver
) -> None:
    receiver.status = 503
    start_job(http, "/v2/video/storyboard/render", {**BODY, "webhook": receiver.url})
    sandbox.control.advance_clock(60)
    until(lambda: len(receiver.calls) >= 3)
    time.sleep(1.5)
    assert len(receiver.calls) == 3
    (entry,) = sandbox.control.webhooks()
    assert (entry["attempts"], entry["outcome"], entry["status"]) == (3, "refused", 503)


def test_a_reset_forgets_pending_webhooks(
    sandbox: Any, http: httpx.Client, receiver: Receiver
) -> None:
    start_job(http, "/v2/video/storyboard/render", {**BODY, "webhook": receiver.url})
    sandbox.control.reset()
    sandbox.control.advance_clock(60)
    settle()
    assert receiver.calls == []


@pytest.mark.parametrize(
    ("field", "value"),
    [("webhook_drop_rate", 2), ("webhook_duplicate_rate", -1), ("webhook_delay_seconds", -5)],
)
def test_webhook_fault_settings_are_checked(root: httpx.Client, field: str, value: float) -> None:
    response = root.patch("/__sandbox/config", json={field: value})
    assert response.status_code == 400
    assert field in response.json()["message"]
