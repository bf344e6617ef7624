"""Music facet lists (GET /v1/music/moods, /purposes, /genres, /genres/groups, /instruments).

Moods and purposes follow the documented "A / B" style; the 12 genre groups are the
documented ones; each genre belongs to exactly one group.
"""

from __future__ import annotations

MOODS: tuple[str, ...] = tuple(
    line.strip()
    for line in """
Calm / Serene
Happy / Bright
Upbeat / Cheerful
Uplifting / Inspiring
Energetic / Lively
Dark / Ominous
Sad / Melancholic
Romantic / Sentimental
Epic / Powerful
Playful / Quirky
Mysterious / Suspenseful
Dreamy / Ethereal
Relaxed / Laid Back
Hopeful / Optimistic
Tense / Anxious
Angry / Aggressive
Funky / Groovy
Chill / Mellow
Confident / Bold
Nostalgic / Reflective
Peaceful / Tranquil
Motivational / Driving
Triumphant / Victorious
Sexy / Sultry
Cool / Hip
Whimsical / Magical
Heroic / Adventurous
Comedic / Silly
Serious / Dramatic
Emotional / Moving
Warm / Heartfelt
Bright / Sunny
Gentle / Tender
Intense / Urgent
Spooky / Eerie
Futuristic / Techy
Exotic / Worldly
Elegant / Sophisticated
Carefree / Breezy
Festive / Celebratory
Meditative / Spiritual
Lonely / Isolated
Rebellious / Edgy
Proud / Noble
Curious / Inquisitive
Determined / Focused
Exciting / Thrilling
Majestic / Grand
Soothing / Comforting
Bouncy / Lighthearted
Gritty / Raw
Hypnotic / Trance
Melodic / Lyrical
Minimal / Sparse
Atmospheric / Ambient
Childlike / Innocent
Patriotic / Anthemic
Sneaky / Sly
Bittersweet / Wistful
Grateful / Thankful
Brooding / Moody
Quirky / Offbeat
Sentimental / Nostalgic
Dramatic / Cinematic
""".strip().splitlines()
)

PURPOSES: tuple[str, ...] = tuple(
    line.strip()
    for line in """
Corporate / Business
Technology
Educational
Animation / Explainer
Trailer / Promo
Advertising / Commercial
Vlog
Travel
Fashion
Sports
Fitness / Workout
Gaming
Documentary
Nature / Wildlife
Food / Cooking
Real Estate
Wedding
Holiday / Christmas
Kids / Children
Podcast Intro
Podcast Background
News
Science
Medical / Healthcare
Finance
Startup / Pitch
Product Launch
Tutorial / How-To
Unboxing
Review
Lifestyle
Beauty / Makeup
Automotive
Drone / Aerial
Time-Lapse
Meditation / Yoga
Spa / Wellness
Motivational Speech
Interview
Testimonial
Event / Conference
Charity / Nonprofit
Political / Campaign
History
Horror
Thriller
Comedy
Romance
Action
Adventure
Sci-Fi
Fantasy
Drama
Western
Crime / Detective
Music Video
Dance / Party
Slideshow
Photography
Architecture
Art / Design
Logo Reveal
Intro / Opener
Outro / Ending
Background / Underscore
Social Media
Short-Form Video
YouTube
E-learning
Presentation
App Demo
Retail / Shopping
Hospitality
Environment / Sustainability
""".strip().splitlines()
)

# Genre group -> its genres (every genre in exactly one group).
GENRES_BY_GROUP: dict[str, tuple[str, ...]] = {
    "Cinematic": (
        "Ambient",
        "Cinematic Drama",
        "Documentary Score",
        "Epic Trailer",
        "Film Noir",
        "Sci-Fi Score",
        "Suspense",
        "Underscore",
        "Horror Score",
    ),
    "Hip Hop": (
        "Boom Bap",
        "Trap",
        "Lo-Fi Hip Hop",
        "Old School Hip Hop",
        "Drill",
        "Jazz Rap",
        "Grime",
        "Instrumental Hip Hop",
    ),
    "Electronic": (
        "Downtempo",
        "Chillwave",
        "Synthwave",
        "Electronica",
        "IDM",
        "Glitch",
        "Chillout",
        "Trip Hop",
        "Future Bass",
        "Electro",
    ),
    "Blues & Jazz": (
        "Blues",
        "Smooth Jazz",
        "Swing",
        "Bebop",
        "Cool Jazz",
        "Jazz Fusion",
        "Delta Blues",
        "Lounge",
        "Bossa Nova",
    ),
    "Folk": (
        "Indie Folk",
        "Americana",
        "Celtic",
        "Singer-Songwriter",
        "Acoustic Folk",
        "Bluegrass",
        "Folk Pop",
        "Chamber Folk",
    ),
    "Rock": (
        "Indie Rock",
        "Alternative Rock",
        "Classic Rock",
        "Post Rock",
        "Punk",
        "Hard Rock",
        "Garage Rock",
        "Surf Rock",
        "Psychedelic Rock",
        "Metal",
    ),
    "Country": (
        "Modern Country",
        "Country Pop",
        "Outlaw Country",
        "Honky Tonk",
        "Country Rock",
        "Western Swing",
        "Alt-Country",
        "Country Folk",
    ),
    "Dance": (
        "House",
        "Deep House",
        "Tech House",
        "Techno",
        "Trance",
        "Drum and Bass",
        "Dubstep",
        "Disco",
        "Nu Disco",
        "EDM",
    ),
    "World": (
        "Afrobeat",
        "Latin",
        "Reggae",
        "Flamenco",
        "Bollywood",
        "K-Pop Instrumental",
        "Middle Eastern",
        "Celtic Fusion",
        "Cumbia",
    ),
    "Orchestral": (
        "Classical",
        "Neoclassical",
        "Baroque",
        "Romantic Era",
        "Chamber Music",
        "Solo Piano",
        "String Quartet",
        "Film Orchestral",
    ),
    "R&B & Soul": (
        "Neo Soul",
        "Contemporary R&B",
        "Funk",
        "Motown",
        "Gospel",
        "Quiet Storm",
        "Soul Jazz",
    ),
    "Pop": (
        "Indie Pop",
        "Synth Pop",
        "Electropop",
        "Dream Pop",
        "Pop Rock",
        "Dance Pop",
        "Acoustic Pop",
        "Bedroom Pop",
        "Teen Pop",
        "Power Pop",
    ),
}

GENRE_GROUPS: tuple[str, ...] = tuple(GENRES_BY_GROUP)
GENRES: tuple[str, ...] = tuple(g for genres in GENRES_BY_GROUP.values() for g in genres)
GROUP_OF_GENRE: dict[str, str] = {
    genre: group for group, genres in GENRES_BY_GROUP.items() for genre in genres
}

INSTRUMENTS: tuple[str, ...] = (
    "Accordion",
    "Banjo",
    "Bass - Electric",
    "Bass - Upright",
    "Bells",
    "Brass",
    "Cello",
    "Choir",
    "Clarinet",
    "Drum Machine",
    "Drums",
    "Flute",
    "Glockenspiel",
    "Guitar - Acoustic",
    "Guitar - Electric",
    "Harmonica",
    "Harp",
    "Horns",
    "Keyboard",
    "Mandolin",
    "Marimba",
    "Orchestra",
    "Organ",
    "Pads",
    "Percussion",
    "Piano",
    "Saxophone",
    "Sitar",
    "Strings",
    "Synth",
    "Taiko",
    "Trumpet",
    "Ukulele",
    "Violin",
    "Vocals - Female",
    "Vocals - Male",
    "Whistle",
)
