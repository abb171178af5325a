"""The dataset as N-Quads, written once: to ``dataset.nq`` beside the store (what the
in-memory query workers and ``/dump.nq`` read), into the store by Oxigraph's bulk loader,
and to an external store (``tipkg build --endpoint``).

Graphs are added batch by batch (the parsed files, then the inferred triples, then any
generated graph): their quads, and as triples of the default graph those not written
before, so the default graph is the RDF merge of all graphs, each distinct triple once.

:class:`StoreWriter` loads the store from the file while the build goes on: each chunk of
lines written is bulk-loaded on a second thread (Oxigraph's loader releases the GIL), so
the load of the parsed graphs overlaps reasoning and validation, and the loader holds one
chunk at a time. Oxigraph's loader gives the blank nodes of each load fresh identities,
so every line with a blank node waits for one last load, of the parsed quads, which keep
their labels: a node shared by two graphs (an OWL restriction in the ontology and what is
inferred about it, or a triple and its copy in the default graph) stays one node, and it
has the same label in the store and in the file (an incremental build adds to both,
:func:`write_delta`).
"""

from __future__ import annotations

import shutil
import time
from collections import deque
from collections.abc import Callable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import BinaryIO

import numpy as np
import pyoxigraph as ox

from tipkg.build.previous import Previous
from tipkg.build.terms import Terms, distinct, keys, stack
from tipkg.store.layout import DUMP_FILE
from tipkg.store.lookups import Degrees

#: Lines per chunk: what the bulk loader holds at once (about 100 MB at tipkg's mean line).
CHUNK_LINES = 250_000


class NQuadsWriter:
    """Writes graphs of rows as N-Quads to ``sink``, in chunks (see the module doc).

    Args:
        sink: where the bytes go.
        terms: the term table of the rows.
        default_graph: write the default graph's triples into this named graph instead
            (for stores whose default graph is the union of all graphs).
        on_chunk: called with the offset and length of each chunk written, once it is in
            ``sink``, and whether it is the last: the one with every line that has a blank
            node.
        chunk: lines per chunk.
    """

    def __init__(
        self,
        sink: BinaryIO,
        terms: Terms,
        default_graph: str | None = None,
        on_chunk: Callable[[int, int, bool], None] = lambda offset, length, last: None,
        chunk: int = CHUNK_LINES,
    ) -> None:
        self.sink = sink
        self.terms = terms
        self.default_name = f"<{default_graph}>".encode() if default_graph else None
        self.on_chunk = on_chunk
        self.chunk = chunk
        self.offset = 0
        self.merged: np.ndarray | None = None  # keys of the default graph's triples
        self._written = distinct(np.zeros((0, 3), dtype=np.int64), 0)  # and its rows
        self._nt = np.zeros(0, dtype=object)  # each term's N-Triples, by id
        self._spaced = np.zeros(0, dtype=object)  # the same after a space
        self._lines_pending = 0
        self._plain: list[bytes] = []
        self._with_blank: list[bytes] = []

    def add(self, graphs: Mapping[object, np.ndarray], merge: bool = True) -> None:
        """Write the quads of ``graphs`` and (unless not to ``merge`` them: a graph about
        the build, not the data) the default graph's new triples."""
        for iri, triples in graphs.items():
            self._lines(f"<{iri}>".encode(), triples)
        if not merge:
            self._flush()
            return
        new = distinct(stack(graphs.values()), len(self.terms))
        new_keys = keys(new, len(self.terms))
        if self.merged is None or self.merged.dtype != new_keys.dtype:
            self.merged = keys(self._written, len(self.terms))
        fresh = ~np.isin(new_keys, self.merged, assume_unique=True, kind="sort")
        self.merged = np.sort(np.concatenate([self.merged, new_keys[fresh]]))
        self._written = stack([self._written, new[fresh]])
        self._lines(self.default_name, new[fresh])
        self._flush()

    def degrees(self) -> Degrees:
        """The degrees of the default graph written so far (:class:`~tipkg.store.lookups.
        Degrees`): what bounds the point lookups answered without a worker."""
        return degrees_of(self.terms, self._written)

    def finish(self) -> int:
        """Write what is left (the lines with blank nodes); return the default graph's size."""
        self._flush()
        self._plain = self._with_blank
        self._with_blank = []
        self._flush(last=True)
        return len(self._written)

    def _lines(self, name: bytes | None, triples: np.ndarray) -> None:
        terms, nt = self.terms, self._nt
        if len(nt) < len(terms):  # each term's N-Triples once, ready to be joined
            more = [terms.nt(code) for code in range(len(nt), len(terms))]
            self._nt = nt = np.concatenate([nt, np.array(more, dtype=object)])
            spaced = np.array([b" " + t for t in more], dtype=object)
            self._spaced = np.concatenate([self._spaced, spaced])
        end = b" .\n" if name is None else b" " + name + b" .\n"
        blank = terms.blank_mask()
        has_blank = blank[triples[:, 0]] | blank[triples[:, 2]]
        for selected, lines in (
            (triples[~has_blank], self._plain),
            (triples[has_blank], self._with_blank),
        ):
            for start in range(0, len(selected), self.chunk):
                block = selected[start : start + self.chunk]
                tokens = np.empty((len(block), 4), dtype=object)
                tokens[:, 0] = nt[block[:, 0]]
                tokens[:, 1] = self._spaced[block[:, 1]]
                tokens[:, 2] = self._spaced[block[:, 2]]
                tokens[:, 3] = end
                lines.append(b"".join(tokens.ravel()))
                self._lines_pending += len(block) if lines is self._plain else 0
                if self._lines_pending >= self.chunk:
                    self._flush()

    def _flush(self, last: bool = False) -> None:
        if not self._plain:
            return
        data = b"".join(self._plain)
        self._plain.clear()
        self._lines_pending = 0
        self.sink.write(data)
        self.sink.flush()
        self.on_chunk(self.offset, len(data), last)
        self.offset += len(data)


