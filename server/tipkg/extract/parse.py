"""Small parsers for what UN documents print: dates, ordinals, symbols and citations."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

from tipkg.english import MONTH_NAMES, NUMBER_WORDS, ORDINAL_WORDS

MONTHS = {name: number for number, name in enumerate(MONTH_NAMES, start=1)}
_MONTH = "(" + "|".join(MONTHS) + ")"
_DAY = r"(\d{1,2})"
_YEAR = r"(\d{4})"
_DASH = r"\s*[-–]\s*"

ORDINAL_PATTERN = r"(?:\d{1,3}(?:st|nd|rd|th)|[a-z]+(?:-[a-z]+)?)"
VIENNA = ZoneInfo("Europe/Vienna")


def ordinal(word: str) -> int | None:
    """Return the number of an ordinal written as a word ("twelfth") or figure ("3rd")."""
    word = word.lower().replace("\u2010", "-")
    if word in ORDINAL_WORDS:
        return ORDINAL_WORDS[word]
    match = re.fullmatch(r"(\d+)(st|nd|rd|th)", word)
    return int(match.group(1)) if match else None


def cardinal(word: str) -> int | None:
    """Return the number of a cardinal written as a word ("four") or figure."""
    word = word.lower().replace("\u2010", "-")
    return NUMBER_WORDS.get(word) or (int(word) if word.isdigit() else None)


def date(day: str, month: str, year: str | int) -> dt.date:
    return dt.date(int(year), MONTHS[month], int(day))


_RANGE_PATTERNS = [
    # from 6 to 8 September 2017 / 6-8 September 2017 / 29 and 30 June 2022
    re.compile(rf"(?:from\s+)?{_DAY}(?:\s+to\s+|{_DASH}|\s+and\s+){_DAY}\s+{_MONTH}\s+{_YEAR}"),
    # from 30 June to 1 July 2022
    re.compile(rf"(?:from\s+)?{_DAY}\s+{_MONTH}(?:\s+to\s+|{_DASH}){_DAY}\s+{_MONTH}\s+{_YEAR}"),
    # on 19 October 2010
    re.compile(rf"{_DAY}\s+{_MONTH}\s+{_YEAR}"),
]


def date_range(text: str) -> tuple[dt.date, dt.date] | None:
    """Return the first date or date range in ``text`` as (start, end)."""
    found = find_date_ranges(text)
    return found[0] if found else None


def find_date_ranges(text: str) -> list[tuple[dt.date, dt.date]]:
    """Return every date or date range in ``text``, in order."""
    spans: list[tuple[int, tuple[dt.date, dt.date]]] = []
    taken: list[tuple[int, int]] = []
    for index, pattern in enumerate(_RANGE_PATTERNS):
        for match in pattern.finditer(text):
            if any(start < match.end() and match.start() < end for start, end in taken):
                continue
            groups = match.groups()
            if index == 0:
                value = (
                    date(groups[0], groups[2], groups[3]),
                    date(groups[1], groups[2], groups[3]),
                )
            elif index == 1:
                value = (
                    date(groups[0], groups[1], groups[4]),
                    date(groups[2], groups[3], groups[4]),
                )
            else:
                value = (date(*groups), date(*groups))
            spans.append((match.start(), value))
            taken.append((match.start(), match.end()))
    return [value for _, value in sorted(spans, key=lambda pair: pair[0])]


def day_in_year(text: str, year: int) -> dt.date | None:
    """Parse "Wednesday, 29 June" (or "29 June 2022") with ``year`` when none is printed."""
    match = re.search(rf"{_DAY}\s+{_MONTH}(?:\s+{_YEAR})?", text)
    if not match:
        return None
    return date(match.group(1), match.group(2), match.group(3) or year)


def clock(text: str) -> tuple[int, int] | None:
    """Parse a time of day as printed: "10 a.m.", "3 p.m.", "11.30 a.m."."""
    match = re.fullmatch(r"\s*(\d{1,2})(?:[.:](\d{2}))?\s*(a\.m\.|p\.m\.|noon)?\s*", text)
    if not match:
        return None
    hour, minute, half = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if half == "p.m." and hour < 12:
        hour += 12
    return hour, minute


def time_range(text: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """Parse "10 a.m.–1 p.m." or "3–6 p.m." into start and end (hour, minute)."""
    match = re.fullmatch(r"\s*(.+?)\s*[–-]\s*(.+?)\s*", text)
    if not match:
        return None
    end = clock(match.group(2))
    start_text = match.group(1)
    if end is None:
        return None
    if not re.search(r"[ap]\.m\.|noon", start_text):
        start_text += " p.m." if match.group(2).endswith("p.m.") else " a.m."
    start = clock(start_text)
    return (start, end) if start else None


def local_datetime(day: dt.date, hour_minute: tuple[int, int]) -> dt.datetime:
    """Return the Vienna local time of a meeting as an aware datetime."""
    return dt.datetime(day.year, day.month, day.day, *hour_minute, tzinfo=VIENNA)


SYMBOL = re.compile(
    r"(?<![\w/])(?:CTOC|A|S|E)/(?:[A-Z][A-Za-z0-9.]*|\d[\w.]*)(?:/[A-Za-z0-9.]+)*"
    r"(?:\(\d{4}\))?"
)


def symbols(text: str) -> list[str]:
    """Return the UN document symbols in ``text``, in order, without trailing punctuation."""
    found = []
    for match in SYMBOL.finditer(text):
        symbol = match.group().rstrip(".")
        if "/" in symbol and symbol not in found:
            found.append(symbol)
    return found


ACT = re.compile(r"\b(resolution|decision)s?\s+(\d{1,2})/(\d{1,2})\b")
SC_RESOLUTION = re.compile(r"\b(\d{4})\s*\((\d{4})\)")


def act_slug(session: str, number: str) -> str:
    """Return the IRI key of a Conference act: 7/1 -> 7-1."""
    return f"{int(session)}-{int(number)}"


def base_symbol(symbol: str) -> str | None:
    """Return the symbol a revision revises: X/Rev.1 -> X; None if it is no revision."""
    match = re.fullmatch(r"(.+)/Rev\.\d+", symbol)
    return match.group(1) if match else None


QUOTED = re.compile(r"[“\"]([^”\"]+)[”\"]")
