"""Where each element of a scene lands on the frame (REFERENCE §6.5): text boxes from their
variant's defaults, font and wrapped lines; shapes from their documented proportions; media
from the 16:9 the engine assumes.

Every extent is computed two ways. `STRICT` takes the most forgiving reading of what is not
documented (text as narrow as any catalogue font sets it, lines no taller than their glyphs,
unknown proportions ignored): a problem that shows even then is certain. `LIKELY` takes the
usual reading (the measured font, lines 1.2 glyphs tall, square featured shapes): a problem
that shows only then is a warning.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ._frame import Frame
from ._text import GLYPH_SCALE, Font, Widths, Words, cased, font_of, words_of

VARIANTS = {"heading": (66, "center-center", 90), "subheading": (42, "top-center", 90)}
BODY = (20, "center-center", 37)
"""textVariant → (fontSize, anchor, width%); body is also the fallback (REFERENCE §6.5)."""
MEDIA_WIDTH = 30
NARROWEST = 0.5
"""The narrowest catalogue faces set text at about 0.55-0.75 of Helvetica's width (Bebas Neue,
measured with bench/font_widths.py); a font without metrics of its own is taken at half."""
LINE_HEIGHT = 1.2
"""Lines taken as 1.2 glyphs tall, the usual default; no source states Pictory's."""
_SHAPE_RATIO = {"line": 16 / 300, "pill": 1 / 4.1}
"""Height ÷ width in pixels of shapes with documented proportions besides rectangle/circle."""


@dataclass(frozen=True)
class Scenario:
    strict: bool

    @property
    def line_height(self) -> float:
        return 1.0 if self.strict else LINE_HEIGHT


STRICT = Scenario(strict=True)
LIKELY = Scenario(strict=False)


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def crossing(self, other: Box) -> tuple[float, float]:
        """How far the two boxes overlap across and down (negative: apart by that much)."""
        return (
            min(self.x1, other.x1) - max(self.x0, other.x0),
            min(self.y1, other.y1) - max(self.y0, other.y0),
        )

    def within(self, other: Box, tolerance: float) -> bool:
        return (
            self.x0 >= other.x0 - tolerance
            and self.x1 <= other.x1 + tolerance
            and self.y0 >= other.y0 - tolerance
            and self.y1 <= other.y1 + tolerance
        )


def percent(value: Any) -> int | None:
    """The integer of a "10%" string (validated already), or None."""
    return int(str(value).strip().rstrip("%")) if value is not None else None


def _anchor_offset(part: str, room: float) -> float:
    return {"left": 0.0, "top": 0.0, "right": room, "bottom": room}.get(part, room / 2)


@dataclass
class Item:
    """One element: its place in the list, how to name it, and how it is positioned."""

    index: int
    label: str
    left: int | None
    top: int | None
    width: int | None
    anchor: str

    @property
    def placed(self) -> bool:
        """Both coordinates given: its position does not depend on undocumented margins."""
        return self.left is not None and self.top is not None

    def origin(self, frame: Frame, size: tuple[float, float]) -> tuple[float, float]:
        vertical, _, horizontal = self.anchor.partition("-")
        if self.anchor == "center":
            vertical, horizontal = "center", "center"
        x = (
            self.left / 100 * frame.width
            if self.left is not None
            else _anchor_offset(horizontal, frame.width - size[0])
        )
        y = (
            self.top / 100 * frame.height
            if self.top is not None
            else _anchor_offset(vertical, frame.height - size[1])
        )
        return x, y

    def box_px(self, frame: Frame) -> float:
        return (self.width or 0) / 100 * frame.width

    def box(self, frame: Frame, scenario: Scenario) -> Box | None:
        """Its extent on the frame, or None when that is unknown in `scenario`."""
        raise NotImplementedError


@dataclass
class TextItem(Item):
    font: Font
    size: int
    size_given: bool
    words: Words
    case_exact: bool
    alignment: str
    strip: bool
    estimated_widths: bool
    _wrapped: dict[float, tuple[int, float]] = field(default_factory=dict, repr=False)

    @property
    def measured(self) -> bool:
        """The widths are the font's own for every character."""
        return (
            self.font.own_widths
            and not self.estimated_widths
            and not self.words.estimated
            and self.case_exact
        )

    def reasons(self) -> list[str]:
        found = []
        if self.estimated_widths:
            found.append("widths estimated at 0.55 em a character (no font metrics installed)")
        elif not self.font.own_widths:
            found.append(f"{self.font.family} measured with {self.font.design} widths")
        if self.words.estimated and not self.estimated_widths:
            found.append("some characters' widths estimated")
        if not self.case_exact:
            found.append("small capitals measured as capitals")
        return found

    def em(self, size: int | None = None) -> float:
        """The glyph size in canvas pixels."""
        return GLYPH_SCALE * (size or self.size)

    def _scale(self, scenario: Scenario) -> float:
        return NARROWEST if scenario.strict and not self.measured else 1.0

    def lines(
        self, frame: Frame, scenario: Scenario, *, size: int | None = None, width: int | None = None
    ) -> tuple[int, float]:
        """(lines, widest line in px) at the element's size and width, or those given."""
        em = self.em(size) * self._scale(scenario)
        box = (width if width is not None else (self.width or 0)) / 100 * frame.width
        limit = box / em
        if limit not in self._wrapped:  # every check asks again; long texts are slow to wrap
            self._wrapped[limit] = self.words.lines(limit)
        count, widest = self._wrapped[limit]
        return count, widest * em

    def fitting(self, frame: Frame, scenario: Scenario, max_lines: int) -> int:
        em = self.em() * self._scale(scenario)
        return self.words.fitting(self.box_px(frame) / em, max_lines)

    def height(self, frame: Frame, scenario: Scenario) -> float:
        count, _ = self.lines(frame, scenario)
        return count * self.em() * scenario.line_height

    def box(self, frame: Frame, scenario: Scenario) -> Box:
        """What can be seen: the whole box where its background strip shows (LIKELY), else
        the lines' own extent placed by the alignment."""
        width, height = self.box_px(frame), self.height(frame, scenario)
        x, y = self.origin(frame, (width, height))
        if self.strip and not scenario.strict:
            return Box(x, y, x + width, y + height)
        _, widest = self.lines(frame, scenario)
        ink = min(widest, width)
        start = {"left": x, "right": x + width - ink}.get(self.alignment, x + (width - ink) / 2)
        return Box(start, y, start + ink, y + height)


