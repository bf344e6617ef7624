"""Font-style and animation rules of the sandbox (§6.6) on text elements and subtitles."""

from __future__ import annotations

from typing import Any

import pytest

from pictory_mcp.sandbox.rules import validate_storyboard
from tests.sandbox.conftest import URL, case, check, names


def el(**fields: Any) -> dict[str, Any]:
    return {"story": "Hi", "elements": [fields]}


def text(**fields: Any) -> dict[str, Any]:
    return el(type="text", text="Title", **fields)


def styled(**style: Any) -> dict[str, Any]:
    return text(style=style)


def anim(**fields: Any) -> dict[str, Any]:
    return {"name": "fade", "type": "entry", **fields}


S = "scenes[0].elements[0].style"


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(
            styled(fontFamily="Comic Sans"),
            styled(fontFamily="space mono"),
            f"{S}.fontFamily",
            "font-list",
        ),
        case(
            styled(fontFamily="Comic Sans", fontUrl="not a url"),
            styled(fontFamily="Comic Sans", fontUrl="https://fonts.example/comic.ttf"),
            f"{S}.fontUrl",
            "font-url",
        ),
        case(
            styled(fontUrl="https://fonts.example/x.ttf"),
            styled(fontUrl="https://fonts.example/x.ttf", fontFamily="X"),
            f"{S}.fontFamily",
            "font-url-needs-family",
        ),
        case(styled(fontSize=12.5), styled(fontSize=12), f"{S}.fontSize", "font-size-int"),
        case(styled(fontSize=0), styled(fontSize=1), f"{S}.fontSize", "font-size-min"),
        case(styled(color="#12345"), styled(color="#123"), f"{S}.color", "hex-length"),
        case(
            styled(keywordColor="rgb(1,2)"),
            styled(keywordColor="rgba(1,2,3,0)"),
            f"{S}.keywordColor",
            "rgb-arity",
        ),
        case(
            styled(position="center"),
            styled(position="center-center"),
            f"{S}.position",
            "no-center-alias",
        ),
        case(styled(alignment="justify"), styled(alignment="right"), f"{S}.alignment", "alignment"),
        case(
            styled(decorations=["strike"]),
            styled(decorations=["linethrough", "italics"]),
            f"{S}.decorations[0]",
            "decoration",
        ),
        case(styled(case="title"), styled(case="smallcapitalize"), f"{S}.case", "case"),
        case(
            styled(paragraphWidth="80.5%"),
            styled(paragraphWidth="80%"),
            f"{S}.paragraphWidth",
            "paragraph-width",
        ),
        case(
            styled(shadowWidth="2px"),
            styled(shadowWidth="2%", shadowColor="#000"),
            f"{S}.shadowWidth",
            "shadow-width",
        ),
        case(
            styled(showBoxBackground="false"),
            styled(showBoxBackground=False),
            f"{S}.showBoxBackground",
            "box-background",
        ),
    ],
)
def test_font_style_fields(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    check(bad, good, field)


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        case(styled(animations=[]), styled(animations=[anim()]), f"{S}.animations", "none"),
        case(
            styled(animations=[anim(), anim(type="exit"), anim(type="exit")]),
            styled(animations=[anim(), anim(type="exit")]),
            f"{S}.animations",
            "three",
        ),
        case(
            styled(animations=[anim(), anim(name="blur")]),
            styled(animations=[anim(), anim(name="blur", type="exit")]),
            f"{S}.animations[1].type",
            "two-entries",
        ),
        case(
            styled(animations=[anim(name="zoom")]),
            styled(animations=[anim(name="text reveal")]),
            f"{S}.animations[0].name",
            "name-enum",
        ),
        case(
            styled(animations=[{"name": "fade"}]),
            styled(animations=[anim()]),
            f"{S}.animations[0].type",
            "type-required",
        ),
        case(
            styled(animations=[anim(speed="custom")]),
            styled(animations=[anim(speed="custom", customSpeedValue=0.5)]),
            f"{S}.animations[0].customSpeedValue",
            "custom-speed-required",
        ),
        case(
            styled(animations=[anim(speed="custom", customSpeedValue=0.4)]),
            styled(animations=[anim(speed="custom", customSpeedValue=2)]),
            f"{S}.animations[0].customSpeedValue",
            "custom-speed-min",
        ),
        case(
            styled(animations=[anim(speed="quick")]),
            styled(animations=[anim(speed="fast")]),
            f"{S}.animations[0].speed",
            "speed",
        ),
        case(
            styled(animations=[anim(direction="north")]),
            styled(animations=[anim(direction="down")]),
            f"{S}.animations[0].direction",
            "direction",
        ),
        case(
            styled(animations=[anim(name="typewriter", writingStyle="letter")]),
            styled(animations=[anim(name="typewriter", writingStyle="character")]),
            f"{S}.animations[0].writingStyle",
            "writing-style",
        ),
        case(
            styled(animations=[anim(name="wipe", futureWords="subtle")]),
            styled(animations=[anim(name="blur", futureWords="subtle")]),
            f"{S}.animations[0].futureWords",
            "future-words-animation",
        ),
        case(
            styled(animations=[anim(futureWords="faint")]),
            styled(animations=[anim(futureWords="prominent")]),
            f"{S}.animations[0].futureWords",
            "future-words-enum",
        ),
    ],
)
def test_animation_rules(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    check(bad, good, field)


def test_top_level_subtitle_style_uses_the_same_font_rules() -> None:
    scene = {"story": "Hi"}
    assert names(scene, subtitleStyle={"fontFamily": "Nope"}) == ["subtitleStyle.fontFamily"]
    assert (
        names(
            scene,
            subtitleStyle={
                "fontFamily": "Poppins Extrabold",
                "showBullet": True,
                "bulletFillColor": "#fff",
            },
        )
        == []
    )


def test_brolls_and_the_image_pool_are_checked_like_backgrounds() -> None:
    broll = {"type": "video", "visualUrl": URL, "brollClip": {"start": 4, "end": 2}}
    assert names({"story": "Hi", "backgroundBrolls": [broll]}) == [
        "scenes[0].backgroundBrolls[0].brollClip.end"
    ]
    broll["brollClip"] = {"start": 1, "end": 2}
    pool = [{"visualUrl": URL, "type": "image", "prefer": True}]
    assert names({"story": "Hi", "backgroundBrolls": [broll], "backgroundCorpus": pool}) == []
    assert names({"story": "Hi", "backgroundCorpus": [{"type": "image"}]}) == [
        "scenes[0].backgroundCorpus[0].visualUrl"
    ]


def test_errors_inside_later_scenes_carry_their_index() -> None:
    body = {"videoName": "demo", "scenes": [{"story": "a"}, {"story": "b", "sceneTransition": 1}]}
    assert [f["name"] for f in validate_storyboard(body)] == ["scenes[1].sceneTransition"]
