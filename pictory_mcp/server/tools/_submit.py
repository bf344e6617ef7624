"""Submitting a storyboard once and recording it, and the plain checks every create_* tool
makes on its text arguments (URLs, video names)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import Any
from urllib.parse import urlsplit

from pydantic import ValidationError

from pictory_mcp import api
from pictory_mcp.errors import FieldError, InputError, InvalidRequestError
from pictory_mcp.facts import clean_video_name
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.state import AppState
from pictory_mcp.server.submitted import submitted_view
from pictory_mcp.server.tools._payload_paths import agent_words, argument_path

MAX_URL = 2000
_WINDOWS_PATH = re.compile(r"^[A-Za-z]:[\\/]")
JOB_ID = r"^[\w-]{1,64}$"  # a Pictory uuid or a "wf-" workflow id: no dots or slashes


def check_url(value: str, arg: str, *, https_only: bool = False) -> str:
    """A public http(s) URL of at most 2,000 characters, or a refusal naming `arg` that states
    the tool's real rule (`https_only` where Pictory fetches only over HTTPS) on the first try."""
    url = value.strip()
    if len(url) > MAX_URL:
        raise InputError(f"{arg} is {len(url)} characters; give a URL of at most {MAX_URL}.")
    rule = "https://" if https_only else "http:// or https://"
    if "://" not in url and not url.lower().startswith(("javascript:", "data:", "mailto:")):
        if url.startswith(("/", "~", "\\")) or _WINDOWS_PATH.match(url):
            kind = "https" if https_only else "http(s)"
            raise InputError(
                f"{arg} must be a public {kind} URL, not a local file path ('{url[:80]}'). "
                "Upload the file somewhere public and pass its link."
            )
        if " " not in url and "." in url.split("/", 1)[0]:
            raise InputError(
                f"{arg} has no scheme ('{url[:80]}'): add https:// in front, "
                f"e.g. 'https://{url[:80]}'."
            )
    parts = urlsplit(url)
    allowed = ("https",) if https_only else ("http", "https")
    if parts.scheme.lower() not in allowed or not parts.netloc or " " in url:
        kind, why = (
            ("https", " (Pictory fetches this media only over HTTPS)")
            if https_only
            else ("http(s)", "")
        )
        raise InputError(
            f"{arg} must be a public {kind} URL starting with {rule}{why} (got '{url[:80]}')."
        )
    return url


def has_words(text: str) -> bool:
    """True when `text` has a letter or digit: spaces, punctuation and invisible characters
    (zero-width spaces, joiners, marks) alone narrate nothing."""
    return any(unicodedata.category(ch)[0] in "LN" for ch in text)


def video_name_from(source: str, given: str | None) -> str:
    """The given name, else the first words of `source`, as a videoName Pictory accepts."""
    text = given if given and given.strip() else " ".join(source.split()[:8])
    return clean_video_name(text) or "Untitled video"


def name_from_url(url: str) -> str:
    """Words of the URL's last path segment ('/blog/solar-is-cheap' -> 'solar is cheap')."""
    parts = urlsplit(url)
    tail = parts.path.rstrip("/").rpartition("/")[2].rsplit(".", 1)[0]
    return " ".join(re.split(r"[-_+%\s]+", tail)) or parts.hostname or "Untitled video"


def _loc(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def validate_storyboard(
    payload: dict[str, Any], top_level: Collection[str] | None = None
) -> dict[str, Any]:
    """Validate with the storyboard models; name the field path of each problem: Pictory's
    path, or, for a payload the server built (`top_level`: the tool's own argument names), the
    argument path that set it."""
    try:
        return api.models.Storyboard.model_validate(payload).to_payload()
    except ValidationError as exc:
        problems = []
        for e in exc.errors()[:5]:
            where = _loc(tuple(e["loc"])) or "storyboard"
            message = e["msg"].removeprefix("Value error, ")
            if top_level is not None:
                where = argument_path(where, top_level) or where
                message = agent_words(message)
            problems.append(f"{where}: {message}")
        more = f" (and {exc.error_count() - 5} more)" if exc.error_count() > 5 else ""
        what = "The storyboard is not valid" if top_level is None else "Invalid options"
        raise InputError(f"{what}: {'; '.join(problems)}{more}. Fix and call again.") from None


def _in_agent_terms(exc: InvalidRequestError, top_level: Collection[str]) -> InvalidRequestError:
    """Pictory's refusal of a payload the server built, with the argument paths that set it."""
    fields = [
        FieldError(argument_path(f.name, top_level) or f.name, agent_words(f.errors))
        for f in exc.fields
    ]
    return InvalidRequestError(
        agent_words(str(exc)),
        status_code=exc.status_code,
        code=exc.code,
        body=exc.body,
        fields=fields,
    )


def resend(client: Any, kind: str, payload: dict[str, Any]) -> Callable[[], Awaitable[Any]]:
    """The job-creating request of a recorded `kind` and `payload` (what a placeholder keeps):
    a render of a preview (its payload names only the preview), a storyboard preview, or a
    storyboard render."""
    if kind == "render" and set(payload) == {"previewJobId"}:
        return lambda: client.render_from_preview(str(payload["previewJobId"]))
    if kind == "preview":
        return lambda: client.create_storyboard_preview(payload)
    return lambda: client.render_storyboard(payload)


async def submit(
    state: AppState,
    payload: dict[str, Any],
    *,
    preview: bool,
    summary: dict[str, Any],
    top_level: Collection[str] | None = None,
    notes: Sequence[str] = (),
) -> JobView:
    """Submit the storyboard once (see server/submissions) and say what to do next, after any
    `notes` on values the caller did not choose; a payload the server built (`top_level`
    given) is refused in the tool's argument paths."""
    client = state.require_client()
    kind = "preview" if preview else "render"
    name = payload.get("videoName")
    try:
        done = await state.submitter.submit(
            kind=kind,
            payload=payload,
            summary=summary,
            send=resend(client, kind, payload),
            video_name=name if isinstance(name, str) else None,
            notes=notes,
        )
    except InvalidRequestError as exc:
        if top_level is None:
            raise
        raise _in_agent_terms(exc, top_level) from None
    return submitted_view(state, done, kind, summary, notes=notes)
