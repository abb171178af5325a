"""``tipkg validate`` run as a real process: exit codes and findings in words."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.conftest import REFERENCE_FILES, ROOT


def _validate(*paths: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "tipkg.cli", "validate", *map(str, paths)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )


def test_reference_data_conforms() -> None:
    result = _validate(*REFERENCE_FILES)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 violation(s)" in result.stdout
    assert "the data conforms" in result.stdout


def test_unknown_terms_are_named_with_file_line_and_a_suggestion(tmp_path: Path) -> None:
    bad = tmp_path / "typo.ttl"
    bad.write_text(
        "@prefix tipkg: <https://w3id.org/tipkg/def#> .\n"
        "@prefix id: <https://w3id.org/tipkg/id/> .\n"
        "\n"
        "id:meeting\\/wg-tip\\/12 a tipkg:Meetng ;\n"
        '    tipkg:startDat "2022-06-29" .\n',
        encoding="utf-8",
    )
    result = _validate(bad)
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert any(
        line.startswith(f"{bad}:4: Violation: <https://w3id.org/tipkg/id/meeting/wg-tip/12>")
        and '"tipkg:Meetng" is not in the ontology; did you mean "tipkg:Meeting"?' in line
        for line in lines
    ), result.stdout
    assert any(
        line.startswith(f"{bad}:5: ") and 'did you mean "tipkg:startDate"' in line for line in lines
    ), result.stdout
    assert "does NOT conform" in result.stdout


def test_shape_violations_name_focus_path_message_and_file(tmp_path: Path) -> None:
    bad = tmp_path / "state.ttl"
    bad.write_text(
        "@prefix tipkg: <https://w3id.org/tipkg/def#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://w3id.org/tipkg/id/state/XYZ> a tipkg:MemberState ;\n"
        '    rdfs:label "Nowhere"@en ;\n'
        '    tipkg:iso3166Alpha3 "XYZ" ;\n'
        '    tipkg:m49Code "12" .\n',
        encoding="utf-8",
    )
    result = _validate(bad)
    assert result.returncode == 1
    m49 = [line for line in result.stdout.splitlines() if "tipkg:m49Code" in line]
    assert m49, result.stdout
    assert m49[0].startswith(f"{bad}:3: Violation: <https://w3id.org/tipkg/id/state/XYZ>")
    assert '(value: "12")' in m49[0]


def test_syntax_errors_name_the_file_and_line_and_change_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "broken.ttl"
    bad.write_text("@prefix x: <http://x/> .\nx:a x:b x:c\nx:d x:e x:f .\n", encoding="utf-8")
    result = _validate(bad)
    assert result.returncode == 2
    assert f"{bad}:3: not valid Turtle" in result.stderr


def test_missing_files_are_reported(tmp_path: Path) -> None:
    result = _validate(tmp_path / "nope.ttl")
    assert result.returncode == 2
    assert "no such file" in result.stderr
