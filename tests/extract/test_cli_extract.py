"""``tipkg extract`` as a real process: reproduces data/, and refuses bad input cleanly."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.extract.conftest import ROOT, SOURCES, STEMS


def _extract(*args: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tipkg.cli", "extract", *map(str, args)],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=600,
        check=False,
    )


def test_extracting_the_sources_reproduces_the_committed_data(tmp_path: Path) -> None:
    result = _extract(*(SOURCES / f"{stem}.txt" for stem in STEMS), "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    for stem in STEMS:
        fresh = (tmp_path / f"{stem}.ttl").read_bytes()
        committed = (ROOT / "data" / f"{stem}.ttl").read_bytes()
        assert fresh == committed, f"data/{stem}.ttl is stale: run tipkg extract data/sources/*.txt"


def _source_copy(tmp_path: Path, stem: str, old: str, new: str) -> Path:
    sources = tmp_path / "sources"
    sources.mkdir(exist_ok=True)
    shutil.copy(SOURCES / "manifest.toml", sources / "manifest.toml")
    text = (SOURCES / f"{stem}.txt").read_text(encoding="utf-8")
    assert old in text
    path = sources / f"{stem}.txt"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_an_unknown_state_is_named_with_file_and_line_and_nothing_is_written(
    tmp_path: Path,
) -> None:
    good = SOURCES / "wg4-2018-annotated-provisional-agenda.txt"
    bad = _source_copy(tmp_path, "wg4-2022-report", "Armenia, Azerbaijan", "Armenia, Atlantis")
    out = tmp_path / "out"
    result = _extract(good, bad, "-o", out)
    assert result.returncode == 2
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "Atlantis" in text)
    assert f'{bad}:{line}: "Atlantis" is not a State, organization or body' in result.stderr
    assert not out.exists()  # the good file was not written either


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(
            "Annotated provisional agenda",
            "Some other heading",
            "cannot tell what kind of document this is",
            id="unknown-kind",
        ),
        pytest.param(
            "The twelfth meeting of the Working Group",
            "The meeting of the Working Group",
            "to tell which meeting this is",
            id="no-ordinal",
        ),
        pytest.param(
            "Distr.: General",
            "Distr.: General\n\nOriginal: Klingon",
            "original language 'Klingon' is not known",
            id="unknown-language",
        ),
    ],
)
def test_malformed_agendas_get_a_clear_error(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    bad = _source_copy(tmp_path, "wg4-2022-annotated-provisional-agenda", old, new)
    result = _extract(bad, "-o", tmp_path / "out.ttl")
    assert result.returncode == 2
    assert str(bad) in result.stderr and expected in result.stderr
    assert not (tmp_path / "out.ttl").exists()


def test_a_source_missing_from_the_manifest_is_refused(tmp_path: Path) -> None:
    stray = tmp_path / "wg4-2030-report.txt"
    stray.write_text("Draft report\n", encoding="utf-8")
    result = _extract(stray, "-o", tmp_path / "x.ttl")
    assert result.returncode == 2
    assert "no entry [wg4-2030-report] in the manifest" in result.stderr


def test_the_whole_data_conforms_to_the_shapes() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "tipkg.cli", "validate"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:]
    # every file of data/ and data/reference/ was read: as many as the directories hold
    files = len(list((ROOT / "data").glob("*.ttl"))) + len(
        list((ROOT / "data" / "reference").glob("*.ttl"))
    )
    assert result.stdout.startswith("0 violation(s)")
    assert f"in {files} file(s)" in result.stdout


def test_coverage_is_printed_and_a_paragraph_not_understood_fails_strict(tmp_path: Path) -> None:
    """A wording no row reads is listed with its file and line, counted in the graph, and
    --strict refuses it (nothing written)."""
    bad = _source_copy(
        tmp_path,
        "wg4-2022-report",
        "37. Under agenda item 4, statements were made by the representatives of",
        "37. Under agenda item 4, Angola and Armenia spoke at length, as did the delegates of",
    )
    out = tmp_path / "out.ttl"
    result = _extract(bad, "-o", out)
    assert result.returncode == 0, result.stderr
    line = next(n for n, text in enumerate(bad.read_text().splitlines(), 1) if "at length" in text)
    assert "1 not understood" in result.stderr
    assert f"{bad}:{line}: paragraph 37 not understood: names Angola" in result.stderr
    turtle = out.read_text(encoding="utf-8")
    assert 'tipkg:notUnderstoodParagraphCount "1"^^xsd:nonNegativeInteger' in turtle
    assert "tipkg:notUnderstoodParagraph <document/CTOC/COP/WG.4/2022/4/para/37>" in turtle
    out.unlink()
    strict = _extract("--strict", bad, "-o", out)
    assert strict.returncode == 1
    assert "1 paragraph(s) not understood (--strict)" in strict.stderr
    assert not out.exists()


def test_the_five_sources_are_understood_under_strict(tmp_path: Path) -> None:
    result = _extract("--strict", *(SOURCES / f"{stem}.txt" for stem in STEMS), "-o", tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count(", 0 not understood") == len(STEMS)


def test_layout_debris_is_never_asked_to_be_added_to_the_reference_data(tmp_path: Path) -> None:
    """Two columns of a PDF run together into a list of names: a layout problem at its line."""
    bad = _source_copy(
        tmp_path,
        "wg4-2022-report",
        "Armenia, Azerbaijan",
        "Armenia, Transnational Organized Crime       Distr.: General 14 July 2022, Azerbaijan",
    )
    result = _extract(bad, "-o", tmp_path / "out.ttl")
    line = next(
        n
        for n, text in enumerate(bad.read_text().splitlines(), 1)
        if "Distr." in text and "Armenia" in text
    )
    assert f"{bad}:{line}:" in result.stderr
    assert "looks like layout debris" in result.stderr
    assert "do not add it to data/reference/" in result.stderr
    assert "Add it (with this spelling" not in result.stderr


def test_a_document_of_another_working_group_goes_in_by_its_symbol(tmp_path: Path) -> None:
    """The README's steps alone: text and a manifest entry with the symbol; the body, its
    IRI slug and the meeting come from data/reference/ and the text."""
    sources = tmp_path / "sources"
    sources.mkdir()
    text = (SOURCES / "wg4-2022-annotated-provisional-agenda.txt").read_text(encoding="utf-8")
    text = text.replace("Working Group on Trafficking in Persons", "Working Group on Firearms")
    (sources / "wg6-2022-annotated-provisional-agenda.txt").write_text(text, encoding="utf-8")
    (sources / "manifest.toml").write_text(
        '[wg6-2022-annotated-provisional-agenda]\nsymbol = "CTOC/COP/WG.6/2022/1"\n',
        encoding="utf-8",
    )
    out = tmp_path / "out.ttl"
    result = _extract(sources / "wg6-2022-annotated-provisional-agenda.txt", "-o", out)
    assert result.returncode == 0, result.stderr
    turtle = out.read_text(encoding="utf-8")
    assert "<meeting/wg-firearms/12>" in turtle
    assert "tipkg:ofBody <body/wg-firearms>" in turtle
