"""What a downloaded file must look like for the kind asked for, judged on its first bytes
(CDNs often label everything application/octet-stream): an ISO-BMFF video, a JPEG, PNG or
WebP image, UTF-8 subtitles or text. The answer is the extension and media type to save it as.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path

HEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str
    mime: str


VIDEO = FileType(".mp4", "video/mp4")
_IMAGES = (
    (b"\xff\xd8\xff", FileType(".jpg", "image/jpeg")),
    (b"\x89PNG\r\n\x1a\n", FileType(".png", "image/png")),
)
_WEBP = FileType(".webp", "image/webp")
_TEXT = {
    "srt": FileType(".srt", "application/x-subrip"),
    "vtt": FileType(".vtt", "text/vtt"),
    "txt": FileType(".txt", "text/plain"),
}
WANTED = {
    "video": "an MP4 video",
    "thumbnail": "a JPEG, PNG or WebP image",
    "srt": "SRT subtitles",
    "vtt": "WebVTT subtitles",
    "txt": "plain text",
}
# Box types an ISO-BMFF file (MP4, QuickTime) may open with; Pictory's open with 'ftyp'.
_BOXES = frozenset({b"ftyp", b"styp", b"moov", b"mdat", b"free", b"skip", b"wide", b"pdin"})
_MARKUP = ("<!doctype html", "<html", "<?xml")


def read_head(path: Path) -> bytes:
    """The first bytes of a file, enough to tell its kind."""
    with path.open("rb") as file:
        return file.read(HEAD_BYTES)


def recognise(kind: str, head: bytes, content_type: str, *, whole: bool) -> FileType | None:
    """How to save a file of `kind` that starts with `head` (all of it when `whole`), or None
    when it is not one. `content_type` only settles text that could be a web page."""
    if kind == "video":
        return VIDEO if _is_iso_bmff(head) else None
    if kind == "thumbnail":
        return _image(head)
    return _TEXT[kind] if _is_text(kind, head, content_type, whole=whole) else None


def _is_iso_bmff(head: bytes) -> bool:
    if len(head) < 8 or head[4:8] not in _BOXES:
        return False
    size = int.from_bytes(head[:4], "big")
    return size in (0, 1) or size >= 8  # 0: to the end of the file; 1: a 64-bit size follows


def _image(head: bytes) -> FileType | None:
    for magic, found in _IMAGES:
        if head.startswith(magic):
            return found
    return _WEBP if head[:4] == b"RIFF" and head[8:12] == b"WEBP" else None


def _is_text(kind: str, head: bytes, content_type: str, *, whole: bool) -> bool:
    if b"\x00" in head or content_type in ("text/html", "application/xhtml+xml"):
        return False
    try:
        text = codecs.getincrementaldecoder("utf-8-sig")().decode(head, final=whole)
    except UnicodeDecodeError:
        return False
    start = text.lstrip()
    if start[:16].lower().startswith(_MARKUP):
        return False  # an error or sign-in page, not subtitles
    if kind == "vtt":
        return text.startswith("WEBVTT")
    if kind == "srt":
        return not start or "-->" in text  # a video without narration has empty subtitles
    return True
