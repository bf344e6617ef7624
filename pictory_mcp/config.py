"""Settings for pictory-mcp: flags > PICTORY_* environment variables > defaults.

Nothing is read at import time; `Settings.from_env` is the only reader of `os.environ`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    field_validator,
)

from pictory_mcp.errors import ConfigurationError
from pictory_mcp.facts import DEFAULT_BASE_URL

__all__ = [
    "DEFAULT_BASE_URL",
    "ENV_VARS",
    "LogLevel",
    "Settings",
    "default_db_path",
    "default_output_dir",
    "env_table_markdown",
]

APP_NAME = "pictory-mcp"

LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"]
_LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


def default_db_path() -> Path:
    """Where the job history lives unless PICTORY_MCP_DB says otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "jobs.sqlite3"


def default_output_dir() -> Path:
    """Where downloaded videos go unless PICTORY_MCP_OUTPUT_DIR says otherwise."""
    return Path(platformdirs.user_downloads_dir()) / APP_NAME


@dataclass(frozen=True)
class _Var:
    """One environment variable: the field it sets and how the README describes it."""

    env: str
    field: str
    default: str
    description: str


# What each field accepts, phrased to complete "X must be …" in error messages.
_REQUIREMENTS: dict[str, str] = {
    "api_key": "a Pictory API key (text)",
    "base_url": "an http:// or https:// URL such as " + DEFAULT_BASE_URL,
    "db_path": "a path to a writable file",
    "output_dir": "a path to a writable directory",
    "voice_cache_seconds": "a number of seconds ≥ 0",
    "poll_interval": "a number of seconds ≥ 1",
    "wait_ceiling": "a number of seconds between 1 and 3600",
    "http_timeout": "a number of seconds > 0",
    "call_timeout": "a number of seconds between 5 and 3600",
    "download_timeout": "a number of seconds between 1 and 86400",
    "max_download_mb": "a whole number of megabytes ≥ 1",
    "rate_per_second": "a number of requests per second > 0 (0 or empty means no limit)",
    "auth_token": "a bearer token (text)",
    "log_level": "one of " + ", ".join(_LOG_LEVELS),
    "sandbox": "true or false",
    "allowed_hosts": "a comma-separated list of host[:port] values",
    "allowed_origins": "a comma-separated list of origins such as http://localhost:3000",
    "toolsets": "a comma-separated list of toolset names",
    "read_only": "true or false",
}

_SECRET_FIELDS = frozenset({"api_key", "auth_token"})

