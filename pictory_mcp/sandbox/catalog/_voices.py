"""The sandbox's voice-over tracks (GET /v1/voiceovers/tracks items) and speaker resolution.

Includes every voice REFERENCE.md and the vendor payloads name (Joanna 1001, Fiona 1034,
Shreya 1039, Brian, Martin, Jackson, the per-language defaults, track 3108, the ElevenLabs
provider id "pNInz6obpgDQGcFmaJgB"); "Timm", the documented invalid speaker, is absent.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Any

SAMPLE_HOST = "https://samples.sandbox.pictory.invalid/voices"

_SSML = {
    "aws": ("https://docs.aws.amazon.com/polly/latest/dg/supportedtags.html", "B", "standard"),
    "google": ("https://cloud.google.com/text-to-speech/docs/ssml", "C", "standard"),
    "elevenlabs": ("https://elevenlabs.io/docs/best-practices/prompting", "A", "premium"),
}

# (id, name, provider voice id, accent, engine, gender, locale, service)
_ROWS: tuple[tuple[int, str, str, str, str, str, str, str], ...] = (
    (1001, "Joanna", "Joanna", "American accent", "neural", "female", "en-US", "aws"),
    (1002, "Matthew", "Matthew", "American accent", "neural", "male", "en-US", "aws"),
    (1003, "Salli", "Salli", "American accent", "neural", "female", "en-US", "aws"),
    (1004, "Joey", "Joey", "American accent", "neural", "male", "en-US", "aws"),
    (1005, "Kendra", "Kendra", "American accent", "neural", "female", "en-US", "aws"),
    (1006, "Stephen", "Stephen", "American accent", "neural", "male", "en-US", "aws"),
    (1007, "Ruth", "Ruth", "American accent", "neural", "female", "en-US", "aws"),
    (1008, "Brian", "Brian", "British accent", "neural", "male", "en-GB", "aws"),
    (1009, "Amy", "Amy", "British accent", "neural", "female", "en-GB", "aws"),
    (1010, "Emma", "Emma", "British accent", "neural", "female", "en-GB", "aws"),
    (1011, "Arthur", "Arthur", "British accent", "neural", "male", "en-GB", "aws"),
    (1012, "Olivia", "Olivia", "Australian accent", "neural", "female", "en-AU", "aws"),
    (1013, "Russell", "Russell", "Australian accent", "standard", "male", "en-AU", "aws"),
    (1014, "Niamh", "Niamh", "Irish accent", "neural", "female", "en-IE", "aws"),
    (1015, "Kajal", "Kajal", "Indian accent", "neural", "female", "en-IN", "aws"),
    (1020, "Martin", "en-US-Neural2-D", "American accent", "Neural2", "male", "en-US", "google"),
    (1021, "Grace", "en-US-Wavenet-F", "American accent", "WaveNet", "female", "en-US", "google"),
    (
        1034,
        "Fiona",
        "en-GB-Wavenet-A_FEMALE",
        "British accent",
        "WaveNet",
        "female",
        "en-GB",
        "google",
    ),
    (1035, "Oliver", "en-GB-Wavenet-B", "British accent", "WaveNet", "male", "en-GB", "google"),
    (
        1039,
        "Shreya",
        "en-IN-Wavenet-A_FEMALE",
        "Indian accent",
        "WaveNet",
        "female",
        "en-IN",
        "google",
    ),
    (1040, "Arjun", "en-IN-Wavenet-B", "Indian accent", "WaveNet", "male", "en-IN", "google"),
    (1050, "Tim", "nl-NL-Wavenet-B", "Dutch accent", "WaveNet", "male", "nl-NL", "google"),
    (1051, "Laura", "Laura", "Dutch accent", "neural", "female", "nl-NL", "aws"),
    (1052, "Gabriel", "fr-FR-Neural2-B", "French accent", "Neural2", "male", "fr-FR", "google"),
    (1053, "Lea", "Lea", "French accent", "neural", "female", "fr-FR", "aws"),
    (1054, "Gabrielle", "Gabrielle", "Canadian French accent", "neural", "female", "fr-CA", "aws"),
    (1055, "Wilbur", "de-DE-Wavenet-B", "German accent", "WaveNet", "male", "de-DE", "google"),
    (1056, "Vicki", "Vicki", "German accent", "neural", "female", "de-DE", "aws"),
    (1057, "Marco", "it-IT-Wavenet-C", "Italian accent", "WaveNet", "male", "it-IT", "google"),
    (1058, "Bianca", "Bianca", "Italian accent", "neural", "female", "it-IT", "aws"),
    (1059, "Aurelio", "pt-BR-Wavenet-B", "Brazilian accent", "WaveNet", "male", "pt-BR", "google"),
    (1060, "Camila", "Camila", "Brazilian accent", "neural", "female", "pt-BR", "aws"),
    (1061, "Hugo", "es-ES-Wavenet-B", "Castilian accent", "WaveNet", "male", "es-ES", "google"),
    (1062, "Lucia", "Lucia", "Castilian accent", "neural", "female", "es-ES", "aws"),
    (1063, "Lupe", "Lupe", "US Spanish accent", "neural", "female", "es-US", "aws"),
    (1064, "Zhiyu", "Zhiyu", "Mandarin accent", "neural", "female", "zh-CN", "aws"),
    (1065, "Takumi", "Takumi", "Japanese accent", "neural", "male", "ja-JP", "aws"),
    (1066, "Kazuha", "Kazuha", "Japanese accent", "neural", "female", "ja-JP", "aws"),
    (1067, "Seoyeon", "Seoyeon", "Korean accent", "neural", "female", "ko-KR", "aws"),
    (1068, "Tatyana", "Tatyana", "Russian accent", "standard", "female", "ru-RU", "aws"),
    (1069, "Maxim", "Maxim", "Russian accent", "standard", "male", "ru-RU", "aws"),
    (1070, "Aditi", "Aditi", "Indian accent", "standard", "female", "hi-IN", "aws"),
    (1071, "Kabir", "hi-IN-Wavenet-C", "Indian accent", "WaveNet", "male", "hi-IN", "google"),
    (1072, "Hala", "Hala", "Gulf Arabic accent", "neural", "female", "ar-AE", "aws"),
    (1073, "Ola", "Ola", "Polish accent", "neural", "female", "pl-PL", "aws"),
    (1074, "Filiz", "Filiz", "Turkish accent", "standard", "female", "tr-TR", "aws"),
    (1075, "Putri", "id-ID-Wavenet-A", "Indonesian accent", "WaveNet", "female", "id-ID", "google"),
    (1076, "Linh", "vi-VN-Wavenet-A", "Vietnamese accent", "WaveNet", "female", "vi-VN", "google"),
    (1077, "Zara", "ur-IN-Wavenet-A", "Urdu accent", "WaveNet", "female", "ur-IN", "google"),
    (1078, "Aarohi", "mr-IN-Wavenet-A", "Marathi accent", "WaveNet", "female", "mr-IN", "google"),
    (1079, "Kavya", "ta-IN-Wavenet-A", "Tamil accent", "WaveNet", "female", "ta-IN", "google"),
    (3108, "Jackson", "en-US-Standard-J", "American accent", "standard", "male", "en-US", "google"),
    (
        1776425060651,
        "Adam",
        "pNInz6obpgDQGcFmaJgB",
        "American accent",
        "eleven_multilingual_v2",
        "male",
        "en-US",
        "elevenlabs",
    ),
    (
        1776425060652,
        "Rachel",
        "21m00Tcm4TlvDq8ikWAM",
        "American accent",
        "eleven_multilingual_v2",
        "female",
        "en-US",
        "elevenlabs",
    ),
    (
        1776425060653,
        "George",
        "JBFqnCBsd6RMkjVDRZzb",
        "British accent",
        "eleven_multilingual_v2",
        "male",
        "en-GB",
        "elevenlabs",
    ),
    (
        1776425060654,
        "Charlotte",
        "XB0fDUnXU5powFXDhCwa",
        "British accent",
        "eleven_monolingual_v1",
        "female",
        "en-GB",
        "elevenlabs",
    ),
    (
        1776425060655,
        "Lily",
        "pFZP5JQG7iQjIQuC4Bku",
        "British accent",
        "eleven_multilingual_v2",
        "female",
        "en-GB",
        "elevenlabs",
    ),
)

# Documented default speakers per script language (§6.7); hi and ru fall back to Martin.
DEFAULT_VOICES = MappingProxyType(
    {
        "en": "Martin",
        "nl": "Tim",
        "fr": "Gabriel",
        "de": "Wilbur",
        "it": "Marco",
        "pt": "Aurelio",
        "es": "Hugo",
        "hi": "Martin",
        "ru": "Martin",
    }
)


def build_voices() -> list[dict[str, Any]]:
    """The track list in its documented item shape, ordered by id."""
    voices = []
    for track_id, name, voice, accent, engine, gender, locale, service in _ROWS:
        ssml_help, ssml_category, category = _SSML[service]
        voices.append(
            {
                "id": track_id,
                "name": name,
                "voice": voice,
                "accent": accent,
                "category": category,
                "engine": engine,
                "gender": gender,
                "language": locale,
                "sample": f"{SAMPLE_HOST}/{name.lower()}.mp3",
                "service": service,
                "ssmlHelp": ssml_help,
                "ssmlSupportCategory": ssml_category,
            }
        )
    return sorted(voices, key=lambda v: int(v["id"]))


def find_speaker(voices: list[dict[str, Any]], speaker: str) -> dict[str, Any] | None:
    """Resolution order of the docs: numeric track id, then name (any case), then provider id."""
    wanted = speaker.strip()
    if not wanted:
        return None
    if wanted.isdigit():
        for voice in voices:
            if str(voice["id"]) == wanted:
                return voice
    folded = wanted.casefold()
    for voice in voices:
        if str(voice["name"]).casefold() == folded:
            return voice
    for voice in voices:
        if voice["voice"] == wanted:
            return voice
    return None
