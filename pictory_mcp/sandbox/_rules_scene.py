"""Rules for one storyboard scene (§6.2) and the voice-over / music / avatar objects (§6.7–§6.9).

Choices where REFERENCE leaves room: blog and PowerPoint scenes use `blogUrl` / `pptUrl` (the
guides' `url` is an unknown field and so ignored) plus an optional scene `useSpeakerNotes` bool;
`backgroundCorpus` is the name of the image-pool array; a scene with no content source must
have a background. Documented per-scene prohibitions (a scene `avatar.avatarId`, scene
`backgroundMusic` track/volume fields) are reported rather than silently stripped.
"""

from __future__ import annotations

from typing import Any

from ._rules_base import Checker, at, is_number, is_percent, present
from ._rules_enums import (
    AUDIO_LANGUAGES,
    ELEVENLABS_MODELS,
    POSITION_PRESETS,
    SCENE_TRANSITIONS,
    STORY_COPILOT_PLATFORMS,
    STORY_COPILOT_TONES,
    STORY_COPILOT_VIDEO_TYPES,
    VISUAL_TYPES,
)
from ._rules_style import check_font_style
from ._rules_visual import check_background, check_elements

CONTENT_SOURCES = ("story", "storyCoPilot", "blogUrl", "pptUrl", "audioUrl", "videoUrl")
_MEDIA_SOURCES = ("audioUrl", "videoUrl")
_SPLIT_FLAGS = ("createSceneOnNewLine", "createSceneOnEndOfSentence")


def check_scene(c: Checker, scene: dict[str, Any], path: str, *, smart_layout: bool) -> None:
    """Check the scene object at `path` (e.g. "scenes[2]")."""
    _check_content(c, scene, path)
    maxlines = c.number(scene, "maxSubtitleLines", path, integer=True, lo=1, hi=4)
    if maxlines is not None and smart_layout:
        name = at(path, "maxSubtitleLines")
        c.fail(name, f'"{name}" cannot be combined with a smart layout')
    for key in ("highlightKeywords", "hideSubtitles"):
        c.boolean(scene, key, path)
    c.number(scene, "minimumDuration", path, lo=0)
    c.number(scene, "endPauseDuration", path, lo=0)
    c.string(scene, "sceneTransition", path, choices=SCENE_TRANSITIONS)
    style = c.obj(scene, "subtitleStyle", path)
    if style is not None:
        check_font_style(c, style, at(path, "subtitleStyle"))
    background = c.obj(scene, "background", path)
    if background is not None:
        check_background(c, background, at(path, "background"))
    brolls = c.array(scene, "backgroundBrolls", path)
    for i, raw in enumerate(brolls or []):
        name = f"{at(path, 'backgroundBrolls')}[{i}]"
        broll = c.item_obj(raw, name)
        if broll is not None:
            check_background(c, broll, name, broll=True)
    pool = c.array(scene, "backgroundCorpus", path)
    for i, raw in enumerate(pool or []):
        name = f"{at(path, 'backgroundCorpus')}[{i}]"
        item = c.item_obj(raw, name)
        if item is not None:
            c.string(item, "visualUrl", name, required=True, url=True)
            c.string(item, "type", name, choices=VISUAL_TYPES)
    voice = c.obj(scene, "voiceOver", path)
    if voice is not None:
        check_voice_over(c, voice, at(path, "voiceOver"))
    music = c.obj(scene, "backgroundMusic", path)
    if music is not None:
        name = at(path, "backgroundMusic")
        c.boolean(music, "enabled", name)
        for key in ("autoMusic", "musicUrl", "volume", "clips"):
            if present(music, key):
                c.fail(at(name, key), f'"{at(name, key)}": a scene can only switch music on or off')
    avatar = c.obj(scene, "avatar", path)
    if avatar is not None:
        _check_scene_avatar(c, avatar, at(path, "avatar"))
    if present(scene, "elements"):
        check_elements(c, scene, path)


