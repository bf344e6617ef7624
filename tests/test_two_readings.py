"""The client's models and the sandbox's rules are two independent readings of Pictory's
reference; these tests hold them to the same answers.

Every body the client's rule tests refuse is refused by the sandbox too (raw JSON through its
validators), and the valid payloads pass both, except where the client is deliberately
stricter than anything the reference says Pictory refuses: those cases are listed below with
the reason, and the sandbox must keep accepting them, so the list cannot go stale. Tables
both sides hold on purpose (catalogues, enumerations, default voices, limits) are compared
one by one.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, get_args

import pytest
from pydantic import ValidationError

from pictory_mcp import facts
from pictory_mcp.api.models import (
    Destination,
    HighlightsFromJobRequest,
    HighlightsRequest,
    MusicSearchRequest,
    Storyboard,
    TranscriptionRequest,
    _enums,
)
from pictory_mcp.sandbox import rules as sandbox
from pictory_mcp.sandbox._rules_enums import (
    ALIGNMENTS,
    ANIMATION_DIRECTIONS,
    ANIMATION_NAMES,
    ANIMATION_SPEEDS,
    ANIMATION_TYPES,
    ASPECT_RATIOS,
    AUDIO_LANGUAGES,
    DECORATIONS,
    DESTINATION_TYPES,
    ELEVENLABS_MODELS,
    FONT_POSITIONS,
    FONTS,
    FUTURE_WORDS,
    IMAGE_MODELS,
    MEDIA_STYLES,
    MUSIC_SORTS,
    POSITION_PRESETS,
    SCENE_TRANSITIONS,
    SCRIPT_LANGUAGES,
    SEARCH_LIBRARIES,
    SHAPE_NAMES,
    STOCK_CATEGORIES,
    STORY_COPILOT_PLATFORMS,
    STORY_COPILOT_TONES,
    STORY_COPILOT_VIDEO_TYPES,
    TEXT_CASES,
    TEXT_VARIANTS,
    TRANSCRIPTION_MEDIA_TYPES,
    VIDEO_MODEL_DURATIONS,
    VISUAL_SELECTION_PREFERENCES,
    WRITING_STYLES,
    is_stock_category,
)
from pictory_mcp.sandbox.catalog._voices import DEFAULT_VOICES as SANDBOX_DEFAULT_VOICES
from pictory_mcp.server.voice_names import DEFAULT_VOICES
from tests.api.cases import BASE, MINIMAL, REQUEST_REFUSALS, RICH, RULES, mutate

# Refused by the client, accepted by the sandbox, on purpose. The reference documents no
# refusal for these (and the sandbox imitates Pictory), but each would reach Pictory as
# something it ignores or reads differently from what was meant, so the client stops it
# before a render is paid for.
CLIENT_STRICTER: dict[str, str] = {
    "variables without template": "variables only fill a template; alone they are ignored",
    "smart layout id and name": "only brand and subtitle-style pairs are documented as "
    "exclusive; with both, which layout Pictory uses is not documented",
    "speaker notes without ppt": "useSpeakerNotes is a pptUrl option; elsewhere it is ignored",
    "font wrongly cased": "the reference lists font names without saying how they match; the "
    "client asks for the listed spelling, as it does for voice names (the sandbox folds case)",
    "speed value without custom": 'customSpeedValue only applies to speed "custom"',
    "engine pinned to an unknown version": 'any storyboardVersion but "v3" pins the v2 engine, '
    "where v3 features silently stop working",
}
# The client forbids unknown fields so that our own typos fail loudly; Pictory (and so the
# sandbox) strips them without an error.
UNKNOWN_FIELD = "Extra inputs"

SANDBOX_VALIDATORS: dict[type[Any], Callable[[object], list[dict[str, str]]]] = {
    TranscriptionRequest: sandbox.validate_transcription,
    HighlightsFromJobRequest: sandbox.validate_highlights_from_job,
    HighlightsRequest: sandbox.validate_highlights,
    MusicSearchRequest: sandbox.validate_music_search,
}


def aliases(model: type[Any]) -> set[str]:
    return {f.alias for f in model.model_fields.values() if f.alias}


def client_refuses(payload: dict[str, Any]) -> bool:
    try:
        Storyboard.model_validate(payload)
    except ValidationError:
        return True
    return False


# --- valid payloads ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "payload", [BASE, MINIMAL, RICH], ids=["rule-table-base", "minimal", "every-optional-part"]
)
def test_a_valid_payload_is_accepted_by_both_readings(payload: dict[str, Any]) -> None:
    body = Storyboard.model_validate(payload).to_payload()
    assert sandbox.validate_storyboard(payload) == []
    assert sandbox.validate_storyboard(body) == []  # what the client would send


# --- refusals --------------------------------------------------------------------------------


def test_every_deliberately_stricter_case_is_in_the_rule_table() -> None:
    assert set(CLIENT_STRICTER) <= {name for name, _, _ in RULES}


@pytest.mark.parametrize(
    "changes",
    [pytest.param(c, id=name) for name, c, _ in RULES if name not in CLIENT_STRICTER],
)
def test_a_storyboard_the_client_refuses_is_refused_by_the_sandbox_too(
    changes: dict[str, Any],
) -> None:
    payload = mutate(changes)
    assert client_refuses(payload)
    assert sandbox.validate_storyboard(payload) != []


@pytest.mark.parametrize(
    "changes", [pytest.param(c, id=name) for name, c, _ in RULES if name in CLIENT_STRICTER]
)
def test_only_the_client_refuses_what_the_reference_lets_through(changes: dict[str, Any]) -> None:
    payload = mutate(changes)
    assert client_refuses(payload)
    assert sandbox.validate_storyboard(payload) == []


@pytest.mark.parametrize(
    ("model", "body", "fragment"),
    [pytest.param(m, b, f, id=f"{m.__name__}-{sorted(b)}") for m, b, f in REQUEST_REFUSALS],
)
def test_a_request_body_the_client_refuses_is_refused_by_the_sandbox_too(
    model: type[Any], body: dict[str, Any], fragment: str
) -> None:
    with pytest.raises(ValidationError):
        model.model_validate(body)
    validate = SANDBOX_VALIDATORS[model]
    if fragment == UNKNOWN_FIELD:
        known = {k: v for k, v in body.items() if k in model.model_fields or k in aliases(model)}
        assert validate(body) == validate(known)  # the unknown field itself is ignored
    else:
        assert validate(body) != []


# --- limits ----------------------------------------------------------------------------------

# (dotted path in BASE, the smallest and the largest value both readings accept)
LIMITS: list[tuple[str, Any, Any]] = [
    ("voiceOver.aiVoices.0.speed", facts.VOICE_SPEED_MIN, facts.VOICE_SPEED_MAX),
    (
        "voiceOver.aiVoices.0.amplificationLevel",
        facts.AMPLIFICATION_MIN,
        facts.AMPLIFICATION_MAX,
    ),
    ("backgroundMusic.volume", facts.MUSIC_VOLUME_MIN, facts.MUSIC_VOLUME_MAX),
    ("scenes.0.maxSubtitleLines", 1, 4),
    ("scenes.0.story", "x", "x" * 15_000),
]


@pytest.mark.parametrize(("path", "low", "high"), LIMITS, ids=[p for p, _, _ in LIMITS])
def test_both_readings_draw_a_limit_at_the_same_place(path: str, low: Any, high: Any) -> None:
    for inside in (low, high):
        payload = mutate({path: inside})
        assert not client_refuses(payload), inside
        assert sandbox.validate_storyboard(payload) == [], inside
    if isinstance(low, str):
        outside: list[Any] = [high + "x"]
    else:
        step = 1 if isinstance(low, int) else 0.5
        outside = [low - step, high + step]
    for value in outside:
        payload = mutate({path: value})
        assert client_refuses(payload), value
        assert sandbox.validate_storyboard(payload) != [], value


def test_both_readings_bound_a_music_search_page_the_same_way() -> None:
    for size in (facts.MUSIC_PAGE_SIZE_MIN, facts.MUSIC_PAGE_SIZE_MAX):
        MusicSearchRequest.model_validate({"pageSize": size})
        assert sandbox.validate_music_search({"pageSize": size}) == []


# --- tables both sides hold ------------------------------------------------------------------


def literal(alias: Any) -> set[str]:
    """The values of a Literal, also when it is wrapped in `X | None`."""
    values: set[str] = set()
    for arg in get_args(alias):
        if isinstance(arg, str):
            values.add(arg)
        elif arg is not type(None):
            values |= literal(arg)
    return values


ENUMERATIONS: list[tuple[str, set[Any], frozenset[Any]]] = [
    ("script languages", literal(facts.Language), SCRIPT_LANGUAGES),
    ("audio languages", literal(facts.AudioLanguage), AUDIO_LANGUAGES),
    ("aspect ratios", literal(facts.AspectRatio), ASPECT_RATIOS),
    ("font positions", literal(facts.GridPosition), FONT_POSITIONS),
    ("elevenlabs models", literal(facts.ElevenLabsModel), ELEVENLABS_MODELS),
    ("element positions", literal(_enums.ElementPosition), POSITION_PRESETS),
    ("scene transitions", literal(_enums.SceneTransition), SCENE_TRANSITIONS),
    ("media styles", literal(_enums.MediaStyle), MEDIA_STYLES),
    ("stock libraries", literal(_enums.StockLibrary), SEARCH_LIBRARIES),
    ("text variants", literal(_enums.TextVariant), TEXT_VARIANTS),
    ("alignments", literal(_enums.Alignment), ALIGNMENTS),
    ("decorations", literal(_enums.Decoration), DECORATIONS),
    ("text cases", literal(_enums.TextCase), TEXT_CASES),
    ("animation names", literal(_enums.AnimationName), ANIMATION_NAMES),
    ("animation types", literal(_enums.AnimationType), ANIMATION_TYPES),
    ("animation speeds", literal(_enums.AnimationSpeed), ANIMATION_SPEEDS),
    ("animation directions", literal(_enums.Direction), ANIMATION_DIRECTIONS),
    ("writing styles", literal(_enums.WritingStyle), WRITING_STYLES),
    ("future words", literal(_enums.FutureWords), FUTURE_WORDS),
    ("copilot video types", literal(_enums.VideoType), STORY_COPILOT_VIDEO_TYPES),
    ("copilot platforms", literal(_enums.Platform), STORY_COPILOT_PLATFORMS),
    ("copilot tones", literal(_enums.Tone), STORY_COPILOT_TONES),
    (
        "visual selection preferences",
        literal(_enums.VisualSelectionPreference),
        VISUAL_SELECTION_PREFERENCES,
    ),
    ("fonts", set(_enums.FONTS), frozenset(FONTS)),
    ("shapes", set(_enums.SHAPES), SHAPE_NAMES),
    (
        "ai video durations",
        set(_enums.VIDEO_DURATIONS.items()),
        frozenset(VIDEO_MODEL_DURATIONS.items()),
    ),
    ("music sorts", literal(MusicSearchRequest.model_fields["sort"].annotation), MUSIC_SORTS),
    (
        "transcription media types",
        literal(TranscriptionRequest.model_fields["media_type"].annotation),
        TRANSCRIPTION_MEDIA_TYPES,
    ),
]


@pytest.mark.parametrize(
    ("client", "sandbox_table"),
    [pytest.param(c, t, id=name) for name, c, t in ENUMERATIONS],
)
def test_an_enumeration_both_sides_hold_has_the_same_values(
    client: set[Any], sandbox_table: frozenset[Any]
) -> None:
    assert client == set(sandbox_table)


def test_the_stock_category_taxonomy_is_the_same_on_both_sides() -> None:
    sandbox_values = set(STOCK_CATEGORIES) | {
        f"{parent}/{child}" for parent, children in STOCK_CATEGORIES.items() for child in children
    }
    assert set(_enums.STOCK_CATEGORIES) == sandbox_values
    assert all(is_stock_category(value) for value in _enums.STOCK_CATEGORIES)
    assert ", ".join(STOCK_CATEGORIES) == _enums.CATEGORY_PARENTS


def test_image_models_differ_only_by_the_studio_model_the_sandbox_tolerates() -> None:
    # nanobanana-pro is documented for AI studio only; the sandbox accepts it in renders too
    # (nothing says the render engine refuses it), the client offers only the render models.
    assert set(IMAGE_MODELS) - set(_enums.IMAGE_MODELS) == {"nanobanana-pro"}
    assert set(_enums.IMAGE_MODELS) <= set(IMAGE_MODELS)


def test_destinations_differ_only_by_the_s3_export_the_sandbox_tolerates() -> None:
    # The reference documents Vimeo destinations; the vendor skill also mentions S3 export,
    # which the sandbox accepts and the client does not offer.
    assert set(DESTINATION_TYPES) - literal(Destination.model_fields["type"].annotation) == {"s3"}


def test_the_documented_default_voices_are_the_same_for_the_server_and_the_sandbox() -> None:
    assert dict(SANDBOX_DEFAULT_VOICES) == DEFAULT_VOICES
