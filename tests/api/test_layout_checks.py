"""The layout check finds each kind of problem on crafted storyboards, by scene and element,
with a fix that works; certain problems are errors, approximate ones warnings."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest

from pictory_mcp.api.layout import LayoutReport, Problem, check_layout
from pictory_mcp.api.layout._text import EstimatedWidths
from pictory_mcp.api.models import Storyboard

VENDOR = sorted((Path(__file__).resolve().parents[1] / "data" / "vendor-payloads").glob("*.json"))
LONG = "Our quarterly results beat every forecast and the team grew by a third"


def board(*elements: dict[str, Any], aspect: str | None = "16:9") -> dict[str, Any]:
    body: dict[str, Any] = {
        "videoName": "Layout",
        "scenes": [{"story": "One.", "hideSubtitles": True, "elements": list(elements)}],
    }
    if aspect:
        body["aspectRatio"] = aspect
    return body


def text(
    words: str,
    *,
    top: int | None = 10,
    left: int | None = 10,
    width: int = 40,
    size: int | None = 40,
    font: str = "Arial",
    **style: Any,
) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "text",
        "text": words,
        "style": {"fontFamily": font, **({"fontSize": size} if size else {}), **style},
        "width": f"{width}%",
    }
    if top is not None:
        element["top"] = f"{top}%"
    if left is not None:
        element["left"] = f"{left}%"
    return element


def shape(name: str, *, top: int, left: int, width: int, **extra: Any) -> dict[str, Any]:
    return {"type": "shape", "name": name, "top": f"{top}%", "left": f"{left}%",
            "width": f"{width}%", **extra}  # fmt: skip


def check(body: dict[str, Any], **kwargs: Any) -> LayoutReport:
    """The check of a body the storyboard models accept (so every case here is valid)."""
    return check_layout(Storyboard.model_validate(body).to_payload(), **kwargs)


def only(report: LayoutReport) -> Problem:
    (problem,) = report.problems
    return problem


def number(pattern: str, message: str) -> int:
    found = re.search(pattern, message)
    assert found, f"{pattern!r} not in {message!r}"
    return int(found.group(1))


def share(pattern: str, message: str) -> str:
    """The percentage `pattern` captures in `message`, as a "10%" string."""
    return f"{number(pattern, message)}%"


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_a_clean_layout_has_no_problems(aspect: str) -> None:
    body = board(
        text("STEP ONE", top=8, size=30, width=80, case="uppercase"),
        text("Ship it", top=16, size=60, width=80, decorations=["bold"]),
        shape("rectangle", top=40, left=10, width=30, borderRadius=16),
        text("94%", top=42, left=10, width=30, size=60),
        aspect=aspect,
    )
    assert check(body).problems == ()


FIXES = {
    r"lower fontSize to (\d+)": lambda e, n: e["style"].update(fontSize=n),
    r"widen it to (\d+)%": lambda e, n: e.update(width=f"{n}%"),
    r"shorten it to about (\d+) characters": lambda e, n: e.update(text=e["text"][:n]),
}


def apply_each_fix(body: dict[str, Any], message: str) -> int:
    """Apply every fix `message` offers to scene 0's element 0, one at a time, checking each
    leaves no problem; how many were offered."""
    offered = 0
    for pattern, change in FIXES.items():
        found = re.search(pattern, message)
        if found is None:
            continue
        offered += 1
        fixed = copy.deepcopy(body)
        change(fixed["scenes"][0]["elements"][0], int(found.group(1)))
        assert check(fixed).problems == (), pattern
    return offered


@pytest.mark.parametrize(("aspect", "width"), [("16:9", 40), ("9:16", 40), ("9:16", 70)])
def test_text_past_two_lines_in_a_known_font_is_an_error_whose_fixes_each_work(
    aspect: str, width: int
) -> None:
    body = board(text(LONG, size=40, width=width), aspect=aspect)
    problem = only(check(body))
    assert problem.error and (problem.scene, problem.element) == (0, 0)
    assert problem.message.startswith('scenes[0].elements[0] (text "Our quarterly results b…"): ')
    assert "wraps to" in problem.message and "approximate" not in problem.message
    assert apply_each_fix(body, problem.message) >= 1


def test_the_fixes_offered_keep_the_text_legible() -> None:
    # A smaller font is offered only down to the frame's minimum (24 on 9:16).
    message = only(check(board(text(LONG, size=40, width=40), aspect="9:16"))).message
    assert "lower fontSize" not in message
    message = only(check(board(text(LONG, size=40, width=40)))).message
    assert number(r"lower fontSize to (\d+)", message) >= 14


def test_widening_is_offered_when_the_frame_has_room() -> None:
    body = board(text("Quarterly results beat every forecast", size=40, width=20, left=5))
    message = only(check(body)).message
    assert "widen it to" in message
    assert apply_each_fix(body, message) == 3


def test_two_lines_are_allowed() -> None:
    body = board(text("Quarterly results beat every forecast", size=40, width=40))
    assert check(body).problems == ()


def test_a_font_without_known_metrics_is_warned_about_and_says_it_is_approximate() -> None:
    problem = only(check(board(text(LONG[:48], size=40, width=40, font="Manrope"))))
    assert not problem.error
    assert "wraps to about 3 lines" in problem.message
    assert "(approximate: Manrope measured with Helvetica widths)" in problem.message


def test_text_far_too_long_for_its_box_is_an_error_in_any_font() -> None:
    report = check(board(text(LONG, size=60, width=30, font="Bebas Neue")))
    (problem,) = [p for p in report.problems if "wraps to" in p.message]
    assert problem.error
    assert "(at least 4 in the narrowest fonts)" in problem.message


def test_without_font_metrics_a_known_font_is_only_estimated() -> None:
    report = check(board(text(LONG[:48], size=40, width=40)), widths=EstimatedWidths())
    problem = only(report)
    assert not problem.error
    assert "no font metrics installed" in problem.message


@pytest.mark.parametrize(
    ("aspect", "size", "expected"),
    [
        ("9:16", None, "error: raise fontSize to 24"),  # the body default, 20, on a phone frame
        ("9:16", 24, None),
        ("16:9", None, None),
        ("16:9", 12, "error: raise fontSize to 14"),
        ("1:1", 12, "warning: raise fontSize to 14"),
        ("4:5", 14, "warning: raise fontSize to 17"),
    ],
)
def test_text_too_small_for_the_aspect_ratio(
    aspect: str, size: int | None, expected: str | None
) -> None:
    report = check(board(text("Hi", size=size), aspect=aspect))
    if expected is None:
        assert report.problems == ()
        return
    problem = only(report)
    kind, fix = expected.split(": ")
    assert problem.error == (kind == "error")
    assert fix in problem.message and f"too small for a {aspect} frame" in problem.message


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_a_shape_past_the_right_edge_is_an_error_with_the_numbers_that_fit(aspect: str) -> None:
    problem = only(check(board(shape("star-2", top=10, left=90, width=20), aspect=aspect)))
    assert problem.error
    assert "left 90% + width 20% = 110%); set left to 80% or width to 10%" in problem.message


@pytest.mark.parametrize(("aspect", "top"), [("16:9", 70), ("9:16", 92)])
def test_a_circle_past_the_bottom_edge_is_an_error(aspect: str, top: int) -> None:
    body = board(shape("circle", top=top, left=10, width=20), aspect=aspect)
    problem = only(check(body))
    assert problem.error and "runs past the bottom edge" in problem.message
    moved = copy.deepcopy(body)
    moved["scenes"][0]["elements"][0]["top"] = share(r"top (\d+)%", problem.message)
    assert check(moved).problems == ()


def test_featured_shapes_and_media_have_unknown_heights_so_they_are_warned_about() -> None:
    report = check(
        board(
            shape("badge-3", top=90, left=10, width=20),
            {
                "type": "image",
                "visualUrl": "https://x.example/a.png",
                "top": "40%",
                "left": "80%",
                "width": "30%",
            },
        )
    )
    assert report.errors == []
    badge, image = report.warnings
    assert "badge-3's proportions are not documented" in badge.message
    assert "so Pictory narrows it; set width to 20% or left to 70%" in image.message


def test_text_whose_lines_pass_the_right_edge_is_an_error_but_a_clear_box_alone_is_not() -> None:
    past = only(check(board(text("Quarterly results beat", left=70, width=40, alignment="left"))))
    assert past.error and "set left to 60% or width to 30%" in past.message
    clear = text("Hi", left=70, width=40, alignment="left", backgroundColor="rgba(0,0,0,0)")
    assert check(board(clear)).problems == ()


@pytest.mark.parametrize("aspect", ["16:9", "9:16"])
def test_overlapping_text_boxes_are_an_error_naming_both_with_a_place_to_move_to(
    aspect: str,
) -> None:
    body = board(text("Title one", top=10), text("Title two", top=12), aspect=aspect)
    problem = only(check(body))
    assert problem.error and problem.element == 1
    assert 'overlaps elements[0] (text "Title one")' in problem.message
    moved = copy.deepcopy(body)
    moved["scenes"][0]["elements"][1]["top"] = share(r"down to top (\d+)%", problem.message)
    assert check(moved).problems == ()


def test_texts_placed_by_presets_are_only_warned_about() -> None:
    report = check(
        board(
            {"type": "text", "text": "Heading", "textVariant": "heading", "position": "center"},
            {
                "type": "text",
                "text": "Body",
                "textVariant": "body",
                "position": "center-center",
                "style": {"fontSize": 30},
            },
        )
    )
    problem = only(report)
    assert not problem.error and "placed by a preset" in problem.message


def test_text_sitting_on_its_shape_is_fine_but_text_half_on_it_is_an_error() -> None:
    chip = shape("rectangle", top=30, left=10, width=20, borderRadius=10)  # 256 px square
    assert check(board(chip, text("Label", top=32, left=10, width=20))).problems == ()
    body = board(chip, text("Label", top=62, left=10, width=20))
    problem = only(check(body))
    assert problem.error and problem.element == 1
    assert "overlaps the shape rectangle at elements[0]" in problem.message
    onto = copy.deepcopy(body)
    onto["scenes"][0]["elements"][1]["top"] = share(
        r"move it onto the shape \(top (\d+)%", problem.message
    )
    assert check(onto).problems == ()


def test_a_shape_drawn_after_the_text_on_it_is_an_error_unless_it_is_see_through() -> None:
    label = text("Label", top=32, left=10, width=20)
    chip = shape("rectangle", top=30, left=10, width=20, borderRadius=10)
    problem = only(check(board(label, chip)))
    assert problem.error and "is drawn over about" in problem.message
    assert "put the shape before the text in elements" in problem.message
    frame_only = {**chip, "fill": "rgba(0,0,0,0)", "stroke": "#ffffff", "strokeWidth": 4}
    assert check(board(label, frame_only)).problems == ()


def test_without_an_aspect_ratio_every_problem_is_a_warning() -> None:
    report = check(board(text(LONG), text("Again", top=12), aspect=None))
    assert report.errors == [] and len(report.warnings) >= 2
    assert all("no aspectRatio given, 16:9 assumed" in p.message for p in report.warnings)


def test_problems_are_listed_by_scene_and_element() -> None:
    body = board(text("Fine"))
    body["scenes"].append(
        {
            "story": "Two.",
            "elements": [text("Fine", top=80), shape("line", top=10, left=95, width=10)],
        }
    )
    (problem,) = check(body).problems
    assert (problem.scene, problem.element) == (1, 1)
    assert problem.message.startswith("scenes[1].elements[1] (shape line): ")


def test_a_storyboard_without_elements_is_not_measured() -> None:
    assert check({"videoName": "Plain", "scenes": [{"story": "Hello."}]}) == LayoutReport()


@pytest.mark.parametrize("path", VENDOR, ids=lambda p: p.stem)
@pytest.mark.parametrize("metrics", ["installed", "estimated"])
def test_no_vendor_payload_has_a_layout_error(path: Path, metrics: str) -> None:
    payload = json.loads(path.read_text(encoding="utf-8"))
    widths = EstimatedWidths() if metrics == "estimated" else None
    report = check(payload, widths=widths)
    assert report.errors == [], [p.message for p in report.errors]
    assert all("(approximate: " in p.message for p in report.warnings)
