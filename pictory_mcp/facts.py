"""What Pictory's API documents, stated once for the client's request models and the server's
tools: the default address, the shape of a key and of a video name, enumerations and limits.

Imports only the standard library, so the server uses it at start-up for nothing (the client
and its models load on first use). The sandbox keeps its own reading of the same documents on
purpose; tests compare the two.
"""

from __future__ import annotations

import unicodedata
from typing import Literal, get_args

__all__ = [
    "AMPLIFICATION_MAX",
    "AMPLIFICATION_MIN",
    "AUDIO_LANGUAGES",
    "DEFAULT_BASE_URL",
    "FONTS",
    "KEY_PREFIX",
    "LANGUAGES",
    "MUSIC_PAGE_SIZE_MAX",
    "MUSIC_PAGE_SIZE_MIN",
    "MUSIC_VOLUME_MAX",
    "MUSIC_VOLUME_MIN",
    "VIDEO_NAME_MAX",
    "VOICE_SPEED_MAX",
    "VOICE_SPEED_MIN",
    "AspectRatio",
    "AudioLanguage",
    "Decoration",
    "ElevenLabsModel",
    "GridPosition",
    "Language",
    "TextCase",
    "VimeoPrivacy",
    "audio_language",
    "clean_video_name",
    "language_parts",
    "script_language",
]

DEFAULT_BASE_URL = "https://api.pictory.ai/pictoryapis"
KEY_PREFIX = "pictai_"
"""Every Pictory API key starts with this; redaction masks any token shaped like one."""

# --- enumerations (REFERENCE §6.1, §6.6, §6.7, §6.11, §18) ---------------------------------

Language = Literal[
    "ar", "zh", "nl", "en", "fr", "de", "hi", "id", "it", "ja",
    "ko", "mr", "pl", "pt", "ru", "es", "ta", "tr", "ur", "vi",
]  # fmt: skip
"""Script language of a storyboard (the vendor skill's 20 codes)."""
LANGUAGES: tuple[str, ...] = get_args(Language)

AudioLanguage = Literal[
    "en-US", "en-AU", "en-GB", "en-IN", "en-IE", "en-AB", "en-WL", "fr-CA", "fr-FR", "de-CH",
    "de-DE", "it-IT", "es-ES", "es-US", "nl-NL", "pt-BR", "ja-JP", "ko-KR", "ru-RU", "hi-IN",
    "ta-IN", "mr-IN",
]  # fmt: skip
"""Spoken language of an audioUrl/videoUrl scene, and of a transcription."""
AUDIO_LANGUAGES: tuple[str, ...] = get_args(AudioLanguage)


def language_parts(value: str) -> tuple[str, str]:
    """('es', 'ES') from 'es-ES', 'es_es' or ' ES-es '; the region is '' when none is given."""
    primary, _, region = value.strip().replace("_", "-").partition("-")
    return primary.lower(), region.upper()


def script_language(value: str) -> str | None:
    """The script `Language` code for 'es', 'es-ES', 'es_es' (any case), else None."""
    primary, _ = language_parts(value)
    return primary if primary in LANGUAGES else None


def audio_language(value: str) -> str | None:
    """The `AudioLanguage` locale for 'es-ES' (any case, '-' or '_'), or for a bare 'es' the
    language's own country ('es-ES', 'fr-FR') or else its first listed locale ('en-US');
    None when Pictory lists no such locale."""
    primary, region = language_parts(value)
    if region:
        wanted = f"{primary}-{region}"
        return wanted if wanted in AUDIO_LANGUAGES else None
    same = [loc for loc in AUDIO_LANGUAGES if loc.split("-")[0] == primary]
    own = f"{primary}-{primary.upper()}"
    return own if own in same else (same[0] if same else None)


AspectRatio = Literal["16:9", "9:16", "1:1", "4:5"]

GridPosition = Literal[
    "top-left", "top-center", "top-right", "center-left", "center-center", "center-right",
    "bottom-left", "bottom-center", "bottom-right",
]  # fmt: skip
"""The 9-grid preset used by fontStyle, logo and avatar."""

