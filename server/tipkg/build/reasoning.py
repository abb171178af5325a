"""OWL 2 RL materialisation in linear passes: owlrl's closure, computed from a compiled TBox.

``owlrl.DeductiveClosure(OWLRL_Semantics)`` applies every rule to every triple of the
graph in each cycle, with rdflib pattern look-ups, until a cycle adds nothing; that is
quadratic in practice (7 s for 16k triples, hours for 1M). :func:`materialize` computes
the same closure in three steps:

1. **Compile the TBox once** (from the ontology and any schema triples in the data):
   the transitive closure of ``rdfs:subClassOf`` (with ``owl:equivalentClass``,
   ``owl:unionOf`` members and the ``owl:Thing``/``owl:Nothing`` bounds of every
   ``owl:Class``) and of ``rdfs:subPropertyOf`` (with ``owl:equivalentProperty``);
   domains and ranges lifted through both hierarchies; inverses, symmetric,
   transitive, functional and inverse-functional properties and property chains, into
   per-class and per-property lookup tables. The schema triples owlrl derives (the
   ``scm-*`` rules, ``cls-thing``, ``cls-nothing``, ``prp-ap``, the ``dt-*`` one-time
   rules with owlrl's own datatype tables) are emitted from these tables.
2. **Apply the tables to the instances** (every triple, ontology included, as owlrl
   does) with a semi-naive work list over integer-coded triples: each new triple is
   looked up once in the table of its predicate; typing adds a node's whole
   (precomputed, upward-closed) set of superclasses at once; transitive properties and
   chains join on dict indexes; equality (``owl:sameAs`` from functional properties or
   the data) merges classes and copies triples (``eq-*``). Rules only iterate where
   they feed each other (generalisation, inverses, chains, transitivity, equality).
3. **Add ``eq-ref``**: ``x owl:sameAs x`` for every IRI and blank node in the closure.

If a derived triple changes the TBox (say a range of ``owl:Class``), the TBox is
recompiled with it and step 2 runs again; owlrl's closure is a least fixpoint, so this
converges to it. Axioms whose rules this module does not implement (restrictions,
``owl:intersectionOf``, ``owl:hasKey``, or property axioms on the RDF/RDFS/OWL
vocabulary itself) raise :class:`UnsupportedAxiom`; fall back to owlrl then.

The module is over 500 lines for one concern: the compiled TBox tables and the closure
that applies them are one algorithm (each rule family reads the tables the compilation
builds for it), kept together so that its equality with owlrl can be read in one place.

**The comparison** with ``tipkg.build.infer`` (owlrl with ``axiomatic_triples=False,
datatype_axioms=False``, minus asserted triples, minus literal subjects) is plain set
equality of triples, including owlrl's "noise" (reflexive ``owl:sameAs`` on every
resource, ``rdf:type owl:Thing``, ``c owl:equivalentClass c``, ``rdfs:Datatype`` typing
of the OWL RL datatypes), so the store's inferred graph is unchanged by the switch. The
only thing not reproduced is owlrl's inconsistency report: for a clash (``owl:disjointWith``,
``owl:AllDisjointClasses``, ``owl:differentFrom`` against ``owl:sameAs``, an ill-typed
literal, ...) owlrl adds ``[] a err:ErrorMessage; err:error "..."`` with fresh blank
nodes, which no set comparison can match and which the SHACL gate reports in words
anyway; :func:`materialize` derives the same entailments but no error nodes. Blank
nodes of the input keep their identity, so their triples compare equal.
"""

from __future__ import annotations

from array import array
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np
from owlrl.AxiomaticTriples import OWLRL_Datatypes_Disjointness
from owlrl.OWLRL import OWLRL_Annotation_properties
from owlrl.XsdDatatypes import OWL_Datatype_Subsumptions, OWL_RL_Datatypes
from rdflib import OWL, RDF, RDFS, Graph
from rdflib.term import Node