class StoreWriter:
    """Writes ``dataset.nq`` into the new build directory ``path`` and bulk-loads the store
    there from it, chunk by chunk on a second thread (see the module doc)."""

    def __init__(self, path: Path, terms: Terms, chunk: int = CHUNK_LINES) -> None:
        self.path = path
        path.mkdir(parents=True)
        self.store = ox.Store(str(path))
        self._dump = (path / DUMP_FILE).open("wb")
        self._loader = ThreadPoolExecutor(1, thread_name_prefix="tipkg-load")
        self._loads: deque[Future[tuple[float, float]]] = deque()
        self._wall = self._cpu = 0.0
        self.writer = NQuadsWriter(self._dump, terms, on_chunk=self._submit, chunk=chunk)

    def add(self, graphs: Mapping[object, np.ndarray]) -> None:
        """Write and (in the background) load the quads of ``graphs``."""
        self.writer.add(graphs)
        while self._loads and self._loads[0].done():
            self._account(self._loads.popleft())

    def finish(self) -> int:
        """Load what is left, compact the store and close it; return the number of
        distinct triples (the default graph's). The default graph's degrees go into the
        directory too."""
        self.writer.degrees().save(self.path)
        triples = self.writer.finish()
        self._dump.close()
        while self._loads:
            self._account(self._loads.popleft())
        self._loader.shutdown()
        self.store.optimize()
        self.store.flush()
        del self.store
        return triples

    def abort(self) -> None:
        """Stop loading and remove the directory."""
        for pending in self._loads:
            pending.cancel()
        self._loader.shutdown(wait=True)
        self._dump.close()
        del self.store
        shutil.rmtree(self.path, ignore_errors=True)

    @property
    def loader_seconds(self) -> tuple[float, float]:
        """The loader thread's wall and CPU time so far."""
        return self._wall, self._cpu

    def _account(self, load: Future[tuple[float, float]]) -> None:
        wall, cpu = load.result()
        self._wall += wall
        self._cpu += cpu

    def _submit(self, offset: int, length: int, last: bool) -> None:
        self._loads.append(self._loader.submit(self._load, offset, length, last))

    def _load(self, offset: int, length: int, last: bool) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.thread_time()
        with (self.path / DUMP_FILE).open("rb") as dump:
            dump.seek(offset)
            data = dump.read(length)
        if last:  # blank nodes keep their labels: the store's are the dump's
            quads = ox.parse(data, format=ox.RdfFormat.N_QUADS, lenient=True)
            self.store.bulk_extend(quads)  # type: ignore[arg-type]
        else:
            self.store.bulk_load(data, format=ox.RdfFormat.N_QUADS, lenient=True)
        return time.perf_counter() - start, time.thread_time() - cpu


