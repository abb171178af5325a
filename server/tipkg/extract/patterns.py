"""The table of sentence shapes (``sentences.toml``): load it, compile it for a body, match.

Each row of the table is one wording the UN uses ("Under agenda item 2, statements were
made by ..."), written as a regular expression with placeholders ({items}, {names},
{persons}, ...) and the name of the reader that turns a match into facts. The table is
data: a curator adds a wording by adding a row, and the row's example is tested.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from tipkg.extract.parse import ORDINAL_PATTERN, cardinal, ordinal
from tipkg.extract.resolve import ExtractError

TABLE = Path(__file__).with_name("sentences.toml")
_LIST = r"(?:\s*,\s*(?:and\s+)?|,?\s+and\s+)"
_ITEM = r"\d+(?:\s*\([a-z]\))?"
_PLACEHOLDERS = {
    "items": rf"(?:agenda )?items? (?P<items>{_ITEM}(?:{_LIST}{_ITEM})*)",
    "names": r"(?P<names>.+?)",
    "name": r"(?P<name>.+?)",
    "persons": r"(?P<persons>.+?)",
    "ordinal": rf"(?P<ordinal>{ORDINAL_PATTERN})",
    "ordinals": rf"(?P<ordinals>{ORDINAL_PATTERN}(?:{_LIST}{ORDINAL_PATTERN})*)",
    "date": r"(?P<date>(?:from )?\d{1,2}[^.;:]*?\d{4})",
    "count": r"(?P<count>\d+|[A-Za-z]+(?:-[a-z]+)?)",
    "place": r"(?P<place>[A-Z][\w-]+(?: [A-Z][\w-]+)?)",
    "symbol": r"(?P<symbol>[A-Z]+/\S+?)",
    "chapters": rf"(?P<chapters>[IVX]+(?:{_LIST}[IVX]+)*)",
    "rest": r"(?P<rest>.*?)",
}
_PLACEHOLDER = re.compile(r"\{([a-z]+)\}")
# The generic names of a body in its own documents, by the class of the body.
GENERIC_BODY_NAMES = {
    "WorkingGroup": ["Working Group"],
    "ConferenceOfTheParties": ["Conference", "Conference of the Parties"],
}


@dataclass(frozen=True)
class Row:
    """One wording of the table, compiled for a document's body."""

    id: str
    reads: str
    regex: re.Pattern[str]
    params: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Table:
    """The rows, the participation statuses and the coverage settings of the table."""

    rows: tuple[Row, ...]
    statuses: tuple[tuple[str, re.Pattern[str]], ...]
    cue_words: tuple[str, ...]
    summary_chapters: tuple[str, ...]

    def match(self, sentence: str) -> tuple[Row, re.Match[str]] | None:
        """Return the first row that reads the whole ``sentence``, with its match."""
        text = sentence.strip().rstrip(".").strip()
        for row in self.rows:
            found = row.regex.fullmatch(text)
            if found:
                return row, found
        return None

    def stated_ordinal(self, texts: list[str]) -> int | None:
        """Return the meeting's ordinal as sentences state it: "The seventh meeting of ...
        was held", "held its ninth meeting", "The twelfth meeting ... will be opened", or
        "held a total of eleven meetings prior to ..." (plus one)."""
        for text in texts:
            for sentence in sentences(text):
                found = self.match(sentence)
                if found is None:
                    continue
                row, match = found
                groups = match.groupdict()
                if row.reads in ("meeting-held", "opening") and groups.get("ordinal"):
                    return ordinal(groups["ordinal"])
                if row.reads in ("prior-meetings", "first-meeting") and groups.get("count"):
                    count = cardinal(groups["count"])
                    if count is not None:
                        return count + 1
        return None

    def status(self, phrase: str) -> str | None:
        """Return the participation status term a phrase ("parties to the ...") names."""
        for term, pattern in self.statuses:
            if pattern.fullmatch(phrase.strip()):
                return term
        return None


@cache
def _raw_table(path: Path = TABLE) -> dict[str, object]:
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExtractError(f"{path}: not valid TOML: {exc}") from exc


def load_table(body_names: tuple[str, ...], path: Path = TABLE) -> Table:
    """Compile the table for a body known by ``body_names`` (its label, alt labels and the
    generic names of its class)."""
    return _compile(body_names, path)


@cache
def _compile(body_names: tuple[str, ...], path: Path) -> Table:
    data = _raw_table(path)
    statuses = tuple(
        (str(entry["term"]), re.compile(str(entry["pattern"])))
        for entry in data.get("status", [])  # type: ignore[union-attr]
    )
    status_regex = "|".join(f"(?:{pattern.pattern})" for _, pattern in statuses)
    names = sorted(body_names, key=len, reverse=True)
    body = r"(?:[Tt]he )?(?:" + "|".join(re.escape(name) for name in names) + ")"
    rows = []
    for entry in data.get("row", []):  # type: ignore[union-attr]
        where = f"{path}: row {entry.get('id', '?')!r}"
        for key in ("id", "reads", "pattern"):
            if key not in entry:
                raise ExtractError(f"{where}: needs a {key} = ... entry")
        pattern = _expand(str(entry["pattern"]), body, status_regex, where)
        params = {
            k: str(v) for k, v in entry.items() if k in ("kind", "capacity", "role", "status")
        }
        rows.append(Row(str(entry["id"]), str(entry["reads"]), pattern, params))
    coverage = data.get("coverage", {})
    return Table(
        rows=tuple(rows),
        statuses=statuses,
        cue_words=tuple(coverage.get("cue_words", ())),  # type: ignore[union-attr]
        summary_chapters=tuple(coverage.get("summary_chapters", ())),  # type: ignore[union-attr]
    )


def _expand(pattern: str, body: str, status: str, where: str) -> re.Pattern[str]:
    def replace(match: re.Match[str]) -> str:
        name = match.group(1)
        if name == "body":
            return body
        if name == "status":
            return f"(?P<status>{status})"
        if name not in _PLACEHOLDERS:
            raise ExtractError(f"{where}: unknown placeholder {{{name}}}")
        return _PLACEHOLDERS[name]

    try:
        return re.compile(_PLACEHOLDER.sub(replace, pattern))
    except re.error as exc:
        raise ExtractError(
            f"{where}: the pattern is not a valid regular expression: {exc}"
        ) from exc


def table_rows(path: Path = TABLE) -> list[dict[str, object]]:
    """Return the rows of the table as written (for tests and documentation)."""
    return list(_raw_table(path).get("row", []))  # type: ignore[arg-type]


_ABBREVIATIONS = re.compile(
    r"(?:\b(?:Mr|Mrs|Ms|Dr|No|Nos|St|para|paras|e\.g|i\.e|a\.m|p\.m|H\.E|Rev|Corr|Add|vol)"
    r"|\binter alia|(?<![\w.])[A-Z])$"
)


def sentences(text: str) -> list[str]:
    """Split a paragraph into sentences: at a full stop followed by a capital, not after
    an abbreviation ("Ms.", "a.m.", "inter alia.") or an initial."""
    parts: list[str] = []
    start = 0
    for match in re.finditer(r"\.\s+(?=[A-Z])", text):
        head = text[start : match.start()]
        if _ABBREVIATIONS.search(head):
            continue
        parts.append(text[start : match.end()].strip())
        start = match.end()
    parts.append(text[start:].strip())
    return [part for part in parts if part]