@dataclass
class ShapeItem(Item):
    name: str
    rounded: bool | None
    clear: bool

    def heights(self, frame: Frame) -> tuple[float | None, float]:
        """(certain height or None, likely height) in px."""
        width = self.box_px(frame)
        share = (self.width or 0) / 100 * frame.height
        if self.name == "circle" or (self.name == "rectangle" and self.rounded):
            return width, width  # 1:1 in pixels
        if self.name == "rectangle" and self.rounded is None:
            return share, share  # sharp: height% equals width%
        if self.name == "rectangle":
            return min(width, share), share  # borderRadius 0: which rule applies is unsaid
        if self.name in _SHAPE_RATIO:
            return width * _SHAPE_RATIO[self.name], width * _SHAPE_RATIO[self.name]
        return None, width  # featured artwork keeps its own, unlisted, proportions

    def reasons(self) -> list[str]:
        if self.name == "rectangle" and self.rounded is False:
            return ["a rectangle with borderRadius 0 taken as sharp"]
        if self.name in ("circle", "rectangle", *_SHAPE_RATIO):
            return []
        return [f"{self.name}'s proportions are not documented (taken as square)"]

    def box(self, frame: Frame, scenario: Scenario) -> Box | None:
        """Its extent, or None when unknown (no width given, or unknown proportions)."""
        if self.width is None:
            return None  # no default width is documented for shapes
        certain, likely = self.heights(frame)
        height = certain if scenario.strict else likely
        if height is None:
            return None
        width = self.box_px(frame)
        x, y = self.origin(frame, (width, height))
        return Box(x, y, x + width, y + height)


@dataclass
class MediaItem(Item):
    def box(self, frame: Frame, scenario: Scenario) -> Box | None:
        if scenario.strict:
            return None  # the file's own proportions decide its height
        width = self.box_px(frame)
        height = width * 9 / 16
        x, y = self.origin(frame, (width, height))
        return Box(x, y, x + width, y + height)


_TRANSPARENT = re.compile(r"^(rgba\(.*,\s*0(\.0*)?\s*\)|#[0-9a-fA-F]{6}00|#[0-9a-fA-F]{3}0)$")


def _clear(color: Any) -> bool:
    return isinstance(color, str) and bool(_TRANSPARENT.match(color.replace(" ", "")))


def _snippet(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= 24 else flat[:23].rstrip() + "…"


def item_of(index: int, element: Mapping[str, Any], widths: Widths) -> Item:
    """The geometry of one (validated) element."""
    kind = element.get("type")
    left, top = percent(element.get("left")), percent(element.get("top"))
    width = percent(element.get("width"))
    preset = element.get("position")
    if kind == "text":
        style: Mapping[str, Any] = element.get("style") or {}
        size, anchor, default_width = VARIANTS.get(element.get("textVariant") or "", BODY)
        font = font_of(style)
        text, case_exact = cased(str(element.get("text", "")), style.get("case"))
        strip = not _clear(style.get("backgroundColor")) and style.get("showBoxBackground") in (
            None,
            True,
        )
        return TextItem(
            index,
            f'text "{_snippet(str(element.get("text", "")))}"',
            left,
            top,
            width if width is not None else default_width,
            preset or anchor,
            font=font,
            size=int(style.get("fontSize") or size),
            size_given=style.get("fontSize") is not None,
            words=words_of(text, font, widths),
            case_exact=case_exact,
            alignment=str(style.get("alignment") or "center"),
            strip=strip,
            estimated_widths=widths.estimated,
        )
    if kind == "shape":
        name = str(element.get("name"))
        radius = element.get("borderRadius")
        return ShapeItem(
            index,
            f"shape {name}",
            left,
            top,
            width,
            preset or "top-right",
            name=name,
            rounded=None if radius is None else radius > 0,
            clear=_clear(element.get("fill")),
        )
    return MediaItem(
        index,
        str(kind),
        left,
        top,
        width if width is not None else MEDIA_WIDTH,
        preset or "center-center",
    )


def ceil_percent(value: float) -> int:
    return min(100, max(0, math.ceil(value - 1e-9)))


def floor_percent(value: float) -> int:
    return min(100, max(0, math.floor(value + 1e-9)))
