"""Pictory's storyboard field paths, as the create tools' argument paths that set them: a
problem found in a payload the server built is reported where the agent can fix it."""

from __future__ import annotations

import re
from collections.abc import Collection

# Payload path (list indexes as []) -> (the argument or option that sets it, path under it).
_FIELDS: dict[str, tuple[str, str]] = {
    "videoName": ("video_name", ""),
    "language": ("language", ""),
    "aspectRatio": ("aspect_ratio", ""),
    "voiceOver.aiVoices[].speaker": ("voice", ""),
    "voiceOver.aiVoices[].speed": ("voice_speed", ""),
    "voiceOver.aiVoices[].amplificationLevel": ("voice_volume", ""),
    "voiceOver.aiVoices[].premiumVoiceSettings.modelId": ("premium_voice", ".model"),
    "voiceOver.aiVoices[].premiumVoiceSettings.stability": ("premium_voice", ".stability"),
    "voiceOver.aiVoices[].premiumVoiceSettings.similarityBoost": ("premium_voice", ".similarity"),
    "voiceOver.aiVoices[].premiumVoiceSettings.style": ("premium_voice", ".style"),
    "voiceOver.aiVoices[].premiumVoiceSettings.useSpeakerBoost": (
        "premium_voice",
        ".speaker_boost",
    ),
    "voiceOver.aiVoices[].premiumVoiceSettings": ("premium_voice", ""),
    "voiceOver": ("voice", ""),
    "backgroundMusic.musicUrl": ("music_url", ""),
    "backgroundMusic": ("music_volume", ""),
    "subtitleStyleId": ("subtitle_style", ""),
    "subtitleStyle.fontFamily": ("subtitle_custom", ".font"),
    "subtitleStyle.fontSize": ("subtitle_custom", ".size"),
    "subtitleStyle.color": ("subtitle_custom", ".color"),
    "subtitleStyle.backgroundColor": ("subtitle_custom", ".background_color"),
    "subtitleStyle.keywordColor": ("subtitle_custom", ".keyword_color"),
    "subtitleStyle.decorations": ("subtitle_custom", ".decorations"),
    "subtitleStyle.case": ("subtitle_custom", ".case"),
    "subtitleStyle.alignment": ("subtitle_custom", ".alignment"),
    "subtitleStyle.position": ("subtitle_custom", ".position"),
    "subtitleStyle": ("subtitle_custom", ""),
    "brandId": ("brand", ""),
    "smartLayoutId": ("smart_layout", ""),
    "logo.url": ("logo_url", ""),
    "logo.position": ("logo_position", ""),
    "logo.width": ("logo_width", ""),
    "logo": ("logo_url", ""),
    "vimeoConnectionId": ("vimeo_connection_id", ""),
    "destinations[].folder_uri": ("vimeo_folder_uri", ""),
    "destinations[].privacy.view": ("vimeo_privacy", ""),
    "destinations": ("vimeo_connection_id", ""),
    "awsConnectionId": ("aws_connection_id", ""),
    "templateId": ("template_id", ""),
    "variables": ("variables", ""),
    "scenes[].story": ("script", ""),
    "scenes[].blogUrl": ("url", ""),
    "scenes[].pptUrl": ("ppt_url", ""),
    "scenes[].useSpeakerNotes": ("use_speaker_notes", ""),
}
_INDEX = re.compile(r"\[\d+\]")
# Pictory's field names inside a message, and the words an agent of the simple tools knows.
_WORDS = {
    "fontFamily": "font",
    "fontSize": "size",
    "fontUrl": "a custom font (not available here)",
    "backgroundColor": "background_color",
    "keywordColor": "keyword_color",
    "musicUrl": "music_url",
    "amplificationLevel": "voice_volume",
    "videoName": "video_name",
}
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b")


def argument_path(payload_path: str, top_level: Collection[str] = ()) -> str | None:
    """The argument path that sets `payload_path` (e.g. subtitleStyle.fontFamily ->
    options.extras.subtitle_custom.font), or None when no argument of the tool sets it."""
    # Imported here: _options imports _submit, which imports this module.
    from pictory_mcp.server.tools._options import option_path

    path = _INDEX.sub("[]", payload_path)
    while path:
        found = _FIELDS.get(path)
        if found is not None:
            name, under = found
            return option_path(name, top_level) + under
        path = path.rpartition(".")[0]
    return None


def agent_words(message: str) -> str:
    """`message` with Pictory's field names replaced by the simple tools' words."""
    return _WORD.sub(lambda m: _WORDS[m[1]], message)
