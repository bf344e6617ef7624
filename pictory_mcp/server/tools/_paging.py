"""Paging, filtering, near-miss suggestions and short summaries shared by the catalogue
tools."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from pictory_mcp.server.outputs import Page


def matches(item: dict[str, Any], query: str | None) -> bool:
    """Whether `query` occurs (any case) in one of the item's text values or list entries."""
    if not query or not query.strip():
        return True
    needle = query.strip().casefold()
    for value in item.values():
        texts = value if isinstance(value, list) else [value]
        if any(isinstance(t, str) and needle in t.casefold() for t in texts):
            return True
    return False


def page_of(
    items: Sequence[dict[str, Any]], offset: int, limit: int, *, use: str, more: str = ""
) -> Page:
    """One page of `items`; `use` says how to use an item, `more` how to ask for the next page."""
    window = list(items[offset : offset + limit])
    next_offset = offset + limit if offset + limit < len(items) else None
    if not items:
        step = "Nothing matched. Try another query, or none to see everything."
    elif not window:
        step = f"offset {offset} is past the end ({len(items)} items); use offset=0."
    else:
        step = use
        if next_offset is not None:
            step += f" {len(items) - next_offset} more: call again with offset={next_offset}{more}."
    return Page(items=window, total=len(items), next_offset=next_offset, next_step=step)


def scene_text(scene: Any, chars: int) -> str:
    """A template scene's subtitle text (or its text layers), shortened."""
    texts: list[str] = []
    if isinstance(scene, dict):
        for sub in scene.get("subtitles") or []:
            if isinstance(sub, dict) and isinstance(sub.get("text"), str):
                texts.append(sub["text"])
        if not texts:
            for layer_group in scene.get("layers") or []:
                layers = layer_group if isinstance(layer_group, list) else [layer_group]
                for layer in layers:
                    if isinstance(layer, dict) and isinstance(layer.get("text"), str):
                        texts.append(layer["text"])
    text = " ".join(t.strip() for t in texts if t.strip())
    return text if len(text) <= chars else text[: chars - 1] + "…"
