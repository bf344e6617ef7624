"""Text is measured with real font metrics where the font's widths are known, wrapped as
Pictory wraps it, and marked approximate where it is not."""

from __future__ import annotations

import sys

import pytest

from pictory_mcp.api.layout import Frame, standard_widths
from pictory_mcp.api.layout._frame import frame_of
from pictory_mcp.api.layout._text import (
    ESTIMATED_ADVANCE,
    AfmWidths,
    EstimatedWidths,
    Font,
    cased,
    font_of,
    words_of,
)

METRICS = standard_widths()


def test_the_installed_font_metrics_are_the_adobe_metrics_of_the_standard_fonts() -> None:
    assert isinstance(METRICS, AfmWidths)
    # Helvetica's AFM: H 722, e 556, l 222, o 556, space 278, W 944, r 333, d 556.
    assert METRICS.advance("W", "Helvetica") == pytest.approx(0.944)
    words = words_of("Hello World", font_of({"fontFamily": "Arial"}), METRICS)
    assert words.lines(100) == (1, pytest.approx(5.167))
    assert not words.estimated


def test_without_the_layout_extra_widths_are_estimated(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "reportlab.pdfbase.pdfmetrics", None)  # import fails
    widths = standard_widths()
    assert isinstance(widths, EstimatedWidths) and widths.estimated
    assert widths.advance("W", "Helvetica") is None


@pytest.mark.parametrize(
    ("style", "face", "own"),
    [
        ({"fontFamily": "Arial"}, "Helvetica", True),
        ({"fontFamily": "Helvetica", "decorations": ["bold"]}, "Helvetica-Bold", True),
        (
            {"fontFamily": "Arial", "decorations": ["bold", "italics"]},
            "Helvetica-BoldOblique",
            True,
        ),
        ({"fontFamily": "Courier Prime"}, "Courier", True),
        ({"fontFamily": "Manrope"}, "Helvetica", False),
        ({"fontFamily": "Poppins Extrabold"}, "Helvetica-Bold", False),
        ({"fontFamily": "Raleway Black"}, "Helvetica-Bold", False),
        ({"fontFamily": "Playfair Display", "decorations": ["italics"]}, "Times-Italic", False),
        ({"fontFamily": "Space mono"}, "Courier", False),
        ({"fontFamily": "Brand Bold", "fontUrl": "https://x.example/b.ttf"}, "Helvetica", False),
        ({}, "Helvetica", False),
    ],
)
def test_each_font_is_measured_with_its_own_widths_or_the_closest_standard_face(
    style: dict[str, object], face: str, own: bool
) -> None:
    font = font_of(style)
    assert (font.face, font.own_widths) == (face, own)


def test_a_font_without_metrics_of_its_own_is_named_in_what_is_approximate() -> None:
    assert font_of({"fontFamily": "Manrope"}) == Font("Manrope", "Helvetica", False)
    assert font_of({}).family == "the default font"


def test_words_wrap_greedily_at_spaces_and_paragraphs_start_new_lines() -> None:
    courier = font_of({"fontFamily": "Courier Prime"})  # 0.6 em a character
    words = words_of("aaaa bbbb cccc\ndd", courier, METRICS)  # words of 2.4 em, spaces 0.6
    assert words.lines(5.0) == (4, pytest.approx(2.4))  # one word a line
    assert words.lines(5.4) == (3, pytest.approx(5.4))  # "aaaa bbbb" / "cccc" / "dd"
    assert words.lines(9.0) == (2, pytest.approx(8.4))  # the line break still breaks


def test_a_word_longer_than_the_line_breaks_between_characters() -> None:
    courier = font_of({"fontFamily": "Courier Prime"})
    words = words_of("abcdefghij", courier, METRICS)
    assert words.lines(3.0) == (2, pytest.approx(3.0))  # 5 + 5 characters
    assert words.lines(0.1)[0] == 10  # never fewer than one character a line


def test_full_width_characters_break_anywhere_and_take_an_em() -> None:
    words = words_of("東京タワー", font_of({"fontFamily": "Noto Sans JP"}), METRICS)
    assert words.lines(2.0) == (3, pytest.approx(2.0))
    assert not words.estimated  # a whole em in any CJK font


def test_characters_outside_the_metrics_are_estimated_and_say_so() -> None:
    words = words_of("Łódź", font_of({"fontFamily": "Arial"}), METRICS)
    assert words.estimated
    assert words.lines(100)[1] == pytest.approx(2 * ESTIMATED_ADVANCE + 2 * 0.556)


def test_combining_marks_add_no_width() -> None:
    arial = font_of({"fontFamily": "Arial"})
    composed = words_of("e\u0301", arial, METRICS)  # é once normalised
    assert composed.lines(100)[1] == pytest.approx(0.556)
    assert not composed.estimated


def test_without_font_metrics_every_character_takes_the_reference_average() -> None:
    words = words_of("Hello World", font_of({"fontFamily": "Arial"}), EstimatedWidths())
    assert words.lines(100)[1] == pytest.approx(11 * ESTIMATED_ADVANCE)


def test_fitting_counts_the_characters_that_two_lines_hold() -> None:
    courier = font_of({"fontFamily": "Courier Prime"})
    words = words_of("aaaa bbbb cccc dddd", courier, METRICS)
    assert words.fitting(5.0, 2) == 8  # "aaaa" / "bbbb"
    assert words.fitting(9.0, 2) == 18  # all of it, less the space where it wraps
    assert words_of("abcdefghij", courier, METRICS).fitting(3.0, 1) == 5


@pytest.mark.parametrize(
    ("case", "drawn", "exact"),
    [
        ("uppercase", "HELLO THERE", True),
        ("lowercase", "hello there", True),
        ("capitalize", "Hello There", True),
        ("smallcapitalize", "HELLO THERE", False),
        (None, "hello There", True),
    ],
)
def test_text_is_measured_in_the_case_it_is_drawn(
    case: str | None, drawn: str, exact: bool
) -> None:
    assert cased("hello There", case) == (drawn, exact)


@pytest.mark.parametrize(
    ("body", "size", "exact", "shaped"),
    [
        ({"aspectRatio": "16:9"}, (1280, 720), True, True),
        ({"aspectRatio": "9:16"}, (720, 1280), True, True),
        ({"aspectRatio": "1:1"}, (720, 720), False, True),
        ({"aspectRatio": "4:5"}, (720, 900), False, True),
        ({"videoWidth": 1920, "videoHeight": 1080}, (1280, 720), True, True),
        ({"videoWidth": 1080, "videoHeight": 1920}, (720, 1280), True, True),
        ({"videoWidth": 2000, "videoHeight": 1000}, (1440, 720), False, True),
        ({}, (1280, 720), False, False),
    ],
)
def test_the_frame_is_the_documented_canvas_or_an_inferred_one(
    body: dict[str, object], size: tuple[int, int], exact: bool, shaped: bool
) -> None:
    frame = frame_of(body)
    assert (frame.width, frame.height, frame.exact, frame.shaped) == (*size, exact, shaped)
    assert (frame.note is None) == exact
    assert isinstance(frame, Frame)
