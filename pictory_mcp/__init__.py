"""pictory-mcp: the Pictory video API as MCP tools, plus a loopback Pictory sandbox."""

__version__ = "0.1.0"
