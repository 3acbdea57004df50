"""CONTRIBUTING.md's "How to add a dataset", done on a copy of the repository.

The test performs the how-to's marked code blocks in order (tests/markdown_steps.py): the CSV,
its resource in datapackage.json, its source row, the loader, the tests (the how-to's own, and
tests/test_data.py with the new loader registered), and the pytest run. It then shows, in the
copy, that the loader reads the good file and that a bad row stops it with a message naming the
file, the row and the column. Planted errors in the how-to must fail it, and do.
"""

from __future__ import annotations

import json
import re

import pytest
from markdown_steps import ROOT, StepFailed, code_blocks, copy_repository, perform, problems, run

HOWTO = ROOT / "CONTRIBUTING.md"
SECTION = "## How to add a dataset"


def howto_blocks(text: str | None = None, section_only: bool = True):
    """The code blocks of the how-to's section (or of the whole file)."""
    text = HOWTO.read_text(encoding="utf-8") if text is None else text
    assert SECTION in text, f"CONTRIBUTING.md has no section '{SECTION}'"
    if section_only:
        start = text.index(SECTION)
        end = text.find("\n## ", start + len(SECTION))
        text = "\n" * text[:start].count("\n") + text[start : None if end < 0 else end]  # keep line numbers
    return code_blocks(text)


def follow(copy, blocks):
    return [perform(b, copy, "CONTRIBUTING.md") for b in blocks if b.action != "illustrative"]


def test_every_code_block_in_contributing_is_run_or_illustrative():
    assert problems(howto_blocks(section_only=False)) == []
    blocks = howto_blocks()
    assert problems(blocks) == [] and "illustrative" not in {b.action for b in blocks}
    assert {b.action for b in blocks} >= {"write", "run-python", "append-to", "replace", "run-shell"}


@pytest.fixture(scope="module")
def added(tmp_path_factory):
    copy = copy_repository(tmp_path_factory.mktemp("dataset") / "repo")
    return copy, follow(copy, howto_blocks())


def test_the_howtos_tests_ran_on_the_copy_and_passed(added):
    _, outputs = added
    assert re.search(r"\b\d+ passed\b", outputs[-1]) and "failed" not in outputs[-1], outputs[-1]


def test_the_loader_loads_the_new_table(added):
    copy, _ = added
    out = run(
        [
            str(copy / ".venv" / "bin" / "python"),
            "-c",
            "import json; from ttpbook.data import load_province_population as f; t = f(); "
            "print(json.dumps({'rows': len(t), 'columns': list(t.columns), 'dtype': str(t['population'].dtype), "
            "'provinces': sorted(map(str, t['province']))}))",
        ],
        copy,
        "loading the new table",
    )
    got = json.loads(out)
    assert got["rows"] == 5 and got["dtype"] == "Int64"
    assert got["columns"] == ["province", "census_year", "population", "source_id"]
    assert "Khyber Pakhtunkhwa" in got["provinces"]
    package = json.loads((copy / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"][-1]["name"] == "province_population"
    # the copy's description is the real one plus one resource: nothing else was rewritten
    real = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    assert package["resources"][:-1] == real["resources"] and len(package) == len(real)


@pytest.mark.parametrize(
    "row, message",
    [
        ("Sindh,2023,55696147,pbs_2023_census_results", None),  # a good row for contrast
        ("Sindh,2023,-5,pbs_2023_census_results", "row 2, column 'population': -5 is below the minimum 0"),
        ("Sindh,20x3,55696147,pbs_2023_census_results", "row 2, column 'census_year': '20x3' is not an integer"),
        ("Sind,2023,55696147,pbs_2023_census_results", "row 2, column 'province': 'Sind' is not one of the allowed"),
        ("Punjab,2023,55696147,pbs_2023_census_results", "row 2, column 'province+census_year': duplicate key"),
        ("Sindh,2023,55696147,", "row 2, column 'source_id': value is required but empty"),
    ],
    ids=["good", "negative", "not-integer", "vocabulary", "duplicate", "no-source"],
)
def test_validation_names_file_row_and_column_of_a_bad_row(added, tmp_path, row, message):
    copy, _ = added
    data = tmp_path / "data"
    run(["cp", "-r", str(copy / "data"), str(data)], copy, "copying data/")
    path = data / "province_population.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = row  # data row 2 (Sindh), line 3 of the file
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    script = (
        "from ttpbook.data import DataError, load_province_population\n"
        f"try:\n    load_province_population({str(data)!r})\n    print('LOADED')\n"
        "except DataError as e:\n    print('ERROR', e)\n"
    )
    out = run([str(copy / ".venv" / "bin" / "python"), "-"], copy, "loading a bad row", stdin=script).strip()
    if message is None:
        assert out == "LOADED"
    else:
        assert out.startswith("ERROR province_population.csv, ") and message in out, out


@pytest.mark.parametrize(
    "plant, error",
    [
        ("Khyber Pakhtunkhwa,2023,", "Khyber-Pakhtunkhwa,2023,"),  # a name outside the vocabulary in the CSV
        ('return _validate("province_population"', 'return _validate("province_populations"'),  # wrong resource
        (
            '"minimum": 0}},\n            {"name": "source_id"',
            '"minimum": 0}},\n            {"name": "source"',
        ),  # schema
    ],
    ids=["csv", "loader", "schema"],
)
def test_a_planted_error_in_the_howto_fails(tmp_path, plant, error):
    text = HOWTO.read_text(encoding="utf-8")
    assert plant in text, "the planted error no longer applies to CONTRIBUTING.md: update this test"
    copy = copy_repository(tmp_path / "repo")
    with pytest.raises(StepFailed, match=r"(?s)run-shell .*failed.*FAILED tests/test_province_population.py"):
        follow(copy, howto_blocks(text.replace(plant, error, 1)))
