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