_VARS: tuple[_Var, ...] = (
    _Var("PICTORY_API_KEY", "api_key", "(none)", "Pictory API key; required to reach Pictory."),
    _Var(
        "PICTORY_API_BASE_URL",
        "base_url",
        DEFAULT_BASE_URL,
        "Base URL of the Pictory API (point it at the sandbox for offline work).",
    ),
    _Var(
        "PICTORY_MCP_DB",
        "db_path",
        "~/.local/share/pictory-mcp/jobs.sqlite3",
        "SQLite file holding the local job history (default shown for Linux; macOS and "
        "Windows use their per-user data folder).",
    ),
    _Var(
        "PICTORY_MCP_OUTPUT_DIR",
        "output_dir",
        "~/Downloads/pictory-mcp",
        "Directory where downloaded videos are saved (created when needed).",
    ),
    _Var(
        "PICTORY_MCP_VOICE_CACHE_SECONDS",
        "voice_cache_seconds",
        "600",
        "How long the voice list is cached, in seconds (0 disables the cache).",
    ),
    _Var(
        "PICTORY_MCP_POLL_INTERVAL",
        "poll_interval",
        "10",
        "Seconds between job status checks while waiting for a job (at least 1).",
    ),
    _Var(
        "PICTORY_MCP_WAIT_CEILING",
        "wait_ceiling",
        "55",
        "Longest a single wait_for_job call waits, in seconds (clients cut calls near 60 s).",
    ),
    _Var(
        "PICTORY_MCP_HTTP_TIMEOUT",
        "http_timeout",
        "30",
        "Timeout of one HTTP request to Pictory, in seconds.",
    ),
    _Var(
        "PICTORY_MCP_CALL_TIMEOUT",
        "call_timeout",
        "50",
        "Longest any tool call takes, in seconds (wait_for_job: its own timeout_seconds); "
        "when reached, the call answers with what is known.",
    ),
    _Var(
        "PICTORY_MCP_DOWNLOAD_TIMEOUT",
        "download_timeout",
        "55",
        "Longest a single download_video call may take, in seconds, redirects and retries "
        "included (clients cut calls near 60 s).",
    ),
    _Var(
        "PICTORY_MCP_MAX_DOWNLOAD_MB",
        "max_download_mb",
        "2048",
        "Largest file download_video saves, in megabytes (1 MB = 1,048,576 bytes).",
    ),
    _Var(
        "PICTORY_MCP_RATE_LIMIT",
        "rate_per_second",
        "(no limit)",
        "Maximum requests per second sent to Pictory (0 or empty: no limit).",
    ),
    _Var(
        "PICTORY_MCP_AUTH_TOKEN",
        "auth_token",
        "(none)",
        "Bearer token clients must send to the HTTP transport; unset means no check.",
    ),
    _Var(
        "PICTORY_MCP_LOG_LEVEL",
        "log_level",
        "INFO",
        "Log level for stderr logging: " + ", ".join(_LOG_LEVELS) + ".",
    ),
    _Var(
        "PICTORY_MCP_ALLOWED_HOSTS",
        "allowed_hosts",
        "(none)",
        "Comma-separated Host header values the HTTP transport accepts.",
    ),
    _Var(
        "PICTORY_MCP_ALLOWED_ORIGINS",
        "allowed_origins",
        "(none)",
        "Comma-separated Origin header values the HTTP transport accepts.",
    ),
    _Var(
        "PICTORY_MCP_TOOLSETS",
        "toolsets",
        "(all)",
        "Comma-separated toolsets to offer: text, sources, previews, highlights, jobs, catalog.",
    ),
    _Var(
        "PICTORY_MCP_READ_ONLY",
        "read_only",
        "(off)",
        "1 or true hides every tool that spends credits or writes files.",
    ),
)

ENV_VARS: list[tuple[str, str, str]] = [(v.env, v.default, v.description) for v in _VARS]
"""(name, default as text, one-line description) for every variable `from_env` reads."""


def env_table_markdown() -> str:
    """The environment variable table as Markdown, as embedded in the README."""
    lines = ["| Variable | Default | Description |", "| --- | --- | --- |"]
    for name, default, text in ENV_VARS:
        # Parenthesised defaults are prose ("(none)"), the rest literal values.
        shown = default if default.startswith("(") else f"`{default}`"
        lines.append(f"| `{name}` | {shown} | {text} |")
    return "\n".join(lines) + "\n"


