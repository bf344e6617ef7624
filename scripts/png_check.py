"""Fail when a PNG is blank: one colour all over (a page that did not render).

    python scripts/png_check.py docs/screenshots/*.png

Reads 8-bit PNGs (greyscale, RGB, palette, with or without alpha, not interlaced), which is
what headless Chromium writes, with the standard library only.
"""

from __future__ import annotations

import struct
import sys
import zlib
from pathlib import Path

_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def _chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    if not data.startswith(_SIGNATURE):
        raise ValueError("not a PNG file")
    found, at = [], len(_SIGNATURE)
    while at < len(data):
        (length,) = struct.unpack(">I", data[at : at + 4])
        kind = data[at + 4 : at + 8]
        found.append((kind, data[at + 8 : at + 8 + length]))
        at += 12 + length
    return found


def _unfilter(raw: bytes, width: int, height: int, step: int) -> list[bytes]:
    stride = width * step
    rows: list[bytes] = []
    previous = bytearray(stride)
    at = 0
    for _ in range(height):
        kind, line = raw[at], bytearray(raw[at + 1 : at + 1 + stride])
        at += 1 + stride
        for i in range(stride):
            left = line[i - step] if i >= step else 0
            up = previous[i]
            corner = previous[i - step] if i >= step else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                guess = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + guess) & 0xFF
        rows.append(bytes(line))
        previous = line
    return rows


def colours(path: Path) -> tuple[int, int, int]:
    """The PNG's width, height and number of distinct pixel values."""
    chunks = _chunks(path.read_bytes())
    header = next(body for kind, body in chunks if kind == b"IHDR")
    width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", header)
    if depth != 8 or interlace or colour not in _CHANNELS:
        raise ValueError(
            f"unsupported PNG (depth {depth}, colour type {colour}, interlace {interlace})"
        )
    step = _CHANNELS[colour]
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    seen: set[bytes] = set()
    for row in _unfilter(raw, width, height, step):
        seen.update(row[i : i + step] for i in range(0, len(row), step))
    return width, height, len(seen)


def main(paths: list[str]) -> int:
    if not paths:
        print("usage: png_check.py FILE.png ...", file=sys.stderr)
        return 2
    failed = 0
    for name in paths:
        width, height, count = colours(Path(name))
        blank = count <= 1
        failed += blank
        print(f"{name}: {width}x{height}, {count} colours{' - BLANK' if blank else ''}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
