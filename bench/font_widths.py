"""How far real font files' advance widths are from the standard PDF fonts' metrics that the
layout check measures with (pictory_mcp/api/layout). Run by hand, with fontTools installed
(not a dependency of the project) and font files on the command line, e.g. Debian's
fonts-liberation, fonts-courier-prime, fonts-bebas-neue, fonts-lato, fonts-manrope:

    .venv/bin/pip install fonttools
    .venv/bin/python bench/font_widths.py /usr/share/fonts/truetype/liberation/*.ttf ...

For each file: the ratio of its width to the matching standard face's (Helvetica, or
Helvetica-Bold from weight 600, or Courier for monospaced files) over headings like those of
the vendor examples; min, mean and max over the samples.
"""

from __future__ import annotations

import sys
from pathlib import Path

from fontTools.ttLib import TTFont
from reportlab.pdfbase.pdfmetrics import stringWidth

SAMPLES = [
    "Five habits that stop phishing",
    "Pause before you click",
    "How code ships to production",
    "SECURITY BASICS",
    "Report suspicious emails",
    "Step 1 — a push starts the pipeline",
    "Every app has 3 layers",
    "The lamp that learns you",
    "Be first in line",
    "94% of breaches start with a phishing email",
]


def advances(font: TTFont, text: str) -> list[float]:
    cmap = font.getBestCmap()
    metrics = font["hmtx"]
    per_em = font["head"].unitsPerEm
    return [metrics[cmap.get(ord(ch), ".notdef")][0] / per_em for ch in text]


def face_for(font: TTFont) -> str:
    every = {a for sample in SAMPLES for a in advances(font, sample)}
    if len(every) == 1:
        return "Courier-Bold" if font["OS/2"].usWeightClass >= 600 else "Courier"
    return "Helvetica-Bold" if font["OS/2"].usWeightClass >= 600 else "Helvetica"


def main(paths: list[str]) -> None:
    for path in paths:
        font = TTFont(path, lazy=True)
        face = face_for(font)
        ratios = [
            sum(advances(font, sample)) / (stringWidth(sample, face, 1000) / 1000)
            for sample in SAMPLES
        ]
        print(
            f"{Path(path).name:34} vs {face:15} min {min(ratios):.3f} "
            f"mean {sum(ratios) / len(ratios):.3f} max {max(ratios):.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:])
