"""Top-level storyboard rules of the sandbox: each broken body fails on one exact field name."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from pictory_mcp.sandbox.rules import validate_storyboard

_VENDOR_CANDIDATES = (
    Path(os.environ.get("PICTORY_VENDOR_PAYLOADS", "/nonexistent")),
    Path(__file__).resolve().parents[1] / "data" / "vendor-payloads",
)
VENDOR_DIR = next((p for p in _VENDOR_CANDIDATES if p.is_dir()), _VENDOR_CANDIDATES[-1])
VENDOR_PAYLOADS = sorted(VENDOR_DIR.glob("*.json"))


def names(body: object) -> list[str]:
    return [field["name"] for field in validate_storyboard(body)]


def story(**top: Any) -> dict[str, Any]:
    """A minimal valid body plus top-level fields."""
    return {"videoName": "demo", "scenes": [{"story": "Hello there."}], **top}


@pytest.mark.parametrize("path", VENDOR_PAYLOADS, ids=lambda p: p.stem)
def test_every_vendor_payload_is_accepted_without_a_single_field_error(path: Path) -> None:
    assert validate_storyboard(json.loads(path.read_text(encoding="utf-8"))) == []


def test_all_five_vendor_payloads_are_found() -> None:
    assert len(VENDOR_PAYLOADS) == 5


def test_unknown_fields_anywhere_are_ignored_rather_than_rejected() -> None:
    body = json.loads(
        """{"videoName": "demo", "madeUpTopField": {"x": 1},
            "voiceOver": {"enabled": true, "aiVoices": [{"speaker": "Brian", "pitch": 3}]},
            "scenes": [{"story": "Hi.", "url": "https://example.com/a", "sparkles": true,
                        "background": {"color": "#112233", "blur": 4},
                        "elements": [{"type": "text", "text": "Hi", "glow": "yes",
                                      "style": {"fontFamily": "Lato", "kerning": 2}}]}]}"""
    )
    assert validate_storyboard(body) == []


def test_json_null_counts_as_an_absent_optional_field() -> None:
    assert validate_storyboard(story(aspectRatio=None, webhook=None, brandName=None)) == []


def test_a_body_that_is_not_an_object_is_rejected_as_a_whole() -> None:
    assert names([story()]) == ["body"]
    assert names("videoName") == ["body"]


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        ({"scenes": [{"story": "Hi"}]}, story(), "videoName"),
        ({"videoName": "", "scenes": [{"story": "Hi"}]}, story(), "videoName"),
        ({"videoName": 7, "scenes": [{"story": "Hi"}]}, story(), "videoName"),
        ({"videoName": "demo"}, story(), "scenes"),
        ({"videoName": "demo", "scenes": []}, story(), "scenes"),
        ({"videoName": "demo", "scenes": {"story": "Hi"}}, story(), "scenes"),
        ({"videoName": "demo", "scenes": ["Hi"]}, story(), "scenes[0]"),
    ],
    ids=[
        "no-name",
        "empty-name",
        "numeric-name",
        "no-scenes",
        "empty-scenes",
        "scenes-object",
        "scene-string",
    ],
)
def test_video_name_and_at_least_one_scene_are_required(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    assert names(bad) == [field]
    assert names(good) == []


def test_a_template_makes_scenes_optional_and_variables_must_be_scalars() -> None:
    assert names({"videoName": "t", "templateId": "tpl-1", "variables": {"Name": "Ada"}}) == []
    assert names({"videoName": "t", "templateId": "tpl-1", "scenes": []}) == []
    bad = {"videoName": "t", "templateId": "tpl-1", "variables": {"Name": ["Ada"]}}
    assert names(bad) == ["variables.Name"]


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        (story(videoWidth=1920), story(videoWidth=1920, videoHeight=1080), "videoHeight"),
        (story(videoHeight=1080), story(videoWidth=1920, videoHeight=1080), "videoWidth"),
        (
            story(videoWidth=19.5, videoHeight=1080),
            story(videoWidth=1920.0, videoHeight=1080),
            "videoWidth",
        ),
        (story(aspectRatio="21:9"), story(aspectRatio="4:5"), "aspectRatio"),
        (story(language="english"), story(language="vi"), "language"),
        (story(language="EN"), story(language="en"), "language"),
        (story(saveProject="true"), story(saveProject=True), "saveProject"),
        (
            story(webhook="ftp://example.com/hook"),
            story(webhook="https://example.com/hook"),
            "webhook",
        ),
        (
            story(webhook="https://example.com/" + "a" * 481),
            story(webhook="https://example.com/" + "a" * 480),
            "webhook",
        ),
        (story(webhookInput="req-1"), story(webhookInput={"requestId": "req-1"}), "webhookInput"),
        (
            story(visualSelectionPreference="stock-first"),
            story(visualSelectionPreference="prefer-stock"),
            "visualSelectionPreference",
        ),
        (story(storyboardVersion=3), story(storyboardVersion="v3"), "storyboardVersion"),
        (story(projectMetadata=[1]), story(projectMetadata={}), "projectMetadata"),
    ],
    ids=[
        "width-only",
        "height-only",
        "fractional-width",
        "aspect",
        "language-name",
        "language-case",
        "save-string",
        "webhook-scheme",
        "webhook-501",
        "webhook-input",
        "visual-preference",
        "version-number",
        "metadata-array",
    ],
)
def test_top_level_types_enumerations_and_limits(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    assert names(bad) == [field]
    assert names(good) == []


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        (
            story(brandId="b1", brandName="Corporate Blue"),
            story(brandName="Corporate Blue"),
            "brandName",
        ),
        (
            story(subtitleStyleId="s1", subtitleStyleName="Flash"),
            story(subtitleStyleId="s1"),
            "subtitleStyleName",
        ),
        (
            story(
                voiceOver={
                    "enabled": True,
                    "aiVoices": [{"speaker": "Brian"}],
                    "externalVoice": {"voiceUrl": "https://x.example/v.mp3"},
                }
            ),
            story(
                voiceOver={
                    "enabled": True,
                    "externalVoice": {"voiceUrl": "https://x.example/v.mp3", "syncVoice": True},
                }
            ),
            "voiceOver.externalVoice",
        ),
        (
            story(
                backgroundMusic={
                    "enabled": True,
                    "autoMusic": True,
                    "musicUrl": "https://x.example/m.mp3",
                }
            ),
            story(
                backgroundMusic={
                    "enabled": True,
                    "autoMusic": False,
                    "musicUrl": "https://x.example/m.mp3",
                }
            ),
            "backgroundMusic.musicUrl",
        ),
    ],
    ids=["brand", "subtitle-style", "voices", "music"],
)
def test_mutually_exclusive_top_level_pairs_report_the_second_field(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    assert names(bad) == [field]
    assert names(good) == []


def test_both_smart_layout_id_and_name_are_tolerated() -> None:
    assert names(story(smartLayoutId="abc", smartLayoutName="Wanderlust")) == []


def voice(**fields: Any) -> dict[str, Any]:
    return story(voiceOver={"enabled": True, "aiVoices": [{"speaker": "Martin", **fields}]})


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        (voice(speed=49), voice(speed=50), "voiceOver.aiVoices[0].speed"),
        (voice(speed=201), voice(speed=200), "voiceOver.aiVoices[0].speed"),
        (voice(speed="100"), voice(speed=100), "voiceOver.aiVoices[0].speed"),
        (
            voice(amplificationLevel=1.5),
            voice(amplificationLevel=-1),
            "voiceOver.aiVoices[0].amplificationLevel",
        ),
        (voice(speaker=""), voice(speaker="1001"), "voiceOver.aiVoices[0].speaker"),
        (voice(speaker=1001), voice(speaker="1001"), "voiceOver.aiVoices[0].speaker"),
        (
            voice(premiumVoiceSettings={"modelId": "eleven_v4"}),
            voice(premiumVoiceSettings={"modelId": "eleven_v3"}),
            "voiceOver.aiVoices[0].premiumVoiceSettings.modelId",
        ),
        (
            voice(premiumVoiceSettings={"stability": "60.5%"}),
            voice(
                premiumVoiceSettings={
                    "stability": "60%",
                    "similarityBoost": "75%",
                    "style": "20%",
                    "useSpeakerBoost": True,
                }
            ),
            "voiceOver.aiVoices[0].premiumVoiceSettings.stability",
        ),
        (
            story(voiceOver={"enabled": "yes"}),
            story(voiceOver={"enabled": False}),
            "voiceOver.enabled",
        ),
        (
            story(voiceOver={"enabled": True, "aiVoices": []}),
            story(voiceOver={"enabled": True}),
            "voiceOver.aiVoices",
        ),
        (
            story(voiceOver={"externalVoice": {"syncVoice": True}}),
            story(voiceOver={"externalVoice": {"voiceUrl": "https://x.example/v.mp3"}}),
            "voiceOver.externalVoice.voiceUrl",
        ),
    ],
    ids=[
        "speed-low",
        "speed-high",
        "speed-string",
        "amplification",
        "empty-speaker",
        "numeric-speaker",
        "premium-model",
        "premium-percent",
        "enabled-string",
        "no-voices",
        "external-url",
    ],
)
def test_voice_over_bounds_and_types(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    assert names(bad) == [field]
    assert names(good) == []


def music(**fields: Any) -> dict[str, Any]:
    return story(backgroundMusic={"enabled": True, "autoMusic": True, **fields})


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        (music(volume=1.2), music(volume=1), "backgroundMusic.volume"),
        (music(volume=-0.1), music(volume=0), "backgroundMusic.volume"),
        (
            music(clips=[{"start": 0, "end": 5}] * 11),
            music(clips=[{"start": 0, "end": 5}] * 10),
            "backgroundMusic.clips",
        ),
        (
            music(clips=[{"start": 5, "end": 2}]),
            music(clips=[{"start": 2, "end": 5}]),
            "backgroundMusic.clips[0].end",
        ),
        (music(autoMusic="true"), music(autoMusic=True), "backgroundMusic.autoMusic"),
    ],
    ids=["volume-high", "volume-negative", "eleven-clips", "clip-backwards", "auto-string"],
)
def test_background_music_bounds(bad: dict[str, Any], good: dict[str, Any], field: str) -> None:
    assert names(bad) == [field]
    assert names(good) == []


_SPEAKING = {"enabled": True, "aiVoices": [{"speaker": "Brian"}]}
_AVATAR = {
    "avatarId": "Annie_expressive12_public",
    "position": "bottom-right",
    "width": "25%",
    "borderRadius": "50%",
    "backgroundColor": "rgba(0,0,0,0)",
    "hide": False,
}


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        (story(avatar=_AVATAR), story(avatar=_AVATAR, voiceOver=_SPEAKING), "avatar"),
        (
            story(avatar=_AVATAR, voiceOver={"enabled": False}),
            story(avatar=_AVATAR, voiceOver=_SPEAKING),
            "avatar",
        ),
        (
            story(avatar={**_AVATAR, "avatarId": None}, voiceOver=_SPEAKING),
            story(avatar=_AVATAR, voiceOver=_SPEAKING),
            "avatar.avatarId",
        ),
        (
            story(avatar={**_AVATAR, "width": "25.5%"}, voiceOver=_SPEAKING),
            story(avatar=_AVATAR, voiceOver=_SPEAKING),
            "avatar.width",
        ),
        (
            story(logo={"url": "https://x.example/logo.png", "position": "middle"}),
            story(
                logo={"url": "https://x.example/logo.png", "position": "top-right", "width": "10%"}
            ),
            "logo.position",
        ),
        (
            story(logo={"position": "top-right"}),
            story(logo={"url": "https://x.example/l.png"}),
            "logo.url",
        ),
    ],
    ids=[
        "avatar-silent",
        "avatar-voice-off",
        "avatar-no-id",
        "avatar-width",
        "logo-position",
        "logo-url",
    ],
)
def test_avatar_needs_an_enabled_voice_over_and_logo_fields_are_checked(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    assert names(bad) == [field]
    assert names(good) == []


@pytest.mark.parametrize(
    ("bad", "good", "field"),
    [
        (
            story(destinations=[{"type": "vimeo", "folder_uri": "/videos/1"}]),
            story(
                vimeoConnectionId="c1", destinations=[{"type": "vimeo", "folder_uri": "/videos/1"}]
            ),
            "destinations[0]",
        ),
        (
            story(vimeoConnectionId="c1", destinations=[{"type": "youtube"}]),
            story(vimeoConnectionId="c1", destinations=[{"type": "vimeo"}]),
            "destinations[0].type",
        ),
        (
            story(vimeoConnectionId="c1", destinations=[{"type": "vimeo", "content_rating": [1]}]),
            story(
                vimeoConnectionId="c1",
                destinations=[{"type": "vimeo", "content_rating": ["safe"], "privacy": {}}],
            ),
            "destinations[0].content_rating[0]",
        ),
        (
            story(awsConnectionId=5),
            story(awsConnectionId="20241207042423053xmex5z9ag9ivmp21"),
            "awsConnectionId",
        ),
    ],
    ids=["vimeo-needs-connection", "destination-type", "content-rating", "aws-id"],
)
def test_destinations_and_connections(
    bad: dict[str, Any], good: dict[str, Any], field: str
) -> None:
    assert names(bad) == [field]
    assert names(good) == []


def test_several_violations_are_all_reported_with_readable_sentences() -> None:
    fields = validate_storyboard(
        {"videoName": "", "aspectRatio": "2:1", "brandId": "a", "brandName": "b", "scenes": []}
    )
    assert [f["name"] for f in fields] == ["videoName", "aspectRatio", "brandName", "scenes"]
    assert all(f'"{f["name"]}"' in f["errors"] for f in fields)
    assert "16:9" in fields[1]["errors"]
