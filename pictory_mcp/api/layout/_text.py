"""Text measured the way Pictory lays it out (REFERENCE §21): glyphs drawn at 4/3 of fontSize
in canvas pixels, words wrapped greedily to the element's width.

Advance widths come from the Adobe font metrics of the standard PDF fonts, as shipped by
reportlab (the `layout` extra). They are a catalogue font's own widths for Arial (drawn to
Helvetica's widths) and Courier Prime (Courier's 0.6 em pitch); any other font is measured
with the closest standard face and the measure is marked approximate. Without reportlab every
character is estimated at the reference's own average.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

GLYPH_SCALE = 4 / 3
"""Glyphs are sized at 4/3 of fontSize in canvas pixels (REFERENCE §21)."""

ESTIMATED_ADVANCE = 0.55
"""The average character in em that REFERENCE §21's rule implies: a line holds about
width% × 1750 ÷ fontSize characters of a 1280 px canvas (× 980 of 720 px), so a character
takes 1280 ÷ 1750 ÷ 4/3 ≈ 0.55 em."""

WIDE_ADVANCE = 1.0
"""Full-width characters (CJK ideographs, kana, Hangul) take a whole em in any font."""

# Catalogue fonts drawn to a standard font's widths (bench/font_widths.py measures the
# metric-compatible files against the same data): Arial ≡ Helvetica, Courier Prime ≡ Courier.
_OWN_WIDTHS = {"Arial": "Helvetica", "Helvetica": "Helvetica", "Courier Prime": "Courier"}
# Otherwise the closest standard design: serifs to Times, monospaced faces to Courier.
_SERIF = {
    "Merriweather", "Playfair Display", "Rokkitt", "Patua One", "Noto Serif JP",
    "Noto Serif Devanagari",
}  # fmt: skip
_MONOSPACED = {"Space mono", "Special Elite"}
_HEAVY = ("bold", "black")  # "Poppins Extrabold", "Raleway Black" draw bold glyphs
# The standard faces of each design: regular, bold, italic, bold italic.
_FACES = {
    "Helvetica": ("Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"),
    "Times": ("Times-Roman", "Times-Bold", "Times-Italic", "Times-BoldItalic"),
    "Courier": ("Courier", "Courier-Bold", "Courier-Oblique", "Courier-BoldOblique"),
}


class Widths(Protocol):
    """Advance widths of characters in the standard faces."""

    @property
    def estimated(self) -> bool:
        """True when no font metrics are installed (every width is the average)."""

    def advance(self, ch: str, face: str) -> float | None:
        """The advance width of `ch` in em, or None when `face` has no width for it."""


class EstimatedWidths:
    """No font metrics: every character gets the reference's average width."""

    estimated = True

    def advance(self, ch: str, face: str) -> float | None:
        return None


class AfmWidths:
    """Widths from Adobe's font metrics through reportlab's `stringWidth`. The standard faces
    are encoded as WinAnsi (cp1252), so characters beyond it have no width of their own."""

    estimated = False

    def __init__(self, string_width: Callable[[str, str, float], float]) -> None:
        self._string_width = string_width
        self._known: dict[tuple[str, str], float | None] = {}

    def advance(self, ch: str, face: str) -> float | None:
        key = (ch, face)
        if key not in self._known:
            try:
                ch.encode("cp1252")
            except UnicodeEncodeError:
                self._known[key] = None
            else:
                self._known[key] = self._string_width(ch, face, 1000.0) / 1000.0
        return self._known[key]


def standard_widths() -> Widths:
    """The font metrics library's widths when it is installed, else estimates."""
    try:
        from reportlab.pdfbase.pdfmetrics import stringWidth
    except (ImportError, OSError):
        return EstimatedWidths()
    return AfmWidths(stringWidth)


@dataclass(frozen=True)
class Font:
    """The font a text element names and the standard face it is measured with."""

    family: str
    face: str
    own_widths: bool

    @property
    def design(self) -> str:
        return self.face.split("-")[0]


def font_of(style: Mapping[str, Any]) -> Font:
    """The font of a text style: its family (or Pictory's unnamed default), weight from the
    `bold` decoration or the family's name, slant from `italics`."""
    family = style.get("fontFamily")
    custom = bool(style.get("fontUrl"))
    decorations = set(style.get("decorations") or ())
    name = str(family) if family else "the default font"
    design, own = "Helvetica", False
    if family and not custom:
        if family in _OWN_WIDTHS:
            design, own = _OWN_WIDTHS[family], True
        elif family in _SERIF:
            design = "Times"
        elif family in _MONOSPACED:
            design = "Courier"
    heavy = "bold" in decorations or (not custom and any(word in name.lower() for word in _HEAVY))
    italic = "italics" in decorations
    face = _FACES[design][int(heavy) + 2 * int(italic)]
    return Font(name, face, own)


