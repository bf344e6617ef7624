"""scripts/png_check.py, which `make screenshots` relies on, tells a blank picture from a real one,
and the committed screenshots pass it."""

from __future__ import annotations

import importlib.util
import struct
import zlib
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parent.parent


def load_checker() -> ModuleType:
    spec = importlib.util.spec_from_file_location("png_check", ROOT / "scripts" / "png_check.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def png(path: Path, rows: list[list[tuple[int, int, int]]], filter_type: int = 0) -> Path:
    """An 8-bit RGB PNG of `rows`, every row stored with `filter_type` (0 none, 1 sub)."""
    raw = b""
    for row in rows:
        flat = bytes(c for pixel in row for c in pixel)
        if filter_type == 1:
            flat = bytes(
                (flat[i] - (flat[i - 3] if i >= 3 else 0)) & 0xFF for i in range(len(flat))
            )
        raw += bytes([filter_type]) + flat

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (
            struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))
        )

    header = struct.pack(">IIBBBBB", len(rows[0]), len(rows), 8, 2, 0, 0, 0)
    path.write_bytes(
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )
    return path


def test_a_single_colour_picture_is_blank_and_fails(tmp_path: Path) -> None:
    checker = load_checker()
    blank = png(tmp_path / "blank.png", [[(255, 255, 255)] * 4] * 3)
    assert checker.colours(blank) == (4, 3, 1)
    assert checker.main([str(blank)]) == 1


def test_a_picture_with_content_passes_whatever_its_row_filters(tmp_path: Path) -> None:
    checker = load_checker()
    rows = [[(255, 255, 255), (10, 20, 30), (10, 20, 30)], [(0, 0, 0)] * 3]
    for filter_type in (0, 1):
        drawn = png(tmp_path / f"drawn{filter_type}.png", rows, filter_type)
        assert checker.colours(drawn) == (3, 2, 3)
        assert checker.main([str(drawn)]) == 0


def test_the_committed_screenshots_are_not_blank() -> None:
    shots = sorted((ROOT / "docs" / "screenshots").glob("*.png"))
    assert {p.name for p in shots} >= {"player.png", "storyboard.png"}
    assert load_checker().main([str(p) for p in shots]) == 0
