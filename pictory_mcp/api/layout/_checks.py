"""The problems a scene's elements can have, each found with its fix: text that wraps past
two lines, text too small for the frame, elements outside the frame, text boxes overlapping
each other or a shape they do not sit on (or one drawn over them).

A problem is an error when the STRICT reading shows it with every input it depends on
documented (the frame's canvas, explicit top/left, the font's own widths); otherwise, when
the LIKELY reading shows it, a warning that says what was approximated.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations

from ._elements import (
    LIKELY,
    LINE_HEIGHT,
    STRICT,
    Box,
    Item,
    MediaItem,
    Scenario,
    ShapeItem,
    TextItem,
    ceil_percent,
    floor_percent,
)
from ._frame import Frame
from ._text import GLYPH_SCALE

MAX_LINES = 2
MIN_GLYPH = 0.025
"""Glyphs at least 2.5% of the frame's height: fontSize 14 on 16:9, 24 on 9:16. Pictory states
no minimum; this is the server's own floor, met by every vendor example."""
EDGE = 1.0
"""Pixels an element may pass the frame's edge (percentages are whole numbers)."""
_LINE_NOTE = f"lines taken as {LINE_HEIGHT} glyphs tall"
_PRESET_NOTE = "placed by a preset whose margins are not documented"


@dataclass(frozen=True)
class Problem:
    """One layout problem: where (0-based scene and element, as in the storyboard's paths),
    whether it is certain (an error) or likely (a warning), and the sentence with its fix."""

    scene: int
    element: int
    error: bool
    message: str


class _Scene:
    def __init__(self, index: int, frame: Frame, items: Sequence[Item]) -> None:
        self.index, self.frame, self.items = index, frame, items
        self.found: list[Problem] = []

    def where(self, item: Item) -> str:
        return f"scenes[{self.index}].elements[{item.index}] ({item.label})"

    def add(self, item: Item, error: bool, text: str, reasons: Sequence[str] = ()) -> None:
        kept = list(dict.fromkeys(r for r in reasons if r))
        note = "" if error or not kept else f" (approximate: {'; '.join(kept)})"
        self.found.append(Problem(self.index, item.index, error, f"{text}{note}."))

    def minimum_size(self) -> int:
        return math.ceil(MIN_GLYPH * self.frame.height / GLYPH_SCALE - 1e-9)

    def placement_notes(self, *items: Item) -> list[str]:
        return [_PRESET_NOTE] if not all(i.placed for i in items) else []


def scene_problems(index: int, frame: Frame, items: Sequence[Item]) -> list[Problem]:
    """Every layout problem of one scene, in element order."""
    scene = _Scene(index, frame, items)
    texts = [i for i in items if isinstance(i, TextItem)]
    shapes = [i for i in items if isinstance(i, ShapeItem) and i.width is not None]
    for text in texts:
        _too_small(scene, text)
        _wrapping(scene, text)
    for item in items:
        _outside(scene, item)
    for first, second in combinations(texts, 2):
        _texts_cross(scene, first, second)
    for text in texts:
        for shape in shapes:
            _on_shape(scene, text, shape)
    return sorted(scene.found, key=lambda p: p.element)


def _too_small(scene: _Scene, text: TextItem) -> None:
    minimum = scene.minimum_size()
    if text.size >= minimum:
        return
    default = "" if text.size_given else " (the default of its textVariant)"
    scene.add(
        text,
        scene.frame.exact,
        f"{scene.where(text)}: fontSize {text.size}{default} is too small for a "
        f"{scene.frame.label} frame; raise fontSize to {minimum} or more (glyphs at least "
        f"{MIN_GLYPH:.1%} of the frame's height)",
        [scene.frame.note or ""],
    )


def _largest_size(scene: _Scene, text: TextItem) -> int | None:
    """The largest fontSize below the current one at which the text fits in two lines."""
    low, high, best = 1, text.size - 1, None
    while low <= high:
        middle = (low + high) // 2
        if text.lines(scene.frame, LIKELY, size=middle)[0] <= MAX_LINES:
            best, low = middle, middle + 1
        else:
            high = middle - 1
    return best


