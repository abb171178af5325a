"""The query text as the endpoint runs it, and its syntax errors as people read them.

**Predeclared prefixes.** As on Wikidata's service, a query may use ``tipkg:``, ``rdfs:``,
``skos:``, ``schema:``, ``xsd:``, ``org:`` and ``dcterms:`` without declaring them: the
endpoint adds a ``PREFIX`` declaration for each of these that the query uses and does not
declare, on one line before the query (so only positions on the first line move, and
errors are reported at the user's own line and column). The query check then reads the
final text, declarations included.

**Errors.** Oxigraph's parser says ``error at 1:37: expected one of Prefix not found,
['%'], ['-' | '0' ..= '9' | ...`` where a reader needs ``error at 1:37: the prefix
"ex:" is not declared; did you forget PREFIX ex: <...>?``.
"""

from __future__ import annotations

import re

from tipkg.web.errors import ProtocolError

PREDECLARED = {
    "tipkg": "https://w3id.org/tipkg/def#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "http://schema.org/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "org": "http://www.w3.org/ns/org#",
    "dcterms": "http://purl.org/dc/terms/",
}
#: Namespaces a hint may suggest for prefixes that are not predeclared.
KNOWN = {
    **PREDECLARED,
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "prov": "http://www.w3.org/ns/prov#",
    "dct": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
    "void": "http://rdfs.org/ns/void#",
    "time": "http://www.w3.org/2006/time#",
    "fabio": "http://purl.org/spar/fabio/",
}

# Strings, IRIs and comments (where a "name:" is no prefixed name), then prefix
# declarations and prefixed names.
_SCAN = re.compile(
    r"""(?P<skip>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\""""
    r"""|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|<[^<>"{}|^`\\\s]*>|\#[^\n]*)"""
    r"|(?P<declare>\bPREFIX\s+(?P<declared>[A-Za-z][\w.-]*)?\s*:)"
    r"|(?<![\w?$:.-])(?P<used>[A-Za-z][\w-]*(?:\.[\w-]+)*):",
    re.IGNORECASE,
)
_POSITION = re.compile(r"^error at (\d+):(\d+): ")


def with_prefixes(query: str) -> tuple[str, int]:
    """Return the query with the predeclared prefixes it uses but does not declare, and
    how many characters were put before its first line.

    >>> with_prefixes("SELECT * { ?s a tipkg:Meeting }")[0].split(" SELECT")[0]
    'PREFIX tipkg: <https://w3id.org/tipkg/def#>'
    >>> with_prefixes("PREFIX tipkg: <x#> SELECT * { ?s a tipkg:Meeting }")[1]
    0
    """
    used: set[str] = set()
    declared: set[str] = set()
    for match in _SCAN.finditer(query):
        if match.group("declare"):
            declared.add((match.group("declared") or "").lower())
        elif match.group("used"):
            used.add(match.group("used"))
    missing = sorted(p for p in used if p in PREDECLARED and p.lower() not in declared)
    if not missing:
        return query, 0
    head = "".join(f"PREFIX {p}: <{PREDECLARED[p]}> " for p in missing)
    return head + query, len(head)


def humane(error: ProtocolError, query: str, added: int) -> ProtocolError:
    """A syntax error (``bad_query``) at the user's own line and column, in plain words."""
    if error.code != "bad_query":
        return error
    detail = error.detail
    position = _POSITION.match(detail)
    if position is None:
        return error
    line, column = int(position.group(1)), int(position.group(2))
    if line == 1 and added:
        column = max(1, column - added)
    user = query[added:]
    what = _plain(detail[position.end() :], user, line, column)
    return ProtocolError(error.status, error.code, f"error at {line}:{column}: {what}")


def _plain(what: str, query: str, line: int, column: int) -> str:
    """Oxigraph's "expected one of ..." in words; the check's own messages as they are."""
    if not what.startswith("expected"):
        return what
    lines = query.split("\n")
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    near = " ".join(text[max(0, column - 30) : column + 10].split())
    if "Prefix not found" in what:
        prefix = re.search(r"([A-Za-z][\w.-]*)?:[\w.-]*\s*$", text[: column - 1])
        name = prefix.group(1) if prefix and prefix.group(1) else ""
        iri = KNOWN.get(name, "...")
        return (
            f"the prefix “{name}:” is not declared; did you forget "
            f"PREFIX {name}: <{iri}> at the top of the query?"
        )
    expected = re.sub(r"\[[^\]]*\]", "", what.removeprefix("expected").removeprefix(" one of"))
    items = [i.strip() for i in expected.replace("\n", " ").split(",")]
    words = sorted({i for i in items if i and re.fullmatch(r"[A-Za-z][\w ]*", i)})
    if re.search(r"\[[^\]]*'[A-Za-z]", what):
        words.append("a name")
    words = ["a valid IRI" if w == "IRI parsing failed" else w for w in words]
    found = f"the query cannot be read here: “{near}”" if near else "the query is empty"
    if not words:
        return found
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return f"{found}: expected {listed}"
