"""Stderr-only logging: secrets never reach the output, whatever path they take into a record."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest

from pictory_mcp._logging import (
    REDACTED,
    AccessLogFilter,
    RedactingFilter,
    redact,
    redact_query,
    register_secret,
    setup_logging,
    teardown_logging,
)
from pictory_mcp.errors import ConfigurationError

# Not shaped like a pictai_ token, so only the registry can catch it.
KEY = "k3y-Registered-0123456789"
TOKEN = "pictai_AbC123_unregistered-xyz"


@pytest.fixture(autouse=True)
def _clean_root_logger() -> Iterator[None]:
    root = logging.getLogger()
    level = root.level
    yield
    teardown_logging()
    root.setLevel(level)


def _err(capsys: pytest.CaptureFixture[str]) -> str:
    captured = capsys.readouterr()
    assert captured.out == "", "logging must never write to stdout"
    return captured.err


def test_a_registered_secret_in_the_message_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", [KEY])
    logging.getLogger("pictory_mcp.test").info("calling with key %s inline " + KEY, "x")
    err = _err(capsys)
    assert KEY not in err
    assert f"inline {REDACTED}" in err


def test_a_secret_passed_as_an_argument_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", [KEY])
    logging.getLogger("pictory_mcp.test").warning("headers: %r", {"x-key": KEY, "n": 1})
    err = _err(capsys)
    assert KEY not in err
    assert "'n': 1" in err


def test_a_secret_in_an_exception_traceback_is_redacted(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("INFO", [KEY])

    def fail(secret: str) -> None:
        raise RuntimeError(f"upstream rejected {secret} and {TOKEN}")

    try:
        fail(KEY)
    except RuntimeError:
        logging.getLogger("mcp.server").exception("tool failed")
    err = _err(capsys)
    assert "Traceback (most recent call last)" in err
    assert "RuntimeError: upstream rejected" in err
    assert KEY not in err
    assert TOKEN not in err


def test_records_from_library_loggers_are_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("DEBUG", [KEY])
    logging.getLogger("httpx").debug("sending %s", KEY)
    logging.getLogger("mcp.server.lowlevel").info("request with %s", TOKEN)
    err = _err(capsys)
    assert KEY not in err
    assert TOKEN not in err
    assert err.count(REDACTED) == 2


def test_a_secret_registered_after_setup_is_redacted_too(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("INFO")
    late = "late-registered-secret-value"
    register_secret(late)
    logging.getLogger("pictory_mcp").info("value=%s", late)
    assert late not in _err(capsys)


def test_stack_info_is_redacted(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging("INFO", [KEY])
    logging.getLogger("pictory_mcp").info("where %s", KEY, stack_info=True)
    err = _err(capsys)
    assert "Stack (most recent call last)" in err
    assert KEY not in err


@pytest.mark.parametrize(
    "text",
    [
        "Authorization: abc.def-ghi",
        "authorization: Bearer abc.def-ghi",
        "{'Authorization': 'abc.def-ghi'}",
        '{"authorization": "abc.def-ghi"}',
        "(b'authorization', b'abc.def-ghi')",
        "Authorization=abc.def-ghi",
    ],
)
def test_authorization_header_values_are_redacted_in_every_common_spelling(text: str) -> None:
    out = redact(text)
    assert "abc.def-ghi" not in out
    assert REDACTED in out
    assert redact(out) == out


def test_pictai_tokens_are_redacted_without_registration() -> None:
    assert redact(f"key is {TOKEN}.") == f"key is {REDACTED}."


def test_the_client_and_the_job_history_mask_a_key_exactly_as_the_logs_do() -> None:
    from pictory_mcp.api._transport import Scrubber
    from pictory_mcp.jobs import scrub

    text = f"key is {TOKEN}."
    assert Scrubber(KEY).text(text) == scrub(text) == redact(text) == f"key is {REDACTED}."
    assert Scrubber(KEY).text(f"raw {KEY}") == f"raw {REDACTED}"


def test_very_short_secrets_are_not_registered() -> None:
    register_secret("ab")
    register_secret("")
    register_secret(None)
    assert redact("a table of abacus") == "a table of abacus"


def test_setup_twice_keeps_one_handler_and_applies_the_new_level(
    capsys: pytest.CaptureFixture[str],
) -> None:
    first = setup_logging("INFO")
    second = setup_logging("warning")
    assert first is second
    ours = [h for h in logging.getLogger().handlers if h is first]
    assert len(ours) == 1
    logging.getLogger("pictory_mcp").info("hidden line")
    logging.getLogger("pictory_mcp").warning("shown line")
    err = _err(capsys)
    assert "hidden line" not in err
    assert err.count("shown line") == 1


def test_a_stdout_handler_on_the_root_logger_is_removed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    stray = logging.StreamHandler(sys.stdout)
    logging.getLogger().addHandler(stray)
    try:
        setup_logging("INFO")
        assert stray not in logging.getLogger().handlers
        logging.getLogger("pictory_mcp").warning("to stderr only")
        assert "to stderr only" in _err(capsys)
    finally:
        logging.getLogger().removeHandler(stray)


def test_other_handlers_after_ours_see_the_redacted_record(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("INFO", [KEY])
    sink = io.StringIO()
    other = logging.StreamHandler(sink)
    logging.getLogger().addHandler(other)
    try:
        logging.getLogger("pictory_mcp").warning("key %s", KEY)
    finally:
        logging.getLogger().removeHandler(other)
    assert KEY not in sink.getvalue()
    assert REDACTED in sink.getvalue()
    _err(capsys)


def test_the_filter_survives_a_malformed_format_string_and_still_redacts() -> None:
    # Called directly: under pytest, its own capture handler would choke on the record first.
    record = logging.LogRecord(
        "pictory_mcp", logging.WARNING, __file__, 1, "broken %d " + KEY, ("nan",), None
    )
    assert RedactingFilter().filter(record)
    assert "broken" in record.getMessage()
    assert KEY not in record.getMessage()


def test_an_unknown_level_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="Log level must be one of"):
        setup_logging("chatty")


@pytest.mark.parametrize(
    "text",
    [
        "GET https://h.example/v?access_token=s3cr3tValue HTTP/1.1",
        "/cb?code=s3cr3tValue&state=x",
        "/mcp?x=1&API_KEY=s3cr3tValue",
        "/download?X-Amz-Signature=s3cr3tValue",
        "/messages/?session_id=s3cr3tValue",
        "/p?client_secret=s3cr3tValue#frag",
    ],
)
def test_credential_like_query_parameters_are_redacted_in_any_line(text: str) -> None:
    assert "s3cr3tValue" not in redact(text)
    assert REDACTED in redact(text)


def test_ordinary_query_parameters_stay_readable_in_ordinary_lines() -> None:
    assert redact("/v1/voiceovers/tracks?language=en-US&page=2") == (
        "/v1/voiceovers/tracks?language=en-US&page=2"
    )


def test_a_request_target_loses_every_query_value_but_keeps_names_and_path() -> None:
    assert redact_query("/mcp") == "/mcp"
    assert redact_query("/mcp?a=1&b=two&flag") == f"/mcp?a={REDACTED}&b={REDACTED}&flag"
    assert redact_query("/healthz?=x") == f"/healthz?={REDACTED}"


def test_access_records_reach_the_handler_with_their_query_values_hidden(
    capsys: pytest.CaptureFixture[str],
) -> None:
    setup_logging("INFO")
    access = logging.getLogger("pictory_mcp.test.access")
    access.addFilter(AccessLogFilter())
    try:
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "GET", "/x?lang=en-US", "1.1", 200)
    finally:
        access.filters.clear()
    err = _err(capsys)
    assert f'"GET /x?lang={REDACTED} HTTP/1.1" 200' in err
    assert "en-US" not in err


def test_a_webhook_urls_secret_is_redacted_in_any_line_and_in_access_records(
    capsys: pytest.CaptureFixture[str],
) -> None:
    secret = "Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"
    url = f"https://mcp.example.com/webhooks/pictory/hook_id-1/{secret}"
    assert redact(f"sending {url} now") == (
        f"sending https://mcp.example.com/webhooks/pictory/hook_id-1/{REDACTED} now"
    )
    setup_logging("INFO")
    access = logging.getLogger("pictory_mcp.test.access")
    access.addFilter(AccessLogFilter())
    try:
        path = f"/webhooks/pictory/hook_id-1/{secret}"
        access.info('%s - "%s %s HTTP/%s" %d', "127.0.0.1:5000", "POST", path, "1.1", 200)
    finally:
        access.filters.clear()
    err = _err(capsys)
    assert f'"POST /webhooks/pictory/hook_id-1/{REDACTED} HTTP/1.1" 200' in err
    assert secret not in err