def _check_content(c: Checker, scene: dict[str, Any], path: str) -> None:
    given = [k for k in CONTENT_SOURCES if present(scene, k)]
    if len(given) > 1:
        c.fail(
            path,
            f'"{path}" takes exactly one content source ({", ".join(CONTENT_SOURCES)}); '
            f"found {' and '.join(given)}",
        )
    elif not given and not present(scene, "background"):
        c.fail(
            path,
            f'"{path}" needs a content source ({", ".join(CONTENT_SOURCES)}) '
            "or, for a visual-only scene, a background",
        )
    c.string(scene, "story", path, min_len=1, max_len=15000)
    has_story = present(scene, "story")
    if c.boolean(scene, "isSSMLStory", path) and not has_story:
        c.fail(at(path, "isSSMLStory"), f'"{at(path, "isSSMLStory")}" is only allowed with "story"')
    splits = [k for k in _SPLIT_FLAGS if c.boolean(scene, k, path)]
    if c.string(scene, "caption", path) is not None:
        name = at(path, "caption")
        if not has_story:
            c.fail(name, f'"{name}" requires "story"')
        if splits:
            c.fail(name, f'"{name}" cannot be combined with "{splits[0]}"')
    copilot = c.obj(scene, "storyCoPilot", path)
    if copilot is not None:
        name = at(path, "storyCoPilot")
        c.string(copilot, "prompt", name, required=True, min_len=1, max_len=5000)
        c.string(copilot, "videoType", name, choices=STORY_COPILOT_VIDEO_TYPES)
        c.number(copilot, "duration", name, lo=1, hi=600)
        c.string(copilot, "platform", name, choices=STORY_COPILOT_PLATFORMS)
        c.string(copilot, "tone", name, choices=STORY_COPILOT_TONES)
    for key in ("blogUrl", "pptUrl", *_MEDIA_SOURCES):
        c.string(scene, key, path, url=True)
    c.boolean(scene, "useSpeakerNotes", path)
    is_media = any(present(scene, k) for k in _MEDIA_SOURCES)
    c.string(scene, "audioLanguage", path, required=is_media, choices=AUDIO_LANGUAGES)
    c.array(scene, "transcript", path)
    c.obj(scene, "mediaRepurposeSettings", path)
    for key in ("transcript", "mediaRepurposeSettings"):
        if present(scene, key) and not is_media:
            c.fail(
                at(path, key), f'"{at(path, key)}" is only allowed with "audioUrl" or "videoUrl"'
            )


def check_voice_over(c: Checker, vo: dict[str, Any], path: str) -> None:
    """Check a global or per-scene `voiceOver` object."""
    c.boolean(vo, "enabled", path)
    voices = c.array(vo, "aiVoices", path, min_items=1)
    for i, raw in enumerate(voices or []):
        name = f"{at(path, 'aiVoices')}[{i}]"
        voice = c.item_obj(raw, name)
        if voice is None:
            continue
        c.string(voice, "speaker", name, required=True, min_len=1)
        c.number(voice, "speed", name, lo=50, hi=200)
        c.number(voice, "amplificationLevel", name, lo=-1, hi=1)
        premium = c.obj(voice, "premiumVoiceSettings", name)
        if premium is not None:
            pname = at(name, "premiumVoiceSettings")
            c.string(premium, "modelId", pname, choices=ELEVENLABS_MODELS)
            for key in ("stability", "similarityBoost", "style"):
                c.percent(premium, key, pname)
            c.boolean(premium, "useSpeakerBoost", pname)
    external = c.obj(vo, "externalVoice", path)
    if external is not None:
        name = at(path, "externalVoice")
        c.string(external, "voiceUrl", name, required=True, url=True)
        c.boolean(external, "syncVoice", name)
        c.number(external, "amplificationLevel", name, lo=-1, hi=1)
    c.exclusive(vo, "aiVoices", "externalVoice", path)


def check_background_music(c: Checker, music: dict[str, Any], path: str) -> None:
    """Check the top-level `backgroundMusic` object (§6.8)."""
    c.boolean(music, "enabled", path)
    auto = c.boolean(music, "autoMusic", path)
    url = c.string(music, "musicUrl", path, url=True)
    if auto and url is not None:
        name = at(path, "musicUrl")
        c.fail(name, f'"{at(path, "autoMusic")}" and "{name}" are mutually exclusive')
    c.number(music, "volume", path, lo=0, hi=1)
    c.clips(music, "clips", path)


def check_avatar_common(c: Checker, avatar: dict[str, Any], path: str) -> None:
    """Fields shared by the top-level avatar and its per-scene overrides."""
    c.string(avatar, "position", path, choices=POSITION_PRESETS)
    c.percent(avatar, "width", path)
    c.boolean(avatar, "hide", path)
    c.color(avatar, "backgroundColor", path)
    if present(avatar, "borderRadius"):
        radius = avatar["borderRadius"]
        ok = (isinstance(radius, str) and is_percent(radius)) or (is_number(radius) and radius >= 0)
        if not ok:
            name = at(path, "borderRadius")
            c.fail(name, f'"{name}" must be an integer percentage string or a non-negative number')


def _check_scene_avatar(c: Checker, avatar: dict[str, Any], path: str) -> None:
    check_avatar_common(c, avatar, path)
    if present(avatar, "avatarId"):
        name = at(path, "avatarId")
        c.fail(name, f'"{name}" can only be set on the top-level avatar')
    for key in ("top", "left"):
        c.percent(avatar, key, path)
    if present(avatar, "position"):
        clash = next((k for k in ("top", "left") if present(avatar, k)), None)
        if clash is not None:
            name = at(path, clash)
            c.fail(name, f'"{at(path, "position")}" and "{name}" are mutually exclusive')
    c.color(avatar, "borderColor", path)
    c.number(avatar, "borderThickness", path, lo=0)
