"""The `/connect` page: where a user, arriving through a signed connect link, gives this server
their Pictory API key (checked with Pictory before it is stored) or removes it.

The key travels only in a form POST body. It is never put in a response, a log line or an error
message; messages from the callbacks are scrubbed of it before they are shown.
"""

from __future__ import annotations

import base64
import hashlib
import html
import logging
from collections.abc import Awaitable, Callable
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from pictory_mcp.errors import PictoryMCPError
from pictory_mcp.hosted.links import ConnectLinks, LinkError

__all__ = ["MAX_FORM_BYTES", "SECURITY_HEADERS", "connect_routes"]

MAX_FORM_BYTES = 4096
_MAX_KEY_CHARS = 512
_FORM_TYPE = "application/x-www-form-urlencoded"
_REDACTED = "[REDACTED]"

logger = logging.getLogger(__name__)

_STYLE = (
    "body{font:16px/1.5 system-ui,sans-serif;max-width:34em;margin:3em auto;padding:0 1em;"
    "color:#1b1b1b}h1{font-size:1.4em}input[type=password]{width:100%;padding:.5em;"
    "font:inherit;box-sizing:border-box}button{font:inherit;padding:.4em 1.2em;margin-top:.8em}"
    ".error{color:#a40000}.muted{color:#555;font-size:.9em}form{margin:1.2em 0}"
)
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()

# No scripts, no external anything; the one inline style is allowed by its hash.
SECURITY_HEADERS = {
    "Cache-Control": "no-store",
    "Pragma": "no-cache",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": (
        f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    ),
}

VerifyKey = Callable[[str], Awaitable[None]]
SaveKey = Callable[[str, str], Awaitable[None]]
DeleteKey = Callable[[str], Awaitable[None]]


