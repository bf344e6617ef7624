"""Account-level catalogue data: brands, text styles, smart layouts, templates, avatars,
quota and cloud connections (§13, §14, §17, §18). Every id is a fixed literal."""

from __future__ import annotations

from typing import Any

ASSET_HOST = "https://assets.sandbox.pictory.invalid"

BRANDS: list[dict[str, Any]] = [
    {"id": "3f0c2a51-8d7e-4b8e-9a3c-0c6f2b1d9e11", "name": "Default Brand"},
    {"id": "b9d7e6a4-1f2c-4d3e-8a9b-7c6d5e4f3a21", "name": "Corporate Blue"},
    {"id": "5a1e9c37-2b64-4f0d-9e8a-61c7d2f40b93", "name": "Startup Bright"},
    {"id": "e2c48b19-7d3a-4c5e-b6f1-0a9d8e7c6b54", "name": "Nonprofit Green"},
]

TEXT_STYLES: list[dict[str, Any]] = [
    {"id": "8f3deae9-fe38-4c53-8be0-616bef1da916", "name": "Navy blue"},
    {"id": "1c7a2e54-3b9d-4f86-a0e2-5d4c3b2a1f07", "name": "Indigo ink"},
    {"id": "6d9cc665-8087-4587-ab6d-f9d7d01f82c4", "name": "Default"},
    {"id": "a4e3b2c1-9f8e-4d7c-b6a5-0e1f2d3c4b5a", "name": "Sleek"},
    {"id": "2b3c4d5e-6f70-4a81-92b3-c4d5e6f70819", "name": "Black Traditional Caption"},
    {"id": "9e8d7c6b-5a49-4382-a716-05f4e3d2c1b0", "name": "Dark Blue Caption"},
    {"id": "bcbcef60-9f8f-4357-ac32-ecf5144f2f12", "name": "Headliner"},
    {"id": "0f1e2d3c-4b5a-4968-8776-a5b4c3d2e1f0", "name": "Flash"},
]

SMART_LAYOUTS: list[dict[str, Any]] = [
    {
        "templateId": f"20250813042630669e658e159aa60455692c1dad5473ad{suffix}",
        "templateName": name,
        "schemaVersion": "v3",
    }
    for suffix, name in (
        ("zz1", "Modern minimalist"),
        ("kn2", "Kinetic"),
        ("ch3", "Chic"),
        ("td3", "Wanderlust"),
        ("bl5", "Bulletin"),
    )
]

_T_ANNOUNCE = "20250901101500123a1b2c3d4e5f60718293a4b5c6d7e8f9tpl1"
_T_UPDATE = "20250915083000456b2c3d4e5f60718293a4b5c6d7e8f90atpl2"
_T_PROMO = "20250920120000789c3d4e5f60718293a4b5c6d7e8f90a1btpl3"
_T_OLD = "20240105090000012d4e5f60718293a4b5c6d7e8f90a1b2ctpl4"

# templateId -> (name, language, published, deprecated, variables, scene subtitle lines)
_TEMPLATES: dict[str, tuple[str, str, bool, bool, dict[str, str], list[str]]] = {
    _T_ANNOUNCE: (
        "Product Announcement",
        "en",
        True,
        False,
        {"Product": "PRODUCT", "Company": "COMPANY"},
        [
            "{{Company}} is proud to introduce {{Product}}.",
            "{{Product}} makes your day simpler.",
            "Try {{Product}} today.",
        ],
    ),
    _T_UPDATE: (
        "Weekly Team Update",
        "en",
        True,
        False,
        {"Name": "NAME", "Week": "WEEK"},
        ["Hi team, {{Name}} here with the update for week {{Week}}.", "Thanks for watching."],
    ),
    _T_PROMO: (
        "Oferta de temporada",
        "es",
        True,
        False,
        {"Oferta": "OFERTA"},
        ["Esta temporada: {{Oferta}}.", "Solo por tiempo limitado."],
    ),
    _T_OLD: (
        "Legacy Event Invite",
        "en",
        False,
        True,
        {"Event": "EVENT", "Date": "DATE"},
        ["You are invited to {{Event}}.", "Join us on {{Date}}."],
    ),
}


def template_list() -> list[dict[str, Any]]:
    """GET /v1/templates items."""
    return [
        {"templateId": tid, "name": name, "language": lang, "published": pub, "deprecated": dep}
        for tid, (name, lang, pub, dep, _vars, _lines) in _TEMPLATES.items()
    ]


