"""Invariants of the sandbox voice catalogue and speaker resolution (REFERENCE §6.7, §10)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pictory_mcp.sandbox import catalog
from pictory_mcp.sandbox._rules_enums import SCRIPT_LANGUAGES

VOICE_KEYS = {
    "id", "name", "voice", "accent", "category", "engine", "gender", "language", "sample",
    "service", "ssmlHelp", "ssmlSupportCategory",
}  # fmt: skip
ENGINES = {
    "aws": {"neural", "standard"},
    "google": {"standard", "WaveNet", "Neural2"},
    "elevenlabs": {"eleven_monolingual_v1", "eleven_multilingual_v2"},
}
VENDOR_DIR = Path(__file__).resolve().parents[1] / "data" / "vendor-payloads"


def by_name(name: str) -> dict[str, object]:
    return next(v for v in catalog.voices() if v["name"] == name)


def test_every_voice_has_exactly_the_documented_keys_and_types() -> None:
    voices = catalog.voices()
    assert 40 <= len(voices) <= 60
    for voice in voices:
        assert set(voice) == VOICE_KEYS
        assert isinstance(voice["id"], int) and not isinstance(voice["id"], bool)
        assert voice["gender"] in {"female", "male"}
        assert voice["engine"] in ENGINES[voice["service"]]
        assert voice["sample"] == (
            f"https://samples.sandbox.pictory.invalid/voices/{voice['name'].lower()}.mp3"
        )


def test_names_and_ids_are_unique_ignoring_case() -> None:
    voices = catalog.voices()
    assert len({v["name"].casefold() for v in voices}) == len(voices)
    assert len({v["id"] for v in voices}) == len(voices)


def test_every_script_language_has_a_voice_and_no_voice_speaks_an_undocumented_one() -> None:
    prefixes = {v["language"].split("-")[0] for v in catalog.voices()}
    assert prefixes == set(SCRIPT_LANGUAGES)


def test_all_three_services_and_several_british_voices_are_offered() -> None:
    voices = catalog.voices()
    assert {v["service"] for v in voices} == {"aws", "google", "elevenlabs"}
    british = [v for v in voices if v["language"] == "en-GB" and "British" in v["accent"]]
    assert len(british) >= 4


@pytest.mark.parametrize(
    ("name", "track_id", "service", "engine", "language"),
    [
        ("Joanna", 1001, "aws", "neural", "en-US"),
        ("Fiona", 1034, "google", "WaveNet", "en-GB"),
        ("Shreya", 1039, "google", "WaveNet", "en-IN"),
    ],
)
def test_documented_example_voices_keep_their_documented_ids_and_services(
    name: str, track_id: int, service: str, engine: str, language: str
) -> None:
    voice = by_name(name)
    assert (voice["id"], voice["service"], voice["engine"], voice["language"]) == (
        track_id,
        service,
        engine,
        language,
    )
    assert voice["voice"] == ("en-GB-Wavenet-A_FEMALE" if name == "Fiona" else voice["voice"])


def test_voices_named_in_the_reference_and_vendor_payloads_all_resolve() -> None:
    named = {"Brian", "Martin", "Jackson", "Joanna", "Fiona", "Shreya"}
    for path in sorted(VENDOR_DIR.glob("*.json")):
        body = json.loads(path.read_text(encoding="utf-8"))
        named.update(v["speaker"] for v in body["voiceOver"]["aiVoices"])
    named.update(catalog.DEFAULT_VOICES.values())
    assert all(catalog.resolve_speaker(name) is not None for name in named)
    assert by_name("Brian")["language"] == "en-GB"


def test_the_documented_invalid_speaker_timm_is_unknown() -> None:
    assert catalog.resolve_speaker("Timm") is None
    assert catalog.resolve_speaker("timm") is None


def test_default_voices_follow_the_documented_table() -> None:
    assert dict(catalog.DEFAULT_VOICES) == {
        "en": "Martin", "nl": "Tim", "fr": "Gabriel", "de": "Wilbur", "it": "Marco",
        "pt": "Aurelio", "es": "Hugo", "hi": "Martin", "ru": "Martin",
    }  # fmt: skip
    assert by_name("Tim")["language"].startswith("nl")
    assert by_name("Hugo")["language"].startswith("es")


def test_resolution_tries_track_id_then_name_in_any_case_then_provider_id() -> None:
    resolved = catalog.resolve_speaker("1001")
    assert resolved is not None and resolved["name"] == "Joanna"
    template_voice = catalog.resolve_speaker("3108")
    assert template_voice is not None and template_voice["id"] == 3108
    upper = catalog.resolve_speaker("bRiAn")
    assert upper is not None and upper["name"] == "Brian"
    eleven = catalog.resolve_speaker("pNInz6obpgDQGcFmaJgB")
    assert eleven is not None and eleven["service"] == "elevenlabs"
    by_track = catalog.resolve_speaker("1776425060651")
    assert by_track is not None and by_track["voice"] == "pNInz6obpgDQGcFmaJgB"
    google = catalog.resolve_speaker("en-GB-Wavenet-A_FEMALE")
    assert google is not None and google["name"] == "Fiona"


def test_an_unknown_number_or_a_blank_speaker_resolves_to_nothing() -> None:
    assert catalog.resolve_speaker("999999") is None
    assert catalog.resolve_speaker("   ") is None
    assert catalog.resolve_speaker("pninz6obpgdqgcfmajgb") is None  # provider ids keep case


def test_callers_cannot_corrupt_the_cached_catalogue() -> None:
    catalog.voices()[0]["name"] = "Mutated"
    found = catalog.resolve_speaker("1001")
    assert found is not None
    found["name"] = "Mutated too"
    assert catalog.voices()[0]["name"] == "Joanna"
