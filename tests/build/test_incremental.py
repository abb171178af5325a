"""Incremental builds: adding documents to a built project gives exactly what a full build of
the same files gives (the store, every graph and the merged default graph compared as RDF
datasets with their blank nodes, the dump, the counts, every finding), on the real data
and on generated data; other changes build everything."""

from __future__ import annotations

import json
import shutil
import sys
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from tests.conftest import ROOT
from tipkg.build.pipeline import BuildError, BuildReport, build_store
from tipkg.config import Settings
from tipkg.store.layout import DUMP_FILE

sys.path.insert(0, str(ROOT / "bench"))
from build import make_project


def _canonical(quads: list[ox.Quad]) -> set[ox.Quad]:
    dataset = ox.Dataset(quads)
    dataset.canonicalize(ox.CanonicalizationAlgorithm.UNSTABLE)
    return set(dataset)


def _findings(report: BuildReport) -> Counter[str]:
    records = json.loads((report.path / "findings.json").read_text())
    return Counter(
        json.dumps({k: v for k, v in r.items() if k != "root"}, sort_keys=True) for r in records
    )


def _assert_same_build(incremental: BuildReport, full: BuildReport) -> None:
    store = _canonical(list(ox.Store.read_only(str(incremental.path))))
    assert store == _canonical(list(ox.Store.read_only(str(full.path))))
    dump = ox.Store()  # what the in-memory workers and /dump.nq users read
    dump.bulk_load(path=str(incremental.path / DUMP_FILE), format=ox.RdfFormat.N_QUADS)
    assert _canonical(list(dump)) == store  # blank nodes included
    ours, theirs = (json.loads((r.path / "build.json").read_text()) for r in (incremental, full))
    for key in ("hash", "triples", "distinct_triples", "warnings"):
        assert ours[key] == theirs[key], key
    assert _findings(incremental) == _findings(full)


def _add_back(root: Path, moved: list[Path], store: str) -> tuple[BuildReport, BuildReport]:
    """Build ``root`` without the files ``moved`` (kept aside), then with them: the second
    build is incremental; return it with a full build of the same files."""
    aside = root.parent / f"{root.name}-aside"
    aside.mkdir()
    for path in moved:
        shutil.move(path, aside / path.name)
    settings = Settings(root=root, store=root / store)
    first = build_store(settings)
    assert first.incremental_of is None
    for path in moved:
        shutil.move(aside / path.name, path)
    messages: list[str] = []
    incremental = build_store(settings, progress=messages.append)
    assert incremental.incremental_of == first.path.name, messages
    full = build_store(Settings(root=root, store=root / f"{store}-full"), force=True)
    assert full.incremental_of is None
    return incremental, full


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    for name in ("ontology", "shapes", "data"):
        shutil.copytree(ROOT / name, root / name)
    return root


def test_adding_a_report_equals_a_full_build(project: Path) -> None:
    """The 2022 report describes a meeting, States and organizations its agenda and the
    reference data also describe: the inferred graph, the merge and validation change
    beyond its own triples."""
    incremental, full = _add_back(project, [project / "data" / "wg4-2022-report.ttl"], "store")
    _assert_same_build(incremental, full)
    assert incremental.seconds["parse"] < full.seconds["parse"] + 1  # ran, and parsed little


@pytest.mark.parametrize("documents", [1, 2, 4])
def test_adding_generated_documents_equals_a_full_build(tmp_path: Path, documents: int) -> None:
    data = tmp_path / "tipkg-10k.nq"
    generate = ROOT / "bench" / "generate.py"
    import subprocess

    subprocess.run(
        [sys.executable, str(generate), "--triples", "10000", "--seed", "3", "-o", str(data)],
        check=True,
    )
    root = tmp_path / "project"
    root.mkdir()
    make_project(data, root)
    moved = sorted((root / "data").glob("*.ttl"))[-documents:]
    _assert_same_build(*_add_back(root, moved, "store"))


def test_a_document_repeating_a_symbol_fails_like_a_full_build(project: Path) -> None:
    """A new document whose symbol another document has: both documents violate the
    uniqueness constraint, the old one found through the shared symbol."""
    settings = Settings(root=project, store=project / "store")
    build_store(settings)
    agenda = (project / "data" / "wg4-2022-annotated-provisional-agenda.ttl").read_text()
    copy = agenda.replace("<document/CTOC/COP/WG.4/2022/1>", "<document/CTOC/COP/WG.4/2022/1-copy>")
    (project / "data" / "wg4-copy.ttl").write_text(copy)
    manifest = project / "data" / "sources" / "manifest.toml"
    manifest.write_text(manifest.read_text() + '\n[wg4-copy]\nsymbol = "CTOC/COP/WG.4/9999/1"\n')
    with pytest.raises(BuildError) as incremental:
        build_store(settings)
    with pytest.raises(BuildError) as full:
        build_store(Settings(root=project, store=project / "full"), force=True)
    assert "another document has the same tipkg:symbol" in str(incremental.value)
    ours, theirs = (str(e.value).splitlines() for e in (incremental, full))
    assert ours[0] == theirs[0] and sorted(ours[1:]) == sorted(theirs[1:])


def test_other_changes_build_everything(project: Path) -> None:
    settings = Settings(root=project, store=project / "store")
    build_store(settings)
    changed = project / "data" / "wg4-2017-draft-report.ttl"
    changed.write_text(changed.read_text() + "\n# a comment changes the file\n")
    messages: list[str] = []
    report = build_store(settings, progress=messages.append)
    assert report.incremental_of is None
    assert any("changed or was removed" in m for m in messages)


def test_a_document_changing_the_tbox_builds_everything(project: Path) -> None:
    """New triples that change what the ontology entails (here a subclass axiom) cannot be
    reasoned on the previous closure: the build falls back to a full one, and says so."""
    settings = Settings(root=project, store=project / "store")
    build_store(settings)
    (project / "data" / "wg4-axiom.ttl").write_text(
        "<https://w3id.org/tipkg/def#Statement> "
        "<http://www.w3.org/2000/01/rdf-schema#subClassOf> <http://example.org/Speech> .\n"
    )
    manifest = project / "data" / "sources" / "manifest.toml"
    manifest.write_text(manifest.read_text() + '\n[wg4-axiom]\nsymbol = "CTOC/COP/WG.4/9999/2"\n')
    messages: list[str] = []
    report = build_store(settings, progress=messages.append)
    assert report.incremental_of is None
    assert any("change the ontology" in m for m in messages)
