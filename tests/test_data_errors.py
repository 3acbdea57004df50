"""Corrupted copies of data/ must raise DataError naming file, row and column."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from ttpbook import data as D
from ttpbook.data import DataError

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def copy(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(DATA, dst)
    return dst


def _edit(path: Path, line_no: int, old: str, new: str):
    lines = path.read_text(encoding="utf-8").split("\n")
    assert old in lines[line_no - 1], (old, lines[line_no - 1][:120])
    lines[line_no - 1] = lines[line_no - 1].replace(old, new, 1)
    path.write_text("\n".join(lines), encoding="utf-8")


def _line(path: Path, needle: str) -> int:
    for i, text in enumerate(path.read_text(encoding="utf-8").split("\n"), start=1):
        if needle in text:
            return i
    raise AssertionError(needle)


def test_missing_column(copy):
    p = copy / "incidents.csv"
    _edit(p, 1, ",injured_high", "")
    with pytest.raises(DataError, match=r"incidents\.csv, header \(line 1\), column 'injured_high'.*missing"):
        D.load_incidents(copy)


def test_bad_date(copy):
    p = copy / "incidents.csv"
    ln = _line(p, "2023-02-17-karachi-police-office")
    _edit(p, ln, ",2023-02-17,", ",2023-02-30,")
    with pytest.raises(
        DataError, match=rf"incidents\.csv, row {ln - 1}, column 'date': '2023-02-30' is not a valid date"
    ):
        D.load_incidents(copy)


def test_negative_count(copy):
    p = copy / "monthly_attacks.csv"
    ln = _line(p, "2023-08-01,2023-08-31,attacks,99,")
    _edit(p, ln, ",attacks,99,", ",attacks,-99,")
    with pytest.raises(
        DataError, match=rf"monthly_attacks\.csv, row {ln - 1}, column 'value': -99 is below the minimum 0"
    ):
        D.load_monthly_attacks(copy)


def test_unknown_source_key(copy):
    p = copy / "timeline.csv"
    ln = _line(p, "T001,")
    text = p.read_text(encoding="utf-8").split("\n")
    text[ln - 1] = text[ln - 1].rsplit(",", 1)[0] + ",no_such_source"
    p.write_text("\n".join(text), encoding="utf-8")
    with pytest.raises(
        DataError, match=rf"timeline\.csv, row {ln - 1}, column 'source_ids': unknown source key 'no_such_source'"
    ):
        D.load_timeline(copy)


def test_unknown_source_key_single_column(copy):
    p = copy / "annual_violence.csv"
    _edit(p, 2, p.read_text().split("\n")[1].split(",")[0] + ",", "ghost_source,")
    with pytest.raises(
        DataError, match=r"annual_violence\.csv, row 1, column 'source_id': unknown source key 'ghost_source'"
    ):
        D.load_annual_violence(copy)


def test_duplicate_key(copy):
    p = copy / "incidents.csv"
    lines = p.read_text(encoding="utf-8").split("\n")
    lines.insert(3, lines[1])
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(
        DataError,
        match=r"incidents\.csv, row 3, column 'incident_id': duplicate key '2007-10-18-karsaz' \(first seen in row 1\)",
    ):
        D.load_incidents(copy)


def test_text_in_number_field(copy):
    p = copy / "incidents.csv"
    ln = _line(p, "2014-12-16-aps")
    _edit(p, ln, ",141,149,150,", ",141,abc,150,")
    with pytest.raises(
        DataError, match=rf"incidents\.csv, row {ln - 1}, column 'killed_best': 'abc' is not an integer"
    ):
        D.load_incidents(copy)


def test_unknown_province(copy):
    p = copy / "province_breakdowns.csv"
    ln = _line(p, ",Sindh,")
    _edit(p, ln, ",Sindh,", ",Atlantis,")
    with pytest.raises(
        DataError,
        match=(
            rf"province_breakdowns\.csv, row {ln - 1}, column 'geography': "
            r"'Atlantis' is not one of the allowed values"
        ),
    ):
        D.load_province_breakdowns(copy)


def test_empty_file(copy):
    (copy / "timeline.csv").write_text("", encoding="utf-8")
    with pytest.raises(DataError, match=r"timeline\.csv: file is empty"):
        D.load_timeline(copy)


def test_header_only_file(copy):
    p = copy / "timeline.csv"
    p.write_text(p.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"timeline\.csv: file has a header but no data rows"):
        D.load_timeline(copy)


def test_wrong_encoding(copy):
    p = copy / "sources.csv"
    raw = p.read_bytes().split(b"\n")
    raw[4] = (
        raw[4].replace(b"Dawn", "Dawñ".encode("latin-1"), 1) if b"Dawn" in raw[4] else raw[4] + "é".encode("latin-1")
    )
    p.write_bytes(b"\n".join(raw))
    with pytest.raises(DataError, match=r"sources\.csv, line 5 \(row 4\): bytes are not valid UTF-8"):
        D.load_sources(copy)


def test_truncated_row(copy):
    p = copy / "incidents.csv"
    ln = _line(p, "2008-08-21-wah")
    lines = p.read_text(encoding="utf-8").split("\n")
    lines[ln - 1] = ",".join(lines[ln - 1].split(",")[:6])
    p.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(
        DataError,
        match=(
            rf"incidents\.csv, row {ln - 1}, column '\w+': "
            r"too few fields \(\d+ instead of 21\); the row may be truncated"
        ),
    ):
        D.load_incidents(copy)


def test_low_greater_than_best(copy):
    p = copy / "incidents.csv"
    ln = _line(p, "2014-12-16-aps")
    _edit(p, ln, ",141,149,150,", ",160,149,150,")
    with pytest.raises(
        DataError,
        match=(
            rf"incidents\.csv, row {ln - 1}, column 'killed_best': "
            r"killed_low \(160\) is greater than killed_best \(149\)"
        ),
    ):
        D.load_incidents(copy)


def test_date_out_of_range(copy):
    p = copy / "timeline.csv"
    ln = _line(p, "T001,")
    _edit(p, ln, "T001,2004-04-01", "T001,1904-04-01")
    with pytest.raises(
        DataError, match=rf"timeline\.csv, row {ln - 1}, column 'date_start': 1904-04-01 is outside the allowed range"
    ):
        D.load_timeline(copy)


def test_missing_required_value(copy):
    p = copy / "incidents.csv"
    ln = _line(p, "2014-12-16-aps")
    _edit(p, ln, ",Peshawar,Khyber Pakhtunkhwa,", ",Peshawar,,")
    with pytest.raises(
        DataError, match=rf"incidents\.csv, row {ln - 1}, column 'province': value is required but empty"
    ):
        D.load_incidents(copy)


def test_missing_file(copy):
    (copy / "incidents.csv").unlink()
    with pytest.raises(DataError, match=r"incidents\.csv: file not found"):
        D.load_incidents(copy)


def test_error_is_value_error_and_short(copy):
    (copy / "timeline.csv").write_text("", encoding="utf-8")
    with pytest.raises(ValueError) as exc:
        D.load_timeline(copy)
    assert len(str(exc.value)) < 300 and "Traceback" not in str(exc.value)


def test_bad_boundary_province(copy):
    p = copy / "geo" / "pakistan_provinces.geojson"
    p.write_text(p.read_text(encoding="utf-8").replace('"province":"Sindh"', '"province":"Sind"'), encoding="utf-8")
    with pytest.raises(DataError, match=r"geo/pakistan_provinces\.geojson, feature \d+, property 'province': 'Sind'"):
        D.load_boundaries("provinces", data_dir=copy)
