"""The sandbox music library and POST /v1/music/search over it (§11).

Search semantics chosen for the simulator: `query` is a case-insensitive substring of the
title, a genre or a mood; each array filter keeps tracks having ANY of its values (values are
case-sensitive, as documented) and filters combine with AND; `not*` filters drop tracks having
any listed value; `featured` keeps catalogue order, `latest` is newest id first, `shuffle` is a
fixed permutation derived from the request (deterministic).
"""

from __future__ import annotations

import hashlib
import json
import random
from typing import Any

from ._music_facets import GROUP_OF_GENRE

AUDIO_HOST = "https://tracks.sandbox.pictory.invalid/music"

# id | title | seconds | genres | instruments | moods | purposes  (lists split on ";")
_ROWS = """
279|Bio Journey|161|Downtempo|Bass - Electric;Keyboard;Synth|Calm / Serene;Happy / Bright|Corporate / Business;Technology
301|Morning Ledger|142|Acoustic Pop|Guitar - Acoustic;Piano;Percussion|Upbeat / Cheerful;Happy / Bright|Corporate / Business;Presentation
302|Blue Horizon|188|Ambient;Underscore|Pads;Piano|Calm / Serene;Atmospheric / Ambient|Background / Underscore;Documentary
303|Quiet Progress|156|Neoclassical|Piano;Strings|Uplifting / Inspiring;Hopeful / Optimistic|Corporate / Business;Motivational Speech
304|Circuit Bloom|134|Electronica;Future Bass|Synth;Drum Machine|Futuristic / Techy;Energetic / Lively|Technology;App Demo
305|Lesson Plan|120|Indie Pop|Ukulele;Glockenspiel;Bells|Playful / Quirky;Happy / Bright|Educational;E-learning
306|Drawn Together|98|Acoustic Folk|Ukulele;Whistle;Guitar - Acoustic|Whimsical / Magical;Bouncy / Lighthearted|Animation / Explainer;Kids / Children
307|Final Cut|74|Epic Trailer|Orchestra;Taiko;Brass|Epic / Powerful;Intense / Urgent|Trailer / Promo;Action
308|Open Road|201|Americana;Country Folk|Guitar - Acoustic;Harmonica;Banjo|Carefree / Breezy;Nostalgic / Reflective|Travel;Vlog
309|Neon Avenue|176|Synthwave|Synth;Drum Machine;Bass - Electric|Cool / Hip;Nostalgic / Reflective|Gaming;Social Media
310|Still Water|240|Ambient|Pads;Harp;Flute|Meditative / Spiritual;Peaceful / Tranquil|Meditation / Yoga;Spa / Wellness
311|Launch Window|128|Dance Pop;EDM|Synth;Drums;Vocals - Female|Energetic / Lively;Exciting / Thrilling|Product Launch;Advertising / Commercial
312|Small Wins|115|Indie Folk|Guitar - Acoustic;Piano;Strings|Warm / Heartfelt;Uplifting / Inspiring|Testimonial;Charity / Nonprofit
313|Slow Burn|210|Neo Soul|Keyboard;Bass - Electric;Drums|Sexy / Sultry;Chill / Mellow|Lifestyle;Fashion
314|Paper Trail|163|Lo-Fi Hip Hop|Piano;Drum Machine;Bass - Upright|Chill / Mellow;Relaxed / Laid Back|Vlog;Background / Underscore
315|Summit|190|Post Rock|Guitar - Electric;Drums;Strings|Triumphant / Victorious;Epic / Powerful|Sports;Adventure
316|Kitchen Table|105|Swing|Clarinet;Bass - Upright;Piano|Playful / Quirky;Happy / Bright|Food / Cooking;Comedy
317|Night Shift|184|Film Noir;Cool Jazz|Saxophone;Bass - Upright;Drums|Mysterious / Suspenseful;Sneaky / Sly|Crime / Detective;Drama
318|Wide Open Skies|233|Film Orchestral|Orchestra;Horns;Strings|Majestic / Grand;Heroic / Adventurous|Nature / Wildlife;Drone / Aerial
319|Groove Theory|147|Funk|Bass - Electric;Guitar - Electric;Horns|Funky / Groovy;Confident / Bold|Advertising / Commercial;Dance / Party
320|First Light|172|Solo Piano|Piano|Gentle / Tender;Hopeful / Optimistic|Wedding;Slideshow
321|Data Stream|139|IDM;Glitch|Synth;Drum Machine|Futuristic / Techy;Determined / Focused|Technology;Science
322|Harbour Lights|198|Celtic|Violin;Flute;Accordion|Nostalgic / Reflective;Warm / Heartfelt|Travel;History
323|Shadow Play|166|Suspense;Horror Score|Strings;Pads;Percussion|Spooky / Eerie;Tense / Anxious|Horror;Thriller
324|Sunday Market|122|Bossa Nova|Guitar - Acoustic;Percussion;Flute|Relaxed / Laid Back;Bright / Sunny|Lifestyle;Hospitality
325|Full Throttle|131|Hard Rock|Guitar - Electric;Drums;Bass - Electric|Rebellious / Edgy;Energetic / Lively|Sports;Automotive
326|Paper Planes|109|Indie Pop;Bedroom Pop|Synth;Guitar - Electric;Bells|Carefree / Breezy;Upbeat / Cheerful|Social Media;Short-Form Video
327|Deep Focus|254|Chillout;Downtempo|Pads;Synth;Keyboard|Determined / Focused;Calm / Serene|Podcast Background;E-learning
328|Golden Hour|187|Dream Pop|Guitar - Electric;Synth;Vocals - Female|Dreamy / Ethereal;Romantic / Sentimental|Fashion;Music Video
329|Headline|58|Documentary Score|Strings;Piano;Percussion|Serious / Dramatic;Determined / Focused|News;Documentary
330|Block Party|143|Boom Bap|Drum Machine;Bass - Electric;Keyboard|Confident / Bold;Cool / Hip|Social Media;Dance / Party
331|Festival Lights|152|Bollywood|Sitar;Percussion;Strings|Festive / Celebratory;Energetic / Lively|Holiday / Christmas;Event / Conference
332|Winter Hearth|176|Chamber Music|Strings;Harp;Bells|Warm / Heartfelt;Grateful / Thankful|Holiday / Christmas;Slideshow
333|Afterglow|205|Deep House|Synth;Drum Machine;Pads|Hypnotic / Trance;Chill / Mellow|Fashion;Lifestyle
334|Big Idea|93|Electropop|Synth;Drums;Glockenspiel|Curious / Inquisitive;Upbeat / Cheerful|Animation / Explainer;Startup / Pitch
335|Rainy Window|194|Neoclassical;Ambient|Piano;Cello|Sad / Melancholic;Bittersweet / Wistful|Drama;Documentary
336|Frontier|168|Western Swing|Guitar - Acoustic;Violin;Harmonica|Heroic / Adventurous;Proud / Noble|Western;Adventure
337|Open House|126|Acoustic Pop|Guitar - Acoustic;Piano;Ukulele|Bright / Sunny;Hopeful / Optimistic|Real Estate;Presentation
338|Anthem|181|Pop Rock|Guitar - Electric;Drums;Choir|Patriotic / Anthemic;Triumphant / Victorious|Sports;Political / Campaign
339|Tiny Steps|87|Teen Pop|Marimba;Whistle;Ukulele|Childlike / Innocent;Playful / Quirky|Kids / Children;Animation / Explainer
340|Logo Spark|15|Electro|Synth;Percussion|Exciting / Thrilling;Confident / Bold|Logo Reveal;Intro / Opener
"""


