"""Deterministic stock-media search results (GET /v1/media/search, §12).

A keyword containing "zzznothing" (any case), or a blank one, finds nothing; CORE also uses
`query_has_results` to fail `searchFilter` scenes with SCENE_BACKGROUND_VISUAL_NOT_FOUND.
An unknown `category` also finds nothing. Results depend only on keyword and category.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .._rules_enums import is_stock_category

NOTHING_MARKER = "zzznothing"
MEDIA_HOST = "https://media.sandbox.pictory.invalid/stock"
RESULT_COUNT = 10

_SHOTS = (
    "Aerial view of {k}",
    "Close-up of {k} in soft light",
    "Slow-motion shot of {k}",
    "Wide establishing shot of {k}",
    "Time-lapse of {k}",
    "Handheld footage of {k}",
    "Top-down view of {k}",
    "Cinematic tracking shot of {k}",
    "Still photograph of {k}",
    "Illustration of {k}",
)


def query_has_results(query: str) -> bool:
    """False for a blank query or one containing the documented "zzznothing" marker."""
    return bool(query.strip()) and NOTHING_MARKER not in query.casefold()


def _seed(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:6], "big")


def search(keyword: str, category: str | None, language: str | None) -> list[dict[str, Any]]:
    """About ten results for `keyword`; `language` is accepted and does not change them."""
    del language  # documented as a parameter; the sandbox library is language-neutral
    if not query_has_results(keyword):
        return []
    if category and not is_stock_category(category):
        return []
    words = " ".join(keyword.split())
    base = _seed(words.casefold(), category or "")
    results = []
    for index in range(RESULT_COUNT):
        asset_id = 300_000_000 + (base + index * 7_919) % 99_999_999
        is_image = index % 4 == 3
        library = "getty" if index % 5 == 4 else "story_blocks"
        root = f"{MEDIA_HOST}/{library}/{asset_id}"
        description = _SHOTS[index].format(k=words)
        if category:
            description += f" ({category.replace('_', ' ')})"
        results.append(
            {
                "id": str(index + 1),
                "assetId": asset_id,
                "keyword": keyword,
                "mediaType": "image" if is_image else "video",
                "duration": 0 if is_image else 6 + (base // (index + 1)) % 25,
                "mediaDescription": description,
                "preview": {
                    "jpg": f"{root}/preview.jpg",
                    "url": f"{root}/preview.jpg" if is_image else f"{root}/watermarked_P480.mp4",
                },
                "thumbnail": {
                    "jpg": f"{root}/thumb.jpg",
                    "url": f"{root}/thumb.jpg" if is_image else f"{root}/thumb_P180.mp4",
                },
                "searchLibrary": library,
            }
        )
    return results
