"""Extract RDF from the text of Working Group documents (``tipkg extract``).

``extract_file`` reads one source file, recognises its family (annotated provisional
agenda, or report / draft report), and returns the graph of everything it states, in
the tipkg vocabulary, with provenance down to the paragraph. Facts the text does not
print (the document's own symbol) come from ``data/sources/manifest.toml``.

May import: the shared modules (config, errors, vocab) and rdflib.
Must not import: :mod:`tipkg.build`, :mod:`tipkg.store`, :mod:`tipkg.web`.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph

from tipkg.extract.agenda import extract_agenda
from tipkg.extract.coverage import Coverage
from tipkg.extract.document import HEAD, DocumentGraph
from tipkg.extract.reading import read_text
from tipkg.extract.report import extract_report, is_report
from tipkg.extract.resolve import ExtractError, NameIndex, normalize
from tipkg.extract.text import LayoutError

__all__ = [
    "ExtractError",
    "Extraction",
    "Manifest",
    "extract",
    "extract_file",
    "load_manifest",
    "write_outputs",
]


@dataclass(frozen=True)
class Manifest:
    """What the curator states about a source document that its text does not print."""

    symbol: str
    meeting: int | None = None


def load_manifest(path: Path) -> dict[str, Manifest]:
    """Read ``manifest.toml``: one table per source file stem."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ExtractError(f"{path}: not valid TOML: {exc}") from exc
    entries = {}
    for stem, table in data.items():
        if "symbol" not in table:
            raise ExtractError(f'{path}: [{stem}] needs a symbol = "..." entry')
        entries[stem] = Manifest(symbol=table["symbol"], meeting=table.get("meeting"))
    return entries


@dataclass(frozen=True)
class Extraction:
    """A document's graph and what of it the extractor understood."""

    graph: Graph
    coverage: Coverage


def extract_file(path: Path, manifest: dict[str, Manifest], reference: Graph) -> Graph:
    """Return the graph of everything the document at ``path`` states (see ``extract``)."""
    return extract(path, manifest, reference).graph


def extract(path: Path, manifest: dict[str, Manifest], reference: Graph) -> Extraction:
    """Extract the document at ``path``: its graph, with its coverage figures, and the
    coverage report.

    The manifest entry is found by the file's stem; a PDF-text conversion
    (``name.pdf.txt`` or any ``name.*.txt``) uses the entry of ``name``.

    Raises:
        ExtractError: the file cannot be read as an agenda or a report; the message
            names the file, the line and what was expected.
    """
    stem = path.name.split(".", 1)[0]
    if stem not in manifest:
        raise ExtractError(
            f"{path}: no entry [{stem}] in the manifest; add one with the document's "
            'symbol (symbol = "CTOC/COP/WG.<n>/<year>/<n>") to data/sources/manifest.toml'
        )
    entry = manifest[stem]
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExtractError(f"{path}: cannot read the file as UTF-8 text: {exc}") from exc
    names = NameIndex(reference)
    try:
        text = read_text(raw, lexicon=names.names())
    except LayoutError as exc:
        raise ExtractError(f"{path}:{exc.line}: {exc}") from exc
    if not text.blocks:
        raise ExtractError(f"{path}:1: the file holds no text")
    doc = DocumentGraph(path=path, symbol=entry.symbol, text=text, names=names, reference=reference)
    heads = [normalize(block.text) for block in text.blocks[:HEAD]]
    if "annotated provisional agenda" in heads:
        extract_agenda(doc, entry.meeting)
    elif is_report(heads):
        extract_report(doc, meeting=entry.meeting)
    else:
        raise ExtractError(
            f"{path}:1: cannot tell what kind of document this is: expected a heading "
            '"Annotated provisional agenda", "Report on the meeting of ..." or '
            '"Draft report" near the top'
        )
    doc.coverage.publish(doc.graph, doc.doc)
    return Extraction(doc.graph, doc.coverage)


def output_header(source: Path, symbol: str) -> str:
    """Return the comment at the head of an extracted file."""
    return (
        f"Extracted from {source.name} ({symbol}) by `tipkg extract`.\n"
        "Do not edit by hand: correct the source or the extractor and extract again."
    )


def write_outputs(outputs: dict[Path, str]) -> None:
    """Write every output file, each through a temporary file renamed into place.

    Nothing is written until every document has been extracted and validated, so a
    failure never leaves part of a run behind.
    """
    for path, text in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.tmp")
        temporary.write_text(text, encoding="utf-8")
        temporary.replace(path)
