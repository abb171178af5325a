"""Data extension for the reconciliation service: the values of our properties (codes,
Wikidata, meetings attended, statements...) for a list of reconciled entities, read with
SPARQL through the query pool (so the time limit and the per-client limits apply)."""

from __future__ import annotations

import re
from typing import Any

import pyoxigraph as ox

from tipkg.store.jobs import QueryJob
from tipkg.web.reconcile_catalog import PREFIXES, PROPERTIES_BY_ID, ReconProperty
from tipkg.web.service import SparqlService
from tipkg.web.web_support import parse_solutions

MAX_IDS = 500
#: Properties whose values are meetings (a type of this service).
_MEETING_VALUED = ("meeting", "meetingsAttended")
MAX_VALUES = 1000  # per entity and property
#: What an entity identifier (an IRI path under id/) may not hold: it goes into a query.
_NOT_IN_ID = re.compile(r'[<>"{}|^`\\\x00-\x20\x7f]')


class BadExtension(ValueError):
    """A data extension query that cannot be answered as sent; the message says why."""


def read_extension(data: Any) -> tuple[list[str], list[ReconProperty]]:
    """Read a data extension query: the entity ids and the properties.

    Raises:
        BadExtension: not a data extension query, an unknown property, an id that names
            nothing we could hold, or too many ids.
    """
    if not isinstance(data, dict):
        raise BadExtension("the extension query must be a JSON object")
    ids, properties = data.get("ids"), data.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise BadExtension('"ids" must be a list of entity identifiers')
    if len(ids) > MAX_IDS:
        raise BadExtension(f"at most {MAX_IDS} ids in one extension query")
    bad = next((i for i in ids if not i or _NOT_IN_ID.search(i)), None)
    if bad is not None:
        raise BadExtension(f"{bad!r} is not an entity identifier of this service")
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in properties
    ):
        raise BadExtension('"properties" must be a list of objects with an "id"')
    unknown = next((p["id"] for p in properties if p["id"] not in PROPERTIES_BY_ID), None)
    if unknown is not None:
        raise BadExtension(f"unknown property {unknown!r}; see /reconcile/properties")
    return ids, [PROPERTIES_BY_ID[p["id"]] for p in properties]


async def extend(
    service: SparqlService, ids: list[str], properties: list[ReconProperty], client: str
) -> dict[str, Any]:
    """The data extension response: ``meta`` (the properties) and ``rows`` (their values for
    each id)."""
    base = f"{service.settings.base_iri}id/"
    rows: dict[str, dict[str, list[dict[str, Any]]]] = {i: {} for i in ids}
    for prop in properties:
        for i in ids:
            rows[i][prop.id] = []
        if not ids:
            continue
        values = " ".join(f"<{base}{i}>" for i in dict.fromkeys(ids))
        query = (
            f"{PREFIXES}SELECT ?s ?value ?label WHERE {{ VALUES ?s {{ {values} }} "
            f"{prop.pattern} }} ORDER BY ?s ?value ?label"
        )
        result = await service.run(QueryJob(query=query, results_format="JSON"), client)
        _, solutions = parse_solutions(result.body)
        seen: set[tuple[str, str]] = set()
        for row in solutions:
            subject, value = row.get("s"), row.get("value")
            if not isinstance(subject, ox.NamedNode) or value is None:
                continue
            entity = subject.value.removeprefix(base)
            cell = _cell(prop, value, row.get("label"), base)
            key = (entity, str(cell.get("id", cell)))  # an entity once, by its first name
            if entity in rows and key not in seen and len(rows[entity][prop.id]) < MAX_VALUES:
                seen.add(key)
                rows[entity][prop.id].append(cell)
    meta = []
    for prop in properties:
        entry: dict[str, Any] = {"id": prop.id, "name": prop.name}
        if prop.id in _MEETING_VALUED:
            entry["type"] = {"id": "Meeting", "name": "Meeting"}
        meta.append(entry)
    return {"meta": meta, "rows": rows}


def _cell(prop: ReconProperty, value: Any, label: Any, base: str) -> dict[str, Any]:
    """One value as the specification writes it: an entity, a string, a number or a date."""
    if prop.value == "entity" and isinstance(value, ox.NamedNode):
        name = label.value if isinstance(label, ox.Literal) else value.value.rsplit("/", 1)[-1]
        return {"id": value.value.removeprefix(base), "name": name}
    text = value.value
    if prop.id == "wikidata":
        return {"str": text.rstrip("/").rsplit("/", 1)[-1]}
    if prop.value == "int":
        try:
            return {"int": int(text)}
        except ValueError:
            return {"str": text}
    if prop.value == "date" and re.fullmatch(r"-?\d{4,}-\d\d-\d\d", text):
        return {"date": f"{text}T00:00:00Z"}
    return {"str": text}
