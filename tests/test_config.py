"""Settings: environment parsing, overrides, validation messages, secret handling, README table."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from pydantic import SecretStr

from pictory_mcp.config import (
    DEFAULT_BASE_URL,
    ENV_VARS,
    Settings,
    default_db_path,
    env_table_markdown,
)
from pictory_mcp.errors import ConfigurationError

KEY = "pictai_TestKey_0123456789abcdef"
README = Path(__file__).resolve().parent.parent / "README.md"


def test_an_empty_environment_gives_the_documented_defaults() -> None:
    settings = Settings.from_env({})
    assert settings.api_key is None
    assert settings.api_key is None
    assert settings.base_url == DEFAULT_BASE_URL
    assert settings.db_path == default_db_path()
    assert settings.db_path.name == "jobs.sqlite3"
    assert "pictory-mcp" in settings.db_path.parts
    assert settings.voice_cache_seconds == 600
    assert settings.poll_interval == 10
    assert settings.http_timeout == 30
    assert settings.download_timeout == 55
    assert settings.max_download_mb == 2048
    assert settings.rate_per_second is None
    assert settings.auth_token is None
    assert settings.log_level == "INFO"
    assert settings.sandbox is False
    assert settings.allowed_hosts == ()
    assert settings.allowed_origins == ()


def test_every_variable_is_read_from_the_given_mapping(tmp_path: Path) -> None:
    env = {
        "PICTORY_API_KEY": KEY,
        "PICTORY_API_BASE_URL": "http://127.0.0.1:8765/pictoryapis/",
        "PICTORY_MCP_DB": str(tmp_path / "h.db"),
        "PICTORY_MCP_OUTPUT_DIR": str(tmp_path / "out"),
        "PICTORY_MCP_VOICE_CACHE_SECONDS": "0",
        "PICTORY_MCP_POLL_INTERVAL": "2.5",
        "PICTORY_MCP_HTTP_TIMEOUT": "5",
        "PICTORY_MCP_DOWNLOAD_TIMEOUT": "300",
        "PICTORY_MCP_MAX_DOWNLOAD_MB": "50",
        "PICTORY_MCP_RATE_LIMIT": "3",
        "PICTORY_MCP_AUTH_TOKEN": "bearer-token-xyz",
        "PICTORY_MCP_LOG_LEVEL": "debug",
        "PICTORY_MCP_ALLOWED_HOSTS": "localhost:*, example.org ,",
        "PICTORY_MCP_ALLOWED_ORIGINS": "http://localhost:3000",
    }
    settings = Settings.from_env(env)
    assert settings.api_key is not None
    assert settings.api_key.get_secret_value() == KEY
    assert settings.base_url == "http://127.0.0.1:8765/pictoryapis"
    assert settings.db_path == tmp_path / "h.db"
    assert settings.output_dir == tmp_path / "out"
    assert settings.voice_cache_seconds == 0
    assert settings.poll_interval == 2.5
    assert settings.http_timeout == 5
    assert settings.download_timeout == 300
    assert settings.max_download_mb == 50
    assert settings.rate_per_second == 3
    assert settings.auth_token is not None
    assert settings.auth_token.get_secret_value() == "bearer-token-xyz"
    assert settings.log_level == "DEBUG"
    assert settings.allowed_hosts == ("localhost:*", "example.org")
    assert settings.allowed_origins == ("http://localhost:3000",)
    assert sorted(settings.secret_values()) == sorted([KEY, "bearer-token-xyz"])


SAMPLES = {
    "PICTORY_API_KEY": KEY,
    "PICTORY_API_BASE_URL": "http://127.0.0.1:9/pictoryapis",
    "PICTORY_MCP_DB": "/tmp/other/jobs.db",
    "PICTORY_MCP_OUTPUT_DIR": "/tmp/other/videos",
    "PICTORY_MCP_VOICE_CACHE_SECONDS": "1",
    "PICTORY_MCP_POLL_INTERVAL": "99",
    "PICTORY_MCP_WAIT_CEILING": "20",
    "PICTORY_MCP_HTTP_TIMEOUT": "1",
    "PICTORY_MCP_CALL_TIMEOUT": "20",
    "PICTORY_MCP_DOWNLOAD_TIMEOUT": "120",
    "PICTORY_MCP_MAX_DOWNLOAD_MB": "10",
    "PICTORY_MCP_RATE_LIMIT": "2",
    "PICTORY_MCP_AUTH_TOKEN": "some-token",
    "PICTORY_MCP_LOG_LEVEL": "ERROR",
    "PICTORY_MCP_ALLOWED_HOSTS": "example.org",
    "PICTORY_MCP_ALLOWED_ORIGINS": "https://example.org",
    "PICTORY_MCP_TOOLSETS": "text,jobs",
    "PICTORY_MCP_READ_ONLY": "1",
    "PICTORY_MCP_MODE": "hosted",
    "PICTORY_MCP_OAUTH_ISSUER": "https://id.example.com",
    "PICTORY_MCP_OAUTH_JWKS_URL": "https://id.example.com/jwks",
    "PICTORY_MCP_RESOURCE_URL": "https://mcp.example.com/mcp",
    "PICTORY_MCP_SECRET_KEYS": "a" * 64,
    "PICTORY_MCP_ALLOW_KEY_HEADER": "1",
    "PICTORY_MCP_DEDUP_SECONDS": "0",
    "PICTORY_MCP_USER_RATE": "10",
    "PICTORY_MCP_ACCOUNT_RATE": "20",
    "PICTORY_MCP_LEASE_SECONDS": "10",
    "PICTORY_MCP_PUBLIC_URL": "https://mcp.example.com",
    "PICTORY_MCP_WEBHOOK_SAFETY_POLL": "60",
    "PICTORY_MCP_CONFIRM_SPEND": "always",
    "PICTORY_MCP_DAILY_MINUTES": "30",
}


def test_the_spend_policy_and_daily_cap_read_plain_values() -> None:
    assert Settings.from_env({}).confirm_spend == "auto"
    assert Settings.from_env({"PICTORY_MCP_CONFIRM_SPEND": " Never "}).confirm_spend == "never"
    with pytest.raises(ConfigurationError, match="CONFIRM_SPEND must be one of auto, always"):
        Settings.from_env({"PICTORY_MCP_CONFIRM_SPEND": "sometimes"})
    assert Settings.from_env({"PICTORY_MCP_DAILY_MINUTES": "12.5"}).daily_minutes == 12.5
    assert Settings.from_env({"PICTORY_MCP_DAILY_MINUTES": "0"}).daily_minutes is None
    with pytest.raises(ConfigurationError, match="DAILY_MINUTES must be a number of video"):
        Settings.from_env({"PICTORY_MCP_DAILY_MINUTES": "-3"})


def test_the_job_history_location_takes_a_path_a_sqlite_url_or_a_postgresql_url() -> None:
    assert Settings.from_env({"PICTORY_MCP_DB": "sqlite:///tmp/h/jobs.db"}).db_path == Path(
        "/tmp/h/jobs.db"
    )
    with pytest.raises(ConfigurationError, match="PICTORY_MCP_DB must be"):
        Settings.from_env({"PICTORY_MCP_DB": "sqlite://jobs.db"})
    assert Settings.from_env({"PICTORY_MCP_DB": "sqlite:///~/jobs.db"}).db_path == (
        Path.home() / "jobs.db"
    )
    pg = Settings.from_env({"PICTORY_MCP_DB": "postgresql://app:s3cret@db.internal/jobs"})
    assert pg.db_url is not None
    assert pg.db_url.get_secret_value() == "postgresql://app:s3cret@db.internal/jobs"
    assert "s3cret" not in repr(pg)
    assert "postgresql://app:s3cret@db.internal/jobs" in pg.secret_values()


def test_hosted_mode_refuses_to_start_without_what_it_needs_naming_each_variable() -> None:
    with pytest.raises(ConfigurationError) as refused:
        Settings.from_env(
            {"PICTORY_MCP_MODE": "hosted", "PICTORY_MCP_RESOURCE_URL": "https://m.example.com/mcp"}
        ).check_hosted()
    assert "PICTORY_MCP_OAUTH_ISSUER" in str(refused.value)
    assert "PICTORY_MCP_SECRET_KEYS" in str(refused.value)
    assert "PICTORY_MCP_RESOURCE_URL" not in str(refused.value)
    Settings.from_env({"PICTORY_MCP_MODE": "single"}).check_hosted()  # nothing needed


def test_every_documented_variable_changes_a_setting_and_blank_means_unset() -> None:
    names = [name for name, _, _ in ENV_VARS]
    assert sorted(names) == sorted(SAMPLES)
    defaults = Settings.from_env({})
    for name in names:
        assert Settings.from_env({name: SAMPLES[name]}) != defaults, name
        assert Settings.from_env({name: "  "}) == defaults, name


def test_without_a_mapping_os_environ_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PICTORY_MCP_POLL_INTERVAL", "42")
    assert Settings.from_env().poll_interval == 42
    assert "PICTORY_MCP_POLL_INTERVAL" in os.environ


def test_overrides_win_over_the_environment_and_none_means_not_given() -> None:
    env = {"PICTORY_MCP_POLL_INTERVAL": "20", "PICTORY_MCP_LOG_LEVEL": "ERROR"}
    settings = Settings.from_env(env, poll_interval=3, log_level=None, sandbox=True)
    assert settings.poll_interval == 3
    assert settings.log_level == "ERROR"
    assert settings.sandbox is True


def test_an_unknown_override_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="Unknown setting 'pol_interval'"):
        Settings.from_env({}, pol_interval=3)


def test_a_non_numeric_poll_interval_names_the_variable_the_rule_and_the_value() -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({"PICTORY_MCP_POLL_INTERVAL": "abc"})
    assert str(info.value).startswith(
        "PICTORY_MCP_POLL_INTERVAL must be a number of seconds ≥ 1, got 'abc'"
    )


@pytest.mark.parametrize(
    ("name", "value", "fragment"),
    [
        ("PICTORY_MCP_POLL_INTERVAL", "0.5", "≥ 1"),
        ("PICTORY_MCP_POLL_INTERVAL", "nan", "≥ 1"),
        ("PICTORY_MCP_HTTP_TIMEOUT", "0", "> 0"),
        ("PICTORY_MCP_DOWNLOAD_TIMEOUT", "0.5", "between 1 and 86400"),
        ("PICTORY_MCP_MAX_DOWNLOAD_MB", "0", "megabytes ≥ 1"),
        ("PICTORY_MCP_MAX_DOWNLOAD_MB", "1.5", "whole number"),
        ("PICTORY_MCP_VOICE_CACHE_SECONDS", "-5", "≥ 0"),
        ("PICTORY_MCP_RATE_LIMIT", "-1", "> 0"),
        ("PICTORY_MCP_LOG_LEVEL", "loud", "one of DEBUG, INFO"),
        ("PICTORY_API_BASE_URL", "api.pictory.ai", "http:// or https:// URL"),
    ],
)
def test_invalid_values_are_rejected_with_an_actionable_message(
    name: str, value: str, fragment: str
) -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({name: value})
    message = str(info.value)
    assert message.startswith(f"{name} must be")
    assert fragment in message
    assert repr(value) in message


def test_an_invalid_override_is_described_by_its_setting_name() -> None:
    with pytest.raises(ConfigurationError, match="the http_timeout setting must be"):
        Settings.from_env({}, http_timeout=-1)


def test_a_rate_limit_of_zero_means_no_limit() -> None:
    assert Settings.from_env({"PICTORY_MCP_RATE_LIMIT": "0"}).rate_per_second is None
    assert Settings.from_env({}, rate_per_second=0).rate_per_second is None


def test_a_blank_api_key_counts_as_missing() -> None:
    # What the server then tells the user is tested with the tools (NO_KEY_MESSAGE).
    assert Settings.from_env({"PICTORY_API_KEY": "   "}).api_key is None


def test_the_api_key_never_shows_in_repr_str_or_json_dumps() -> None:
    settings = Settings.from_env({"PICTORY_API_KEY": KEY, "PICTORY_MCP_AUTH_TOKEN": "tok-secret"})
    for text in (
        repr(settings),
        str(settings),
        settings.model_dump_json(),
        str(settings.model_dump()),
        repr(settings.api_key),
    ):
        assert KEY not in text
        assert "tok-secret" not in text
    assert isinstance(settings.api_key, SecretStr)
    assert settings.api_key.get_secret_value() == KEY


def test_a_secret_given_in_a_bad_override_is_not_echoed_in_the_error() -> None:
    with pytest.raises(ConfigurationError) as info:
        Settings.from_env({}, api_key=["pictai_in_a_list_secret"], poll_interval=0)
    message = str(info.value)
    assert "pictai_in_a_list_secret" not in message
    assert "api_key" in message
    assert "poll_interval" in message
    assert info.value.__cause__ is None
    assert info.value.__suppress_context__


def test_settings_are_immutable() -> None:
    settings = Settings.from_env({})
    with pytest.raises(ValueError, match="frozen"):
        settings.poll_interval = 5  # type: ignore[misc]


def test_the_markdown_table_lists_every_variable_with_its_default() -> None:
    table = env_table_markdown()
    lines = table.strip().splitlines()
    assert lines[0] == "| Variable | Default | Description |"
    assert len(lines) == 2 + len(ENV_VARS)
    for (name, default, description), line in zip(ENV_VARS, lines[2:], strict=True):
        assert line.startswith(f"| `{name}` |")
        assert default in line
        assert description in line


def test_the_readme_embeds_the_environment_table_unchanged() -> None:
    assert env_table_markdown() in README.read_text(encoding="utf-8"), (
        "README.md must contain the table printed by `python -m pictory_mcp.config`"
    )


def test_an_issuer_keeps_its_trailing_slash_since_tokens_name_it_exactly() -> None:
    env = {"PICTORY_MCP_OAUTH_ISSUER": "https://tenant.example.com/"}
    assert Settings.from_env(env).oauth_issuer == "https://tenant.example.com/"
    env = {"PICTORY_MCP_RESOURCE_URL": "https://mcp.example.com/mcp/"}
    assert Settings.from_env(env).resource_url == "https://mcp.example.com/mcp"
