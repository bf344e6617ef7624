"""The layout check: a storyboard's positioned elements (text, shapes, images, video) measured
on the frame before anything is sent, each problem named by scene and element with its fix.

Knows nothing of MCP or HTTP; reads a validated storyboard body (Pictory's field names).
Font metrics come from reportlab when the `layout` extra is installed (loaded on the first
check), else from the reference's average character width, and such measures are approximate.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._checks import Problem, scene_problems
from ._elements import item_of
from ._frame import Frame, frame_of
from ._text import Widths, standard_widths

__all__ = ["Frame", "LayoutReport", "Problem", "Widths", "check_layout", "standard_widths"]


@dataclass(frozen=True)
class LayoutReport:
    """Every problem found, in scene and element order."""

    problems: tuple[Problem, ...] = ()

    @property
    def errors(self) -> list[Problem]:
        """Certain problems: the storyboard should not be sent as it is."""
        return [p for p in self.problems if p.error]

    @property
    def warnings(self) -> list[Problem]:
        """Likely problems, measured approximately."""
        return [p for p in self.problems if not p.error]


def check_layout(storyboard: Mapping[str, Any], widths: Widths | None = None) -> LayoutReport:
    """Check every scene's elements of a validated storyboard body. `widths` defaults to the
    installed font metrics (estimates without them)."""
    scenes = [s for s in storyboard.get("scenes") or [] if isinstance(s, Mapping)]
    if not any(scene.get("elements") for scene in scenes):
        return LayoutReport()
    frame = frame_of(storyboard)
    widths = widths if widths is not None else standard_widths()
    found: list[Problem] = []
    for index, scene in enumerate(storyboard.get("scenes") or []):
        elements = scene.get("elements") or []
        items = [item_of(i, element, widths) for i, element in enumerate(elements)]
        found += scene_problems(index, frame, items)
    return LayoutReport(tuple(found))