def _smallest_width(scene: _Scene, text: TextItem) -> int | None:
    """The narrowest width% (up to the frame's edge) at which the text fits in two lines."""
    room = 100 - (text.left or 0)
    low, high, best = (text.width or 0) + 1, room, None
    while low <= high:
        middle = (low + high) // 2
        if text.lines(scene.frame, LIKELY, width=middle)[0] <= MAX_LINES:
            best, high = middle, middle - 1
        else:
            low = middle + 1
    return best


def _wrapping(scene: _Scene, text: TextItem) -> None:
    frame = scene.frame
    strict, _ = text.lines(frame, STRICT)
    likely, _ = text.lines(frame, LIKELY)
    certain = strict > MAX_LINES and frame.exact
    if not certain and likely <= MAX_LINES:
        return
    if text.measured and frame.exact:
        count = f"{likely} lines"
    elif certain:
        count = f"about {likely} lines (at least {strict} in the narrowest fonts)"
    else:
        count = f"about {likely} lines"
    fixes = []
    kept = text.fitting(frame, LIKELY, MAX_LINES)
    if kept:
        fixes.append(f"shorten it to about {kept} characters")
    size = _largest_size(scene, text)
    if size is not None and size >= scene.minimum_size():
        fixes.append(f"lower fontSize to {size}")
    width = _smallest_width(scene, text)
    if width is not None:
        fixes.append(f"widen it to {width}%")
    scene.add(
        text,
        certain,
        f"{scene.where(text)}: wraps to {count} at fontSize {text.size} in a {text.width}% "
        f"wide box ({MAX_LINES} at most); {_either(fixes)}",
        [*text.reasons(), frame.note or ""],
    )


def _either(options: Sequence[str]) -> str:
    """'a', 'a, or b', 'a, b, or c'."""
    if len(options) <= 1:
        return "".join(options) or "shorten it"
    return ", ".join(options[:-1]) + f", or {options[-1]}"


def _outside(scene: _Scene, item: Item) -> None:
    frame = scene.frame
    likely = item.box(frame, LIKELY)
    if likely is None:
        return
    strict = item.box(frame, STRICT)
    reasons = _reasons(scene, item)
    known = frame.exact if isinstance(item, TextItem) else frame.shaped
    right = (item.left or 0) + (item.width or 0)
    if item.left is not None and right > 100:
        if isinstance(item, MediaItem):
            text = (
                f"{scene.where(item)}: runs past the right edge (left {item.left}% + width "
                f"{item.width}% = {right}%), so Pictory narrows it; set width to "
                f"{100 - item.left}% or left to {100 - (item.width or 0)}% to keep the design"
            )
            scene.add(item, False, text, ["Pictory narrows media to fit"])
        elif isinstance(item, ShapeItem) or likely.x1 > frame.width + EDGE:
            certain = isinstance(item, ShapeItem) or (
                known and strict is not None and strict.x1 > frame.width + EDGE
            )
            scene.add(
                item,
                certain,
                f"{scene.where(item)}: runs past the right edge (left {item.left}% + width "
                f"{item.width}% = {right}%); set left to {100 - (item.width or 0)}% or width "
                f"to {100 - item.left}%",
                reasons if isinstance(item, TextItem) else [],
            )
    bottom_certain = (
        strict is not None and strict.y1 > frame.height + EDGE and item.top is not None and known
    )
    if bottom_certain or likely.y1 > frame.height + EDGE:
        _past_bottom(scene, item, likely, bool(bottom_certain), reasons)


def _past_bottom(scene: _Scene, item: Item, box: Box, certain: bool, reasons: list[str]) -> None:
    frame = scene.frame
    height = frame.y_percent(box.y1 - box.y0)
    top = math.floor(100 - height + 1e-9)
    move = "move it up to top" if item.top is not None else "give it top"
    fixes = [f"{move} {top}%"] if top >= 0 else []
    if isinstance(item, TextItem):
        fixes.append("shorten it or lower fontSize")
    else:
        fixes.append("narrow it")
    scene.add(
        item,
        certain,
        f"{scene.where(item)}: runs past the bottom edge (to about "
        f"{frame.y_percent(box.y1):.0f}% of the frame's height); {_either(fixes)}",
        reasons,
    )


