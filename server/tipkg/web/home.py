"""``GET /``: the home and query page.

It shows what the dataset holds (entities per tipkg class, the meetings with their dates,
triples per named graph; computed with SPARQL through the query pool and cached per store
build) and a SPARQL editor preloaded with the competency queries of ``queries/*.rq``:

* YASGUI (npm ``@zazuko/yasgui`` v4), served by this app from ``/static/yasgui/`` (never a
  CDN) when the assets are installed (``python -m tipkg.web.static.install_assets``);
* otherwise a plain HTML form: "Run" sends it to ``/sparql`` (GET); "Show as table" posts
  it to ``/`` (``GET /?query=`` works too), which renders the results as an HTML table with
  download links to ``/sparql?query=...&format=csv|json|tsv``.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from urllib.parse import parse_qsl, urlencode

import pyoxigraph as ox
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from tipkg.english import MONTH_NAMES
from tipkg.store.jobs import NotAcceptable, QueryJob
from tipkg.vocab import TIPKG
from tipkg.web.errors import ProtocolError
from tipkg.web.http_docs import responses
from tipkg.web.pages.render import render_page
from tipkg.web.pages.schema_org import DATASET_DESCRIPTION, DATASET_TITLE, dataset_block
from tipkg.web.query_text import humane, with_prefixes
from tipkg.web.security_headers import content_security_policy
from tipkg.web.service import SparqlService, client_of
from tipkg.web.sparql_protocol import check_safe_async
from tipkg.web.web_support import BuildCache, integer, parse_solutions, select, value

STATIC_DIR = Path(__file__).parent / "static"
YASGUI_DIR = STATIC_DIR / "yasgui"
YASGUI_FILES = ("yasgui.min.js", "yasgui.min.css")
MAX_ROWS = 1000

CLASS_COUNTS = f"""SELECT ?class (COUNT(DISTINCT ?s) AS ?n) WHERE {{
  ?s a ?class FILTER(STRSTARTS(STR(?class), "{TIPKG}")) }}
