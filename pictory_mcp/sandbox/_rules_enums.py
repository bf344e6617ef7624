"""Enumerations of the Pictory storyboard schema, transcribed from REFERENCE.md §6.

Kept apart from the checks so the catalogue (stock categories) can share them.
"""

from __future__ import annotations

SCRIPT_LANGUAGES = frozenset(
    [
        "ar",
        "zh",
        "nl",
        "en",
        "fr",
        "de",
        "hi",
        "id",
        "it",
        "ja",
        "ko",
        "mr",
        "pl",
        "pt",
        "ru",
        "es",
        "ta",
        "tr",
        "ur",
        "vi",
    ]
)
ASPECT_RATIOS = frozenset({"1:1", "16:9", "9:16", "4:5"})
AUDIO_LANGUAGES = frozenset(
    [
        "en-US",
        "en-AU",
        "en-GB",
        "en-IN",
        "en-IE",
        "en-AB",
        "en-WL",
        "fr-CA",
        "fr-FR",
        "de-CH",
        "de-DE",
        "it-IT",
        "es-ES",
        "es-US",
        "nl-NL",
        "pt-BR",
        "ja-JP",
        "ko-KR",
        "ru-RU",
        "hi-IN",
        "ta-IN",
        "mr-IN",
    ]
)
SCENE_TRANSITIONS = frozenset(
    [
        "none",
        "wipeup",
        "wipedown",
        "wipeleft",
        "wiperight",
        "smoothleft",
        "smoothright",
        "radial",
        "circlecrop",
        "hblur",
        "fade",
    ]
)
VISUAL_SELECTION_PREFERENCES = frozenset(
    {"prefer-stock", "prefer-user-library", "stock-only", "user-library-only"}
)
# "vimeo" is documented; the vendor skill also mentions S3 export through `destinations`.
DESTINATION_TYPES = frozenset({"vimeo", "s3"})

MEDIA_STYLES = frozenset(
    {"photorealistic", "artistic", "cartoon", "minimalist", "vintage", "futuristic"}
)
# In-render image models. `nanobanana-pro` is documented for AI studio only; it is
# accepted here too (tolerant reading) because nothing says the render engine refuses it.
IMAGE_MODELS = frozenset({"seedream3.0", "flux-schnell", "nanobanana", "nanobanana-pro"})
VIDEO_MODEL_DURATIONS: dict[str, tuple[str, ...]] = {
    "veo3.1": ("4s", "6s", "8s"),
    "veo3.1_fast": ("4s", "6s", "8s"),
    "pixverse5.5": ("5s", "8s", "10s"),
}
VISUAL_TYPES = frozenset({"video", "image"})
SEARCH_LIBRARIES = frozenset({"story_blocks", "getty"})

STORY_COPILOT_VIDEO_TYPES = frozenset(
    {"Explainer", "Marketing", "Internal Communication", "Tutorial", "Product"}
)
STORY_COPILOT_PLATFORMS = frozenset(
    {"YouTube", "TikTok", "Instagram", "Facebook", "LinkedIn", "Twitter"}
)
STORY_COPILOT_TONES = frozenset(
    [
        "professional",
        "casual",
        "friendly",
        "informative",
        "persuasive",
        "exciting",
        "educational",
        "humorous",
        "serious",
        "conversational",
    ]
)

ELEMENT_TYPES = frozenset({"shape", "text", "video", "image"})
TEXT_VARIANTS = frozenset({"heading", "subheading", "body"})
_GRID = (
    "top-left",
    "top-center",
    "top-right",
    "center-left",
    "center-center",
    "center-right",
    "bottom-left",
    "bottom-center",
    "bottom-right",
)
# fontStyle.position has no `center` alias; element/logo/avatar positions do.
FONT_POSITIONS = frozenset(_GRID)
POSITION_PRESETS = frozenset((*_GRID, "center"))
ALIGNMENTS = frozenset({"left", "center", "right"})
DECORATIONS = frozenset({"bold", "underline", "italics", "linethrough"})
TEXT_CASES = frozenset({"uppercase", "lowercase", "capitalize", "smallcapitalize"})

ANIMATION_NAMES = frozenset(
    {"none", "fade", "drift", "wipe", "text reveal", "elastic", "typewriter", "blur", "bulletin"}
)
ANIMATION_TYPES = frozenset({"entry", "exit"})
ANIMATION_SPEEDS = frozenset({"slow", "medium", "fast", "custom"})
ANIMATION_DIRECTIONS = frozenset({"up", "down", "left", "right"})
WRITING_STYLES = frozenset({"character", "word", "line", "paragraph"})
FUTURE_WORDS = frozenset({"hidden", "subtle", "prominent"})
FUTURE_WORDS_ANIMATIONS = frozenset({"fade", "blur"})