def _reasons(scene: _Scene, *items: Item) -> list[str]:
    found: list[str] = []
    for item in items:
        if isinstance(item, TextItem):
            found += [*item.reasons(), _LINE_NOTE]
        elif isinstance(item, ShapeItem):
            found += item.reasons()
        elif isinstance(item, MediaItem):
            found.append("media taken as 16:9 (its file decides)")
    return [*found, *scene.placement_notes(*items), scene.frame.note or ""]


def _texts_cross(scene: _Scene, first: TextItem, second: TextItem) -> None:
    frame = scene.frame
    tolerance = 0.25 * min(first.em(), second.em())

    def overlap(scenario: Scenario) -> float | None:
        across, down = first.box(frame, scenario).crossing(second.box(frame, scenario))
        return min(across, down) if across > tolerance and down > tolerance else None

    known = frame.exact and first.placed and second.placed
    certain = overlap(STRICT) if known else None
    amount = certain or overlap(LIKELY)
    if amount is None:
        return
    above, below = first.box(frame, LIKELY), second.box(frame, LIKELY)
    height = below.y1 - below.y0
    moves = []
    if above.y1 + height <= frame.height:
        moves.append(f"down to top {ceil_percent(frame.y_percent(above.y1))}%")
    if above.y0 - height >= 0:
        moves.append(f"up to top {floor_percent(frame.y_percent(above.y0 - height))}%")
    fixes = [f"move it {' or '.join(moves)}"] if moves else []
    fixes.append("shorten either text")
    scene.add(
        second,
        certain is not None,
        f"{scene.where(second)}: overlaps elements[{first.index}] ({first.label}) by about "
        f"{amount:.0f} px; {_either(fixes)}",
        _reasons(scene, first, second),
    )


def _on_shape(scene: _Scene, text: TextItem, shape: ShapeItem) -> None:
    frame = scene.frame
    tolerance = 0.25 * text.em()

    def problem(scenario: Scenario) -> tuple[str, float] | None:
        area = shape.box(frame, scenario)
        if area is None:
            return None
        box = text.box(frame, scenario)
        across, down = box.crossing(area)
        if across <= tolerance or down <= tolerance:
            return None
        if shape.index > text.index and not shape.clear:
            return "under", min(across, down)
        if box.within(area, tolerance):
            return None
        overhang = max(area.x0 - box.x0, box.x1 - area.x1, area.y0 - box.y0, box.y1 - area.y1)
        return "partly", overhang

    known = frame.exact and frame.shaped and text.placed and shape.placed
    certain = problem(STRICT) if known else None
    found = certain or problem(LIKELY)
    if found is None:
        return
    kind, amount = found
    name = f"the {shape.label} at elements[{shape.index}]"
    if kind == "under":
        message = (
            f"{scene.where(text)}: {name} is drawn over about {amount:.0f} px of it (elements "
            "render in list order); put the shape before the text in elements, or move one "
            "of them"
        )
    else:
        message = (
            f"{scene.where(text)}: overlaps {name} but sticks out of it by about "
            f"{amount:.0f} px; {_onto(scene, text, shape)}"
        )
    scene.add(text, certain is not None, message, _reasons(scene, text, shape))


def _onto(scene: _Scene, text: TextItem, shape: ShapeItem) -> str:
    """Where the text would sit on the shape, or clear of it."""
    frame = scene.frame
    box, area = text.box(frame, LIKELY), shape.box(frame, LIKELY)
    assert area is not None
    height = box.y1 - box.y0
    fixes = []
    first = ceil_percent(frame.y_percent(area.y0))
    last = floor_percent(frame.y_percent(area.y1 - height))
    if last >= first:
        spot = [f"top {first}%–{last}%" if last > first else f"top {first}%"]
        if not (box.x0 >= area.x0 - 1 and box.x1 <= area.x1 + 1):
            spot.insert(0, f"left {shape.left or 0}%, width {shape.width}%")
        fixes.append(f"move it onto the shape ({', '.join(spot)})")
    else:
        fixes.append("shorten it or lower fontSize to fit on the shape")
    if area.y1 + height <= frame.height:
        fixes.append(f"move it below the shape (top {ceil_percent(frame.y_percent(area.y1))}%)")
    return _either(fixes)