GROUP BY ?class ORDER BY DESC(?n) ?class"""
MEETINGS = """PREFIX tipkg: <https://w3id.org/tipkg/def#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?meeting ?label ?start ?end ?body ?bodyLabel ?ordinal WHERE {
  ?meeting a tipkg:Meeting .
  OPTIONAL { ?meeting rdfs:label ?label FILTER(LANG(?label) IN ("en", "")) }
  OPTIONAL { ?meeting tipkg:ordinal ?ordinal }
  OPTIONAL { ?meeting tipkg:startDate ?start }
  OPTIONAL { ?meeting tipkg:endDate ?end }
  OPTIONAL { ?meeting tipkg:ofBody ?body
             OPTIONAL { ?body rdfs:label ?bodyLabel FILTER(LANG(?bodyLabel) IN ("en", "")) } }
} ORDER BY ?start ?meeting"""
_MAIN_BODY = "Working Group on Trafficking in Persons"
#: The default graph is the merge of all graphs: each distinct triple counts once.
TRIPLE_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPH_COUNTS = """SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }
GROUP BY ?g ORDER BY ?g"""


# --------------------------------------------------------------------------- examples


@dataclass(frozen=True)
class Example:
    """A competency query from ``queries/*.rq``."""

    name: str
    title: str
    description: str
    query: str


@lru_cache(maxsize=8)
def load_examples(directory: Path) -> tuple[Example, ...]:
    """Read ``*.rq`` files with their ``# title:`` and ``# description:`` header lines."""
    examples = []
    for path in sorted(directory.glob("*.rq")):
        text = path.read_text(encoding="utf-8")
        header = dict(re.findall(r"^#\s*(title|description):\s*(.+?)\s*$", text, re.M))
        examples.append(
            Example(
                name=path.stem,
                title=header.get("title", path.stem.replace("-", " ")),
                description=header.get("description", ""),
                query=text,
            )
        )
    return tuple(examples)


# --------------------------------------------------------------------------- dataset summary


@dataclass(frozen=True)
class Meeting:
    """A meeting for the summary table."""

    iri: str
    label: str
    start: str
    end: str
    body: str
    ordinal: int = 0

    @property
    def dates(self) -> str:
        """ "29–30 June 2022", "30 June–2 July 2022", or "" when the data has no date."""
        return date_range(self.start, self.end)


def date_range(start: str, end: str) -> str:
    """A meeting's dates as a reader writes them.

    >>> date_range("2022-06-29", "2022-06-30"), date_range("2018-07-02", "2018-07-02")
    ('29–30 June 2022', '2 July 2018')
    >>> date_range("2021-06-30", "2021-07-02")
    ('30 June–2 July 2021', '')[0]
    '30 June–2 July 2021'
    """
    if not re.fullmatch(r"\d{4}-\d\d-\d\d", start):
        return ""
    end = end if re.fullmatch(r"\d{4}-\d\d-\d\d", end) else start
    (y1, m1, d1), (y2, m2, d2) = (map(int, start.split("-")), map(int, end.split("-")))
    if (y1, m1, d1) == (y2, m2, d2):
        return f"{d1} {MONTH_NAMES[m1 - 1]} {y1}"
    if (y1, m1) == (y2, m2):
        return f"{d1}–{d2} {MONTH_NAMES[m1 - 1]} {y1}"
    if y1 == y2:
        return f"{d1} {MONTH_NAMES[m1 - 1]}–{d2} {MONTH_NAMES[m2 - 1]} {y1}"
    return f"{d1} {MONTH_NAMES[m1 - 1]} {y1}–{d2} {MONTH_NAMES[m2 - 1]} {y2}"


@dataclass(frozen=True)
class Summary:
    """What the dataset holds."""

    classes: tuple[tuple[str, int], ...]
    meetings: tuple[Meeting, ...]
    graphs: tuple[tuple[str, int], ...]
    triples: int

    @property
    def bodies(self) -> list[tuple[str, list[Meeting]]]:
        """The meetings by body, in the order of :attr:`meetings`."""
        groups: dict[str, list[Meeting]] = {}
        for meeting in self.meetings:
            groups.setdefault(meeting.body, []).append(meeting)
        return list(groups.items())


async def summarize(service: SparqlService) -> Summary:
    """Count entities per class, distinct triples and triples per graph, and list the
    meetings (4 queries)."""
    classes = await select(service, CLASS_COUNTS)
    meetings = await select(service, MEETINGS)
    graphs = await select(service, GRAPH_COUNTS)
    total = await select(service, TRIPLE_COUNT)
    seen: dict[str, Meeting] = {}
    for row in meetings:
        iri = value(row["meeting"])
        if iri not in seen:
            seen[iri] = Meeting(
                iri=iri,
                label=value(row["label"]) or iri.rsplit("/id/", 1)[-1],
                start=value(row["start"]),
                end=value(row["end"]),
                body=value(row["bodyLabel"]) or value(row["body"]),
                ordinal=integer(row["ordinal"]),
            )
    # each body's sessions in their order (the Conference's 4, 5, 7, 10, 11: by number, not
    # by text), the Working Group's first
    ordered = sorted(seen.values(), key=lambda m: (m.body != _MAIN_BODY, m.body, m.ordinal))
    return Summary(
        classes=tuple((value(r["class"]), integer(r["n"])) for r in classes),
        meetings=tuple(ordered),
        graphs=tuple((value(r["g"]), integer(r["n"])) for r in graphs),
        triples=integer(total[0]["n"]) if total else 0,
    )


# --------------------------------------------------------------------------- results


@dataclass(frozen=True)
class Cell:
    """One displayed term: kind (iri, literal, bnode, empty), text and a note."""

    kind: str
    text: str
    note: str = ""


@dataclass
class Results:
    """A query's results (or its error) for the plain form's table."""

    query: str
    columns: list[str]
    rows: list[list[Cell]]
    total: int = 0
    boolean: bool | None = None
    error: str = ""
    status: int = 200
    downloads: list[tuple[str, str]] | None = None


_XSD = "http://www.w3.org/2001/XMLSchema#"


def cell(term: object) -> Cell:
    """Display form of an Oxigraph term."""
    if term is None:
        return Cell("empty", "")
    if isinstance(term, ox.NamedNode):
        return Cell("iri", term.value)
    if isinstance(term, ox.BlankNode):
        return Cell("bnode", f"_:{term.value}")
    if isinstance(term, ox.Literal):
        if term.language:
            return Cell("literal", term.value, note=f"@{term.language}")
        datatype = term.datatype.value
        note = "" if datatype == f"{_XSD}string" else datatype.replace(_XSD, "xsd:")
        return Cell("literal", term.value, note=note)
    return Cell("literal", str(term))


def _downloads(query: str, formats: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(f, "/sparql?" + urlencode({"query": query, "format": f})) for f in formats]


async def run_for_table(service: SparqlService, query: str, client: str) -> Results:
    """Evaluate ``query`` through the pool and shape the answer (or the error) as a table."""
    results = Results(query=query, columns=[], rows=[])
    final, added = with_prefixes(query)
    try:
        await check_safe_async(final, service.settings)
    except ProtocolError as exc:
        exc = humane(exc, final, added)
        results.error, results.status = exc.detail, exc.status
        return results
    settings = service.settings
    job = QueryJob(
        query=final,
        base_iri=settings.base_iri,
        results_format="JSON",
        graph_format="N_TRIPLES",
        max_result_bytes=settings.max_result_bytes,
    )
    try:
        result = await service.run(job, client)
    except NotAcceptable as exc:
        results.error, results.status = str(exc), 406
        return results
    except ProtocolError as exc:
        exc = humane(exc, final, added)
        results.error, results.status = exc.detail, exc.status
        return results
    if result.kind == "graph":
        triples = list(ox.parse(result.body, format=ox.RdfFormat.N_TRIPLES))
        results.columns = ["subject", "predicate", "object"]
        results.total = len(triples)
        results.rows = [
            [cell(t.subject), cell(t.predicate), cell(t.object)] for t in triples[:MAX_ROWS]
        ]
        results.downloads = _downloads(query, ("ttl", "nt", "jsonld"))
        return results
    parsed = ox.parse_query_results(result.body, format=ox.QueryResultsFormat.JSON)
    results.downloads = _downloads(query, ("csv", "json", "tsv"))
    if isinstance(parsed, ox.QueryBoolean):
        results.boolean = bool(parsed)
        return results
    columns, rows = parse_solutions(result.body)
    results.columns = columns
    results.total = len(rows)
    results.rows = [[cell(row[c]) for c in columns] for row in rows[:MAX_ROWS]]
    return results


# --------------------------------------------------------------------------- router


def yasgui_available(assets: Path) -> bool:
    """Whether the YASGUI build files are installed in ``assets``."""
    return all((assets / name).is_file() for name in YASGUI_FILES)


class AssetFiles(StaticFiles):
    """StaticFiles that serves only web assets (not the installer script beside them)."""

    def lookup_path(self, path: str) -> tuple[str, os.stat_result | None]:
        if path.endswith((".py", ".pyc")) or "__pycache__" in path:
            return "", None
        return super().lookup_path(path)


def mount_static(app: FastAPI, directory: Path = STATIC_DIR) -> None:
    """Serve ``directory`` (YASGUI's files in ``yasgui/``) at ``/static``."""
    app.mount("/static", AssetFiles(directory=directory, check_dir=False), name="static")


_FORM_BODY = {
    "content": {
        "application/x-www-form-urlencoded": {
            "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
        }
    }
}


def create_home_router(
    get_service: Callable[[Request], SparqlService],
    *,
    assets_dir: Path | None = None,
    queries_dir: Path | None = None,
) -> APIRouter:
    """A router for ``GET /`` and ``POST /`` (the plain form's table of results).

    ``assets_dir`` is where ``yasgui.min.js`` and ``yasgui.min.css`` are looked for
    (default ``server/tipkg/web/static/yasgui``; they are served at ``/static/yasgui/``);
    ``queries_dir`` holds the example ``*.rq`` files (default ``{root}/queries``).
    """
    router = APIRouter()
    cache: BuildCache[Summary] = BuildCache()
    assets = assets_dir or YASGUI_DIR

    async def page(request: Request, query: str | None) -> Response:
        service = get_service(request)
        examples = load_examples(queries_dir or service.settings.root / "queries")
        status = 200
        try:
            build, summary = await cache.get(service, "summary", lambda: summarize(service))
        except ProtocolError as exc:
            build, summary, status = "", None, exc.status
            summary_error = exc.detail
        else:
            summary_error = ""
        results = None
        if query is not None and query.strip():
            results = await run_for_table(service, query, client_of(request.scope))
            status = results.status if results.status != 200 else status
        site = service.settings.public_url
        html = render_page(
            "home.html",
            summary=summary,
            summary_error=summary_error,
            build=build,
            examples=examples,
            example_data=[
                {"name": e.name, "title": e.title, "description": e.description, "query": e.query}
                for e in examples
            ],
            yasgui=yasgui_available(assets) and results is None,
            query=query if query is not None else (examples[0].query if examples else ""),
            results=results,
            max_rows=MAX_ROWS,
            base_iri=service.settings.base_iri,
            schema=dataset_block(DATASET_TITLE, DATASET_DESCRIPTION, site, f"{site}sparql"),
        )
        # the editor sets style attributes from its script: the only page that needs it
        headers = {"Content-Security-Policy": content_security_policy(inline_styles=True)}
        return Response(
            html, status_code=status, media_type="text/html; charset=utf-8", headers=headers
        )

    # the page shows a query's error itself, with the error's status
    page_answers = responses(("text/html",), 400, 406, 429, 503, pages=(400, 406, 429, 503))

    @router.get("/", response_class=Response, responses=page_answers)
    async def home(request: Request, query: str | None = None) -> Response:
        """The home page; with ``?query=``, the query's results as an HTML table."""
        return await page(request, query)

    @router.post(
        "/",
        response_class=Response,
        responses=page_answers,
        openapi_extra={"requestBody": _FORM_BODY},
    )
    async def home_results(request: Request) -> Response:
        """The plain form's "Show as table": results of the posted query as HTML."""
        body = (await request.body()).decode("utf-8", errors="replace")
        form = dict(parse_qsl(body, keep_blank_values=True))
        return await page(request, form.get("query", request.query_params.get("query", "")))

    return router
