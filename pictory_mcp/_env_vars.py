"""The environment variables `Settings.from_env` reads: which field each sets, its default as
the README shows it, and what a valid value is (phrased to complete "X must be …")."""

from __future__ import annotations

from dataclasses import dataclass

from pictory_mcp.facts import DEFAULT_BASE_URL

__all__ = ["LOG_LEVELS", "REQUIREMENTS", "SECRET_FIELDS", "VARS", "Var"]

LOG_LEVELS: tuple[str, ...] = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")


@dataclass(frozen=True)
class Var:
    """One environment variable: the field it sets and how the README describes it."""

    env: str
    field: str
    default: str
    description: str


# What each field accepts, phrased to complete "X must be …" in error messages.
REQUIREMENTS: dict[str, str] = {
    "api_key": "a Pictory API key (text)",
    "base_url": "an http:// or https:// URL such as " + DEFAULT_BASE_URL,
    "db_path": "a path to a writable file, a sqlite:///absolute/path or a postgresql:// URL",
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
    "log_level": "one of " + ", ".join(LOG_LEVELS),
    "sandbox": "true or false",
    "allowed_hosts": "a comma-separated list of host[:port] values",
    "allowed_origins": "a comma-separated list of origins such as http://localhost:3000",
    "toolsets": "a comma-separated list of toolset names",
    "read_only": "true or false",
    "db_url": "a postgresql:// URL",
    "mode": "single or hosted",
    "oauth_issuer": "the identity provider's issuer URL (https://…)",
    "oauth_jwks_url": "an http(s) URL of the identity provider's JWKS",
    "resource_url": "this server's public MCP URL, such as https://mcp.example.com/mcp",
    "secret_keys": "a comma-separated list of 32-byte keys (base64 or 64 hex digits)",
    "allow_key_header": "true or false",
    "dedup_seconds": "a number of seconds ≥ 0",
    "user_calls_per_minute": "a number of calls per minute > 0",
    "account_calls_per_minute": "a number of calls per minute > 0",
    "lease_seconds": "a number of seconds between 5 and 3600",
    "public_url": "an http(s) URL of at most 400 characters where Pictory can reach this "
    "server, such as https://mcp.example.com",
    "webhook_safety_seconds": "a number of seconds between 5 and 3600",
    "confirm_spend": "one of auto, always, never",
    "daily_minutes": "a number of video minutes > 0 (0 or empty means no cap)",
}

SECRET_FIELDS = frozenset({"api_key", "auth_token", "secret_keys", "db_url"})