def cased(text: str, case: str | None) -> tuple[str, bool]:
    """The text as drawn in `case`, and whether its widths are still the font's own (small
    capitals are measured as capitals, a little wider than they are)."""
    if case == "uppercase":
        return text.upper(), True
    if case == "lowercase":
        return text.lower(), True
    if case == "capitalize":
        return re.sub(r"(^|\s)(\S)", lambda m: m.group(1) + m.group(2).upper(), text), True
    if case == "smallcapitalize":
        return text.upper(), False
    return text, True


@dataclass(frozen=True)
class Piece:
    """An unbreakable run: a word, or one full-width character. `space` is the gap before it
    when it shares a line with what precedes it."""

    space: float
    chars: tuple[float, ...]

    @property
    def width(self) -> float:
        return sum(self.chars)


@dataclass
class Words:
    """A text's pieces per paragraph, widths in em; `estimated` when some character had no
    width in the font metrics."""

    paragraphs: list[list[Piece]] = field(default_factory=list)
    estimated: bool = False

    def lines(self, limit: float) -> tuple[int, float]:
        """(lines, widest line in em) when wrapped to `limit` em."""
        count, widest = 0, 0.0
        for paragraph in self.paragraphs:
            for line in _wrapped(paragraph, limit):
                count += 1
                widest = max(widest, line)
        return count, widest

    def fitting(self, limit: float, max_lines: int) -> int:
        """How many characters of the text fit in `max_lines` lines of `limit` em."""
        kept, used = 0, 0
        for paragraph in self.paragraphs:
            line: float | None = None
            used += 1
            if used > max_lines:
                return kept
            for piece in paragraph:
                gap = piece.space if line else 0.0
                if line is not None and line + gap + piece.width <= limit + 1e-9:
                    line += gap + piece.width
                    kept += len(piece.chars) + (1 if gap else 0)
                    continue
                if line is not None and line > 0:
                    used += 1
                    if used > max_lines:
                        return kept
                line = 0.0
                for advance in piece.chars:
                    if line > 0 and line + advance > limit + 1e-9:
                        used += 1
                        if used > max_lines:
                            return kept
                        line = 0.0
                    line += advance
                    kept += 1
        return kept


def _wrapped(paragraph: list[Piece], limit: float) -> list[float]:
    """Line widths of one paragraph, wrapped greedily; a piece wider than a line is broken
    between characters (at least one character a line)."""
    lines: list[float] = []
    line: float | None = None
    for piece in paragraph:
        if line is not None and line + piece.space + piece.width <= limit + 1e-9:
            line += piece.space + piece.width
            continue
        if line is not None:
            lines.append(line)
        if piece.width <= limit + 1e-9:
            line = piece.width
            continue
        line = 0.0
        for advance in piece.chars:
            if line > 0 and line + advance > limit + 1e-9:
                lines.append(line)
                line = 0.0
            line += advance
    lines.append(line or 0.0)
    return lines


def _advance(ch: str, face: str, widths: Widths) -> tuple[float, bool]:
    """(width in em, estimated?) of one character."""
    category = unicodedata.category(ch)
    if category in ("Mn", "Me", "Cf", "Cc"):
        return 0.0, False  # combining marks, zero-width and control characters
    known = widths.advance(ch, face)
    if known is not None:
        return known, False
    if unicodedata.east_asian_width(ch) in ("W", "F"):
        return WIDE_ADVANCE, False
    return ESTIMATED_ADVANCE, True


def words_of(text: str, font: Font, widths: Widths) -> Words:
    """The pieces of `text` in `font`: paragraphs at line breaks, words at spaces, and each
    full-width character a piece of its own (those scripts break between any two)."""
    words = Words()
    space, _ = _advance(" ", font.face, widths)
    seen: dict[str, tuple[float, bool, bool]] = {}
    for raw in unicodedata.normalize("NFC", text).split("\n"):
        paragraph: list[Piece] = []
        for word in raw.split():
            gap = space
            run: list[float] = []
            for ch in word:
                if ch not in seen:
                    wide = unicodedata.east_asian_width(ch) in ("W", "F")
                    seen[ch] = (*_advance(ch, font.face, widths), wide)
                advance, estimated, wide = seen[ch]
                words.estimated |= estimated
                if wide:
                    if run:
                        paragraph.append(Piece(gap, tuple(run)))
                        gap, run = 0.0, []
                    paragraph.append(Piece(gap, (advance,)))
                    gap = 0.0
                else:
                    run.append(advance)
            if run:
                paragraph.append(Piece(gap, tuple(run)))
        words.paragraphs.append(paragraph)
    return words
