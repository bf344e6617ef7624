"""Rules for the fontStyle object (§6.6) and its animations, shared by subtitles and text."""

from __future__ import annotations

from typing import Any

from ._rules_base import Checker, at, present
from ._rules_enums import (
    ALIGNMENTS,
    ANIMATION_DIRECTIONS,
    ANIMATION_NAMES,
    ANIMATION_SPEEDS,
    ANIMATION_TYPES,
    DECORATIONS,
    FONT_POSITIONS,
    FONTS_FOLDED,
    FUTURE_WORDS,
    FUTURE_WORDS_ANIMATIONS,
    TEXT_CASES,
    WRITING_STYLES,
)

_COLOR_KEYS = ("color", "backgroundColor", "keywordColor", "shadowColor", "bulletFillColor")


def check_font_style(c: Checker, style: dict[str, Any], path: str) -> None:
    """Check a fontStyle object found at `path`."""
    c.string(style, "fontUrl", path, url=True)
    has_font_url = present(style, "fontUrl")
    # A custom font file makes fontFamily mandatory and lifts the font-list restriction.
    family = c.string(style, "fontFamily", path, required=present(style, "fontUrl"), min_len=1)
    if family is not None and not has_font_url and family.casefold() not in FONTS_FOLDED:
        name = at(path, "fontFamily")
        c.fail(
            name,
            f'"{name}" "{family}" is not in the font list; choose a listed font '
            'or give "fontUrl" for a custom font',
        )
    c.number(style, "fontSize", path, integer=True, lo=1)
    for key in _COLOR_KEYS:
        c.color(style, key, path)
    c.percent(style, "shadowWidth", path)
    c.percent(style, "paragraphWidth", path)
    c.string(style, "position", path, choices=FONT_POSITIONS)
    c.string(style, "alignment", path, choices=ALIGNMENTS)
    c.string(style, "case", path, choices=TEXT_CASES)
    c.boolean(style, "showBoxBackground", path)
    c.boolean(style, "showBullet", path)
    decorations = c.array(style, "decorations", path)
    for i, value in enumerate(decorations or []):
        name = f"{at(path, 'decorations')}[{i}]"
        if value not in DECORATIONS:
            c.fail(name, f'"{name}" must be one of: {", ".join(sorted(DECORATIONS))}')
    animations = c.array(style, "animations", path, min_items=1, max_items=2)
    seen_types: set[str] = set()
    for i, raw in enumerate(animations or []):
        name = f"{at(path, 'animations')}[{i}]"
        anim = c.item_obj(raw, name)
        if anim is None:
            continue
        kind = _check_animation(c, anim, name)
        if kind is not None and kind in seen_types:
            c.fail(
                at(name, "type"),
                f'"{at(name, "type")}": at most one "{kind}" animation per text (one entry, one exit)',
            )
        if kind is not None:
            seen_types.add(kind)


def _check_animation(c: Checker, anim: dict[str, Any], path: str) -> str | None:
    anim_name = c.string(anim, "name", path, required=True, choices=ANIMATION_NAMES)
    kind = c.string(anim, "type", path, required=True, choices=ANIMATION_TYPES)
    speed = c.string(anim, "speed", path, choices=ANIMATION_SPEEDS)
    c.number(anim, "customSpeedValue", path, required=speed == "custom", lo=0.5)
    c.string(anim, "direction", path, choices=ANIMATION_DIRECTIONS)
    c.string(anim, "writingStyle", path, choices=WRITING_STYLES)
    future = c.string(anim, "futureWords", path, choices=FUTURE_WORDS)
    if future is not None and anim_name is not None and anim_name not in FUTURE_WORDS_ANIMATIONS:
        name = at(path, "futureWords")
        c.fail(name, f'"{name}" is only allowed with the "fade" and "blur" animations')
    return kind
