"""Sandbox music search, stock media search and account catalogue invariants (§11–§18)."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from pictory_mcp.sandbox import catalog

TRACK_KEYS = {"id", "title", "audioUrl", "duration", "genres", "instruments", "moods", "purposes"}
GENRE_GROUPS = [
    "Cinematic", "Hip Hop", "Electronic", "Blues & Jazz", "Folk", "Rock", "Country", "Dance",
    "World", "Orchestral", "R&B & Soul", "Pop",
]  # fmt: skip


def titles(body: dict[str, Any]) -> list[str]:
    return [t["title"] for t in catalog.search_music(body)]


def test_facet_lists_have_the_documented_sizes_and_examples() -> None:
    moods = catalog.music_facets("moods")
    assert len(moods) >= 60 and all(" / " in m for m in moods)
    assert {"Calm / Serene", "Happy / Bright", "Uplifting / Inspiring"} <= set(moods)
    purposes = catalog.music_facets("purposes")
    assert len(purposes) == 74 and "Animation / Explainer" in purposes
    assert sorted(catalog.music_facets("genre_groups")) == sorted(GENRE_GROUPS)
    assert len(catalog.music_facets("genres")) >= 100
    assert {"Piano", "Synth", "Guitar - Acoustic"} <= set(catalog.music_facets("instruments"))
    for kind in ("moods", "purposes", "genres", "genre_groups", "instruments"):
        values = catalog.music_facets(kind)
        assert len(set(values)) == len(values), kind
    with pytest.raises(KeyError):
        catalog.music_facets("tempos")


def test_every_track_uses_only_facet_values_and_the_documented_item_shape() -> None:
    tracks = catalog.music_tracks()
    assert 35 <= len(tracks) <= 50
    facets = {k: set(catalog.music_facets(k)) for k in ("moods", "purposes", "genres")}
    facets["instruments"] = set(catalog.music_facets("instruments"))
    for track in tracks:
        assert set(track) == TRACK_KEYS
        assert isinstance(track["id"], int) and isinstance(track["duration"], int)
        for key in ("genres", "instruments", "moods", "purposes"):
            assert track[key] and set(track[key]) <= facets[key], (track["title"], key)
    assert len({t["id"] for t in tracks}) == len(tracks)


def test_query_is_a_case_insensitive_substring_of_title_genre_or_mood() -> None:
    assert titles({"query": "bio JOURNEY"}) == ["Bio Journey"]
    assert "Bio Journey" in titles({"query": "downtempo"})
    assert "Still Water" in titles({"query": "spiritual"})
    assert titles({"query": "no such tune anywhere"}) == []


def test_array_filters_are_case_sensitive_any_of_and_combine_with_and() -> None:
    assert titles({"mood": ["Calm / Serene"], "purpose": ["Corporate / Business"]}) == [
        "Bio Journey"
    ]
    assert titles({"mood": ["calm / serene"]}) == []
    either = titles({"genre": ["Synthwave", "Swing"]})
    assert set(either) == {"Neon Avenue", "Kitchen Table"}
    grouped = titles({"genreGroup": ["Blues & Jazz"]})
    assert {"Kitchen Table", "Night Shift", "Sunday Market"} <= set(grouped)


def test_not_filters_exclude_tracks_with_any_listed_value() -> None:
    everything = titles({"pageSize": 100})
    without = titles({"pageSize": 100, "notInstrument": ["Piano"]})
    assert "First Light" in everything and "First Light" not in without
    assert all(
        "Piano" not in t["instruments"] for t in catalog.search_music({"notInstrument": ["Piano"]})
    )
    no_cinematic = catalog.search_music({"pageSize": 100, "notGenreGroup": ["Cinematic"]})
    assert all("Ambient" not in t["genres"] for t in no_cinematic)


def test_duration_bounds_sorting_and_paging() -> None:
    short = catalog.search_music({"maxDuration": 60, "pageSize": 100})
    assert short and all(t["duration"] <= 60 for t in short)
    long = catalog.search_music({"minDuration": 200, "pageSize": 100})
    assert long and all(t["duration"] >= 200 for t in long)
    latest = [t["id"] for t in catalog.search_music({"sort": "latest", "pageSize": 100})]
    assert latest == sorted(latest, reverse=True)
    first, second = titles({"page": 1, "pageSize": 20}), titles({"page": 2, "pageSize": 20})
    assert len(first) == 20 and second and not set(first) & set(second)
    assert titles({"page": 9, "pageSize": 20}) == []
    assert titles({}) == first
    shuffled = titles({"sort": "shuffle", "pageSize": 100})
    assert shuffled == titles({"sort": "shuffle", "pageSize": 100})
    assert sorted(shuffled) == sorted(titles({"pageSize": 100}))


def test_media_search_is_deterministic_and_shaped_per_the_reference() -> None:
    results = catalog.search_media("ocean waves", None, "en")
    assert results == catalog.search_media("ocean waves", None, "en")
    assert 8 <= len(results) <= 12
    for item in results:
        assert set(item) == {
            "id",
            "assetId",
            "keyword",
            "mediaType",
            "duration",
            "mediaDescription",
            "preview",
            "thumbnail",
            "searchLibrary",
        }
        assert item["keyword"] == "ocean waves" and isinstance(item["assetId"], int)
        assert item["mediaType"] in {"video", "image"}
        assert item["searchLibrary"] in {"story_blocks", "getty"}
        assert set(item["preview"]) == set(item["thumbnail"]) == {"jpg", "url"}
    assert [r["id"] for r in results] == [str(n) for n in range(1, len(results) + 1)]
    assert results != catalog.search_media("mountain goats", None, "en")


def test_nothing_found_keywords_and_unknown_categories_return_no_results() -> None:
    assert catalog.search_media("purple ZZZNOTHING llama", None, "en") == []
    assert not catalog.media_query_has_results("a zzznothing query")
    assert catalog.media_query_has_results("sunrise over hills")
    assert catalog.search_media("sunrise", "Nature/Sunrises_and_Sunsets", "en")
    assert catalog.search_media("sunrise", "Nature/Moons", "en") == []


def test_brands_styles_and_layouts_carry_the_documented_names_and_fixed_ids() -> None:
    assert {"Default Brand", "Corporate Blue"} <= {b["name"] for b in catalog.brands()}
    for brand in catalog.brands():
        assert str(uuid.UUID(brand["id"])) == brand["id"]
    documented = {
        "Navy blue",
        "Indigo ink",
        "Default",
        "Sleek",
        "Black Traditional Caption",
        "Dark Blue Caption",
        "Headliner",
        "Flash",
    }
    assert documented <= {s["name"] for s in catalog.text_styles()}
    layouts = catalog.smart_layouts()
    assert {item["templateName"] for item in layouts} == {
        "Modern minimalist", "Kinetic", "Chic", "Wanderlust", "Bulletin",
    }  # fmt: skip
    assert all(set(i) == {"templateId", "templateName", "schemaVersion"} for i in layouts)
    assert all(i["schemaVersion"] == "v3" for i in layouts)
    assert catalog.brands() == catalog.brands()


def test_template_variables_appear_as_placeholders_in_their_scenes() -> None:
    items = catalog.templates()
    assert items and all(
        set(i) == {"templateId", "name", "language", "published", "deprecated"} for i in items
    )
    for item in items:
        detail = catalog.template(item["templateId"])
        assert detail is not None
        assert detail["depricated"] == item["deprecated"] and "deprecated" not in detail
        assert detail["schemaVersion"] == "v3"
        assert detail["voiceOver"]["aiVoices"][0]["speaker"] == "3108"
        text = " ".join(s["text"] for scene in detail["scenes"] for s in scene["subtitles"])
        used = set(re.findall(r"\{\{(\w+)\}\}", text))
        assert used == set(detail["variables"]), item["name"]
    assert catalog.template("no-such-template") is None


def test_avatars_quota_and_connections_follow_their_documented_shapes() -> None:
    looks = [look for group in catalog.avatars() for look in group["looks"]]
    assert "Annie_expressive12_public" in {look["id"] for look in looks}
    assert all(g["gender"] in {"Male", "Female", None} for g in catalog.avatars())
    assert all(look["previewImage"].endswith(".webp") for look in looks)
    assert all(look["previewVideo"].endswith(".webm") for look in looks)
    quota = catalog.quota()
    assert set(quota) == {
        "videoMinutes",
        "transcriptionMinutes",
        "elevenLabsVoiceOverMinutes",
        "aiCredits",
    }
    assert all(set(v) == {"used", "limit"} and v["used"] <= v["limit"] for v in quota.values())
    aws = catalog.aws_connections()
    assert 1 <= len(aws) <= 2 and all(c["type"] == "AWS" for c in aws)
    assert all(re.fullmatch(r"\d{12}", c["awsAccountId"]) for c in aws)
    vimeo = catalog.vimeo_connections()
    assert 1 <= len(vimeo) <= 2 and all(c["type"] == "VIMEO" for c in vimeo)
    assert all("clientSecret" not in c and "accessToken" not in c for c in vimeo)