def template_detail(template_id: str) -> dict[str, Any] | None:
    """GET /v1/templates/{id}: note the documented misspelling `depricated`."""
    if template_id not in _TEMPLATES:
        return None
    name, lang, pub, dep, variables, lines = _TEMPLATES[template_id]
    scenes = [
        {
            "sceneId": f"{template_id[-4:]}-scene-{i + 1}",
            "subtitles": [{"text": line}],
            "layers": [
                [{"layerId": f"{template_id[-4:]}-layer-{i + 1}", "type": "text", "text": line}]
            ],
        }
        for i, line in enumerate(lines)
    ]
    return {
        "templateId": template_id,
        "name": name,
        "language": lang,
        "published": pub,
        "depricated": dep,
        "backgroundMusic": {
            "enabled": True,
            "musicUrl": "https://tracks.sandbox.pictory.invalid/music/301/morning-ledger.mp3",
            "volume": 0.1,
        },
        "voiceOver": {
            "enabled": True,
            "aiVoices": [{"speaker": "3108", "speed": 100, "amplificationLevel": 0}],
        },
        "scenes": scenes,
        "variables": dict(variables),
        "schemaVersion": "v3",
        "project": f"{ASSET_HOST}/templates/{template_id}/project.json",
        "structure": f"{ASSET_HOST}/templates/{template_id}/structure.json",
    }


def _look(group: str, look: str) -> dict[str, Any]:
    look_id = f"{group}_{look}_public"
    return {
        "id": look_id,
        "name": f"{group} {look.rstrip('0123456789').replace('_', ' ')}".strip(),
        "previewImage": f"{ASSET_HOST}/avatars/{look_id}.webp",
        "previewVideo": f"{ASSET_HOST}/avatars/{look_id}.webm",
    }


AVATARS: list[dict[str, Any]] = [
    {
        "id": "6f1a2b3c4d5e6f708192a3b4",
        "name": "Annie",
        "gender": "Female",
        "looks": [_look("Annie", "expressive12"), _look("Annie", "casual3")],
    },
    {
        "id": "7a2b3c4d5e6f708192a3b4c5",
        "name": "Marcus",
        "gender": "Male",
        "looks": [_look("Marcus", "office2"), _look("Marcus", "expressive5")],
    },
    {
        "id": "8b3c4d5e6f708192a3b4c5d6",
        "name": "Sofia",
        "gender": "Female",
        "looks": [_look("Sofia", "studio1")],
    },
    {
        "id": "9c4d5e6f708192a3b4c5d6e7",
        "name": "Kai",
        "gender": None,
        "looks": [_look("Kai", "casual7")],
    },
]

QUOTA: dict[str, Any] = {
    "videoMinutes": {"used": 98, "limit": 14400},
    "transcriptionMinutes": {"used": 12, "limit": 600},
    "elevenLabsVoiceOverMinutes": {"used": 3, "limit": 120},
    "aiCredits": {"used": 48, "limit": 2000},
}

AWS_CONNECTIONS: list[dict[str, Any]] = [
    {
        "connectionId": "20241207042423053xmex5z9ag9ivmp21",
        "name": "marketing-assets",
        "description": "Private S3 bucket with brand footage",
        "awsAccountId": "123456789012",
        "awsRegion": "us-east-1",
        "type": "AWS",
        "enabled": True,
        "createdDate": "2024-12-07T04:24:23.053Z",
        "updatedDate": "2024-12-07T04:24:23.053Z",
        "version": 1,
    },
    {
        "connectionId": "20250211101010101kq7w3n5b8c2d4f6",
        "name": "archive-eu",
        "description": "Archived webinars",
        "awsAccountId": "210987654321",
        "awsRegion": "eu-west-1",
        "type": "AWS",
        "enabled": False,
        "createdDate": "2025-02-11T10:10:10.101Z",
        "updatedDate": "2025-03-01T08:00:00.000Z",
        "version": 2,
    },
]

VIMEO_CONNECTIONS: list[dict[str, Any]] = [
    {
        "connectionId": "20250301120000000vm1a2b3c4d5e6f7",
        "name": "Company Vimeo",
        "description": "Uploads for the marketing channel",
        "clientIdentifier": "a1b2c3d4e5f60718293a4b5c6d7e8f9001122334",
        "type": "VIMEO",
        "enabled": True,
        "createdDate": "2025-03-01T12:00:00.000Z",
        "updatedDate": "2025-03-01T12:00:00.000Z",
        "version": 1,
    },
]
