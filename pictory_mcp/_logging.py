"""Logging to stderr only (stdout belongs to the MCP stdio transport), with secrets redacted.

Redaction covers registered secrets, `Authorization` header values, `pictai_…` tokens and
credential-like query parameters (`?access_token=…`, `&api_key=…`), in the message, its
arguments, exception tracebacks and stack information. HTTP access lines hide every query value.
`redact_keys` and `REDACTED` are also what the client and the job history mask keys with, so a
key is hidden the same way wherever it turns up.
"""

from __future__ import annotations

import logging
import re
import sys
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import TypeAlias

from pictory_mcp.errors import ConfigurationError
from pictory_mcp.facts import KEY_PREFIX

__all__ = [
    "REDACTED",
    "AccessLogFilter",
    "RedactingFilter",
    "RedactingFormatter",
    "redact",
    "redact_keys",
    "redact_query",
    "register_secret",
    "setup_logging",
    "teardown_logging",
]

REDACTED = "[REDACTED]"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"

# Shorter values would shred ordinary words out of every log line; real keys are long.
_MIN_SECRET_LENGTH = 4

# Anything shaped like a Pictory key, even one that is not ours (a wrong key echoed back).
_TOKEN_RE = re.compile(re.escape(KEY_PREFIX) + r"[A-Za-z0-9_-]+")
# `Authorization: X`, `"authorization": "X"`, `(b'authorization', b'X')`, `Authorization=Bearer X`.
# An already redacted value matches the first alternative and is rewritten unchanged.
_AUTH_RE = re.compile(
    r"""(?i)(authorization['"]?\s*[:=,]\s*(?:b?['"])?)"""
    r"""(?:(?:bearer|basic|token)\s+)?(?:""" + re.escape(REDACTED) + r"""|[^\s'",;)}\[\]]+)"""
)

# `?access_token=X`, `&api_key=X`, `;sig=X`: a query parameter whose name says it is a credential.
_QUERY_SECRET_RE = re.compile(
    r"(?i)([?&;][\w.~%-]*(?:token|key|secret|passw|auth|sig|session|code|credential)[\w.~%-]*=)"
    r"(?:" + re.escape(REDACTED) + r"|[^&#;\s'\"<>]+)"
)
# A webhook URL's secret, its last path segment (server/webhooks.py: /webhooks/pictory/{id}/{secret}).
_WEBHOOK_SECRET_RE = re.compile(r"(/webhooks/pictory/[A-Za-z0-9_-]+/)[A-Za-z0-9_-]+")
# Everything after `?` in a request target, up to a fragment or whitespace.
_QUERY_VALUE_RE = re.compile(r"([?&;][^=&#;\s]*=)[^&#;\s]*")

_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")

_ExcInfo: TypeAlias = tuple[type[BaseException], BaseException, TracebackType | None]

_lock = threading.Lock()
_secrets: set[str] = set()
_secret_re: re.Pattern[str] | None = None


def register_secret(value: str | None) -> None:
    """Redact `value` from every log line from now on (values under 4 characters are ignored)."""
    global _secret_re
    if not value or len(value) < _MIN_SECRET_LENGTH:
        return
    with _lock:
        if value in _secrets:
            return
        _secrets.add(value)
        # Longest first, so a secret containing another is removed whole.
        ordered = sorted(_secrets, key=len, reverse=True)
        _secret_re = re.compile("|".join(re.escape(s) for s in ordered))


def redact_keys(text: str) -> str:
    """`text` with every token shaped like a Pictory key (`pictai_…`) replaced."""
    return _TOKEN_RE.sub(REDACTED, text)


def redact(text: str) -> str:
    """`text` with registered secrets, Authorization values and pictai_ tokens replaced."""
    pattern = _secret_re
    if pattern is not None:
        text = pattern.sub(REDACTED, text)
    text = redact_keys(text)
    text = _WEBHOOK_SECRET_RE.sub(lambda m: m.group(1) + REDACTED, text)
    text = _QUERY_SECRET_RE.sub(lambda m: m.group(1) + REDACTED, text)
    return _AUTH_RE.sub(lambda m: m.group(1) + REDACTED, text)


def redact_query(target: str) -> str:
    """A request target with every query value replaced: `/mcp?a=1&b` → `/mcp?a=[REDACTED]&b`.

    Query strings are where clients put credentials a server never asked for, in any name.
    """
    path, mark, query = target.partition("?")
    if not mark:
        return target
    return path + _QUERY_VALUE_RE.sub(lambda m: m.group(1) + REDACTED, mark + query)


_plain_formatter = logging.Formatter()


class RedactingFilter(logging.Filter):
    """Rewrites a record in place so no handler after it can see a secret.

    The message is rendered with its args and redacted (args are then dropped, since
    they are already inside it); traceback and stack text are rendered and redacted too.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed format string must not lose the line
            message = f"{record.msg!r} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = _plain_formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


class AccessLogFilter(logging.Filter):
    """For uvicorn-style access records (`client - "METHOD target HTTP/v" status`): the
    request target loses its query values before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) >= 3 and isinstance(args[2], str):
            target = _WEBHOOK_SECRET_RE.sub(lambda m: m.group(1) + REDACTED, args[2])
            record.args = (*args[:2], redact_query(target), *args[3:])
        return True


class RedactingFormatter(logging.Formatter):
    """A formatter whose every output, exception text included, passes through `redact`."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))

    def formatException(self, ei: _ExcInfo | tuple[None, None, None]) -> str:
        return redact(super().formatException(ei))


class _StderrHandler(logging.Handler):
    """Writes to whatever `sys.stderr` is at emit time, so redirection is always honoured."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            line = self.format(record)
            stream = sys.stderr
            if stream is None:  # pythonw and some embedded interpreters have no stderr
                return
            stream.write(line + "\n")
            stream.flush()
        except RecursionError:
            raise
        except Exception:
            self.handleError(record)


def _level_number(level: str | int) -> int:
    if isinstance(level, int) and not isinstance(level, bool):
        return level
    name = str(level).strip().upper()
    name = "WARNING" if name == "WARN" else name
    if name not in _LEVELS:
        raise ConfigurationError(
            f"Log level must be one of {', '.join(_LEVELS)}, got {str(level)!r}."
        )
    return int(logging.getLevelName(name))


def setup_logging(level: str | int = "INFO", secrets: Iterable[str] = ()) -> logging.Handler:
    """Send all logging to stderr through the redacting filter; safe to call again.

    A second call replaces the level and keeps one handler; stream handlers that point
    at stdout are removed from the root logger because stdout carries the protocol.
    """
    number = _level_number(level)
    for secret in secrets:
        register_secret(secret)
    root = logging.getLogger()
    handler: logging.Handler | None = None
    for existing in list(root.handlers):
        if isinstance(existing, _StderrHandler):
            if handler is None:
                handler = existing
            else:
                root.removeHandler(existing)
        elif isinstance(existing, logging.StreamHandler) and existing.stream is sys.stdout:
            root.removeHandler(existing)
    if handler is None:
        handler = _StderrHandler()
        handler.addFilter(RedactingFilter())
        handler.setFormatter(RedactingFormatter(LOG_FORMAT))
        root.addHandler(handler)
    root.setLevel(number)
    return handler


def teardown_logging() -> None:
    """Remove the handler `setup_logging` installed (for tests and embedding)."""
    root = logging.getLogger()
    for existing in list(root.handlers):
        if isinstance(existing, _StderrHandler):
            root.removeHandler(existing)
            existing.close()
