"""The Pictory HTTP client. Knows nothing of MCP; raises only pictory_mcp.errors (and OSError
when a download meets the file system)."""

from ._download import Downloaded, DownloadLimits, Progress
from ._retry import RetryPolicy, TokenBucket, parse_retry_after
from .client import DEFAULT_BASE_URL, DEFAULT_USER_AGENT, MusicFacet, PictoryClient

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_USER_AGENT",
    "DownloadLimits",
    "Downloaded",
    "MusicFacet",
    "PictoryClient",
    "Progress",
    "RetryPolicy",
    "TokenBucket",
    "parse_retry_after",
]