ElevenLabsModel = Literal[
    "eleven_v3", "eleven_multilingual_v2", "eleven_flash_v2_5", "eleven_turbo_v2_5",
    "eleven_turbo_v2", "eleven_flash_v2", "eleven_multilingual_v1", "eleven_monolingual_v1",
]  # fmt: skip
"""premiumVoiceSettings.modelId; only for voices whose service is elevenlabs."""

VimeoPrivacy = Literal["anybody", "unlisted", "nobody", "disable"]
"""A Vimeo destination's privacy.view."""

Decoration = Literal["bold", "underline", "italics", "linethrough"]
TextCase = Literal["uppercase", "lowercase", "capitalize", "smallcapitalize"]
"""fontStyle.decorations[] items and fontStyle.case."""

FONTS: frozenset[str] = frozenset(
    {
        "Anton", "Archivo Narrow", "Arial", "Averia Libre", "Barlow", "Barlow Black",
        "Bebas Neue", "Calibri", "Caprasimo", "Capriola", "Carter One", "Caveat",
        "Chakra Petch", "Chewy", "Comfortaa", "Courier Prime", "Dancing Script", "Dangrek",
        "Delius Unicase", "DM Sans", "Grandstander", "Gruppo", "Heartbeat", "Helvetica",
        "Helvetica Neue Medium", "JM Modern", "Josefin Sans", "Julius Sans One", "Laisha",
        "Lato", "Lato Extrabold", "Lexend", "LT Wave", "Manrope", "Merriweather",
        "Montserrat", "Moon dance", "Mustard", "Notosans", "Opensans", "Optik",
        "Party Confetti", "Patua One", "Playfair Display", "Plus Jakarta Sans", "Poppins",
        "Poppins Extrabold", "Proxima Nova", "Quicksand", "Raleway", "Raleway Black",
        "Raleway Thin", "Roboto", "Rokkitt", "Rowdies", "Russo One", "Satisfy", "Sora",
        "Source Sans Pro", "Space Grotesk", "Space mono", "Special Elite", "Strive",
        "Titillium Web", "Titillium Web Black", "Ubuntu", "Unbounded", "Work Sans",
        "Noto Sans JP", "Noto Serif JP", "Noto Sans Tamil", "Noto Sans Devanagari",
        "Noto Serif Devanagari",
    }
)  # fmt: skip
"""Built-in font families; any other name needs `fontUrl`."""

# --- limits (REFERENCE §6.7, §6.8, §6.13, §11) ----------------------------------------------------

VOICE_SPEED_MIN = 50
VOICE_SPEED_MAX = 200
"""An AI voice's speed, in percent (default 100)."""
AMPLIFICATION_MIN = -1
AMPLIFICATION_MAX = 1
"""A voice's amplificationLevel (default 0)."""
MUSIC_VOLUME_MIN = 0
MUSIC_VOLUME_MAX = 1
"""backgroundMusic.volume; Pictory plays the track at full volume when it is left out."""
MUSIC_PAGE_SIZE_MIN = 20
MUSIC_PAGE_SIZE_MAX = 100
"""pageSize of a music search (REFERENCE §11)."""

# --- video names (REFERENCE §6.1) -------------------------------------------------------------

VIDEO_NAME_MAX = 150
# A third-party client citing the docs: letters, digits, spaces, "_" and "-" only. Letters are
# read as every script's letters (with their accents and vowel signs): "Café", "Müller", "東京".
_VIDEO_NAME_KEPT = frozenset(" _-")


def _name_char(ch: str) -> bool:
    category = unicodedata.category(ch)
    return ch in _VIDEO_NAME_KEPT or category[0] in "LM" or category == "Nd"


def clean_video_name(text: str) -> str:
    """`text` as a videoName Pictory accepts: other characters become spaces, runs of spaces
    one, at most 150 characters; empty when nothing usable is left."""
    composed = unicodedata.normalize("NFC", text)  # "e" + combining accent is one letter "é"
    kept = "".join(ch if _name_char(ch) else " " for ch in composed)
    return " ".join(kept.split())[:VIDEO_NAME_MAX].strip()
