"""``tipkg build``: reasoning into its own graph, the SHACL gate, the atomic switch."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import BUILT_GRAPHS, ROOT
from tipkg.build.pipeline import BuildError, build_store, current_store
from tipkg.config import Settings
from tipkg.errors import TipkgError


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project's ontology, shapes and data, which tests may break."""
    root = tmp_path_factory.mktemp("project")
    for name in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / name, root / name)
    return root


@pytest.fixture(scope="module")
def built(project: Path) -> Settings:
    settings = Settings(root=project)
    build_store(settings)
    return settings


def _query(settings: Settings, sparql: str) -> list[tuple[str, ...]]:
    path = current_store(settings)
    assert path is not None
    store = ox.Store.read_only(str(path))
    return [tuple(t.value for t in row) for row in store.query(sparql)]


def test_build_writes_named_graphs_with_inferences_in_their_own_graph(built: Settings) -> None:
    graphs = _query(built, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
    names = [g[0].removeprefix("https://w3id.org/tipkg/graph/") for g in graphs]
    assert names == BUILT_GRAPHS
    aligned = _query(
        built,
        """SELECT ?g WHERE { GRAPH ?g {
        <https://w3id.org/tipkg/id/state/ESP> a <http://schema.org/Country> } }""",
    )
    assert aligned == [("https://w3id.org/tipkg/graph/inferred",)]


def test_the_default_graph_is_the_merge_of_the_named_graphs(built: Settings) -> None:
    # the recommendations come from the document graphs, the body's class from the
    # inferred graph: the default graph joins them (2017: 19 recommendations, 2022: 14)
    rows = _query(
        built,
        """PREFIX tipkg: <https://w3id.org/tipkg/def#>
        SELECT ?m (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a tipkg:Recommendation ; tipkg:adoptedAt ?m .
        ?m tipkg:ofBody ?b . ?b a <http://www.w3.org/ns/org#OrganizationalUnit>
        FILTER(?m IN (<https://w3id.org/tipkg/id/meeting/wg-tip/7>,
                      <https://w3id.org/tipkg/id/meeting/wg-tip/12>)) } GROUP BY ?m ORDER BY ?n""",
    )
    assert rows == [
        ("https://w3id.org/tipkg/id/meeting/wg-tip/12", "14"),
        ("https://w3id.org/tipkg/id/meeting/wg-tip/7", "19"),
    ]


def test_build_info_records_hash_counts_and_stage_times(built: Settings) -> None:
    path = current_store(built)
    assert path is not None and path.name.startswith("build-")
    info = json.loads((path / "build.json").read_text())
    assert len(info["hash"]) == 64
    assert set(info["seconds"]) == {"parse", "labels", "reason", "validate", "load", "index"}
    assert info["triples"]["https://w3id.org/tipkg/graph/reference"] > 3000
    assert info["triples"]["https://w3id.org/tipkg/graph/inferred"] > 5000


def test_an_unchanged_build_is_skipped(built: Settings) -> None:
    before = current_store(built)
    report = build_store(built)
    assert report.skipped and current_store(built) == before


def test_a_violation_fails_the_build_and_keeps_the_store_in_service(built: Settings) -> None:
    before = current_store(built)
    broken = built.data_dir / "wg4-2022-report.ttl"
    original = broken.read_text(encoding="utf-8")
    broken.write_text(
        original.replace('tipkg:m49Code "724"', 'tipkg:m49Code "7"')
        + '\n<state/ESP> tipkg:m49Code "72" .\n',
        encoding="utf-8",
    )
    try:
        with pytest.raises(
            BuildError, match=r"violation\(s\) of the shapes; the store in service is unchanged"
        ) as failed:
            build_store(built)
    finally:
        broken.write_text(original, encoding="utf-8")
    assert current_store(built) == before
    assert len(list(built.store_dir.glob("build-*"))) == 1  # the failed build left nothing
    # each violation names the file and line where its focus node is described, as
    # tipkg validate does
    assert re.search(
        r"data/reference/states\.ttl:\d+: Violation: <https://w3id.org/tipkg/id/state/ESP>",
        str(failed.value),
    )


def test_a_syntax_error_is_reported_at_its_line(built: Settings) -> None:
    """rdflib's own count drifts after multi-line literals; the report names the real line."""
    broken = built.data_dir / "wg4-2022-report.ttl"
    original = broken.read_text(encoding="utf-8")
    lines = original.splitlines()
    at = len(lines) // 2
    lines.insert(at, '<state/ESP> tipkg:text """one\ntwo\nthree""" ; tipkg:x "unterminated .')
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    try:
        with pytest.raises(TipkgError, match=rf"wg4-2022-report.ttl:{at + 1}: not valid Turtle"):
            build_store(built)
    finally:
        broken.write_text(original, encoding="utf-8")


def test_a_killed_build_leaves_nothing_the_next_build_keeps(built: Settings) -> None:
    """A build killed half-way leaves a directory without build.json: the next build,
    holding the build lock, removes it (it is no build in progress)."""
    partial = built.store_dir / "build-0123456789ab-20260101T000000000000"
    partial.mkdir()
    (partial / "dataset.nq").write_text("", encoding="utf-8")
    build_store(built, force=True)
    assert not partial.exists()
    assert current_store(built) is not None and (current_store(built) / "build.json").is_file()


def test_retention_keeps_leased_builds(built: Settings) -> None:
    """Builds a running server leases are kept, however many builds follow; a lease of a
    process that is gone is removed."""
    import os

    from tipkg.store.layout import LEASES, Lease, leased_builds

    served = current_store(built)
    assert served is not None
    lease = Lease(built.store_dir)
    lease.hold({served})
    stale = built.store_dir / LEASES / "999999999.json"
    stale.write_text(json.dumps({"pid": 999999999, "started": "1", "builds": ["x"]}))
    try:
        for _ in range(4):
            build_store(built, force=True)
        assert served.is_dir()
        assert leased_builds(built.store_dir) == {served.name}
        assert not stale.exists()
        assert lease.path.name == f"{os.getpid()}.json"
    finally:
        lease.release()
    build_store(built, force=True)
    assert not served.exists()  # released, and older than the three newest


def test_the_cli_builds_and_queries(tmp_path: Path, built: Settings) -> None:
    env_store = str(built.store_dir)
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "tipkg.cli",
            "query",
            "--store",
            env_store,
            "--format",
            "csv",
            "PREFIX tipkg: <https://w3id.org/tipkg/def#> SELECT ?n WHERE { "
            "<https://w3id.org/tipkg/id/meeting/wg-tip/12> tipkg:plenaryMeetingCount ?n }",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == ["n", "4"]
    bad = subprocess.run(
        [sys.executable, "-m", "tipkg.cli", "query", "--store", env_store, "SELEC"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert bad.returncode == 2 and "not valid SPARQL" in bad.stderr


def test_the_build_dump_is_served_as_the_nquads_download(built: Settings) -> None:
    from fastapi.testclient import TestClient

    from tipkg.web.app import create_app

    path = current_store(built)
    assert path is not None
    dump = (path / "dataset.nq").read_bytes()
    with TestClient(create_app(built.model_copy(update={"workers": 1}), path)) as client:
        response = client.get("/dump.nq")
        assert response.status_code == 200 and response.content == dump
        assert (
            client.get("/dump.nq", headers={"If-None-Match": response.headers["etag"]}).status_code
            == 304
        )
    store = ox.Store()
    store.load(dump, format=ox.RdfFormat.N_QUADS)
    info = json.loads((path / "build.json").read_text())
    # every graph's triples, and the default graph: their merge, each distinct triple once
    assert len(store) == sum(info["triples"].values()) + info["distinct_triples"]
    assert (
        len(list(store.quads_for_pattern(None, None, None, ox.DefaultGraph())))
        == (info["distinct_triples"])
    )


def test_a_blank_node_in_two_graphs_is_one_node_in_the_store(built: Settings) -> None:
    """The ontology's blank nodes (restrictions, lists) that the inferred graph also speaks
    of are the same nodes in the store and in the dump the in-memory workers load."""
    shared = """SELECT (COUNT(DISTINCT ?b) AS ?n) WHERE {
        GRAPH <https://w3id.org/tipkg/graph/ontology> { ?b ?p ?o }
        GRAPH <https://w3id.org/tipkg/graph/inferred> { ?b ?q ?r }
        FILTER isBlank(?b) }"""
    on_disk = _query(built, shared)[0][0]
    assert int(on_disk) > 0
    path = current_store(built)
    assert path is not None
    memory = ox.Store()
    memory.bulk_load(path=str(path / "dataset.nq"), format=ox.RdfFormat.N_QUADS)
    assert next(iter(memory.query(shared)))[0].value == on_disk
    assert len(memory) == len(ox.Store.read_only(str(path)))
