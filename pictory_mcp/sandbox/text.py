"""Words and timings the sandbox invents: sentences for URL sources, transcripts and subtitles.

Everything is derived from the input text or URL alone, so the same request always yields the
same transcript.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

WORDS_PER_SECOND = 2.5
"""Voice-over reading speed at speed 100 (REFERENCE §21): 150 words a minute."""

SECONDS_PER_WORD = tuple(round(0.36 + 0.01 * n, 2) for n in range(9))
"""Real voices read at different paces. The simulator gives each voice one of these times a word
(0.36 to 0.44 s, around §21's 0.4 s), picked by its track id ((id + 4) mod 9), so a voice always
has the same pace: Brian (1008), the voice of the reference's samples, reads at exactly 2.5
words/s. Whole hundredths keep scene times as short decimals, as Pictory's are."""


def seconds_per_word(track_id: int | None) -> float:
    """How long the voice with `track_id` takes to read one word at speed 100 (0.4 s, §21's
    2.5 words/s, when the voice is unknown)."""
    if track_id is None:
        return 1.0 / WORDS_PER_SECOND
    return SECONDS_PER_WORD[(track_id + 4) % len(SECONDS_PER_WORD)]


_SENTENCE_BANK = (
    "Good stories start with a clear question.",
    "Our team spent the last quarter listening to customers.",
    "The numbers tell us where attention really goes.",
    "Small habits repeated daily beat rare heroic efforts.",
    "Every product decision begins with a real problem.",
    "We tested three ideas and kept the simplest one.",
    "Clear writing is a form of respect for the reader.",
    "Short videos work best when each scene makes one point.",
    "Data without context rarely changes anyone's mind.",
    "The first draft is for you and the second is for them.",
    "Feedback arrives fastest when shipping is cheap.",
    "Good tools disappear and leave only the work.",
    "A checklist turns a hard process into a routine.",
    "Most delays come from waiting rather than working.",
    "Teams move faster once the goal fits in one sentence.",
    "Automation pays off when the task repeats every week.",
    "The best summary names the decision and the reason.",
    "People remember a picture long after they forget the slide.",
    "Measure what matters and ignore the rest for now.",
    "Thank you for watching and see you next time.",
)

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


def sentences_for(source: str, count: int = 6) -> list[str]:
    """A deterministic pseudo-article for a URL (blog, PPT, audio or video source)."""
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    start = digest[0] % len(_SENTENCE_BANK)
    step = 1 + digest[1] % 3
    return [_SENTENCE_BANK[(start + i * step) % len(_SENTENCE_BANK)] for i in range(count)]


def split_sentences(text: str) -> list[str]:
    return [s.strip() for s in _SENTENCE_END.split(text.strip()) if s.strip()]


def word_count(text: str) -> int:
    return len(text.split())


def transcript_for(source: str, sentence_count: int = 6) -> list[dict[str, Any]]:
    """A Pictory-shaped transcript (sentences of timed words) for a media URL."""
    sentences = sentences_for(source, sentence_count)
    out: list[dict[str, Any]] = []
    clock = 0.2
    uid = 0
    for index, sentence in enumerate(sentences):
        words: list[dict[str, Any]] = []
        speaker = 1 + index % 2 if len(sentences) > 3 else 1
        for token in sentence.split():
            uid += 1
            length = round(0.18 + 0.05 * len(token.strip(".,!?")), 2)
            words.append(_word(f"w{uid}", token, clock, clock + length, index, speaker))
            clock = round(clock + length + 0.06, 2)
        uid += 1
        pause = _word(f"w{uid}", "", clock, clock + 0.5, index, speaker)
        pause.update(is_pause=True, pause_size=0.5)
        words.append(pause)
        clock = round(clock + 0.5, 2)
        out.append({"uid": f"s{index + 1}", "speakerId": speaker, "words": words})
    return out


def _word(
    uid: str, word: str, start: float, end: float, sentence: int, speaker: object
) -> dict[str, Any]:
    return {
        "uid": uid,
        "word": word,
        "start_time": round(start, 2),
        "end_time": round(end, 2),
        "sentence_index": sentence,
        "is_pause": False,
        "pause_size": 0,
        "state": "active",
        "speakerId": speaker,
    }


def cues_from_transcript(transcript: list[dict[str, Any]]) -> list[tuple[float, float, str]]:
    """One subtitle cue per sentence: (start, end, text), pauses left out."""
    cues: list[tuple[float, float, str]] = []
    for sentence in transcript:
        words = [w for w in sentence.get("words", []) if not w.get("is_pause") and w.get("word")]
        if words:
            text = " ".join(str(w["word"]) for w in words)
            cues.append((float(words[0]["start_time"]), float(words[-1]["end_time"]), text))
    return cues


def _stamp(seconds: float, sep: str) -> str:
    millis = round(seconds * 1000)
    hours, millis = divmod(millis, 3_600_000)
    minutes, millis = divmod(millis, 60_000)
    secs, millis = divmod(millis, 1000)
    return f"{hours:02d}:{minutes:02d}:{secs:02d}{sep}{millis:03d}"


def srt(cues: list[tuple[float, float, str]]) -> str:
    blocks = [
        f"{i}\n{_stamp(a, ',')} --> {_stamp(b, ',')}\n{text}\n"
        for i, (a, b, text) in enumerate(cues, 1)
    ]
    return "\n".join(blocks)


def vtt(cues: list[tuple[float, float, str]]) -> str:
    blocks = [f"{_stamp(a, '.')} --> {_stamp(b, '.')}\n{text}\n" for a, b, text in cues]
    return "WEBVTT\n\n" + "\n".join(blocks)


def txt(cues: list[tuple[float, float, str]]) -> str:
    return " ".join(text for _, _, text in cues)


def normalize_transcript(raw: object) -> list[dict[str, Any]]:
    """Accept a caller's transcript (timed words, or `{text, start, end}` sentences) and return
    it in the full word shape, inventing timings where the caller gave none."""
    out: list[dict[str, Any]] = []
    clock = 0.0
    uid = 0
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict):
            continue
        speaker = item.get("speakerId", 1)
        words: list[dict[str, Any]] = []
        given = item.get("words")
        if isinstance(given, list):
            for w in given:
                if not isinstance(w, dict):
                    continue
                uid += 1
                start = _time(w.get("start_time"), clock)
                end = max(start, _time(w.get("end_time"), start + 0.4))
                word = _word(
                    str(w.get("uid", f"w{uid}")),
                    str(w.get("word", "")),
                    start,
                    end,
                    index,
                    w.get("speakerId", speaker),
                )
                word["is_pause"] = bool(w.get("is_pause", False))
                word["pause_size"] = w.get("pause_size", 0)
                words.append(word)
                clock = end
        elif isinstance(item.get("text"), str):
            tokens = item["text"].split()
            start = _time(item.get("start"), clock)
            end = max(start, _time(item.get("end"), start + len(tokens) / WORDS_PER_SECOND))
            step = (end - start) / max(1, len(tokens))
            for k, token in enumerate(tokens):
                uid += 1
                a = start + k * step
                words.append(_word(f"w{uid}", token, a, a + step, index, speaker))
            clock = end
        out.append(
            {"uid": str(item.get("uid", f"s{index + 1}")), "speakerId": speaker, "words": words}
        )
    return out


def _time(value: object, default: float) -> float:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    return default


def with_highlights(transcript: list[dict[str, Any]], budget: float) -> list[dict[str, Any]]:
    """Mark whole sentences as highlighted, in order, while their spoken time fits `budget`."""
    used = 0.0
    out: list[dict[str, Any]] = []
    for sentence in transcript:
        spoken = [w for w in sentence["words"] if not w.get("is_pause")]
        length = spoken[-1]["end_time"] - spoken[0]["start_time"] if spoken else 0.0
        chosen = bool(spoken) and used + length <= budget
        if chosen:
            used += length
        words = [{**w, "highlight": chosen and not w.get("is_pause")} for w in sentence["words"]]
        out.append({**sentence, "words": words})
    return out


def highlighted_only(transcript: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**s, "words": [w for w in s["words"] if w.get("highlight")]}
        for s in transcript
        if any(w.get("highlight") for w in s["words"])
    ]
