"""How long a video will be, worked out before it is submitted, from what Pictory documents
(REFERENCE §21): narration reads at about 2.5 words a second at voice speed 100, a scene lasts
at least its `minimumDuration` (all of it, for a scene without narration), plus its
`endPauseDuration`. Sources Pictory reads itself (an article, a deck, a media file) have no
length until Pictory has read them: the estimate says so, and why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "WORDS_PER_SECOND",
    "Length",
    "narration_seconds",
    "storyboard_length",
    "template_length",
]

WORDS_PER_SECOND = 2.5
"""Voice-over reading pace at speed 100 (REFERENCE §21: 150 words a minute)."""

# Scene sources whose length only Pictory can tell, and why, as the user reads it.
_UNKNOWN_SOURCES = {
    "blogUrl": "Pictory reads the article itself, so its length is known only once a preview "
    "is made",
    "pptUrl": "Pictory reads the presentation itself, so its length is known only once a "
    "preview is made",
    "videoUrl": "the length of the source video is not known before Pictory reads it",
    "audioUrl": "the length of the source audio is not known before Pictory reads it",
}
_PLACEHOLDER = re.compile(r"\{\{\s*([^{}]+?)\s*\}\}")


@dataclass(frozen=True)
class Length:
    """A video's estimated length in minutes, or None with the reason it cannot be known."""

    minutes: float | None
    why_unknown: str = ""

    @classmethod
    def of_seconds(cls, seconds: float) -> Length:
        return cls(round(seconds / 60.0, 2))


def narration_seconds(text: str, speed: float = 100.0) -> float:
    """Seconds a voice at `speed` percent takes to read `text`."""
    return len(text.split()) / WORDS_PER_SECOND * 100.0 / max(speed, 1.0)


def _speed(voice_over: object) -> float | None:
    """The mean speed of a voiceOver's AI voices (they rotate by scene); None without any."""
    voices = voice_over.get("aiVoices") if isinstance(voice_over, Mapping) else None
    if not isinstance(voices, list) or not voices:
        return None
    speeds = [
        float(v["speed"])
        if isinstance(v, Mapping) and isinstance(v.get("speed"), int | float)
        else 100.0
        for v in voices
    ]
    return sum(speeds) / len(speeds)


def _number(value: object) -> float:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def storyboard_length(payload: Mapping[str, Any]) -> Length:
    """The estimated length of a storyboard's video (a template storyboard: see
    `template_length`, whose scenes are the template's)."""
    if payload.get("templateId"):
        return Length(None, "the template's own scenes decide its length")
    speed = _speed(payload.get("voiceOver")) or 100.0
    scenes = payload.get("scenes")
    total = 0.0
    for number, scene in enumerate(scenes if isinstance(scenes, list) else [], start=1):
        if not isinstance(scene, Mapping):
            continue
        for source, why in _UNKNOWN_SOURCES.items():
            if scene.get(source):
                return Length(None, why)
        minimum = _number(scene.get("minimumDuration"))
        copilot = scene.get("storyCoPilot")
        story = scene.get("story")
        if isinstance(copilot, Mapping):
            seconds = _number(copilot.get("duration"))
            if not seconds:
                return Length(None, "Pictory writes the script itself and no duration was given")
        elif isinstance(story, str) and story.strip():
            seconds = narration_seconds(story, _speed(scene.get("voiceOver")) or speed)
        elif minimum:
            seconds = 0.0
        else:
            return Length(None, f"scene {number} has no narration and no minimumDuration")
        total += max(seconds, minimum) + _number(scene.get("endPauseDuration"))
    if total <= 0:
        return Length(None, "the storyboard has no scene with a length")
    return Length.of_seconds(total)


def template_length(
    template_scenes: list[Any],
    variables: Mapping[str, Any],
    placeholders: Mapping[str, Any],
    speed: float | None,
) -> Length:
    """The estimated length of a template's video: its scenes' subtitle text, with each
    `{{placeholder}}` read as the value given for it, narrated at `speed`."""
    values = {str(k): str(v) for k, v in variables.items()}
    for name, placeholder in placeholders.items():
        if str(name) in values:
            values.setdefault(str(placeholder), values[str(name)])

    def fill(match: re.Match[str]) -> str:
        return values.get(match.group(1), match.group(0))

    texts = [
        str(line["text"])
        for scene in template_scenes
        if isinstance(scene, Mapping)
        for line in scene.get("subtitles") or []
        if isinstance(line, Mapping) and isinstance(line.get("text"), str)
    ]
    if not texts:
        return Length(None, "the template lists no narration to measure")
    words = " ".join(_PLACEHOLDER.sub(fill, text) for text in texts)
    return Length.of_seconds(narration_seconds(words, speed or 100.0))
