"""What finished jobs contain: storyboards resolved into timed scenes, and the result fields of
render, preview, transcription and highlights jobs (REFERENCE §8.1, durations per §21).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from pictory_mcp.sandbox import catalog
from pictory_mcp.sandbox import text as textgen

DIMENSIONS = {"16:9": (1920, 1080), "9:16": (1080, 1920), "1:1": (1080, 1080), "4:5": (1080, 1350)}
VISUAL_ONLY_SECONDS = 5.0
IMAGE_CREDITS = {"seedream3.0": 2.0, "flux-schnell": 0.6, "nanobanana": 4.0, "nanobanana-pro": 14.0}
VIDEO_CREDITS_PER_SECOND = {"veo3.1": 20.0, "veo3.1_fast": 10.0, "pixverse5.5": 1.6}
VIDEO_DEFAULT_SECONDS = {"veo3.1": 4.0, "veo3.1_fast": 4.0, "pixverse5.5": 5.0}
_URL_SOURCES = ("blogUrl", "pptUrl", "url")
_VAR = re.compile(r"\{\{\s*([^}]+?)\s*\}\}")

Cue = tuple[float, float, str]


@dataclass
class Plan:
    """A storyboard resolved into timed sub-scenes."""

    name: str
    width: int
    height: int
    cues: list[Cue] = field(default_factory=list)
    backgrounds: list[dict[str, Any]] = field(default_factory=list)
    duration: float = 0.0
    ai_credits: float = 0.0
    voice: bool = False
    music: dict[str, Any] | None = None


def _dict(value: object) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


def _num(value: object, default: float) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return default


def speakers_in(body: dict[str, Any]) -> list[tuple[str, str]]:
    """Every `(field path, speaker)` the storyboard asks for, global and per scene."""
    found: list[tuple[str, str]] = []
    prefixes = [("voiceOver", _dict(body.get("voiceOver")))]
    for i, scene in enumerate(_list(body.get("scenes"))):
        prefixes.append((f"scenes[{i}].voiceOver", _dict(_dict(scene).get("voiceOver"))))
    for prefix, voice_over in prefixes:
        for j, voice in enumerate(_list(voice_over.get("aiVoices"))):
            speaker = _dict(voice).get("speaker")
            if isinstance(speaker, str):
                found.append((f"{prefix}.aiVoices[{j}].speaker", speaker))
    return found


def unreachable_source(body: dict[str, Any], prefixes: tuple[str, ...]) -> str | None:
    """The first blog/PPT URL the sandbox pretends it cannot fetch."""
    for scene in _list(body.get("scenes")):
        for key in _URL_SOURCES:
            url = _dict(scene).get(key)
            if not isinstance(url, str):
                continue
            host = (urlsplit(url).hostname or "").lower()
            if host.endswith(".invalid") or any(url.startswith(p) for p in prefixes):
                return url
    return None


def _dimensions(body: dict[str, Any]) -> tuple[int, int]:
    width, height = body.get("videoWidth"), body.get("videoHeight")
    if isinstance(width, int) and isinstance(height, int) and width > 0 and height > 0:
        return width, height
    return DIMENSIONS.get(str(body.get("aspectRatio", "16:9")), DIMENSIONS["16:9"])


def _transcript_texts(transcript: object) -> list[str]:
    texts = []
    for sentence in _list(transcript):
        words = [str(_dict(w).get("word", "")) for w in _list(_dict(sentence).get("words"))]
        text = " ".join(w for w in words if w.strip())
        if text:
            texts.append(text)
    return texts


def _scene_texts(scene: dict[str, Any]) -> list[str]:
    story = scene.get("story")
    if isinstance(story, str):
        story = re.sub(r"<[^>]+>", " ", story) if scene.get("isSSMLStory") else story
        parts = [story]
        if scene.get("createSceneOnNewLine"):
            parts = [line for p in parts for line in p.splitlines() if line.strip()]
        if scene.get("createSceneOnEndOfSentence"):
            parts = [s for p in parts for s in textgen.split_sentences(p)]
        return [p.strip() for p in parts if p.strip()] or [""]
    if scene.get("audioUrl") or scene.get("videoUrl"):
        # A repurpose scene with its own transcript plays just those words (e.g. highlights).
        spoken = _transcript_texts(scene.get("transcript"))
        if spoken:
            return spoken
    for key in (*_URL_SOURCES, "audioUrl", "videoUrl"):
        if isinstance(scene.get(key), str):
            return textgen.sentences_for(scene[key], 4)
    copilot = _dict(scene.get("storyCoPilot"))
    if isinstance(copilot.get("prompt"), str):
        return textgen.sentences_for(copilot["prompt"], 4)
    return [""]


def _pace(speaker: object) -> float:
    """Seconds a word for the voice named by `speaker` at speed 100 (see text.SECONDS_PER_WORD)."""
    found = catalog.resolve_speaker(speaker) if isinstance(speaker, str) else None
    track = found.get("id") if found else None
    return textgen.seconds_per_word(
        int(track) if isinstance(track, int | str) and str(track).isdigit() else None
    )


def _ai_credits(visual: dict[str, Any]) -> float:
    model = str(visual.get("model", ""))
    if model in IMAGE_CREDITS:
        return IMAGE_CREDITS[model]
    if model in VIDEO_CREDITS_PER_SECOND:
        raw = str(visual.get("videoDuration", "")).rstrip("s")
        seconds = float(raw) if raw.replace(".", "", 1).isdigit() else VIDEO_DEFAULT_SECONDS[model]
        return VIDEO_CREDITS_PER_SECOND[model] * seconds
    return 0.0


def _template_scenes(body: dict[str, Any], template: dict[str, Any] | None) -> list[dict[str, Any]]:
    variables = {str(k): str(v) for k, v in _dict(body.get("variables")).items()}

    def fill(match: re.Match[str]) -> str:
        return variables.get(match.group(1), match.group(0))

    scenes: list[dict[str, Any]] = []
    for scene in _list(_dict(template).get("scenes")):
        lines = [str(_dict(s).get("text", "")) for s in _list(_dict(scene).get("subtitles"))]
        story = _VAR.sub(fill, " ".join(line for line in lines if line))
        scenes.append({"story": story or "Template scene."})
    return scenes or [{"story": "Template scene."}]


def plan_storyboard(
    body: dict[str, Any], template: Callable[[str], dict[str, Any] | None] | None = None
) -> Plan:
    """Resolve a storyboard body into timed sub-scenes (durations per REFERENCE §21)."""
    width, height = _dimensions(body)
    plan = Plan(name=str(body.get("videoName") or "video"), width=width, height=height)
    scenes = [_dict(s) for s in _list(body.get("scenes"))]
    if not scenes and isinstance(body.get("templateId"), str) and template is not None:
        scenes = _template_scenes(body, template(body["templateId"]))
    voice_over = _dict(body.get("voiceOver"))
    voices = [_dict(v) for v in _list(voice_over.get("aiVoices"))]
    plan.voice = voice_over.get("enabled", True) is not False and bool(
        voices or voice_over.get("externalVoice")
    )
    music = _dict(body.get("backgroundMusic"))
    plan.music = music if music and music.get("enabled", True) is not False else None
    start = 0.0
    for i, scene in enumerate(scenes):
        scene_voices = [_dict(v) for v in _list(_dict(scene.get("voiceOver")).get("aiVoices"))]
        rotation = scene_voices or voices
        voice = rotation[i % len(rotation)] if rotation else {}
        speed = _num(voice.get("speed"), 100.0)
        speed = speed if speed > 0 else 100.0
        pace = _pace(voice.get("speaker"))
        texts = _scene_texts(scene)
        lengths = [textgen.word_count(t) * pace * 100.0 / speed for t in texts]
        floor = _num(scene.get("minimumDuration"), 0.0)
        if not any(lengths):  # visual-only: minimumDuration is the whole duration
            lengths = [(floor or VISUAL_ONLY_SECONDS) / len(texts)] * len(texts)
        if sum(lengths) < floor:
            lengths[-1] += floor - sum(lengths)
        lengths[-1] += max(0.0, _num(scene.get("endPauseDuration"), 0.0))
        background = _dict(scene.get("background"))
        for text, length in zip(texts, lengths, strict=True):
            if text and not scene.get("hideSubtitles"):
                plan.cues.append((round(start, 3), round(start + length, 3), text))
            plan.backgrounds.append({"background": background, "start": start, "length": length})
            start += length
        plan.ai_credits += _ai_credits(_dict(background.get("aiVisual")))
        for element in _list(scene.get("elements")):
            plan.ai_credits += _ai_credits(_dict(_dict(element).get("aiVisual")))
    plan.duration = round(start, 1)
    plan.ai_credits = round(plan.ai_credits, 2)
    return plan


def plan_render_params(params: dict[str, Any]) -> Plan:
    """Resolve an edited `renderParams` object (POST /v2/video/render) into a plan."""
    output = _dict(params.get("output"))
    name = str(output.get("title") or output.get("name") or "video").removesuffix(".mp4")
    plan = Plan(
        name=name,
        width=int(_num(output.get("width"), 1920)),
        height=int(_num(output.get("height"), 1080)),
    )
    end = 0.0
    for element in (_dict(e) for e in _list(params.get("elements"))):
        start = _num(element.get("startTime"), 0.0)
        length = _num(element.get("duration"), 0.0)
        end = max(end, start + length)
        if element.get("elementType") == "SceneText" and isinstance(element.get("text"), str):
            plan.cues.append((start, start + length, element["text"]))
    plan.cues.sort()
    plan.duration = round(end or VISUAL_ONLY_SECONDS, 1)
    return plan


def asset_base(root_url: str, job_id: str) -> str:
    return f"{root_url}/assets/{job_id}"


def render_result(job_id: str, root_url: str, plan: Plan, project_id: str | None) -> dict[str, Any]:
    base = asset_base(root_url, job_id)
    share = f"{root_url}/share/{job_id}"
    result: dict[str, Any] = {
        "progress": 100,
        "videoURL": f"{base}/video.mp4",
        "videoShareURL": share,
        "shareVideoURL": share,
        "audioURL": f"{base}/audio.mp3",
        "thumbnail": f"{base}/thumbnail.jpg",
        "srtFile": f"{base}/subtitles.srt",
        "vttFile": f"{base}/subtitles.vtt",
        "txtFile": f"{base}/subtitles.txt",
        "videoDuration": plan.duration,
        "aiCreditsUsed": plan.ai_credits,
    }
    if project_id is not None:
        result["projectId"] = project_id
    return result


def destination_results(body: dict[str, Any], job_id: str) -> dict[str, Any]:
    """What a render reports of its uploads. The reference says both the Pictory and the Vimeo
    URL are returned but not under which key (§18, §25): the sandbox uses `vimeoURL`."""
    vimeo = any(_dict(d).get("type") == "vimeo" for d in _list(body.get("destinations")))
    if not (vimeo and body.get("vimeoConnectionId")):
        return {}
    return {"vimeoURL": f"https://vimeo.com/{int(job_id.replace('-', '')[:10], 16) % 10**9}"}


def preview_result(
    job_id: str, root_url: str, body: dict[str, Any], plan: Plan, project_id: str | None
) -> dict[str, Any]:
    base = asset_base(root_url, job_id)
    total = plan.duration
    elements: list[dict[str, Any]] = []
    if plan.voice:
        elements.append(_audio("voiceOver", f"{base}/audio.mp3", total))
    if plan.music is not None:
        url = plan.music.get("musicUrl")
        music = _audio("bgMusic", url if isinstance(url, str) else f"{base}/audio.mp3", total)
        music["volume"] = _num(plan.music.get("volume"), 1.0)
        elements.append(music)
    cue_by_start = {start: text for start, _, text in plan.cues}
    for n, part in enumerate(plan.backgrounds, 1):
        background, start, length = part["background"], part["start"], part["length"]
        url = background.get("visualUrl")
        elements.append(
            {
                "id": f"backgroundElement_{n}",
                "elementType": "backgroundElement",
                "type": background.get("type", "video") if isinstance(url, str) else "video",
                "url": url if isinstance(url, str) else f"{base}/video.mp4",
                "startTime": round(start, 3),
                "duration": round(length, 3),
            }
        )
        caption = cue_by_start.get(round(start, 3))
        if caption:
            elements.append(
                {
                    "id": f"SceneText_{n}",
                    "elementType": "SceneText",
                    "type": "text",
                    "text": caption,
                    "startTime": round(start, 3),
                    "duration": round(length, 3),
                    "fontFamily": "Roboto",
                    "fontSize": 32,
                    "fontColor": "rgb(255,255,255)",
                }
            )
    storyboard = copy.deepcopy(body)
    storyboard.setdefault("aspectRatio", "16:9")
    storyboard.setdefault("language", "en")
    result: dict[str, Any] = {
        "preview": f"{root_url}/preview/{job_id}",
        "renderParams": {
            "output": {
                "name": f"{plan.name}.mp4",
                "title": plan.name,
                "format": "mp4",
                "width": plan.width,
                "height": plan.height,
            },
            "elements": elements,
        },
        "storyboard": storyboard,
    }
    if project_id is not None:
        result["projectId"] = project_id
    return result


def _audio(element_id: str, url: str, duration: float) -> dict[str, Any]:
    return {
        "id": element_id,
        "elementType": "audioElement",
        "type": "audio",
        "url": url,
        "startTime": 0,
        "duration": duration,
    }