class _Refusal(Exception):
    """A request this page answers with a message and a status, not a form."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _page(title: str, body: str, status: int = 200) -> HTMLResponse:
    document = (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width,initial-scale=1">'
        '<meta name="referrer" content="no-referrer">'
        f"<title>{html.escape(title)}</title><style>{_STYLE}</style></head>"
        f"<body><h1>{html.escape(title)}</h1>{body}</body></html>"
    )
    return HTMLResponse(document, status_code=status, headers=SECURITY_HEADERS)


def _message(title: str, text: str, status: int) -> HTMLResponse:
    css = ' class="error"' if status >= 400 else ""
    return _page(title, f"<p{css}>{html.escape(text)}</p>", status)


def _form(action: str, token: str, error: str | None = None, status: int = 200) -> HTMLResponse:
    t = html.escape(token, quote=True)
    target = html.escape(action, quote=True)
    notice = f'<p class="error">{html.escape(error)}</p>' if error else ""
    body = (
        f"{notice}<p>Paste your Pictory API key. It is checked with Pictory, stored encrypted "
        "on this server, and used only for your own requests.</p>"
        f'<form method="post" action="{target}" enctype="{_FORM_TYPE}">'
        f'<input type="hidden" name="t" value="{t}"><input type="hidden" name="action" value="save">'
        '<label for="api_key">Pictory API key</label>'
        '<input type="password" id="api_key" name="api_key" required autocomplete="off" '
        'spellcheck="false" maxlength="512"><button type="submit">Save key</button></form>'
        f'<form method="post" action="{target}" enctype="{_FORM_TYPE}">'
        f'<input type="hidden" name="t" value="{t}"><input type="hidden" name="action" value="delete">'
        '<p class="muted">Remove the key this server holds for you:</p>'
        '<button type="submit">Disconnect</button></form>'
    )
    return _page("Connect your Pictory account", body, status)


def _scrub(text: str, key: str) -> str:
    return text.replace(key, _REDACTED) if key else text


def connect_routes(
    *,
    links: ConnectLinks,
    verify_key: VerifyKey,
    save_key: SaveKey,
    delete_key: DeleteKey,
    require_https: bool,
    trust_forwarded_proto: bool = False,
    path: str = "/connect",
) -> list[Route]:
    """The routes of the connect page at `path`: GET (the form), POST (save or delete), DELETE.

    Args:
        links: checks the `t` token of every request and names its owner.
        verify_key: raises a `PictoryMCPError` whose message says why when Pictory refuses
            the key; returns when the key works.
        save_key: stores `(owner, key)`; delete_key: removes the owner's key.
        require_https: refuse (400) any request that did not arrive over HTTPS.
        trust_forwarded_proto: count `X-Forwarded-Proto: https` (its last value, the one the
            nearest proxy set) as HTTPS; only behind a proxy that sets that header itself.
        path: where the page is served.
    """
    form_action = path.rsplit("/", 1)[-1] or "."

    def secure(request: Request) -> bool:
        if not require_https or request.url.scheme == "https":
            return True
        if trust_forwarded_proto:
            forwarded = request.headers.get("x-forwarded-proto", "")
            return forwarded.rsplit(",", 1)[-1].strip().lower() == "https"
        return False

    def owner_of(token: str | None) -> str:
        if not token:
            raise _Refusal(
                "This page needs the link your assistant gave you; go back to your assistant "
                "and retry, and it will give you one.",
                400,
            )
        try:
            return links.check(token)
        except LinkError as exc:
            raise _Refusal(str(exc), 400) from None

    async def read_form(request: Request) -> dict[str, str]:
        content_type = request.headers.get("content-type", "").split(";", 1)[0].strip().lower()
        if content_type != _FORM_TYPE:
            raise _Refusal("This page accepts only its own form; submit it from the page.", 415)
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > MAX_FORM_BYTES:
            raise _Refusal("The form was too large; submit it again from the page.", 413)
        body = b""
        async for chunk in request.stream():
            body += chunk
            if len(body) > MAX_FORM_BYTES:
                raise _Refusal("The form was too large; submit it again from the page.", 413)
        try:
            pairs = parse_qsl(body.decode("utf-8"), keep_blank_values=True, max_num_fields=10)
        except ValueError:
            raise _Refusal(
                "The form could not be read; submit it again from the page.", 400
            ) from None
        fields: dict[str, str] = {}
        for name, value in pairs:
            fields.setdefault(name, value)  # the first value of a repeated field wins
        return fields

    async def save(owner: str, token: str, key: str) -> Response:
        if not key:
            return _form(form_action, token, "Enter your Pictory API key.", 400)
        if len(key) > _MAX_KEY_CHARS or not key.isprintable():
            return _form(form_action, token, "That is not a Pictory API key; paste it again.", 400)
        try:
            await verify_key(key)
        except PictoryMCPError as exc:
            logger.info("connect: Pictory refused the key offered by %s", owner)
            return _form(form_action, token, _scrub(str(exc), key), 400)
        except Exception as exc:
            logger.warning("connect: could not check a key with Pictory (%s)", type(exc).__name__)
            return _form(
                form_action,
                token,
                "Pictory could not be reached to check the key; try again in a minute.",
                502,
            )
        try:
            await save_key(owner, key)
        except Exception as exc:
            logger.error("connect: could not store the key of %s (%s)", owner, type(exc).__name__)
            text = _scrub(str(exc), key) if isinstance(exc, PictoryMCPError) else ""
            return _message(
                "Not saved",
                text or "The key could not be stored; try again in a minute.",
                500,
            )
        logger.info("connect: stored the Pictory key of %s", owner)
        return _message("Connected", "Connected. Go back to your assistant and retry.", 200)

    async def remove(owner: str) -> None:
        try:
            await delete_key(owner)
        except Exception as exc:
            logger.error("connect: could not remove the key of %s (%s)", owner, type(exc).__name__)
            raise _Refusal("The key could not be removed; try again in a minute.", 500) from None
        logger.info("connect: removed the Pictory key of %s", owner)

    async def endpoint(request: Request) -> Response:
        json_answer = request.method == "DELETE"
        try:
            if not secure(request):
                raise _Refusal(
                    "This page takes keys only over HTTPS; open the link through the server's "
                    "https:// address.",
                    400,
                )
            if request.method == "GET":
                token = request.query_params.get("t", "")
                owner_of(token)
                return _form(form_action, token)
            if request.method == "DELETE":
                await remove(owner_of(request.query_params.get("t")))
                return JSONResponse({"status": "disconnected"}, headers=SECURITY_HEADERS)
            fields = await read_form(request)
            token = fields.get("t", "")
            owner = owner_of(token)
            action = fields.get("action", "save")
            if action == "delete":
                await remove(owner)
                return _message(
                    "Disconnected",
                    "Disconnected. This server no longer holds a Pictory key for you.",
                    200,
                )
            if action != "save":
                raise _Refusal("Unknown action; submit the form from the page.", 400)
            return await save(owner, token, fields.get("api_key", "").strip())
        except _Refusal as refusal:
            if json_answer:
                return JSONResponse(
                    {"error": str(refusal)}, status_code=refusal.status, headers=SECURITY_HEADERS
                )
            return _message("Cannot connect", str(refusal), refusal.status)

    return [Route(path, endpoint, methods=["GET", "POST", "DELETE"])]
