"""Enumerations of the storyboard schema (REFERENCE §6.4, §6.5, §6.11).

Short lists are `Literal` aliases so they appear in the JSON schema; long catalogues
(fonts, shapes, stock categories) are frozensets checked by validators to keep it small.
"""

from __future__ import annotations

from typing import Literal

# Shared with the server's tools: one definition each, in pictory_mcp.facts.
from pictory_mcp.facts import FONTS as FONTS
from pictory_mcp.facts import AspectRatio as AspectRatio
from pictory_mcp.facts import AudioLanguage as AudioLanguage
from pictory_mcp.facts import Decoration as Decoration
from pictory_mcp.facts import ElevenLabsModel as ElevenLabsModel
from pictory_mcp.facts import GridPosition as GridPosition
from pictory_mcp.facts import Language as Language
from pictory_mcp.facts import TextCase as TextCase

SceneTransition = Literal[
    "none", "wipeup", "wipedown", "wipeleft", "wiperight", "smoothleft", "smoothright",
    "radial", "circlecrop", "hblur", "fade",
]  # fmt: skip

ElementPosition = Literal[
    "top-left", "top-center", "top-right", "center-left", "center", "center-center",
    "center-right", "bottom-left", "bottom-center", "bottom-right",
]  # fmt: skip
"""The 9-grid preset of elements, which also accepts `center`."""

MediaType = Literal["video", "image"]
MediaStyle = Literal["photorealistic", "artistic", "cartoon", "minimalist", "vintage", "futuristic"]
ImageModel = Literal["seedream3.0", "flux-schnell", "nanobanana"]
VideoModel = Literal["veo3.1", "veo3.1_fast", "pixverse5.5"]
AIModel = Literal[
    "seedream3.0", "flux-schnell", "nanobanana", "veo3.1", "veo3.1_fast", "pixverse5.5"
]
VideoDuration = Literal["4s", "5s", "6s", "8s", "10s"]

IMAGE_MODELS: frozenset[str] = frozenset({"seedream3.0", "flux-schnell", "nanobanana"})
VIDEO_DURATIONS: dict[str, tuple[str, ...]] = {
    "veo3.1": ("4s", "6s", "8s"),
    "veo3.1_fast": ("4s", "6s", "8s"),
    "pixverse5.5": ("5s", "8s", "10s"),
}
"""Allowed `videoDuration` values per AI video model (§6.4)."""
REFERENCE_EDIT_MODELS: frozenset[str] = frozenset({"seedream3.0", "nanobanana"})
"""Image models that accept `referenceImageUrl`."""

StockLibrary = Literal["story_blocks", "getty"]
TextVariant = Literal["heading", "subheading", "body"]
Alignment = Literal["left", "center", "right"]
AnimationName = Literal[
    "none", "fade", "drift", "wipe", "text reveal", "elastic", "typewriter", "blur", "bulletin"
]
AnimationType = Literal["entry", "exit"]
AnimationSpeed = Literal["slow", "medium", "fast", "custom"]
Direction = Literal["up", "down", "left", "right"]
WritingStyle = Literal["character", "word", "line", "paragraph"]
FutureWords = Literal["hidden", "subtle", "prominent"]

VideoType = Literal["Explainer", "Marketing", "Internal Communication", "Tutorial", "Product"]
Platform = Literal["YouTube", "TikTok", "Instagram", "Facebook", "LinkedIn", "Twitter"]
Tone = Literal[
    "professional", "casual", "friendly", "informative", "persuasive", "exciting",
    "educational", "humorous", "serious", "conversational",
]  # fmt: skip
VisualSelectionPreference = Literal[
    "prefer-stock", "prefer-user-library", "stock-only", "user-library-only"
]


# Featured shape families and how many numbered variants each has (§6.5).
_SHAPE_FAMILIES: dict[str, range] = {
    "badge": range(1, 9), "quote": range(1, 7), "arrow": range(1, 20),
    "geometry": range(1, 9), "doodle": range(1, 13), "star": range(1, 7),
    "cross": range(1, 9), "checkmark": range(1, 7), "data-device": range(1, 9),
    "blob": range(1, 10), "word": range(1, 10), "line": range(1, 18),
    "speech-bubble": range(2, 8), "square": range(1, 6), "heart": range(1, 4),
}  # fmt: skip
SHAPES: frozenset[str] = frozenset(
    {"rectangle", "circle", "line", "thumbs-up", "gift", "leaves", "paperplane", "idea-bulb"}
    | {"pill", "geometry-10"}  # the catalogue skips geometry-9
    | {f"{family}-{n}" for family, numbers in _SHAPE_FAMILIES.items() for n in numbers}
)
"""Every shape `name` of the catalogue."""
SHAPE_HELP = (
    "rectangle, circle, line, pill, thumbs-up, gift, leaves, paperplane, idea-bulb, "
    "geometry-10, or a numbered family: "
    + ", ".join(f"{f}-{r.start}..{r.stop - 1}" for f, r in _SHAPE_FAMILIES.items())
)

_CATEGORY_TREE: dict[str, tuple[str, ...]] = {
    "Aerial": ("Coastal_and_Marine", "Infrastructure", "Natural_Landscapes", "Urban_Landscapes"),
    "Animals": ("Farm_Animals", "Marine_Life", "Pets", "Wildlife"),
    "Business_and_Professions": ("Business_Concepts", "Office_Work", "Professions"),
    "Effects": (
        "Chemical_Reactions", "Explosions", "Fire_and_Smoke", "Glitches",
        "Lighting_Effects", "Particles",
    ),
    "Food_and_Beverage": ("Beverages", "Food_Preparation", "Meals"),
    "Graphics": ("Backgrounds", "Effects", "Patterns"),
    "Historical": ("Eras", "Events", "Figures"),
    "Holidays_and_Celebrations": ("Cultural_Celebrations", "Festivals", "Life_Events"),
    "Lifestyle": ("Health_and_Fitness", "Hobbies", "Home_and_Family"),
    "Medical": (),
    "Nature": ("Landscapes", "Plants_and_Trees", "Sunrises_and_Sunsets", "Waterfalls", "Weather"),
    "People": ("Activities", "Groups", "Portraits"),
    "Places_and_Landmarks": ("Rural_Areas", "Tourist_Attractions", "Urban_Areas"),
    "Sports_and_Recreation": ("Individual_Sports", "Outdoor_Activities", "Team_Sports"),
    "Technology": ("Devices", "Innovation"),
}  # fmt: skip
STOCK_CATEGORIES: frozenset[str] = frozenset(_CATEGORY_TREE) | frozenset(
    f"{parent}/{child}" for parent, children in _CATEGORY_TREE.items() for child in children
)
"""Valid `searchFilter.category` values: "Parent" or "Parent/Child"."""
CATEGORY_PARENTS = ", ".join(_CATEGORY_TREE)
