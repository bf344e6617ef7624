"""The Pictory sandbox: a faithful Pictory API served on loopback for tests, demos and benchmarks.

Import-light on purpose: the MCP server imports `SANDBOX_API_KEY` without pulling in Starlette.
Use `pictory_mcp.sandbox.runner` to start it and `pictory_mcp.sandbox.control_client` to steer it.
"""

SANDBOX_API_KEY = "pictai_sandbox_demo_key"
"""A key any client can use against the sandbox (by default every `pictai_` key is accepted)."""

__all__ = ["SANDBOX_API_KEY"]