from tipkg.build.terms import BLANK, LITERAL, RdfTerms, Terms, distinct, stack, unique
from tipkg.errors import TipkgError

Triple = tuple[int, int, int]

_UNSUPPORTED = (
    OWL.intersectionOf,
    OWL.hasKey,
    OWL.someValuesFrom,
    OWL.allValuesFrom,
    OWL.hasValue,
    OWL.maxCardinality,
    OWL.maxQualifiedCardinality,
)
# rdf:type of these classes feeds the TBox rules (scm-cls, scm-op, prp-trp, ...).
_META_CLASSES = (
    OWL.Class,
    OWL.ObjectProperty,
    OWL.DatatypeProperty,
    RDF.Property,
    OWL.TransitiveProperty,
    OWL.SymmetricProperty,
    OWL.FunctionalProperty,
    OWL.InverseFunctionalProperty,
)
# Triples with these predicates feed the TBox rules.
_SCHEMA_PREDICATES = (
    RDFS.subClassOf,
    RDFS.subPropertyOf,
    RDFS.domain,
    RDFS.range,
    OWL.equivalentClass,
    OWL.equivalentProperty,
    OWL.inverseOf,
    OWL.propertyChainAxiom,
    OWL.oneOf,
    OWL.unionOf,
    RDF.first,
    RDF.rest,
    *_UNSUPPORTED,
)


class UnsupportedAxiom(TipkgError):
    """Raised when the TBox uses an OWL RL construct this module does not compile."""

    code = "unsupported_axiom"


def materialize(ontology: Graph, data: Graph | Iterable[Graph]) -> Graph:
    """Return what owlrl's OWL 2 RL closure of ``ontology`` + ``data`` adds (see module doc).

    The triples already asserted and those with a literal subject are left out, exactly
    as ``tipkg.build.infer`` does.

    Raises:
        UnsupportedAxiom: the TBox uses a construct whose rules are not compiled here.
    """
    graph = Graph()
    for triple in inferred_triples(ontology, data):
        graph.add(triple)
    return graph


def inferred_triples(
    ontology: Graph, data: Graph | Iterable[Graph]
) -> Iterator[tuple[Node, Node, Node]]:
    """Yield the triples :func:`materialize` returns, without building a graph."""
    terms = RdfTerms()
    graphs = [ontology, *([data] if isinstance(data, Graph) else data)]
    inferred = inferred_rows(terms, [terms.graph(g) for g in graphs])
    rdf = terms.rdf
    for s, p, o in inferred.tolist():
        yield rdf(s), rdf(p), rdf(o)


def inferred_rows(terms: Terms, graphs: Iterable[np.ndarray]) -> np.ndarray:
    """The rows :func:`materialize` derives from the ontology and data ``graphs`` (rows of
    ``terms``), each once; the terms of new triples are added to ``terms``."""
    return materialize_rows(terms, graphs)[0]


def materialize_rows(terms: Terms, graphs: Iterable[np.ndarray]) -> tuple[np.ndarray, list[str]]:
    """:func:`inferred_rows`, and the IRIs of the datatypes the asserted literals use (what
    an incremental build needs to know of them)."""
    closure = _Closure(terms)
    for graph in graphs:
        closure.ingest(graph)
    closure.run()
    return closure.output(), sorted(terms.ox(dt).value for dt in closure.datatypes_used)  # type: ignore[union-attr]


@dataclass
class _Tables:
    """The compiled TBox: lookup tables from class or property id to what it entails."""

    up: dict[int, frozenset[int]] = field(default_factory=dict)  # class -> itself + supers
    plans: dict[int, _Plan] = field(default_factory=dict)  # property -> its rules
    schema: list[Triple] = field(default_factory=list)  # TBox triples owlrl derives
    types: list[tuple[int, int]] = field(default_factory=list)  # (node, class) one-time
    literal_classes: set[int] = field(default_factory=set)  # classes literals get
    indexed: set[int] = field(default_factory=set)  # properties needing an o -> s index


