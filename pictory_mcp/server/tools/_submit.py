"""Submitting a storyboard once and recording it, and the plain checks every create_* tool
makes on its text arguments (URLs, video names)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Awaitable, Callable, Collection, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import anyio.to_thread
from pydantic import ValidationError

from pictory_mcp import api
from pictory_mcp.errors import FieldError, InputError, InvalidRequestError
from pictory_mcp.facts import clean_video_name
from pictory_mcp.server import spending
from pictory_mcp.server.estimates import storyboard_length
from pictory_mcp.server.outputs import JobView
from pictory_mcp.server.spending import Spend
from pictory_mcp.server.state import AppState
from pictory_mcp.server.submitted import submitted_view
from pictory_mcp.server.tools._payload_paths import agent_words, argument_path

if TYPE_CHECKING:
    from pictory_mcp.api.layout import LayoutReport

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


LAYOUT_LISTED = 8
"""Problems a layout refusal spells out; the agent fixes those and calls again."""


async def check_layout(payload: dict[str, Any], *, preview: bool) -> tuple[list[str], list[str]]:
    """Measure the storyboard's positioned elements (api/layout) before anything is sent: refuse
    when a problem is certain, each with its fix; otherwise (notes, warnings) for the answer."""

    def measured() -> LayoutReport:
        from pictory_mcp.api import layout  # loads the font metrics on first use

        return layout.check_layout(payload)

    # In a worker thread: the first check loads the font metrics library (tens of ms).
    report = await anyio.to_thread.run_sync(measured)
    if report.errors:
        listed = [*report.errors, *report.warnings]
        shown = " ".join(p.message for p in listed[:LAYOUT_LISTED])
        more = len(listed) - LAYOUT_LISTED
        extra = f" (and {more} more)" if more > 0 else ""
        count, possible = len(report.errors), len(report.warnings)
        also = f" and {possible} possible one{'s' if possible > 1 else ''}" if possible else ""
        raise InputError(
            f"The storyboard's layout has {count} problem{'s' if count > 1 else ''} to fix"
            f"{also} (nothing was sent): {shown}{extra} Fix them and call again."
        )
    warnings = [p.message for p in report.warnings]
    if not warnings:
        return [], []
    then = "check them in the preview" if preview else "the render was sent; check the video"
    n = len(warnings)
    note = (
        f"Layout check: {n} possible problem{'s' if n > 1 else ''} from approximate measures "
        f"in details.layout; {then}."
    )
    return [note], warnings


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


def _voices(payload: dict[str, Any]) -> str | None:
    """The AI voices a storyboard names, as the user reads them ('Brian, Jackson')."""
    voice_over = payload.get("voiceOver")
    voices = voice_over.get("aiVoices") if isinstance(voice_over, dict) else None
    names = [str(v["speaker"]) for v in voices or [] if isinstance(v, dict) and v.get("speaker")]
    return ", ".join(dict.fromkeys(names)) or None


def spend_of(payload: dict[str, Any]) -> Spend:
    """What rendering `payload` spends, as the checks and the user's question see it."""
    name = payload.get("videoName")
    aspect = payload.get("aspectRatio")
    return Spend(
        length=storyboard_length(payload),
        video_name=name if isinstance(name, str) else None,
        aspect_ratio=aspect if isinstance(aspect, str) else None,
        voice=_voices(payload),
    )


def resend(
    client: Any, kind: str, payload: dict[str, Any]
) -> Callable[[str | None], Awaitable[Any]]:
    """The job-creating request of a recorded `kind` and `payload` (what a placeholder keeps),
    sent with a webhook URL or None: a render of a preview (its payload names only the
    preview), a storyboard preview, or a storyboard render."""
    if kind == "render" and set(payload) == {"previewJobId"}:
        return lambda hook: client.render_from_preview(str(payload["previewJobId"]), hook)
    send = client.create_storyboard_preview if kind == "preview" else client.render_storyboard
    return lambda hook: send({**payload, "webhook": hook} if hook else payload)


async def submit(
    state: AppState,
    payload: dict[str, Any],
    *,
    preview: bool,
    summary: dict[str, Any],
    top_level: Collection[str] | None = None,
    notes: Sequence[str] = (),
    spend: Spend | None = None,
) -> JobView:
    """Submit the storyboard once (see server/submissions) and say what to do next, after any
    `notes` on values the caller did not choose; a payload the server built (`top_level`
    given) is refused in the tool's argument paths. A render (not a preview) first passes the
    spending checks (server/spending) with `spend`, by default worked out from the payload."""
    client = state.require_client()
    kind = "preview" if preview else "render"
    name = payload.get("videoName")
    approval = None if preview else await spending.approve(state, spend or spend_of(payload))
    if approval is not None:
        notes = (*notes, *approval.notes)
    try:
        done = await state.submitter.submit(
            kind=kind,
            payload=payload,
            summary=summary,
            send=resend(client, kind, payload),
            video_name=name if isinstance(name, str) else None,
            notes=notes,
            spend=approval.claim if approval is not None else None,
        )
    except InvalidRequestError as exc:
        if top_level is None:
            raise
        raise _in_agent_terms(exc, top_level) from None
    view = submitted_view(state, done, kind, summary, notes=notes)
    if approval is not None:
        view.detail(spend=approval.detail)
    return view
