"""The URIs of the server's own resources, named once for the resources that serve them, the
notifications that point at them and the tool descriptions that mention them; and the inline
views (MCP Apps) tools link to."""

from __future__ import annotations

JOBS_URI = "pictory://jobs"
STORYBOARD_SCHEMA_URI = "pictory://schema/storyboard"
EXTRAS_SCHEMA_URI = "pictory://schema/extras"
PLAYER_VIEW = "ui://pictory/player.html"
STORYBOARD_VIEW = "ui://pictory/storyboard.html"