ELEVENLABS_MODELS = frozenset(
    {
        "eleven_v3",
        "eleven_multilingual_v2",
        "eleven_flash_v2_5",
        "eleven_turbo_v2_5",
        "eleven_turbo_v2",
        "eleven_flash_v2",
        "eleven_multilingual_v1",
        "eleven_monolingual_v1",
    }
)

FONTS = (
    "Anton",
    "Archivo Narrow",
    "Arial",
    "Averia Libre",
    "Barlow",
    "Barlow Black",
    "Bebas Neue",
    "Calibri",
    "Caprasimo",
    "Capriola",
    "Carter One",
    "Caveat",
    "Chakra Petch",
    "Chewy",
    "Comfortaa",
    "Courier Prime",
    "Dancing Script",
    "Dangrek",
    "Delius Unicase",
    "DM Sans",
    "Grandstander",
    "Gruppo",
    "Heartbeat",
    "Helvetica",
    "Helvetica Neue Medium",
    "JM Modern",
    "Josefin Sans",
    "Julius Sans One",
    "Laisha",
    "Lato",
    "Lato Extrabold",
    "Lexend",
    "LT Wave",
    "Manrope",
    "Merriweather",
    "Montserrat",
    "Moon dance",
    "Mustard",
    "Notosans",
    "Opensans",
    "Optik",
    "Party Confetti",
    "Patua One",
    "Playfair Display",
    "Plus Jakarta Sans",
    "Poppins",
    "Poppins Extrabold",
    "Proxima Nova",
    "Quicksand",
    "Raleway",
    "Raleway Black",
    "Raleway Thin",
    "Roboto",
    "Rokkitt",
    "Rowdies",
    "Russo One",
    "Satisfy",
    "Sora",
    "Source Sans Pro",
    "Space Grotesk",
    "Space mono",
    "Special Elite",
    "Strive",
    "Titillium Web",
    "Titillium Web Black",
    "Ubuntu",
    "Unbounded",
    "Work Sans",
    "Noto Sans JP",
    "Noto Serif JP",
    "Noto Sans Tamil",
    "Noto Sans Devanagari",
    "Noto Serif Devanagari",
)
# The list's own casing is irregular ("Moon dance", "Space mono"), so matching ignores case.
FONTS_FOLDED = frozenset(f.casefold() for f in FONTS)


def _numbered(prefix: str, first: int, last: int) -> list[str]:
    return [f"{prefix}-{n}" for n in range(first, last + 1)]


SHAPE_NAMES = frozenset(
    [
        "rectangle",
        "circle",
        "line",
        *_numbered("badge", 1, 8),
        *_numbered("quote", 1, 6),
        *_numbered("arrow", 1, 19),
        *_numbered("geometry", 1, 8),
        "geometry-10",
        *_numbered("doodle", 1, 12),
        *_numbered("star", 1, 6),
        *_numbered("cross", 1, 8),
        *_numbered("checkmark", 1, 6),
        *_numbered("data-device", 1, 8),
        *_numbered("blob", 1, 9),
        *_numbered("word", 1, 9),
        *_numbered("line", 1, 17),
        *_numbered("speech-bubble", 2, 7),
        *_numbered("square", 1, 5),
        *_numbered("heart", 1, 3),
        "thumbs-up",
        "gift",
        "leaves",
        "paperplane",
        "idea-bulb",
        "pill",
    ]
)

STOCK_CATEGORIES: dict[str, tuple[str, ...]] = {
    "Aerial": ("Coastal_and_Marine", "Infrastructure", "Natural_Landscapes", "Urban_Landscapes"),
    "Animals": ("Farm_Animals", "Marine_Life", "Pets", "Wildlife"),
    "Business_and_Professions": ("Business_Concepts", "Office_Work", "Professions"),
    "Effects": (
        "Chemical_Reactions",
        "Explosions",
        "Fire_and_Smoke",
        "Glitches",
        "Lighting_Effects",
        "Particles",
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
}


def is_stock_category(value: str) -> bool:
    """True for a documented `"Parent"` or `"Parent/Child"` taxonomy value."""
    parent, _, child = value.partition("/")
    if parent not in STOCK_CATEGORIES:
        return False
    return not child or child in STOCK_CATEGORIES[parent]


MUSIC_SORTS = frozenset({"latest", "shuffle", "featured"})
MUSIC_FILTERS = ("genreGroup", "genre", "mood", "instrument", "purpose")
TRANSCRIPTION_MEDIA_TYPES = frozenset({"video", "audio"})
RENDER_ELEMENT_TYPES = frozenset({"audioElement", "backgroundElement", "SceneText", "layerItem"})
STORYBOARD_ELEMENT_MEDIA_TYPES = frozenset({"video", "image", "audio", "text"})
