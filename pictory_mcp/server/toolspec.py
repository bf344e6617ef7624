"""The declaration of a tool: its function (whose docstring is its description), its title, its
honest annotations and the inline view (MCP Apps) its answers are shown in, if any. Toolsets under
`server/tools/` declare their tools as these values."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mcp.types import ToolAnnotations

__all__ = ["ToolSpec"]


@dataclass(frozen=True)
class ToolSpec:
    """One tool: its function (docstring = description), title and honest annotations; `view`
    is the `ui://` view a host that shows views renders its answers in, and `view_only` marks a
    tool that only such a view calls (never listed to the model)."""

    fn: Callable[..., Any]
    title: str
    read_only: bool
    destructive: bool = False
    idempotent: bool = False
    open_world: bool = True
    view: str | None = None
    view_only: bool = False

    @property
    def name(self) -> str:
        return self.fn.__name__

    def annotations(self) -> ToolAnnotations:
        # The title is already the tool's own `title`; repeating it here costs tokens.
        return ToolAnnotations(
            read_only_hint=self.read_only,
            destructive_hint=self.destructive,
            idempotent_hint=self.idempotent,
            open_world_hint=self.open_world,
        )