def _split_list(value: object) -> object:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class Settings(BaseModel):
    """Everything the server needs to start, validated once.

    Secrets are `SecretStr`: they show as `**********` in repr, str and dumps;
    call `.get_secret_value()` only where the raw value is needed.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False)

    api_key: SecretStr | None = None
    base_url: str = DEFAULT_BASE_URL
    db_path: Path = Field(default_factory=default_db_path)
    output_dir: Path = Field(default_factory=default_output_dir)
    voice_cache_seconds: float = Field(default=600.0, ge=0)
    poll_interval: float = Field(default=10.0, ge=1)
    wait_ceiling: float = Field(default=55.0, ge=1, le=3600)
    http_timeout: float = Field(default=30.0, gt=0)
    call_timeout: float = Field(default=50.0, ge=5, le=3600)
    download_timeout: float = Field(default=55.0, ge=1, le=86400)
    max_download_mb: int = Field(default=2048, ge=1)
    rate_per_second: float | None = Field(default=None, gt=0)
    auth_token: SecretStr | None = None
    log_level: LogLevel = "INFO"
    sandbox: bool = False
    allowed_hosts: tuple[str, ...] = ()
    allowed_origins: tuple[str, ...] = ()
    toolsets: tuple[str, ...] = ()
    read_only: bool = False

    @field_validator("api_key", "auth_token", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            return value or None
        if isinstance(value, SecretStr) and not value.get_secret_value().strip():
            return None
        return value

    @field_validator("base_url", mode="before")
    @classmethod
    def _check_url(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        url = value.strip().rstrip("/")
        scheme, sep, rest = url.partition("://")
        if scheme.lower() not in ("http", "https") or not sep or not rest or " " in rest:
            raise ValueError("not an http(s) URL")
        return url

    @field_validator("db_path", "output_dir", mode="after")
    @classmethod
    def _expand_user(cls, value: Path) -> Path:
        if not str(value).strip() or str(value) == ".":
            raise ValueError("empty path")
        return value.expanduser()

    @field_validator("rate_per_second", mode="before")
    @classmethod
    def _zero_means_unlimited(cls, value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in ("", "0", "none", "off"):
            return None
        if isinstance(value, int | float) and not isinstance(value, bool) and value == 0:
            return None
        return value

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: object) -> object:
        if isinstance(value, str):
            level = value.strip().upper()
            return "WARNING" if level == "WARN" else level
        return value

    @field_validator("allowed_hosts", "allowed_origins", mode="before")
    @classmethod
    def _comma_list(cls, value: object) -> object:
        return _split_list(value)

    @field_validator("toolsets", mode="before")
    @classmethod
    def _toolset_names(cls, value: object) -> object:
        value = _split_list(value)
        if isinstance(value, list | tuple):
            return tuple(str(name).strip().lower() for name in value if str(name).strip())
        return value

    def secret_values(self) -> list[str]:
        """Raw values of every configured secret, for registering with log redaction."""
        return [s.get_secret_value() for s in (self.api_key, self.auth_token) if s is not None]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `environ` (default: `os.environ`), then apply `overrides`.

        Overrides are field values (e.g. from command-line flags) and win over the
        environment; an override of None means "not given". Blank variables count
        as unset. Any invalid value raises ConfigurationError naming its source.
        """
        env = os.environ if environ is None else environ
        values: dict[str, Any] = {}
        sources: dict[str, str] = {}
        for var in _VARS:
            raw = env.get(var.env)
            if raw is None or not raw.strip():
                continue
            values[var.field] = raw.strip()
            sources[var.field] = var.env
        for name, value in overrides.items():
            if name not in cls.model_fields:
                known = ", ".join(sorted(cls.model_fields))
                raise ConfigurationError(f"Unknown setting {name!r}; known settings: {known}.")
            if value is None:
                continue
            values[name] = value
            sources[name] = f"the {name} setting"
        try:
            return cls.model_validate(values)
        except ValidationError as exc:
            # `from None`: pydantic's own text echoes inputs, which may be secrets.
            raise ConfigurationError(_describe(exc, values, sources)) from None


def _describe(exc: ValidationError, values: Mapping[str, Any], sources: Mapping[str, str]) -> str:
    problems: list[str] = []
    for error in exc.errors():
        field = str(error["loc"][0]) if error["loc"] else ""
        source = sources.get(field, field or "a setting")
        requirement = _REQUIREMENTS.get(field, error["msg"])
        problem = f"{source} must be {requirement}"
        if field not in _SECRET_FIELDS and field in values:
            problem += f", got {values[field]!r}"
        if problem not in problems:
            problems.append(problem)
    return "; ".join(problems) + "."


if __name__ == "__main__":
    print(env_table_markdown(), end="")
