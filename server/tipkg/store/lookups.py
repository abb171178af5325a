"""Point lookups answered in the web process: queries whose work the store's own degrees
bound, evaluated without the round trip to a worker process.

A light query costs the worker about 0.1 ms; the round trip to it (two process wake-ups
through a pipe, pickling) and back costs as much again, which made point lookups 1.8-2x
slower than the Oxigraph server. The worker is there for the time limit: pyoxigraph cannot
cancel a running query, so a runaway query must run in a process that can be killed. A
query that cannot run away needs no such process. :class:`Lookups` recognises a narrow
kind of query (no filter, path, subquery, union, aggregate, ordering, dataset or
SERVICE) and evaluates it on its own read-only handle on the store when its result is
bounded by the store's *degrees* (:class:`Degrees`: for each predicate, the most objects
one subject has and the most subjects one object has; recorded by ``tipkg build``):

* ``DESCRIBE`` of at most :data:`MAX_DESCRIBED` IRIs (at most that many times the most
  triples any subject has);
* ``SELECT`` or ``ASK`` over triple patterns and ``OPTIONAL`` groups of triple patterns,
  each pattern (in the order written) joined to a constant or to a variable an earlier
  pattern binds, through a constant predicate; the product of the degrees met that way
  bounds the rows, and must stay under :data:`MAX_ROWS`.

Such a query reads at most a few thousand triples through the indexes: a millisecond at
worst, so it runs on the event loop. Anything else goes to the workers, with the time
limit that stops it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from tipkg.store.jobs import QueryJob
from tipkg.store.worker import _evaluate

DEGREES_FILE = "degrees.json"
MAX_ROWS = 5_000  # the most rows a lookup's patterns can bind
MAX_DESCRIBED = 16
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"

_TOKEN = re.compile(
    r"""(?P<ws>(?:[ \t\r\n]+|\#[^\r\n]*)+)
    |(?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
    |(?P<var>[?$][A-Za-z0-9_]+)
    |(?P<pname>(?:[A-Za-z][A-Za-z0-9_-]*)?:(?:[A-Za-z0-9_][A-Za-z0-9_-]*)?)
    |(?P<string>"[^"\\\r\n]*"|'[^'\\\r\n]*')
    |(?P<lang>@[A-Za-z]+(?:-[A-Za-z0-9]+)*)
    |(?P<number>[+-]?[0-9]+(?:\.[0-9]+)?)
    |(?P<word>[A-Za-z]+)
    |(?P<punct>\^\^|[{}.;,*])""",
    re.VERBOSE,
)


@dataclass(frozen=True)
class Degrees:
    """How many triples a constant can reach through one predicate in the store's default
    graph: ``out[p]``, the most objects one subject has for ``p``; ``into[p]``, the most
    subjects one object has for ``p``; ``out_any``, the most triples one subject has."""

    out: dict[str, int]
    into: dict[str, int]
    out_any: int

    def save(self, build: Path) -> None:
        """Record the degrees beside the store (in one rename: readers see all or none)."""
        record = {"out": self.out, "into": self.into, "out_any": self.out_any}
        temporary = build / f".{DEGREES_FILE}.tmp"
        temporary.write_text(json.dumps(record, sort_keys=True) + "\n")
        temporary.replace(build / DEGREES_FILE)

    @classmethod
    def load(cls, build: str | Path) -> Degrees | None:
        """The degrees a build recorded, or None."""
        try:
            record = json.loads((Path(build) / DEGREES_FILE).read_text())
            return cls(dict(record["out"]), dict(record["into"]), int(record["out_any"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def grown(self, added: Degrees) -> Degrees:
        """An upper bound of the degrees once triples of degrees ``added`` join."""
        out = {p: self.out.get(p, 0) + n for p, n in added.out.items()}
        into = {p: self.into.get(p, 0) + n for p, n in added.into.items()}
        return Degrees({**self.out, **out}, {**self.into, **into}, self.out_any + added.out_any)

    @classmethod
    def of_store(cls, store: ox.Store) -> Degrees:
        """Count the degrees of a store's default graph (two aggregate queries)."""
        found: dict[str, dict[str, int]] = {}
        for name, inner in (("out", "?p ?s"), ("into", "?p ?o")):
            query = (
                f"SELECT ?p (MAX(?n) AS ?m) WHERE {{ SELECT {inner} (COUNT(*) AS ?n) "
                f"WHERE {{ ?s ?p ?o }} GROUP BY {inner} }} GROUP BY ?p"
            )
            found[name] = {r["p"].value: int(r["m"].value) for r in store.query(query)}  # type: ignore[union-attr]
        (row,) = store.query(  # type: ignore[misc]
            "SELECT (MAX(?n) AS ?m) WHERE { SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } "
            "GROUP BY ?s }"
        )
        return cls(found["out"], found["into"], int(row["m"].value) if row["m"] else 0)


class Lookups:
    """Bounded lookups on a read-only handle of the store at ``store_path``."""

    def __init__(self, store_path: str, degrees: Degrees) -> None:
        self.store_path = store_path
        self.degrees = degrees
        self._store: ox.Store | None = None

    def bounded(self, job: QueryJob) -> bool:
        """Whether ``job`` is a lookup the degrees bound (see the module doc)."""
        if job.default_graph is not None or job.named_graphs is not None:
            return False
        if "\\" in job.query or len(job.query) > 4096:
            return False
        tokens = _tokens(job.query)
        return tokens is not None and _Reader(tokens, self.degrees).bounded()

    def run(self, job: QueryJob) -> tuple[str, object, object, object]:
        """Evaluate ``job`` here; the outcome tuple a worker would send."""
        if self._store is None:
            self._store = ox.Store.read_only(self.store_path)
        return _evaluate(self._store, job)


def _tokens(text: str) -> list[tuple[str, str]] | None:
    """(kind, text) of each token, white space and comments left out; None when a
    character is outside the terminals of the recognised kind of query."""
    found = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        kind = match.lastgroup
        if kind != "ws":
            found.append((kind, match.group()))  # type: ignore[arg-type]
    return found if position == len(text) else None


class _Reader:
    """A reader of the recognised kind of query over its tokens, computing the bound."""

    def __init__(self, tokens: list[tuple[str, str]], degrees: Degrees) -> None:
        self.tokens = tokens
        self.i = 0
        self.degrees = degrees
        self.prefixes: dict[str, str] = {}
        self.bound: set[str] = set()
        self.rows = 1

    def peek(self, offset: int = 0) -> tuple[str, str]:
        j = self.i + offset
        return self.tokens[j] if j < len(self.tokens) else ("end", "")

    def take(self) -> tuple[str, str]:
        token = self.peek()
        self.i += 1
        return token

    def keyword(self, *words: str) -> str | None:
        kind, text = self.peek()
        if kind == "word" and text.upper() in words:
            self.i += 1
            return text.upper()
        return None

    def bounded(self) -> bool:
        while self.keyword("PREFIX"):
            name, iri = self.take(), self.take()
            if name[0] != "pname" or not name[1].endswith(":") or iri[0] != "iri":
                return False
            self.prefixes[name[1][:-1]] = iri[1][1:-1]
        form = self.keyword("DESCRIBE", "SELECT", "ASK")
        if form == "DESCRIBE":
            return self._describe()
        if form == "SELECT":
            self.keyword("DISTINCT", "REDUCED")
            if self.peek() == ("punct", "*"):
                self.i += 1
            elif self.peek()[0] != "var":
                return False
            while self.peek()[0] == "var":
                self.i += 1
        elif form != "ASK":
            return False
        self.keyword("WHERE")
        if not self._group(optional=False):
            return False
        if self.keyword("LIMIT") and self.take()[0] != "number":
            return False
        return self.peek()[0] == "end" and self.rows <= MAX_ROWS

    def _describe(self) -> bool:
        count = 0
        while self.peek()[0] in ("iri", "pname"):
            if self._iri(self.take()) is None:
                return False
            count += 1
        return (
            0 < count <= MAX_DESCRIBED
            and self.peek()[0] == "end"
            and count * self.degrees.out_any <= MAX_ROWS
        )

    def _group(self, optional: bool) -> bool:
        """``{ triples (OPTIONAL { triples })* }``, binding and bounding as it goes."""
        if self.take() != ("punct", "{"):
            return False
        while True:
            if self.peek() == ("punct", "}"):
                self.i += 1
                return True
            if not optional and self.keyword("OPTIONAL"):
                certain = set(self.bound)
                if not self._group(optional=True):
                    return False
                # what an OPTIONAL binds may be unbound after it: a later pattern joined
                # only through it could be a scan for every row
                self.bound = certain
                continue
            if not self._triples():
                return False
            if self.peek() == ("punct", "."):
                self.i += 1

    def _triples(self) -> bool:
        """``subject predicate object (, object)* (; predicate object ...)*``."""
        subject = self._node(self.take())
        if subject is None or subject[0] == "literal":
            return False
        while True:
            predicate = self.take()
            iri = RDF_TYPE if predicate == ("word", "a") else self._iri(predicate)
            if iri is None:
                return False
            while True:
                obj = self._node(self.take())
                if obj is None or not self._pattern(subject, iri, obj):
                    return False
                if self.peek() != ("punct", ","):
                    break
                self.i += 1
            if self.peek() != ("punct", ";"):
                return True
            self.i += 1

    def _pattern(self, subject: tuple[str, str], predicate: str, obj: tuple[str, str]) -> bool:
        """Bound one pattern: joined through a constant or a bound variable."""
        known_s = subject[0] != "var" or subject[1][1:] in self.bound
        known_o = obj[0] != "var" or obj[1][1:] in self.bound
        if known_s:
            self.rows *= 1 if known_o else self.degrees.out.get(predicate, 0)
        elif known_o:
            self.rows *= self.degrees.into.get(predicate, 0)
        else:
            return False  # not joined to what is known: a scan
        self.bound |= {t[1][1:] for t in (subject, obj) if t[0] == "var"}
        return self.rows <= MAX_ROWS

    def _node(self, token: tuple[str, str]) -> tuple[str, str] | None:
        kind, text = token
        if kind == "var":
            return token
        if kind in ("iri", "pname"):
            iri = self._iri(token)
            return None if iri is None else ("iri", iri)
        if kind in ("string", "number") or token in (("word", "true"), ("word", "false")):
            if kind == "string" and self.peek()[0] == "lang":
                self.i += 1
            elif kind == "string" and self.peek() == ("punct", "^^"):
                self.i += 1
                if self._iri(self.take()) is None:
                    return None
            return ("literal", text)
        return None

    def _iri(self, token: tuple[str, str]) -> str | None:
        kind, text = token
        if kind == "iri":
            return text[1:-1] if ":" in text else None  # relative IRIs need the base
        if kind == "pname":
            prefix, _, local = text.partition(":")
            namespace = self.prefixes.get(prefix)
            return None if namespace is None else namespace + local
        return None