def degrees_of(terms: Terms, triples: np.ndarray) -> Degrees:
    """For each predicate the most objects one subject has and the most subjects one
    object has; and the most triples one subject has."""
    if not len(triples):
        return Degrees({}, {}, 0)

    def most(columns: list[int], by: int | None) -> dict[int, int]:
        keyed = triples[np.lexsort([triples[:, c] for c in reversed(columns)])][:, columns]
        change = np.any(keyed[1:] != keyed[:-1], axis=1)
        starts = np.flatnonzero(np.concatenate(([True], change)))
        counts = np.diff(np.append(starts, len(keyed)))
        groups = keyed[starts, 0] if by is not None else np.zeros(len(starts), dtype=np.int64)
        found: dict[int, int] = {}
        for group, count in zip(groups.tolist(), counts.tolist(), strict=True):
            found[group] = max(found.get(group, 0), count)
        return found

    name = terms.ox
    out = {name(p).value: n for p, n in most([1, 0], 1).items()}  # type: ignore[union-attr]
    into = {name(p).value: n for p, n in most([1, 2], 1).items()}  # type: ignore[union-attr]
    return Degrees(out, into, max(most([0], None).values()))


def write_delta(
    previous: Previous,
    path: Path,
    terms: Terms,
    added: Mapping[object, np.ndarray],
    removed: Mapping[object, np.ndarray],
    default: np.ndarray,
    default_removed: np.ndarray,
) -> None:
    """Write a new build directory ``path`` as the previous build plus ``added`` quads (by
    graph), without ``removed`` ones, with the triples ``default`` added to the default
    graph and ``default_removed`` taken from it: the store copied by hard links to its
    files and changed in one transaction; ``dataset.nq`` copied in the kernel, the
    removed lines dropped and the new ones appended."""
    previous.store.backup(str(path))
    try:
        store = ox.Store(str(path))
        ox_term = terms.ox
        named = [
            ox.Quad(ox_term(s), ox_term(p), ox_term(o), ox.NamedNode(str(g)))  # type: ignore[arg-type]
            for g, triples in added.items()
            for s, p, o in triples.tolist()
        ]
        store.extend(named + [ox.Quad(*(ox_term(x) for x in t)) for t in default.tolist()])  # type: ignore[misc]
        for g, triples in [*removed.items(), (None, default_removed)]:
            graph = ox.DefaultGraph() if g is None else ox.NamedNode(str(g))
            for s, p, o in triples.tolist():
                store.remove(ox.Quad(ox_term(s), ox_term(p), ox_term(o), graph))  # type: ignore[arg-type]
        store.flush()
        del store
        gone = {
            _line(terms, row, f"<{g}>".encode()) for g, t in removed.items() for row in t.tolist()
        }
        gone |= {_line(terms, row, None) for row in default_removed.tolist()}
        _copy_without(previous.path / DUMP_FILE, path / DUMP_FILE, gone)
        with (path / DUMP_FILE).open("ab") as dump:
            for g, triples in added.items():
                dump.writelines(_line(terms, row, f"<{g}>".encode()) for row in triples.tolist())
            dump.writelines(_line(terms, row, None) for row in default.tolist())
    except BaseException:
        shutil.rmtree(path, ignore_errors=True)
        raise


def _line(terms: Terms, row: list[int], graph: bytes | None) -> bytes:
    s, p, o = (terms.nt(x) for x in row)
    return b"%s %s %s .\n" % (s, p, o) if graph is None else b"%s %s %s %s .\n" % (s, p, o, graph)


def _copy_without(source: Path, target: Path, lines: set[bytes], block: int = 1 << 26) -> None:
    """Copy ``source`` to ``target`` (in the kernel) without the given whole lines."""
    if not lines:
        shutil.copyfile(source, target)
        return
    with source.open("rb") as read, target.open("wb") as write:
        rest = b""
        while data := read.read(block):
            data = rest + data
            cut = data.rfind(b"\n") + 1
            data, rest = data[:cut], data[cut:]
            if any(line in data for line in lines):
                data = b"".join(x for x in data.splitlines(keepends=True) if x not in lines)
            write.write(data)
        write.write(rest)
