"""OWL-RL for new triples on top of a previous build: what they add to its closure.

The previous build's default graph holds its whole closure (the merge of the asserted and
the inferred graphs). With the TBox unchanged, the closure of old + new triples is the old
closure plus what rules derive with at least one new premise (semi-naive evaluation), so
:class:`DeltaClosure` runs the compiled rules of :mod:`.reasoning` on the new triples only,
reading the old closure from the store where the rules look: a node's triples before a
rule adds to or reads them (its types, the values of a functional property, a transitive
step), the subjects of a triple pattern for joins, and all triples of nodes that become
equal. The derived triples that are new are what the inferred graph gains.

A new triple that changes the TBox (a schema predicate, a typing as class or property) or
a derivation that does is out of scope: :class:`TBoxChanged` asks for a full build.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pyoxigraph as ox

from tipkg.build.reasoning import _META_CLASSES, _Closure
from tipkg.build.terms import LITERAL, Terms, distinct, stack, unique
from tipkg.errors import TipkgError

_DEFAULT = ox.DefaultGraph()


class TBoxChanged(TipkgError):
    """Raised when new triples change what the TBox entails: build everything again."""

    code = "tbox_changed"


class DeltaClosure(_Closure):
    """The closure of new triples over a previous closure held by ``store`` (see module doc).

    Args:
        terms: the term table of the new triples (terms read from the store join it).
        store: the previous build (read-only), whose default graph is its closure.
        datatypes: the IRIs of the datatypes of the literals asserted before (owlrl's
            one-time ``dt-diff`` rule relates every pair of datatypes in use).
    """

    def __init__(self, terms: Terms, store: ox.Store, datatypes: Iterable[str]) -> None:
        super().__init__(terms)
        self.store = store
        self.known_datatypes = {terms.iri(dt) for dt in datatypes}
        self.loaded: set[int] = set()  # nodes whose triples as subject are in spo
        self.loaded_objects: set[tuple[int, int]] = set()  # (p, o) whose subjects are

    # -- the previous closure, read where the rules look ----------------------------------

    def _quads(self, s: int | None, p: int | None, o: int | None) -> None:
        """Add the store's default-graph triples matching the pattern to ``spo``/``pos``."""
        term, intern = self.table.ox, self.table.id
        pattern = [None if x is None else term(x) for x in (s, p, o)]
        for quad in self.store.quads_for_pattern(*pattern, _DEFAULT):  # type: ignore[arg-type]
            qs, qp, qo = intern(quad.subject), intern(quad.predicate), intern(quad.object)
            self.spo[qp].setdefault(qs, set()).add(qo)
            index = self.pos.get(qp)
            if index is not None:
                index.setdefault(qo, set()).add(qs)

    def fault(self, node: int) -> None:
        """Read the previous triples of ``node`` as subject, once."""
        if node not in self.loaded:
            self.loaded.add(node)
            if self.kinds[node] != LITERAL:
                self._quads(node, None, None)

    def has(self, s: int, p: int, o: int) -> bool:
        self.fault(s)
        return super().has(s, p, o)

    def add(self, s: int, p: int, o: int) -> None:
        self.fault(s)
        super().add(s, p, o)

    def add_types(self, node: int, classes: Iterable[int]) -> None:
        self.fault(node)
        super().add_types(node, classes)

    def objects(self, s: int, p: int) -> set[int]:
        self.fault(s)
        return super().objects(s, p)

    def subjects(self, p: int, o: int) -> set[int]:
        if (p, o) not in self.loaded_objects:
            self.loaded_objects.add((p, o))
            self._quads(None, p, o)
        return super().subjects(p, o)

    # -- the run ------------------------------------------------------------------------

    def _prepare(self) -> None:
        """The new triples, and the previous closure's TBox (schema triples, typings as
        class or property) to compile."""
        rows = distinct(stack(self._inputs), len(self.table))
        self._inputs = []
        self.new = rows
        self.input_terms = unique(rows)
        self.literals = [o for o in unique(rows[:, 2]).tolist() if self.kinds[o] == LITERAL]
        meta = {self.id(c) for c in _META_CLASSES}
        typed_as_meta = (rows[:, 1] == self.TYPE) & np.isin(rows[:, 2], list(meta))
        if np.isin(rows[:, 1], list(self.schema_predicates)).any() or typed_as_meta.any():
            raise TBoxChanged("the new triples change the ontology's axioms")
        for p in self.schema_predicates:
            self._quads(None, p, None)
        for c in meta:
            self._quads(None, self.TYPE, c)
        self.stored = set(self.schema_predicates) | {self.TYPE, self.SAME}

    def _needed(self) -> set[int]:
        return self.stored  # every triple goes through spo, read from the store on demand

    def run(self) -> None:
        self._prepare()
        self.compile()
        for p in self.tables.indexed:
            self.pos.setdefault(p, {})
        self.tbox_changed = False
        self.apply()
        if self.tbox_changed:
            raise TBoxChanged("the new triples entail new axioms")
        self.reflexive_same()

    def apply(self) -> None:
        """Store the new triples that the previous closure lacks, type their nodes up the
        class hierarchy, and fire the rules on them (their consequences are new too)."""
        fresh = []
        for s, p, o in self.new.tolist():
            if self.has(s, p, o):
                continue  # in the previous closure: its consequences are there too
            self.spo[p].setdefault(s, set()).add(o)
            index = self.pos.get(p)
            if index is not None:
                index.setdefault(o, set()).add(s)
            fresh.append((s, p, o))
        up = self.tables.up
        for s, p, o in fresh:
            if p == self.TYPE and self.kinds[s] != LITERAL:
                types = self.spo[self.TYPE][s]
                closed = set().union(*(up.get(c, {c}) for c in types))
                if closed - types:
                    self.add_types(s, closed - types)
            elif p == self.SAME and s != o:
                self.pending_same.append((s, o))
        plans = self.tables.plans
        for s, p, o in fresh:
            if p in plans:
                self.fire(s, p, o)
        self.drain()

    def merge(self) -> None:
        """Equality copies every triple of the nodes made equal: read them all first."""
        nodes = {x for pair in self.pending_same for x in pair}
        for root in {self.find(x) for x in nodes if x in self.same}:
            nodes |= self.members[root]
        for node in nodes:
            self.fault(node)
            self._quads(None, None, node)
        super().merge()

    def reflexive_same(self) -> None:
        """eq-ref for the terms of the new and the derived triples (the previous ones
        have theirs)."""
        terms = set(self.input_terms.tolist()) | set(self.inferred) | {self.SAME}
        terms |= self.tables.literal_classes
        for t in terms:
            if self.kinds[t] != LITERAL:
                self.add(t, self.SAME, t)


def delta_rows(
    terms: Terms, new: np.ndarray, store: ox.Store, datatypes: Iterable[str]
) -> tuple[np.ndarray, list[str]]:
    """The triples the closure gains from ``new`` over the previous build ``store`` (rows
    of ``terms``, none of them in ``new``), and the datatypes asserted in all.

    Raises:
        TBoxChanged: the new triples change the TBox; build everything again.
    """
    closure = DeltaClosure(terms, store, datatypes)
    closure.ingest(new)
    closure.run()
    used = sorted(terms.ox(dt).value for dt in closure.datatypes_used)  # type: ignore[union-attr]
    return closure.output(), used
