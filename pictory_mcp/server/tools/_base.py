"""What every toolset uses, gathered in one import: the tool declaration and the state helpers
(their homes are `server/toolspec.py` and `server/state.py`)."""

from __future__ import annotations

from pictory_mcp.server.state import app_state, in_thread, read_record
from pictory_mcp.server.toolspec import ToolSpec

__all__ = ["ToolSpec", "app_state", "in_thread", "read_record"]
