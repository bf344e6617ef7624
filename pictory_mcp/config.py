"""Settings for pictory-mcp: flags > PICTORY_* environment variables > defaults.

Nothing is read at import time; `Settings.from_env` is the only reader of `os.environ`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Literal

import platformdirs
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SecretStr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from pictory_mcp._env_vars import REQUIREMENTS, SECRET_FIELDS, VARS
from pictory_mcp._locations import is_postgres_url, sqlite_path
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


def default_db_path() -> Path:
    """Where the job history lives unless PICTORY_MCP_DB says otherwise."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / "jobs.sqlite3"


def default_output_dir() -> Path:
    """Where downloaded videos go unless PICTORY_MCP_OUTPUT_DIR says otherwise."""
    return Path(platformdirs.user_downloads_dir()) / APP_NAME


ENV_VARS: list[tuple[str, str, str]] = [(v.env, v.default, v.description) for v in VARS]
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
    # Hosted mode (README: Hosted for a team).
    mode: Literal["single", "hosted"] = "single"
    db_url: SecretStr | None = None  # a PostgreSQL job store; may hold a password
    oauth_issuer: str | None = None
    oauth_jwks_url: str | None = None
    resource_url: str | None = None
    secret_keys: SecretStr | None = None
    allow_key_header: bool = False
    dedup_seconds: float = Field(default=600.0, ge=0)
    user_calls_per_minute: float = Field(default=120.0, gt=0)
    account_calls_per_minute: float = Field(default=240.0, gt=0)
    lease_seconds: float = Field(default=60.0, ge=5, le=3600)
    # Webhooks (README: Webhooks instead of polling).
    public_url: str | None = Field(default=None, max_length=400)
    webhook_safety_seconds: float = Field(default=300.0, ge=5, le=3600)
    # Spending (README: Spend nothing by surprise).
    confirm_spend: Literal["auto", "always", "never"] = "auto"
    daily_minutes: float | None = Field(default=None, gt=0)

    @model_validator(mode="before")
    @classmethod
    def _store_location(cls, data: Any) -> Any:
        """PICTORY_MCP_DB names a SQLite file (a path or sqlite:///path) or a PostgreSQL URL."""
        if not isinstance(data, dict) or not isinstance(data.get("db_path"), str):
            return data
        location = data["db_path"].strip()
        if is_postgres_url(location):
            data = {**data, "db_url": location}
            del data["db_path"]
        elif location.lower().startswith("sqlite:"):
            try:
                data = {**data, "db_path": sqlite_path(location)}
            except ValueError:
                data = {**data, "db_path": ""}  # refused below as "a path to a writable file"
        return data

    @field_validator("api_key", "auth_token", "secret_keys", "db_url", mode="before")
    @classmethod
    def _blank_secret_is_none(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip()
            return value or None
        if isinstance(value, SecretStr) and not value.get_secret_value().strip():
            return None
        return value

    @field_validator(
        "base_url", "oauth_issuer", "oauth_jwks_url", "resource_url", "public_url", mode="before"
    )
    @classmethod
    def _check_url(cls, value: object, info: ValidationInfo) -> object:
        if not isinstance(value, str):
            return value
        url = value.strip()
        scheme, sep, rest = url.partition("://")
        if scheme.lower() not in ("http", "https") or not sep or not rest or " " in rest:
            raise ValueError("not an http(s) URL")
        # An issuer is compared with tokens' `iss` as written, trailing slash included (some
        # providers issue "https://tenant.example.com/"); the other URLs lose it.
        return url if info.field_name == "oauth_issuer" else url.rstrip("/")

    @field_validator("db_path", "output_dir", mode="after")
    @classmethod
    def _expand_user(cls, value: Path) -> Path:
        if not str(value).strip() or str(value) == ".":
            raise ValueError("empty path")
        return value.expanduser()

    @field_validator("rate_per_second", "daily_minutes", mode="before")
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

    @field_validator("mode", "confirm_spend", mode="before")
    @classmethod
    def _lower_mode(cls, value: object) -> object:
        return value.strip().lower() if isinstance(value, str) else value

    @property
    def hosted(self) -> bool:
        return self.mode == "hosted"

    @property
    def webhooks(self) -> bool:
        """Whether job-creating requests carry webhooks (a public URL is configured)."""
        return self.public_url is not None

    def check_hosted(self) -> None:
        """Refuse hosted mode without what it needs, naming every missing variable."""
        if not self.hosted:
            return
        missing = [
            env
            for env, value in (
                ("PICTORY_MCP_OAUTH_ISSUER", self.oauth_issuer),
                ("PICTORY_MCP_RESOURCE_URL", self.resource_url),
                ("PICTORY_MCP_SECRET_KEYS", self.secret_keys),
            )
            if value is None
        ]
        if missing:
            raise ConfigurationError(
                "Hosted mode needs " + ", ".join(missing) + ": the identity provider's issuer, "
                "this server's public MCP URL (the audience of access tokens) and the keys "
                "that encrypt users' Pictory keys. See the README's Hosted for a team."
            )
        if self.auth_token is not None:
            raise ConfigurationError(
                "PICTORY_MCP_AUTH_TOKEN is for one-person HTTP use; hosted mode takes access "
                "tokens from PICTORY_MCP_OAUTH_ISSUER instead. Unset one of them."
            )

    def secret_values(self) -> list[str]:
        """Raw values of every configured secret, for registering with log redaction."""
        secrets = [self.api_key, self.auth_token, self.secret_keys, self.db_url]
        values = [s.get_secret_value() for s in secrets if s is not None]
        if self.secret_keys is not None:  # each key alone, too
            values += [k.strip() for k in self.secret_keys.get_secret_value().split(",")]
        return [v for v in values if v]

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
        for var in VARS:
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
        requirement = REQUIREMENTS.get(field, error["msg"])
        problem = f"{source} must be {requirement}"
        if field not in SECRET_FIELDS and field in values:
            problem += f", got {values[field]!r}"
        if problem not in problems:
            problems.append(problem)
    return "; ".join(problems) + "."


if __name__ == "__main__":
    print(env_table_markdown(), end="")