def build_tracks() -> list[dict[str, Any]]:
    """The library in search-result item shape, in featured order."""
    tracks = []
    for line in _ROWS.strip().splitlines():
        track_id, title, seconds, genres, instruments, moods, purposes = line.split("|")
        slug = title.lower().replace(" ", "-")
        tracks.append(
            {
                "id": int(track_id),
                "title": title,
                "audioUrl": f"{AUDIO_HOST}/{track_id}/{slug}.mp3",
                "duration": int(seconds),
                "genres": genres.split(";"),
                "instruments": instruments.split(";"),
                "moods": moods.split(";"),
                "purposes": purposes.split(";"),
            }
        )
    return tracks


def _values(track: dict[str, Any], facet: str) -> set[str]:
    if facet == "genreGroup":
        return {GROUP_OF_GENRE[g] for g in track["genres"]}
    return set(track[facet + "s"])


def _wanted(body: dict[str, Any], key: str) -> set[str] | None:
    raw = body.get(key)
    return {v for v in raw if isinstance(v, str)} if isinstance(raw, list) else None


def search_tracks(tracks: list[dict[str, Any]], body: dict[str, Any]) -> list[dict[str, Any]]:
    """Filter, sort and page `tracks` for an already validated search body."""
    hits = list(tracks)
    query = body.get("query")
    if isinstance(query, str) and query.strip():
        needle = query.strip().casefold()
        hits = [
            t
            for t in hits
            if any(needle in text.casefold() for text in [t["title"], *t["genres"], *t["moods"]])
        ]
    for facet in ("genreGroup", "genre", "mood", "instrument", "purpose"):
        keep = _wanted(body, facet)
        if keep:
            hits = [t for t in hits if _values(t, facet) & keep]
        drop = _wanted(body, "not" + facet[0].upper() + facet[1:])
        if drop:
            hits = [t for t in hits if not _values(t, facet) & drop]
    low, high = body.get("minDuration"), body.get("maxDuration")
    if isinstance(low, (int, float)) and not isinstance(low, bool):
        hits = [t for t in hits if t["duration"] >= low]
    if isinstance(high, (int, float)) and not isinstance(high, bool):
        hits = [t for t in hits if t["duration"] <= high]
    sort = body.get("sort", "featured")
    if sort == "latest":
        hits.sort(key=lambda t: -int(t["id"]))
    elif sort == "shuffle":
        digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode()).digest()
        random.Random(digest).shuffle(hits)  # noqa: S311 - a stable order, not security
    page = body.get("page", 1)
    size = body.get("pageSize", 20)
    page = int(page) if isinstance(page, (int, float)) and page >= 1 else 1
    size = int(size) if isinstance(size, (int, float)) and size >= 1 else 20
    return hits[(page - 1) * size : page * size]
