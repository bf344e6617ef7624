"""The frame a storyboard's elements are drawn on: its reference canvas in pixels (REFERENCE
§21: 1280 px wide for 16:9, 720 px for 9:16) and how sure that size is."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

SHORT_SIDE = 720
"""The documented canvases are 1280 × 720 and 720 × 1280: their short side is 720 px. Other
proportions are given the same short side, which no source states."""

_DOCUMENTED = {"16:9": (1280.0, 720.0), "9:16": (720.0, 1280.0)}
_RATIOS = {"16:9": 16 / 9, "9:16": 9 / 16, "1:1": 1.0, "4:5": 4 / 5}


@dataclass(frozen=True)
class Frame:
    """The reference canvas: `exact` when its size is documented (so text measures hold),
    `shaped` when at least its proportions are known (so shape geometry holds)."""

    width: float
    height: float
    label: str
    exact: bool
    shaped: bool

    @property
    def note(self) -> str | None:
        """Why measures on this frame are approximate, or None."""
        if not self.shaped:
            return "no aspectRatio given, 16:9 assumed"
        if not self.exact:
            return f"the {self.label} canvas size is inferred"
        return None

    def x_percent(self, px: float) -> float:
        return px / self.width * 100

    def y_percent(self, px: float) -> float:
        return px / self.height * 100


def _canvas(ratio: float) -> tuple[float, float]:
    if ratio >= 1:
        return SHORT_SIDE * ratio, float(SHORT_SIDE)
    return float(SHORT_SIDE), SHORT_SIDE / ratio


def frame_of(storyboard: Mapping[str, Any]) -> Frame:
    """The frame of a (validated) storyboard: videoWidth × videoHeight when given, else its
    aspectRatio, else 16:9 (the default the reference infers)."""
    width, height = storyboard.get("videoWidth"), storyboard.get("videoHeight")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        label = f"{width}×{height}"
        if width * 9 == height * 16 or width * 16 == height * 9:
            canvas = _DOCUMENTED["16:9" if width > height else "9:16"]
            return Frame(*canvas, label, exact=True, shaped=True)
        return Frame(*_canvas(width / height), label, exact=False, shaped=True)
    aspect = storyboard.get("aspectRatio")
    if aspect in _DOCUMENTED:
        return Frame(*_DOCUMENTED[aspect], str(aspect), exact=True, shaped=True)
    if aspect in _RATIOS:
        return Frame(*_canvas(_RATIOS[aspect]), str(aspect), exact=False, shaped=True)
    return Frame(*_DOCUMENTED["16:9"], "16:9", exact=False, shaped=False)