VARS: tuple[Var, ...] = (
    Var("PICTORY_API_KEY", "api_key", "(none)", "Pictory API key; required to reach Pictory."),
    Var(
        "PICTORY_API_BASE_URL",
        "base_url",
        DEFAULT_BASE_URL,
        "Base URL of the Pictory API (point it at the sandbox for offline work).",
    ),
    Var(
        "PICTORY_MCP_DB",
        "db_path",
        "~/.local/share/pictory-mcp/jobs.sqlite3",
        "The job history: a SQLite file path or sqlite:///path (default shown for Linux; "
        "macOS and Windows use their per-user data folder), or a postgresql:// URL.",
    ),
    Var(
        "PICTORY_MCP_OUTPUT_DIR",
        "output_dir",
        "~/Downloads/pictory-mcp",
        "Directory where downloaded videos are saved (created when needed).",
    ),
    Var(
        "PICTORY_MCP_VOICE_CACHE_SECONDS",
        "voice_cache_seconds",
        "600",
        "How long the voice list is cached, in seconds (0 disables the cache).",
    ),
    Var(
        "PICTORY_MCP_POLL_INTERVAL",
        "poll_interval",
        "10",
        "Seconds between job status checks while waiting for a job (at least 1).",
    ),
    Var(
        "PICTORY_MCP_WAIT_CEILING",
        "wait_ceiling",
        "55",
        "Longest a single wait_for_job call waits, in seconds (clients cut calls near 60 s).",
    ),
    Var(
        "PICTORY_MCP_HTTP_TIMEOUT",
        "http_timeout",
        "30",
        "Timeout of one HTTP request to Pictory, in seconds.",
    ),
    Var(
        "PICTORY_MCP_CALL_TIMEOUT",
        "call_timeout",
        "50",
        "Longest any tool call takes, in seconds (wait_for_job: its own timeout_seconds); "
        "when reached, the call answers with what is known.",
    ),
    Var(
        "PICTORY_MCP_DOWNLOAD_TIMEOUT",
        "download_timeout",
        "55",
        "Longest a single download_video call may take, in seconds, redirects and retries "
        "included (clients cut calls near 60 s).",
    ),
    Var(
        "PICTORY_MCP_MAX_DOWNLOAD_MB",
        "max_download_mb",
        "2048",
        "Largest file download_video saves, in megabytes (1 MB = 1,048,576 bytes).",
    ),
    Var(
        "PICTORY_MCP_RATE_LIMIT",
        "rate_per_second",
        "(no limit)",
        "Maximum requests per second sent to Pictory (0 or empty: no limit).",
    ),
    Var(
        "PICTORY_MCP_AUTH_TOKEN",
        "auth_token",
        "(none)",
        "Bearer token clients must send to the HTTP transport; unset means no check.",
    ),
    Var(
        "PICTORY_MCP_LOG_LEVEL",
        "log_level",
        "INFO",
        "Log level for stderr logging: " + ", ".join(LOG_LEVELS) + ".",
    ),
    Var(
        "PICTORY_MCP_ALLOWED_HOSTS",
        "allowed_hosts",
        "(none)",
        "Comma-separated Host header values the HTTP transport accepts.",
    ),
    Var(
        "PICTORY_MCP_ALLOWED_ORIGINS",
        "allowed_origins",
        "(none)",
        "Comma-separated Origin header values the HTTP transport accepts.",
    ),
    Var(
        "PICTORY_MCP_TOOLSETS",
        "toolsets",
        "(all)",
        "Comma-separated toolsets to offer: text, sources, previews, highlights, jobs, catalog.",
    ),
    Var(
        "PICTORY_MCP_READ_ONLY",
        "read_only",
        "(off)",
        "1 or true hides every tool that spends credits or writes files.",
    ),
    Var(
        "PICTORY_MCP_MODE",
        "mode",
        "single",
        "hosted: many users over streamable HTTP, each with their own Pictory key (see "
        "Hosted for a team).",
    ),
    Var(
        "PICTORY_MCP_OAUTH_ISSUER",
        "oauth_issuer",
        "(none)",
        "Hosted: the identity provider's issuer URL; its JWKS is found through discovery.",
    ),
    Var(
        "PICTORY_MCP_OAUTH_JWKS_URL",
        "oauth_jwks_url",
        "(discovered)",
        "Hosted: the identity provider's JWKS URL, when discovery is not available.",
    ),
    Var(
        "PICTORY_MCP_RESOURCE_URL",
        "resource_url",
        "(none)",
        "Hosted: this server's public MCP URL, the audience access tokens must carry.",
    ),
    Var(
        "PICTORY_MCP_SECRET_KEYS",
        "secret_keys",
        "(none)",
        "Hosted: comma-separated 32-byte keys that encrypt stored Pictory keys and sign "
        "links; the first encrypts, any decrypts (rotation). Same on every replica.",
    ),
    Var(
        "PICTORY_MCP_ALLOW_KEY_HEADER",
        "allow_key_header",
        "(off)",
        "Hosted: 1 accepts a Pictory key per request in X-Pictory-Api-Key (never stored).",
    ),
    Var(
        "PICTORY_MCP_DEDUP_SECONDS",
        "dedup_seconds",
        "600",
        "Hosted: a repeated identical create call within this many seconds returns the "
        "first job instead of rendering again (0 turns it off).",
    ),
    Var(
        "PICTORY_MCP_USER_RATE",
        "user_calls_per_minute",
        "120",
        "Hosted: tool calls per minute one user may make (bursts up to the same number).",
    ),
    Var(
        "PICTORY_MCP_ACCOUNT_RATE",
        "account_calls_per_minute",
        "240",
        "Hosted: tool calls per minute against one Pictory account, all its users together.",
    ),
    Var(
        "PICTORY_MCP_LEASE_SECONDS",
        "lease_seconds",
        "60",
        "How long a server's claim on a job's next step lasts unless renewed: another "
        "process or replica takes over a stopped one's work after at most this long.",
    ),
    Var(
        "PICTORY_MCP_PUBLIC_URL",
        "public_url",
        "(none)",
        "HTTP transports: the base URL where Pictory can reach this server. Set, every "
        "job-creating request carries a webhook under it, and renders finish without polling.",
    ),
    Var(
        "PICTORY_MCP_WEBHOOK_SAFETY_POLL",
        "webhook_safety_seconds",
        "300",
        "With webhooks on: seconds between safety-net checks of a job whose webhook has not "
        "arrived (all processes and replicas together).",
    ),
    Var(
        "PICTORY_MCP_CONFIRM_SPEND",
        "confirm_spend",
        "auto",
        "Asking the user before a call spends credits: auto asks when the client can, always "
        "also refuses such calls from clients that cannot ask, never does not ask.",
    ),
    Var(
        "PICTORY_MCP_DAILY_MINUTES",
        "daily_minutes",
        "(no cap)",
        "Most video minutes this server may spend per UTC day (per user when hosted), counted "
        "from the job history; 0 or empty: no cap.",
    ),
)