@dataclass
class _Plan:
    """What one property entails for each of its triples."""

    domain: frozenset[int] = frozenset()
    range: frozenset[int] = frozenset()
    supers: tuple[int, ...] = ()
    inverses: tuple[int, ...] = ()
    symmetric: bool = False
    transitive: bool = False
    functional: bool = False
    inverse_functional: bool = False
    chains: list[tuple[int, tuple[int, ...], int]] = field(default_factory=list)

    def empty(self) -> bool:
        return not (
            self.domain
            or self.range
            or self.supers
            or self.inverses
            or self.symmetric
            or self.transitive
            or self.functional
            or self.inverse_functional
            or self.chains
        )


class _Closure:
    """Integer-coded triples with a p -> s -> {o} index, and the rules applied to them."""

    def __init__(self, terms: Terms) -> None:
        self.table = terms
        self.kinds = terms.kinds  # grows with the table: LITERAL, BLANK or IRI per id
        self.spo: dict[int, dict[int, set[int]]] = defaultdict(dict)
        self.pos: dict[int, dict[int, set[int]]] = {}
        self.inferred = array("q")  # s p o s p o ... of each derived triple
        self._inputs: list[np.ndarray] = []
        self.rows_by_p: dict[int, np.ndarray] = {}  # the asserted (s, o) pairs of each predicate
        self.stored: set[int] = set()  # predicates whose asserted pairs are in spo
        self.input_terms = np.zeros(0, dtype=np.int64)
        self.literals: list[int] = []  # the literals of the asserted triples
        self.known_datatypes: set[int] = set()  # datatypes of literals asserted earlier
        self.datatypes_used: set[int] = set()  # datatypes of all asserted literals (dt-diff)
        self.queue: deque[Triple] = deque()
        self.tables = _Tables()
        self.same: dict[int, int] = {}  # union-find parent, for non-trivial equality only
        self.members: dict[int, set[int]] = {}  # equality class root -> members
        self.pending_same: list[tuple[int, int]] = []
        self.tbox_changed = False
        self.datatypes: tuple[list[tuple[int, int]], list[Triple], set[int]] | None = None
        v = self.id
        self.TYPE, self.SAME, self.CLASS = v(RDF.type), v(OWL.sameAs), v(OWL.Class)
        self.meta = {v(c) for c in _META_CLASSES}
        self.schema_predicates = {v(p) for p in _SCHEMA_PREDICATES}

    # -- terms and triples -------------------------------------------------------------

    def id(self, term: Node) -> int:
        """Return the id of the IRI ``term`` (an rdflib constant of the vocabulary)."""
        return self.table.iri(str(term))

    def ingest(self, triples: np.ndarray) -> None:
        """Add asserted triples (rows of term ids); :meth:`run` reads them."""
        self._inputs.append(triples)

    def _prepare(self) -> None:
        """Group the asserted triples by predicate; store what the TBox is compiled from."""
        rows = distinct(stack(self._inputs), len(self.table))
        self._inputs = []
        self.input_terms = unique(rows)
        objects = unique(rows[:, 2]).tolist()
        self.literals = [o for o in objects if self.kinds[o] == LITERAL]
        by_p = rows[np.argsort(rows[:, 1], kind="stable")]
        starts = np.flatnonzero(np.concatenate(([True], by_p[1:, 1] != by_p[:-1, 1])))
        pieces = np.split(by_p[:, [0, 2]], starts[1:])
        for p, pairs in zip(by_p[starts, 1].tolist(), pieces, strict=True):
            self.rows_by_p[p] = pairs
        self._store({self.TYPE, self.SAME} | self.schema_predicates)

    def _store(self, predicates: Iterable[int]) -> None:
        """Put the asserted triples of ``predicates`` into ``spo`` (once)."""
        spo = self.spo
        for p in set(predicates) - self.stored:
            self.stored.add(p)
            by_s = spo[p]
            for s, o in self.rows_by_p.get(p, np.zeros((0, 2), dtype=np.int64)).tolist():
                objects = by_s.get(s)
                if objects is None:
                    by_s[s] = {o}
                else:
                    objects.add(o)

    def _needed(self) -> set[int]:
        """The predicates whose asserted triples the rules look up or may derive again
        (the others are only read once, by :meth:`apply`): types, equality, the TBox, what
        sub-properties, inverses, chains, symmetry or transitivity derive, the roles of
        chains and what transitive and inverse-functional properties index; functional
        properties among those."""
        plans = self.tables.plans
        derived = {q for plan in plans.values() for q in (*plan.supers, *plan.inverses)}
        derived |= {q for plan in plans.values() for q, _, _ in plan.chains}
        derived |= {p for p, plan in plans.items() if plan.symmetric or plan.transitive}
        roles = {r for plan in plans.values() for _, chain, _ in plan.chains for r in chain}
        return (
            {self.TYPE, self.SAME}
            | self.schema_predicates
            | derived
            | roles
            | set(self.tables.indexed)
        )

    def has(self, s: int, p: int, o: int) -> bool:
        objects = self.spo.get(p, {}).get(s)
        return objects is not None and o in objects

    def add(self, s: int, p: int, o: int) -> None:
        """Add a derived triple (unless present) and queue it for the rules."""
        if self.kinds[p] == LITERAL:
            return
        if p == self.TYPE:
            self.add_types(s, (o,))
            return
        by_s = self.spo[p]
        objects = by_s.get(s)
        if objects is None:
            objects = by_s[s] = set()
        elif o in objects:
            return
        objects.add(o)
        index = self.pos.get(p)
        if index is not None:
            index.setdefault(o, set()).add(s)
        self.inferred.extend((s, p, o))
        self.queue.append((s, p, o))
        if p == self.SAME and s != o:
            self.pending_same.append((s, o))
        elif p in self.schema_predicates:
            self.tbox_changed = True
        if self.same:
            self.copy_equals(s, p, o)

    def add_types(self, node: int, classes: Iterable[int]) -> None:
        """Type ``node`` with ``classes`` and all their superclasses (cax-sco, cax-eqc)."""
        up = self.tables.up
        if self.kinds[node] == LITERAL:  # literal subjects are dropped; only their classes matter
            for c in classes:
                self.tables.literal_classes |= up.get(c, {c})
            return
        by_s = self.spo[self.TYPE]
        types = by_s.get(node)
        if types is None:
            types = by_s[node] = set()
        for c in classes:
            if c in types:
                continue
            for d in up.get(c, (c,)):
                if d not in types:
                    types.add(d)
                    self.inferred.extend((node, self.TYPE, d))
                    if d in self.meta:
                        self.tbox_changed = True
                    if self.same:
                        self.copy_equals(node, self.TYPE, d)

    # -- the TBox ------------------------------------------------------------------------

    def objects(self, s: int, p: int) -> set[int]:
        return self.spo.get(p, {}).get(s, set())

    def subjects(self, p: int, o: int) -> set[int]:
        """The subjects of ``p`` with object ``o`` (``p`` is indexed)."""
        return self.pos[p].get(o, set())

    def pairs(self, p: Node) -> Iterator[tuple[int, int]]:
        for s, objects in self.spo.get(self.id(p), {}).items():
            for o in objects:
                yield s, o

    def items(self, head: int) -> list[int]:
        """Return the members of the RDF list starting at ``head``."""
        first, rest, nil = self.id(RDF.first), self.id(RDF.rest), self.id(RDF.nil)
        members, seen = [], set()
        while head != nil and head not in seen:
            seen.add(head)
            members.extend(self.objects(head, first))
            following = self.objects(head, rest)
            if not following:
                break
            head = next(iter(following))
        return members

    def instances(self, cls: Node) -> set[int]:
        c = self.id(cls)
        return {s for s, types in self.spo.get(self.TYPE, {}).items() if c in types}

    def compile(self) -> None:
        """Compile the TBox of the current triples into :attr:`tables`."""
        v = self.id
        for term in _UNSUPPORTED:
            if self.spo.get(v(term)):
                raise UnsupportedAxiom(f"{term} is used; compute the closure with owlrl")
        tables = self.tables = _Tables()
        schema = tables.schema
        sub_class, sub_prop = v(RDFS.subClassOf), v(RDFS.subPropertyOf)
        thing, nothing = v(OWL.Thing), v(OWL.Nothing)
        # cls-thing, cls-nothing, prp-ap
        tables.types += [(thing, self.CLASS), (nothing, self.CLASS)]
        annotation = v(OWL.AnnotationProperty)
        tables.types += [(v(a), annotation) for a in OWLRL_Annotation_properties]
        # classes: scm-cls, scm-sco, scm-eqc1/2, scm-uni
        classes = self.instances(OWL.Class) | {thing, nothing}
        edges: dict[int, set[int]] = defaultdict(set)
        reflexive = set(classes)
        for c1, c2 in self.pairs(RDFS.subClassOf):
            if c1 != c2:
                edges[c1].add(c2)
            else:
                reflexive.add(c1)
        for c1, c2 in self.pairs(OWL.equivalentClass):
            if c1 != c2:
                edges[c1].add(c2)
                edges[c2].add(c1)
        for c, head in self.pairs(OWL.unionOf):
            for member in self.items(head):
                if member != c:
                    edges[member].add(c)
        for c in classes:
            if c != thing:
                edges[c].add(thing)
            if c != nothing:
                edges[nothing].add(c)
        supers = _reach(edges)
        tables.up = {c: frozenset(s | {c}) for c, s in supers.items()}
        equivalent = v(OWL.equivalentClass)
        for c1, above in supers.items():
            for c2 in above:
                schema.append((c1, sub_class, c2))
                if c1 in supers.get(c2, ()):
                    schema.append((c1, equivalent, c2))
        for c in reflexive:
            schema += [(c, sub_class, c), (c, equivalent, c)]
        # properties: scm-op, scm-dp, scm-spo, scm-eqp1/2, scm-dom1/2, scm-rng1/2
        declared = set().union(
            *(self.instances(k) for k in (OWL.ObjectProperty, OWL.DatatypeProperty, RDF.Property))
        )
        pedges: dict[int, set[int]] = defaultdict(set)
        for p1, p2 in self.pairs(RDFS.subPropertyOf):
            if p1 != p2:
                pedges[p1].add(p2)
        for p1, p2 in self.pairs(OWL.equivalentProperty):
            if p1 != p2:
                pedges[p1].add(p2)
                pedges[p2].add(p1)
        psupers = _reach(pedges)
        equivalent = v(OWL.equivalentProperty)
        for p1, above in psupers.items():
            for p2 in above:
                schema.append((p1, sub_prop, p2))
                if p1 in psupers.get(p2, ()):
                    schema.append((p1, equivalent, p2))
        for p in declared:
            schema += [(p, sub_prop, p), (p, equivalent, p)]
        plans: dict[int, _Plan] = defaultdict(_Plan)
        for key, attr in ((RDFS.domain, "domain"), (RDFS.range, "range")):
            asserted: dict[int, set[int]] = defaultdict(set)
            for p, c in self.pairs(key):
                asserted[p].add(c)
            lifted: dict[int, set[int]] = defaultdict(set)
            for p in set(asserted) | set(psupers):
                for q in {p} | psupers.get(p, set()):
                    for c in asserted.get(q, ()):
                        lifted[p] |= tables.up.get(c, {c})
            for p, cs in lifted.items():
                setattr(plans[p], attr, frozenset(cs))
                schema += [(p, v(key), c) for c in cs]
        for p, above in psupers.items():
            plans[p].supers = tuple(above)
        inverses: dict[int, set[int]] = defaultdict(set)
        for p1, p2 in self.pairs(OWL.inverseOf):
            inverses[p1].add(p2)
            inverses[p2].add(p1)
        for p, qs in inverses.items():
            plans[p].inverses = tuple(qs)
        for kind, attr in (
            (OWL.SymmetricProperty, "symmetric"),
            (OWL.TransitiveProperty, "transitive"),
            (OWL.FunctionalProperty, "functional"),
            (OWL.InverseFunctionalProperty, "inverse_functional"),
        ):
            for p in self.instances(kind):
                setattr(plans[p], attr, True)
        for p, head in self.pairs(OWL.propertyChainAxiom):
            roles = tuple(self.items(head))
            for i, role in enumerate(roles):
                plans[role].chains.append((p, roles, i))
            tables.indexed |= set(roles[:-1])
        for p, plan in plans.items():
            if plan.transitive or plan.inverse_functional:
                tables.indexed.add(p)
        tables.plans = {p: plan for p, plan in plans.items() if not plan.empty()}
        protected = self.meta | self.schema_predicates | {self.TYPE, self.SAME}
        produced = {q for plan in tables.plans.values() for q in (*plan.supers, *plan.inverses)}
        produced |= {q for plan in tables.plans.values() for q, _, _ in plan.chains}
        for p in (set(tables.plans) | produced) & protected:
            raise UnsupportedAxiom(f"property axioms on {self.table.ox(p)} are not compiled")
        # cls-oneOf
        for c, head in self.pairs(OWL.oneOf):
            tables.types += [(y, c) for y in self.items(head)]
        if self.datatypes is None:  # one-time rules: they see the asserted triples only
            self.datatypes = self.datatype_rules()
        types, schema, literal_types = self.datatypes
        tables.types += types
        tables.schema += schema
        for dt in literal_types:
            tables.literal_classes |= tables.up.get(dt, {dt})

    def datatype_rules(self) -> tuple[list[tuple[int, int]], list[Triple], set[int]]:
        """owlrl's one-time dt-type1/2 and dt-diff rules, with owlrl's own datatype tables.

        Return the (node, datatype) typings, the disjointness triples and the datatypes
        that literals get (a literal's triples are dropped, but not the terms they use).
        """
        v = self.id
        datatype = v(RDFS.Datatype)
        rl_terms = {str(dt) for dt in OWL_RL_Datatypes}
        rl = {v(dt) for dt in OWL_RL_Datatypes}
        subsumes = {v(dt): [v(d) for d in ds] for dt, ds in OWL_Datatype_Subsumptions.items()}
        implicit: dict[int, int] = {}
        table = self.table
        for code in self.literals:
            literal_type = table.datatype(code)
            if literal_type is not None and literal_type in rl_terms:
                implicit[code] = table.iri(literal_type)
        used = set(implicit.values()) | self.known_datatypes
        explicit: dict[int, set[int]] = defaultdict(set)
        for s, types in self.spo.get(self.TYPE, {}).items():
            for dt in types & rl:
                used.add(dt)
                if s not in implicit:
                    explicit[s].add(dt)
        for s, o in list(self.pairs(OWL.sameAs)):
            if o in implicit:
                explicit[s].add(implicit[o])
            if o in explicit:
                explicit[s].add(o)
            if s in explicit:
                explicit[o].add(s)
        types = [(dt, datatype) for dt in rl]
        types += [(dt, datatype) for dts in explicit.values() for dt in dts]
        for r, dts in explicit.items():
            for dt in list(dts):
                for new in subsumes.get(dt, ()):
                    types += [(r, new), (new, datatype)]
                    used.add(new)
        literal_types = set(implicit.values())
        for dt in set(implicit.values()):
            for new in subsumes.get(dt, ()):
                types.append((new, datatype))
                literal_types.add(new)
                used.add(new)
        self.datatypes_used = used
        disjoint = v(OWL.disjointWith)
        schema = [
            (v(left), disjoint, v(right))
            for left, _, right in OWLRL_Datatypes_Disjointness
            if v(left) in used and v(right) in used
        ]
        return types, schema, literal_types

    # -- the instance rules ----------------------------------------------------------------

    def run(self) -> None:
        """Compute the closure: compile, apply, and recompile while the TBox changes."""
        self._prepare()
        while True:
            self.compile()
            self._store(self._needed())
            for p in self.tables.indexed:
                if p not in self.pos:
                    index: dict[int, set[int]] = {}
                    for s, objects in self.spo.get(p, {}).items():
                        for o in objects:
                            index.setdefault(o, set()).add(s)
                    self.pos[p] = index
            self.tbox_changed = False
            self.apply()
            if not self.tbox_changed:
                break
        self.reflexive_same()

    def apply(self) -> None:
        """Apply the compiled tables to every triple, then to what they derive."""
        tables, TYPE, kinds = self.tables, self.TYPE, self.kinds
        for s, p, o in tables.schema:
            self.add(s, p, o)
        for node, c in tables.types:
            self.add_types(node, (c,))
        self.tbox_changed = False  # what the compiled TBox entails does not change it
        self.pending_same += [(s, o) for s, o in self.pairs(OWL.sameAs) if s != o]
        up = tables.up
        for node, types in list(self.spo.get(TYPE, {}).items()):
            if kinds[node] == LITERAL:
                continue
            closed = set().union(*(up.get(c, ()) for c in types))
            if closed - types:
                self.add_types(node, closed - types)
        plans = tables.plans
        for p in list(self.spo):
            if p in plans:
                for s, objects in list(self.spo[p].items()):
                    for o in list(objects):
                        self.fire(s, p, o)
        for p, pairs in self.rows_by_p.items():  # read once: no rule looks them up
            if p in plans and p not in self.stored:
                for s, o in pairs.tolist():
                    self.fire(s, p, o)
                self.functional_pairs(p, pairs)
        self.drain()

    def functional_pairs(self, p: int, pairs: np.ndarray) -> None:
        """prp-fp and prp-ifp over asserted triples that are not stored (:meth:`fire` finds
        the other values of a stored predicate by look-up)."""
        plan = self.tables.plans[p]
        for flag, key, value in ((plan.functional, 0, 1), (plan.inverse_functional, 1, 0)):
            if not flag or len(pairs) < 2:
                continue
            ordered = pairs[np.argsort(pairs[:, key], kind="stable")]
            same = ordered[1:, key] == ordered[:-1, key]
            for start in np.flatnonzero(same & ~np.concatenate(([False], same[:-1]))).tolist():
                end = start + 1
                while end < len(same) and same[end]:
                    end += 1
                values = ordered[start : end + 1, value].tolist()
                for x in values:
                    for y in values:
                        if x != y:
                            self.add(x, self.SAME, y)

    def drain(self) -> None:
        """Run the work list (and equality merges) until nothing new is derived."""
        plans, queue = self.tables.plans, self.queue
        while queue or self.pending_same:
            while queue:
                s, p, o = queue.popleft()
                if p in plans:
                    self.fire(s, p, o)
            if self.pending_same:
                self.merge()

    def fire(self, s: int, p: int, o: int) -> None:
        """Apply the rules of ``p`` to the triple ``(s, p, o)``."""
        plan = self.tables.plans[p]
        if plan.domain:
            self.add_types(s, plan.domain)  # prp-dom
        if plan.range:
            self.add_types(o, plan.range)  # prp-rng
        add = self.add
        for q in plan.supers:
            add(s, q, o)  # prp-spo1, prp-eqp1/2
        for q in plan.inverses:
            add(o, q, s)  # prp-inv1/2
        if plan.symmetric:
            add(o, p, s)  # prp-symp
        if plan.transitive:  # prp-trp
            for z in list(self.objects(o, p)):
                add(s, p, z)
            for w in list(self.subjects(p, s)):
                add(w, p, o)
        if plan.functional:  # prp-fp
            for other in list(self.objects(s, p)):
                if other != o:
                    add(o, self.SAME, other)
        if plan.inverse_functional:  # prp-ifp
            for other in list(self.subjects(p, o)):
                if other != s:
                    add(s, self.SAME, other)
        for head, roles, i in plan.chains:  # prp-spo2
            starts = {s}
            for role in reversed(roles[:i]):
                starts = {w for x in starts for w in self.subjects(role, x)}
            ends = {o}
            for role in roles[i + 1 :]:
                ends = {z for x in ends for z in self.objects(x, role)}
            for w in starts:
                for z in ends:
                    add(w, head, z)

    # -- equality ----------------------------------------------------------------------------

    def find(self, x: int) -> int:
        while self.same.get(x, x) != x:
            x = self.same[x]
        return x

    def merge(self) -> None:
        """Merge the equality classes of the pending ``owl:sameAs`` pairs and copy triples."""
        self._store(self.rows_by_p)  # equality copies any triple: all must be looked up
        pairs, self.pending_same = self.pending_same, []
        changed: set[int] = set()
        for a, b in pairs:
            for x in (a, b):
                if x not in self.same:
                    self.same[x] = x
                    self.members[x] = {x}
            ra, rb = self.find(a), self.find(b)
            if ra != rb:
                self.same[rb] = ra
                self.members[ra] |= self.members.pop(rb)
                changed.add(ra)
        roots = {self.find(r) for r in changed}
        touched = set().union(*(self.members[r] for r in roots)) if roots else set()
        for r in roots:  # eq-sym, eq-trans
            for x in self.members[r]:
                for y in self.members[r]:
                    self.add(x, self.SAME, y)
        if not touched:
            return
        for p, by_s in list(self.spo.items()):  # eq-rep-s/p/o over what is already there
            for s, objects in list(by_s.items()):
                if p in touched or s in touched or not objects.isdisjoint(touched):
                    for o in list(objects):
                        self.copy_equals(s, p, o)

    def copy_equals(self, s: int, p: int, o: int) -> None:
        """Add the copies of ``(s, p, o)`` with each term replaced by an equal one."""
        same = self.same
        if s not in same and p not in same and o not in same:
            return
        subjects = self.members[self.find(s)] if s in same else {s}
        predicates = self.members[self.find(p)] if p in same else {p}
        objects = self.members[self.find(o)] if o in same else {o}
        for s2 in list(subjects):
            for p2 in list(predicates):
                for o2 in list(objects):
                    if (s2, p2, o2) != (s, p, o) and not self.has(s2, p2, o2):
                        self.add(s2, p2, o2)

    def reflexive_same(self) -> None:
        """eq-ref: ``x owl:sameAs x`` for every IRI and blank node of the closure."""
        terms: set[int] = {self.SAME} | self.tables.literal_classes
        terms.update(self.input_terms.tolist())  # asserted triples that are not stored
        for p, by_s in self.spo.items():
            for s, objects in by_s.items():
                if objects:
                    terms.add(p)
                    terms.add(s)
                    terms.update(objects)
        for t in terms:
            if self.kinds[t] != LITERAL:
                self.add(t, self.SAME, t)

    def output(self) -> np.ndarray:
        """The derived triples owlrl keeps: no literal subject, no blank-node predicate."""
        derived = np.frombuffer(self.inferred, dtype=np.int64).reshape(-1, 3)
        kinds = np.frombuffer(bytes(self.kinds), dtype=np.uint8)
        return derived[(kinds[derived[:, 0]] != LITERAL) & (kinds[derived[:, 1]] != BLANK)]


def _reach(edges: dict[int, set[int]]) -> dict[int, set[int]]:
    """Return, for each node with edges, the nodes reachable by one or more edges, but itself."""
    reach: dict[int, set[int]] = {}
    for start in edges:
        seen: set[int] = set()
        stack = list(edges[start])
        while stack:
            node = stack.pop()
            if node not in seen:
                seen.add(node)
                stack.extend(edges.get(node, ()))
        seen.discard(start)
        reach[start] = seen
    return {node: above for node, above in reach.items() if above}
